"""Resetting a forgotten staff password by e-mail: a random, single-use link that expires after
PASSWORD_RESET_HOURS. Only the SHA-256 of the link's token is stored, so a copy of the table
opens nothing. Services: they flush, never commit."""
import datetime as dt
import hashlib

from flask import current_app
from sqlalchemy import delete

from consult.accounts import services, staff_sessions
from consult.accounts.models import PasswordResetToken, User
from consult.accounts.passwords import password_problems
from consult.extensions import db
from consult.security import random_token

#: Template of the mail (consult/templates/mail/password_reset.*).
MAIL_TEMPLATE = "password_reset"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_hours() -> int:
    """Hours a reset link works."""
    return int(current_app.config["PASSWORD_RESET_HOURS"])


def issue_token(user: User) -> str:
    """A new reset token for user (older unused ones keep working until they expire); the
    plain token goes into the mail, only its hash is stored."""
    now = _now()
    db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.expires_at <= now))
    token = random_token(32)
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=_hash(token),
                                      expires_at=now + dt.timedelta(hours=reset_hours())))
    db.session.flush()
    return token


def account_for_token(token: str | None) -> User | None:
    """The active account a reset token opens (unused, unexpired), or None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(db.select(PasswordResetToken).filter(
        PasswordResetToken.token_hash == _hash(token), PasswordResetToken.expires_at > _now()))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def reset_password(token: str, password: str) -> tuple[User | None, list[str]]:
    """Use a token to set a new password: (the account, []) when done, (the account, problems)
    when the password is refused (the token still works), (None, []) when the token does not.

    The token is deleted by the same statement that checks it, so it works once even when two
    requests race; every session of the account ends, and its other reset links stop working.
    """
    user = account_for_token(token)
    if user is None:
        return None, []
    problems = password_problems(password, user.email)
    if problems:
        return user, problems
    used = db.session.execute(delete(PasswordResetToken).where(
        PasswordResetToken.token_hash == _hash(token), PasswordResetToken.expires_at > _now()))
    if used.rowcount != 1:
        return None, []
    services.set_password(user, password)
    staff_sessions.sign_out_everywhere(user)
    forget_tokens(user)
    return user, []


def forget_tokens(user: User) -> None:
    """Every reset link of user stops working (their password was just set)."""
    db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    db.session.flush()
