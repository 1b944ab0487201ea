"""A reviewer's inbox unlocked for one staff session (see sealing.py for why this is safe).

The private key is kept server side, in a grievance_unlock row tied to the staff session's row
(signing out deletes it), encrypted under a random key stored only in this session's cookie.
Neither half alone opens anything. GRIEVANCE_UNLOCK_MINUTES (default 60) bounds how long an
inbox stays open even in a live session.
"""
import base64
import datetime as dt

from flask import current_app, session
from flask_login import current_user
from sqlalchemy import delete, select

from consult.accounts.staff_sessions import SESSION_ID_KEY, find
from consult.extensions import db
from consult.grievances import sealing
from consult.grievances.models import Unlock

#: Key in the session cookie: {organisation id: base64 session key}.
COOKIE_KEY = "_grievance_keys"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _staff_session_id() -> int | None:
    row = find(current_user.id, session.get(SESSION_ID_KEY))
    return row.id if row is not None else None


def unlock(organisation_id: int, private_key: bytes) -> bool:
    """Keep the private key for this session; False without a staff session row."""
    staff_session_id = _staff_session_id()
    if staff_session_id is None:
        return False
    session_key = sealing.new_session_key()
    minutes = int(current_app.config.get("GRIEVANCE_UNLOCK_MINUTES", 60))
    db.session.execute(delete(Unlock).where(Unlock.staff_session_id == staff_session_id,
                                            Unlock.organisation_id == organisation_id))
    db.session.add(Unlock(staff_session_id=staff_session_id, organisation_id=organisation_id,
                          box=sealing.lock_for_session(private_key, session_key),
                          expires_at=_now() + dt.timedelta(minutes=minutes)))
    keys = dict(session.get(COOKIE_KEY, {}))
    keys[str(organisation_id)] = base64.b64encode(session_key).decode()
    session[COOKIE_KEY] = keys
    db.session.flush()
    return True


def private_key(organisation_id: int) -> bytes | None:
    """The private key if this session unlocked the inbox and it has not expired."""
    encoded = session.get(COOKIE_KEY, {}).get(str(organisation_id))
    staff_session_id = _staff_session_id() if encoded else None
    if staff_session_id is None:
        return None
    row = db.session.scalar(select(Unlock).filter_by(staff_session_id=staff_session_id,
                                                     organisation_id=organisation_id))
    if row is None or row.expires_at <= _now():
        return None
    try:
        return sealing.unlock_for_session(row.box, base64.b64decode(encoded))
    except (sealing.WrongKey, ValueError):
        return None


def lock(organisation_id: int) -> None:
    """Close the inbox in this session (and forget the cookie's key)."""
    keys = dict(session.get(COOKIE_KEY, {}))
    keys.pop(str(organisation_id), None)
    session[COOKIE_KEY] = keys
    staff_session_id = _staff_session_id()
    if staff_session_id is not None:
        db.session.execute(delete(Unlock).where(Unlock.staff_session_id == staff_session_id,
                                                Unlock.organisation_id == organisation_id))
    db.session.flush()


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the unlocked inboxes past their time; how many."""
    return db.session.execute(delete(Unlock).where(Unlock.expires_at <= (now or _now()))
                              ).rowcount
