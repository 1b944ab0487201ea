"""Phone numbers are never stored or logged in clear.

A conversation is found by a keyed hash of the number (HMAC-SHA256 with CHANNEL_NUMBER_KEY);
a number that must travel to the task queue to be sent a reply, or be kept until a later message
is owed to it (a moderation notice, "you said, we did"), is sealed (Fernet, with a key derived
from the same secret), so neither the queue, the database nor a log holds it in clear.

A Fernet token carries the time it was made, in clear; a sealed number kept beside a comment
would date that comment to the second. Tokens are made at time 0 instead (nothing reads their
time: no TTL is used), so a sealed number says nothing but itself, to the key holder only.
"""
import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class NumberKeyMissing(RuntimeError):
    """CHANNEL_NUMBER_KEY is not configured: no channel can work without it."""


def _secret() -> bytes:
    secret = current_app.config.get("CHANNEL_NUMBER_KEY")
    if not secret:
        raise NumberKeyMissing("set CHANNEL_NUMBER_KEY to use SMS or USSD channels")
    return secret.encode() if isinstance(secret, str) else secret


def normalise(number: str) -> str:
    """The number as one form (digits and a leading +), so '+254 711-000' and '+254711000'
    are the same person."""
    number = number.strip()
    digits = re.sub(r"\D", "", number)
    return ("+" if number.startswith("+") else "") + digits


def number_key(number: str) -> str:
    """The conversation key of a number: HMAC-SHA256 hex, never reversible without the key."""
    return hmac.new(_secret(), normalise(number).encode(), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    derived = hmac.new(_secret(), b"consult channels: sealed numbers", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(number: str) -> str:
    """The number encrypted for the queue or the database (authenticated; opened only with
    the key; no time inside)."""
    return _fernet().encrypt_at_time(normalise(number).encode(), 0).decode()


def unseal(sealed: str) -> str | None:
    """The number inside a sealed value, or None when it was not sealed with this key."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None
