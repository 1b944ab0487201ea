"""Rate limits on contributions (survey submissions, comments, votes, reports), per client and
per consultation, so nobody can pad a consultation's figures by sending many of them.

A client is rate_limit_key(): a keyed hash of its address and the current UTC day, so a
counter never holds the address and today's counters cannot be linked to yesterday's. The
counters live in Flask-Limiter's storage (memory, or Redis with RATELIMIT_STORAGE_URI) and
expire with their window; nothing of them is stored with a contribution. Each limit is
checked right before a contribution is stored, after the request was found valid, so
mistakes a participant corrects do not use up their allowance. The limits follow
RATELIMIT_ENABLED (the test suite turns them off, and on again where it tests them).
"""
from flask import Flask, current_app
from flask_babel import gettext
from limits import RateLimitItem, parse_many

from consult.extensions import limiter
from consult.security import RATE_LIMIT_KEY_ROTATION, rate_limit_key

SUBMISSION, COMMENT, VOTE, REPORT = "submission", "comment", "vote", "report"

#: The settings (per client, per consultation) of each kind of contribution.
SETTINGS = {
    SUBMISSION: ("SUBMISSION_RATE_LIMIT", "CONSULTATION_SUBMISSION_RATE_LIMIT"),
    COMMENT: ("COMMENT_RATE_LIMIT", "CONSULTATION_COMMENT_RATE_LIMIT"),
    VOTE: ("VOTE_RATE_LIMIT", "CONSULTATION_VOTE_RATE_LIMIT"),
    REPORT: ("REPORT_RATE_LIMIT", "CONSULTATION_REPORT_RATE_LIMIT"),
}


def check_settings(app: Flask) -> None:
    """Refuse to start with a limit that does not parse, or whose window outlasts the
    client key (a day): a longer window would be split at each change of key."""
    names = ["LOGIN_RATE_LIMIT", *(name for pair in SETTINGS.values() for name in pair)]
    for name in names:
        try:
            items = parse_many(str(app.config[name]))
        except ValueError:
            items = []
        too_long = [i for i in items if i.get_expiry() > RATE_LIMIT_KEY_ROTATION]
        if not items or too_long:
            raise RuntimeError(
                f"{name} = {app.config[name]!r}: give one or more limits such as "
                f"'10 per minute;60 per hour', none with a window longer than a day "
                f"(client keys change every day).")


def allow(kind: str, consultation_id: int) -> bool:
    """Count one contribution of kind to a consultation; False when this client or the
    consultation as a whole is over a limit (then nothing should be stored)."""
    if not limiter.enabled:
        return True
    client_setting, consultation_setting = SETTINGS[kind]
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    whole = (prefix, f"{kind}-consultation", str(consultation_id))
    # A consultation at its ceiling refuses without counting against the client: else a flood
    # from elsewhere would use up every participant's own allowance while it lasts.
    strategy = limiter.limiter
    if not all(strategy.test(item, *whole) for item in _items(consultation_setting)):
        return False
    # The client's own limits first: one busy client then does not use up the consultation's.
    return _hit(client_setting, prefix, f"{kind}-client", rate_limit_key()) and \
        _hit(consultation_setting, *whole)


def _hit(setting: str, *identifiers: str) -> bool:
    """Count a hit against every limit of setting; False as soon as one is exceeded."""
    strategy = limiter.limiter
    return all(strategy.hit(item, *identifiers) for item in _items(setting))


def _items(setting: str) -> list[RateLimitItem]:
    return parse_many(str(current_app.config[setting]))


def message() -> str:
    """What a participant over a limit is told (never which limit, nor whose)."""
    return gettext("Too many contributions arrived in a short time. Please wait a few "
                   "minutes and send it again: what you wrote is kept.")
