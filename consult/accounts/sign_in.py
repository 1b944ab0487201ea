"""Signing a staff member in: the password step, the second step when two-factor sign-in is
on, and the session that follows. Reads and writes the session; the views commit."""
import time

from flask import request, session
from flask_login import login_user

from consult.accounts import account_log, services, staff_sessions
from consult.accounts.models import User

#: Session key of the half-signed-in state: the password was right, the second factor is
#: still to come. It grants nothing (no Flask-Login user): it only names the account.
PENDING_KEY = "_two_factor_pending"
#: Seconds the second step may take before the password must be typed again.
PENDING_SECONDS = 300


def begin_second_step(user: User, next_path: str | None) -> None:
    """Remember, for PENDING_SECONDS, that user typed the right password (nothing else
    carries over from the session before)."""
    session.clear()
    session[PENDING_KEY] = {"token": user.session_token, "next": next_path or "",
                            "until": int(time.time()) + PENDING_SECONDS}


def pending_user() -> User | None:
    """The account halfway through signing in here, if that has not expired. Changing the
    password (new session token) ends the half-signed-in state too."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    user = services.load_user_by_session_token(str(pending.get("token", "")))
    if user is None or not user.is_active or not user.has_two_factor:
        return None
    return user


def pending_next() -> str | None:
    """Where the half-signed-in person asked to go."""
    pending = session.get(PENDING_KEY)
    return (pending.get("next") or None) if isinstance(pending, dict) else None


def pending_token() -> str:
    """The half-signed-in account's session token ("" when none), for rate-limit keys."""
    pending = session.get(PENDING_KEY)
    return str(pending.get("token", "")) if isinstance(pending, dict) else ""


def forget_pending() -> None:
    """End the half-signed-in state."""
    session.pop(PENDING_KEY, None)


def complete(user: User, action: str | None = account_log.SIGNED_IN) -> None:
    """Sign user in on this browser (a new session row) and record action in the audit log
    (None: the caller records what happened, e.g. an accepted invitation)."""
    session.clear()  # no participant or half-signed-in state carries over
    login_user(user, remember=False)
    session[staff_sessions.SESSION_ID_KEY] = staff_sessions.start(
        user, staff_sessions.browser_family(request.headers.get("User-Agent")))
    if action is not None:
        account_log.record_for_account(user, action)
