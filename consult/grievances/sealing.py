"""The grievance keys: how a copy of the database alone reveals no grievance (libsodium via
PyNaCl; no Flask, no database here).

- Each reviewer organisation has a Curve25519 key pair. The public key is stored in the clear;
  the private key only inside two SecretBoxes (XSalsa20-Poly1305): one under a key derived from
  the staff's passphrase with argon2id (memory-hard; the salt and cost are stored with it), one
  under a random recovery key printed once when the passphrase is set. Neither the passphrase
  nor the recovery key is stored anywhere.
- Filing a case draws a random data key; the case's words (what happened, what they would
  like, the place) are encrypted with it, and the data key itself is sealed to the
  organisation's public key (a libsodium sealed box: anyone can seal, only the private key
  opens). The reviewer's notes in the case history are encrypted with the same data key, so
  the retention purge erases one small column of the case row and every note of its
  append-only history becomes unreadable, without rewriting the history.
- Messages on the case page (the reviewer's questions, the complainant's answers) are
  encrypted under a key derived from the case code with argon2id (the code is never stored,
  only a keyed hash of it); a copy of that key travels inside the sealed words, so the
  reviewer reads and writes them once its inbox is open, and the complainant with the code.
- An unlocked inbox (unlocking.py) keeps the private key for one staff session only: in a
  database row (grievance_unlock), encrypted under a random session key that lives in that
  session's cookie alone. The row without the cookie, or the cookie without the row, opens
  nothing; signing out deletes the row (with the session's) and the cookie's key.

What stays in the clear, on purpose: a case's category, stage and days (the public statistics
count them and the complainant reads them with only the case code, which the server does not
keep), the stage messages (the same translated text for every case at that stage), and the
summaries a reviewer chooses to share with hosts (hosts read them without any key).
"""
import base64
import json
from dataclasses import dataclass

from nacl import pwhash, secret, utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

#: Argon2id cost by name (GRIEVANCE_KDF_COST): "moderate" (256 MiB, libsodium's choice for
#: a key opened once per session), "interactive" (64 MiB), "min" (tests only).
KDF_COSTS = {
    "sensitive": (pwhash.argon2id.OPSLIMIT_SENSITIVE, pwhash.argon2id.MEMLIMIT_SENSITIVE),
    "moderate": (pwhash.argon2id.OPSLIMIT_MODERATE, pwhash.argon2id.MEMLIMIT_MODERATE),
    "interactive": (pwhash.argon2id.OPSLIMIT_INTERACTIVE, pwhash.argon2id.MEMLIMIT_INTERACTIVE),
    "min": (pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.MEMLIMIT_MIN),
}


class WrongKey(ValueError):
    """A passphrase or recovery key that does not open the private key."""


@dataclass(frozen=True)
class KeyMaterial:
    """What is stored for a new (or re-wrapped) key pair; recovery_key is shown once only."""

    public_key: bytes
    passphrase_box: bytes
    salt: bytes
    opslimit: int
    memlimit: int
    recovery_box: bytes
    recovery_key: str


