"""Limits for new participants: comments a day, time between posts, links in a comment.

A participant is new until NEW_PARTICIPANT_UNTIL of their comments were published before
today. Comments a day are counted from the comments table (which keeps the day only); the time
between posts is a short-lived counter in the rate-limit storage (memory, or Redis when scaled
out), keyed by a keyed hash of the participant key, so no time is ever stored with a comment.
The day and interval limits follow RATELIMIT_ENABLED; the link limit always applies.
"""
import datetime as dt

from flask import current_app
from flask_babel import gettext, ngettext
from limits import RateLimitItemPerSecond

from consult.comments.models import Comment, CommentState
from consult.comments.text import link_count
from consult.extensions import db, limiter
from consult.security import keyed_hash

DAY, INTERVAL, LINKS = "day", "interval", "links"


def _setting(name: str) -> int:
    return int(current_app.config[name])


def _interval() -> tuple[RateLimitItemPerSecond, str]:
    return RateLimitItemPerSecond(1, _setting("NEW_PARTICIPANT_SECONDS_BETWEEN_POSTS")), \
        "new-participant-post"


def is_new(author_key: str) -> bool:
    """Whether the participant has fewer than NEW_PARTICIPANT_UNTIL comments published before
    today (one count on the author index, stopping at the threshold)."""
    until = _setting("NEW_PARTICIPANT_UNTIL")
    published = db.session.scalar(db.select(db.func.count()).select_from(
        db.select(Comment.id).filter(Comment.author_key == author_key,
                                     Comment.state == CommentState.PUBLISHED,
                                     Comment.created_on < dt.date.today())
        .limit(until).subquery()))
    return (published or 0) < until


def refusal(author_key: str, body: str) -> str | None:
    """Which limit a new participant's comment would break (DAY, INTERVAL, LINKS), if any."""
    if not is_new(author_key):
        return None
    if link_count(body) > _setting("NEW_PARTICIPANT_LINKS_PER_COMMENT"):
        return LINKS
    if not limiter.enabled:
        return None
    today = db.session.scalar(db.select(db.func.count(Comment.id)).filter(
        Comment.author_key == author_key, Comment.created_on == dt.date.today())) or 0
    if today >= _setting("NEW_PARTICIPANT_COMMENTS_PER_DAY"):
        return DAY
    item, scope = _interval()
    if not limiter.limiter.test(item, scope, _counter_key(author_key)):
        return INTERVAL
    return None


def record_post(author_key: str) -> None:
    """Start the wait before this participant's next post."""
    if limiter.enabled:
        item, scope = _interval()
        limiter.limiter.hit(item, scope, _counter_key(author_key))


def _counter_key(author_key: str) -> str:
    return keyed_hash(author_key, "new-participant-post")[:32]


def message(kind: str) -> str:
    """What to tell the participant about a limit, in their language."""
    if kind == LINKS:
        number = _setting("NEW_PARTICIPANT_LINKS_PER_COMMENT")
        return ngettext("While you are new here, a comment can hold %(num)d link. Please remove "
                        "the others.", "While you are new here, a comment can hold up to "
                        "%(num)d links. Please remove the others.", number)
    if kind == DAY:
        number = _setting("NEW_PARTICIPANT_COMMENTS_PER_DAY")
        return ngettext("While you are new here, you can post %(num)d comment a day. Please "
                        "come back tomorrow: nothing you already sent is lost.",
                        "While you are new here, you can post %(num)d comments a day. Please "
                        "come back tomorrow: nothing you already sent is lost.", number)
    number = _setting("NEW_PARTICIPANT_SECONDS_BETWEEN_POSTS")
    return ngettext("While you are new here, please wait %(num)d second between comments, "
                    "then send it again.", "While you are new here, please wait %(num)d seconds "
                    "between comments, then send it again.", number)


def title() -> str:
    """The title of the page that explains a limit."""
    return gettext("Please slow down")
