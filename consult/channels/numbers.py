"""Phone numbers are never stored or logged in clear.

A conversation is found by a keyed hash of the number (HMAC-SHA256 with CHANNEL_NUMBER_KEY);
a number that must travel to the task queue to be sent a reply is sealed (Fernet, with a key
derived from the same secret), so neither the queue's storage nor its logs hold it in clear.
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
    """The number encrypted for the queue (authenticated; opened only with the key)."""
    return _fernet().encrypt(normalise(number).encode()).decode()


def unseal(sealed: str) -> str | None:
    """The number inside a sealed value, or None when it was not sealed with this key."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None
