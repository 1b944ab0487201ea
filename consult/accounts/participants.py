"""The participant behind the current session: an opaque key, perhaps backed by a codename."""
from dataclasses import dataclass

from flask import session
from flask_login import current_user

from consult.accounts.models import Participant, User
from consult.permissions import is_staff
from consult.security import keyed_hash, random_token

KEY = "participant_key"
CODENAME = "participant_codename"
#: Keys derived from a signed-in account start so; a receipt never hands one to a session.
ACCOUNT_PREFIX = "account:"


@dataclass(frozen=True)
class ParticipantStatus:
    """What pages may show about the participant here: whether they have a key or codename."""

    has_key: bool
    has_codename: bool


def participant_status() -> ParticipantStatus:
    """The current session's participant, without creating one."""
    return ParticipantStatus(KEY in session, bool(session.get(CODENAME)))


def signed_in_account() -> User | None:
    """The signed-in account (accounts take part under "account" participation), if any."""
    return current_user if is_staff(current_user) else None


def account_key(user: User) -> str:
    """The participant key of an account: the same on every device, opaque in the database.

    Keyed by the app's secret: rotating SECRET_KEY detaches accounts from earlier responses.
    """
    return ACCOUNT_PREFIX + keyed_hash(f"user:{user.id}", "participant-account")[:48]


def participant_key(create: bool = True) -> str | None:
    """This session's opaque participant key, made on first use (nothing else identifies them).

    A signed-in account always takes part under its own key, so its draft and response follow
    it from one device to another.
    """
    account = signed_in_account()
    if account is not None:
        return account_key(account)
    if KEY not in session and create:
        session[KEY] = random_token(32)
    return session.get(KEY)


def sign_in_participant(participant: Participant) -> None:
    """Make the session act as this (codename) participant from now on."""
    session.clear()
    session[KEY] = participant.key
    session[CODENAME] = participant.codename_hash is not None


def adopt_key(key: str) -> None:
    """Make the session act as the (anonymous) participant behind a receipt."""
    session.clear()
    session[KEY] = key


def forget_participant() -> None:
    """Drop everything the session knows (quick exit, leaving a shared phone)."""
    session.clear()