def _derive(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return pwhash.argon2id.kdf(secret.SecretBox.KEY_SIZE, passphrase.encode(), salt,
                               opslimit=opslimit, memlimit=memlimit)


def format_recovery_key(raw: bytes) -> str:
    """32 random bytes as 13 groups of four base32 letters, easy to print and type."""
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes | None:
    """The 32 bytes of a typed recovery key (spaces, dashes and case ignored); None if bad."""
    letters = "".join(c for c in (text or "").upper() if c.isalnum())
    try:
        raw = base64.b32decode(letters + "=" * (-len(letters) % 8))
    except ValueError:
        return None
    return raw if len(raw) == secret.SecretBox.KEY_SIZE else None


def wrap(private_key: bytes, passphrase: str, cost: str) -> KeyMaterial:
    """Store private_key under a passphrase and a new recovery key."""
    opslimit, memlimit = KDF_COSTS[cost]
    salt = utils.random(pwhash.argon2id.SALTBYTES)
    recovery = utils.random(secret.SecretBox.KEY_SIZE)
    return KeyMaterial(
        public_key=bytes(PrivateKey(private_key).public_key),
        passphrase_box=secret.SecretBox(_derive(passphrase, salt, opslimit, memlimit))
        .encrypt(private_key),
        salt=salt, opslimit=opslimit, memlimit=memlimit,
        recovery_box=secret.SecretBox(recovery).encrypt(private_key),
        recovery_key=format_recovery_key(recovery))


def new_keys(passphrase: str, cost: str) -> KeyMaterial:
    """A new key pair stored under a passphrase and a recovery key."""
    return wrap(bytes(PrivateKey.generate()), passphrase, cost)


def open_with_passphrase(passphrase: str, box: bytes, salt: bytes, opslimit: int,
                         memlimit: int) -> bytes:
    """The private key; WrongKey when the passphrase does not open it."""
    try:
        return secret.SecretBox(_derive(passphrase, salt, opslimit, memlimit)).decrypt(box)
    except CryptoError:
        raise WrongKey() from None


def open_with_recovery_key(text: str, box: bytes) -> bytes:
    """The private key; WrongKey when the recovery key is malformed or does not open it."""
    raw = parse_recovery_key(text)
    if raw is None:
        raise WrongKey()
    try:
        return secret.SecretBox(raw).decrypt(box)
    except CryptoError:
        raise WrongKey() from None


def seal_case(public_key: bytes, words: dict) -> tuple[bytes, bytes]:
    """(sealed data key, encrypted words) of a new case."""
    data_key = utils.random(secret.SecretBox.KEY_SIZE)
    text = json.dumps(words, ensure_ascii=False).encode()
    return SealedBox(PublicKey(public_key)).encrypt(data_key), \
        secret.SecretBox(data_key).encrypt(text)


def case_key(private_key: bytes, sealed_key: bytes) -> bytes:
    """A case's data key; WrongKey when it was not sealed to this private key."""
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(sealed_key)
    except CryptoError:
        raise WrongKey() from None


def decrypt_words(data_key: bytes, sealed: bytes) -> dict:
    """A case's words."""
    return json.loads(secret.SecretBox(data_key).decrypt(sealed).decode())


def encrypt_note(data_key: bytes, note: str) -> bytes:
    """A reviewer's note, encrypted with the case's data key."""
    return secret.SecretBox(data_key).encrypt(note.encode())


def decrypt_note(data_key: bytes, sealed: bytes) -> str:
    """A reviewer's note."""
    return secret.SecretBox(data_key).decrypt(sealed).decode()


#: Cost of the case-code key: light enough for every case page view, and with the code's 56
#: random bits far beyond a search of a database copy.
REPLY_OPSLIMIT, REPLY_MEMLIMIT = 2, 16 * 1024 * 1024


def new_reply_salt() -> bytes:
    """A case's salt for its case-code key."""
    return utils.random(pwhash.argon2id.SALTBYTES)


def reply_key(code: str, salt: bytes) -> bytes:
    """The key of a case's messages, from its (normalised) case code."""
    return _derive(code, salt, REPLY_OPSLIMIT, REPLY_MEMLIMIT)


def encrypt_message(key: bytes, text: str) -> bytes:
    """A case-page message under the case-code key."""
    return secret.SecretBox(key).encrypt(text.encode())


def decrypt_message(key: bytes, body: bytes) -> str | None:
    """A case-page message; None when the key does not open it."""
    try:
        return secret.SecretBox(key).decrypt(body).decode()
    except CryptoError:
        return None


def new_session_key() -> bytes:
    """A random key for one unlocked inbox (kept in the session cookie only)."""
    return utils.random(secret.SecretBox.KEY_SIZE)


def lock_for_session(private_key: bytes, session_key: bytes) -> bytes:
    """The private key encrypted under a session key (stored server side)."""
    return secret.SecretBox(session_key).encrypt(private_key)


def unlock_for_session(box: bytes, session_key: bytes) -> bytes:
    """The private key from a session's box; WrongKey if the cookie's key does not fit."""
    try:
        return secret.SecretBox(session_key).decrypt(box)
    except CryptoError:
        raise WrongKey() from None
