"""Two-factor sign-in for staff: TOTP (authenticator apps, RFC 6238 through pyotp) and
one-time recovery codes. Services: they flush, never commit, and never read the request."""
import datetime as dt
import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, or_, update

from consult.accounts.models import RecoveryCode, User
from consult.extensions import db

#: Seconds per TOTP time step (what every authenticator app uses).
STEP_SECONDS = 30
#: Steps accepted either side of now: a phone's clock a little off still signs in.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
#: Recovery codes: 16 characters of this alphabet (80 random bits), shown in groups of four.
#: Base32 letters and digits (no 0 or 1 to misread as o or l), lower case to type on a phone.
RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_RECOVERY_LENGTH = 16
_NOT_CODE = re.compile(r"[\s\-_.]+")


def new_secret() -> str:
    """A fresh TOTP secret (160 random bits, base32), offered for setup."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_svg(secret: str, email: str, label: str) -> Markup:
    """The setup QR code as inline SVG, rendered here: no script, no request elsewhere."""
    svg = segno.make(provisioning_uri(secret, email), error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=label, svgclass="qr", lineclass=None)
    # segno writes only an <svg> of paths (tested); the title is escaped by segno itself.
    return Markup(svg)


def grouped_secret(secret: str) -> str:
    """The secret in groups of four letters, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def current_step(now: float | None = None) -> int:
    """The TOTP time step of now."""
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _normalise_totp(code: str) -> str:
    return _NOT_CODE.sub("", code or "")


def looks_like_totp(code: str) -> bool:
    """Whether a typed code has the shape of a TOTP code (six digits), not a recovery code."""
    return bool(re.fullmatch(r"\d{6}", _normalise_totp(code)))


def matching_step(secret: str, code: str, after: int | None, now: float | None = None
                  ) -> int | None:
    """The time step (now, or one either side) whose code this is and that is later than
    after (the last one used); None if there is none."""
    code = _normalise_totp(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    step = current_step(now)
    found = None
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        # Every candidate is compared (in constant time), so timing tells nothing about which.
        if hmac.compare_digest(totp.generate_otp(candidate), code) and \
                (after is None or candidate > after):
            found = candidate if found is None else found
    return found


def use_totp(user: User, code: str, now: float | None = None) -> bool:
    """Accept a TOTP code of user's once: its time step is recorded, and that step or any
    earlier one is refused from then on (a code seen over a shoulder cannot be replayed).

    The check and the record are one conditional UPDATE, so two requests racing with the
    same code (on two app nodes) cannot both succeed.
    """
    if user.totp_secret is None:
        return False
    step = matching_step(user.totp_secret, code, user.totp_last_step, now)
    if step is None:
        return False
    result = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None),
                                                   User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def enable(user: User, secret: str, code: str, now: float | None = None) -> list[str] | None:
    """Turn two-factor sign-in on with secret, if code shows the app has it; the new recovery
    codes (shown once), or None when the code does not match."""
    step = matching_step(secret, code, None, now)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step  # the confirming code cannot be used again to sign in
    user.two_factor_since = dt.date.today()
    return regenerate_recovery_codes(user)


def disable(user: User) -> None:
    """Turn two-factor sign-in off: secret and recovery codes are gone."""
    user.totp_secret = None
    user.totp_last_step = None
    user.two_factor_since = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_recovery_code(code: str) -> str | None:
    """A typed recovery code without spaces, dashes or case; None when it cannot be one."""
    cleaned = _NOT_CODE.sub("", code or "").lower()
    if len(cleaned) != _RECOVERY_LENGTH or set(cleaned) - set(RECOVERY_ALPHABET):
        return None
    return cleaned


def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace user's recovery codes by RECOVERY_CODE_COUNT new ones; the plain codes are
    returned to be shown once, only their hashes are stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(code))
                       for code in codes)
    db.session.flush()
    return ["-".join(code[i:i + 4] for i in range(0, len(code), 4)) for code in codes]


def use_recovery_code(user: User, code: str) -> bool:
    """Accept one of user's recovery codes, deleting it: each works once (the DELETE decides,
    so two requests racing with one code cannot both succeed)."""
    cleaned = normalise_recovery_code(code)
    if cleaned is None or user.totp_secret is None:
        return False
    result = db.session.execute(delete(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_recovery(cleaned)))
    return result.rowcount == 1


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes user has."""
    return db.session.scalar(db.select(db.func.count(RecoveryCode.id)).filter_by(
        user_id=user.id)) or 0


def verify(user: User, code: str, now: float | None = None) -> str | None:
    """Check a second factor: "totp" or "recovery" for the kind accepted, None if refused."""
    if looks_like_totp(code):
        return "totp" if use_totp(user, code, now) else None
    return "recovery" if use_recovery_code(user, code) else None
