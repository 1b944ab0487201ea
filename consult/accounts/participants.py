"""The participant behind the current session: an opaque key, perhaps backed by a codename."""
from dataclasses import dataclass

from flask import session

from consult.accounts.models import Participant
from consult.security import random_token

KEY = "participant_key"
CODENAME = "participant_codename"


@dataclass(frozen=True)
class ParticipantStatus:
    """What pages may show about the participant here: whether they have a key or codename."""

    has_key: bool
    has_codename: bool


def participant_status() -> ParticipantStatus:
    """The current session's participant, without creating one."""
    return ParticipantStatus(KEY in session, bool(session.get(CODENAME)))


def participant_key(create: bool = True) -> str | None:
    """This session's opaque participant key, made on first use (nothing else identifies them)."""
    if KEY not in session and create:
        session[KEY] = random_token(32)
    return session.get(KEY)


def sign_in_participant(participant: Participant) -> None:
    """Make the session act as this (codename) participant from now on."""
    session.clear()
    session[KEY] = participant.key
    session[CODENAME] = participant.codename_hash is not None


def forget_participant() -> None:
    """Drop everything the session knows (quick exit, leaving a shared phone)."""
    session.clear()
