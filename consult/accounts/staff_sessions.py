"""Staff sessions that end for real: each signed-in browser is a row its owner can list and
sign out; signing out rotates the account's session token, so no copied cookie lives on.

A staff cookie works only while both hold: its `_user_id` is the account's current session
token (Flask-Login), and its session id names a row of that account (this module).
"""
import datetime as dt
import hashlib
import re

from flask import g, session
from flask_login import current_user
from sqlalchemy import delete, update

from consult.accounts.models import StaffSession, User
from consult.accounts.services import load_user_by_session_token
from consult.extensions import db
from consult.security import random_token

#: Key of the random session id in the signed session cookie.
SESSION_ID_KEY = "_staff_session"
#: (pattern, family), first match wins: Edge and Opera also say Chrome, Chrome says Safari.
BROWSERS = [(r"Edg(e|A|iOS)?/", "Edge"), (r"OPR/|Opera", "Opera"),
            (r"SamsungBrowser/", "Samsung Internet"), (r"Firefox/|FxiOS/", "Firefox"),
            (r"Chrome/|CriOS/", "Chrome"), (r"Safari/", "Safari")]
OTHER_BROWSER = "Other"
#: Rows last seen before yesterday are dead (a session lives 12 hours at most): they are not
#: listed, and signing in purges them.
STALE_AFTER = dt.timedelta(days=1)


def browser_family(user_agent: str | None) -> str:
    """A coarse browser name from a User-Agent header; nothing finer is kept."""
    for pattern, family in BROWSERS:
        if re.search(pattern, user_agent or ""):
            return family
    return OTHER_BROWSER


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(user: User, browser: str) -> str:
    """A new session row for user (and old dead ones purged); returns the id for the cookie."""
    today = dt.date.today()
    db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id,
                                                  StaffSession.last_seen_on < today - STALE_AFTER))
    session_id = random_token(32)
    db.session.add(StaffSession(user_id=user.id, key_hash=_hash(session_id), browser=browser,
                                created_on=today, last_seen_on=today))
    db.session.flush()
    return session_id


def find(user_id: int, session_id: str | None) -> StaffSession | None:
    """The live session row with this id, if it belongs to user_id."""
    if not session_id:
        return None
    return db.session.scalar(db.select(StaffSession).filter_by(
        user_id=user_id, key_hash=_hash(session_id)))


def sessions_of(user: User) -> list[StaffSession]:
    """The sessions of user that may still be alive, the most recently seen first."""
    return list(db.session.scalars(db.select(StaffSession).filter(
        StaffSession.user_id == user.id,
        StaffSession.last_seen_on >= dt.date.today() - STALE_AFTER).order_by(
        StaffSession.last_seen_on.desc(), StaffSession.id.desc())))


def sign_out(user: User, session_id: int) -> bool:
    """End one of user's sessions by its row id; False when user has no such session."""
    result = db.session.execute(delete(StaffSession).where(
        StaffSession.id == session_id, StaffSession.user_id == user.id))
    return result.rowcount > 0


def sign_out_others(user: User, keep_session_id: str | None) -> int:
    """End every session of user but the one with this cookie id; how many ended."""
    query = delete(StaffSession).where(StaffSession.user_id == user.id)
    if keep_session_id:
        query = query.where(StaffSession.key_hash != _hash(keep_session_id))
    return db.session.execute(query).rowcount


def sign_out_everywhere(user: User) -> None:
    """End every session of user: new session token (every cookie's `_user_id` is now
    stale, copies included) and no session rows."""
    user.session_token = random_token(32)
    db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    db.session.flush()


def load_staff_user(token: str) -> User | None:
    """Flask-Login loader: the user of this session token, if the cookie's session id is one
    of theirs (else the cookie was signed out, or copied from a signed-out browser)."""
    user = load_user_by_session_token(token)
    if user is None:
        return None
    row = find(user.id, session.get(SESSION_ID_KEY))
    if row is None:
        return None
    g.staff_session_seen = (row.id, row.last_seen_on)
    return user


def note_last_seen() -> None:
    """Before each request: load the staff user now, before the view has written anything,
    and move their session's last-seen day forward (one small write a day, never a time)."""
    current_user._get_current_object()  # runs load_staff_user for a staff cookie
    seen = g.pop("staff_session_seen", None)
    today = dt.date.today()
    if seen is not None and seen[1] != today:
        db.session.execute(update(StaffSession).where(StaffSession.id == seen[0])
                           .values(last_seen_on=today))
        db.session.commit()
