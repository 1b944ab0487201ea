"""Messages on the case page between the reviewer and a complainant who agreed to be
contacted there, encrypted under the case-code key (sealing.py); operations flush only."""
import base64

from sqlalchemy import delete, select

from consult.extensions import db
from consult.grievances import sealing
from consult.grievances.models import Case, Message

#: Longest message (characters).
MESSAGE_LENGTH = 2000
#: Key of the case-code key's copy inside the sealed words.
WORDS_KEY = "reply_key"


def key_for_code(case: Case, code: str) -> bytes | None:
    """The case-code key, from the code the complainant typed (None: no messages here)."""
    return sealing.reply_key(code, case.reply_salt) if case.reply_salt else None


def key_from_words(words: dict) -> bytes | None:
    """The case-code key's copy the reviewer reads in the sealed words."""
    encoded = words.get(WORDS_KEY)
    return base64.b64decode(encoded) if encoded else None


def encode_key(key: bytes) -> str:
    """The case-code key as it is kept inside the sealed words."""
    return base64.b64encode(key).decode()


def post(case: Case, from_reviewer: bool, text: str, key: bytes) -> Message:
    """Add a message (refused with ValueError when the complainant did not agree)."""
    if not case.contact_ok or case.purged_on is not None:
        raise ValueError("no messages on this case")
    message = Message(case_id=case.id, from_reviewer=from_reviewer,
                      body=sealing.encrypt_message(key, text.strip()))
    db.session.add(message)
    db.session.flush()
    return message


def thread(case: Case, key: bytes | None) -> list[tuple[Message, str]]:
    """The case's messages, oldest first, with their words."""
    if key is None:
        return []
    rows = db.session.scalars(select(Message).filter_by(case_id=case.id).order_by(Message.id))
    return [(m, text) for m in rows
            if (text := sealing.decrypt_message(key, m.body)) is not None]


def erase(case_ids: list[int]) -> None:
    """Delete the messages of these cases (the purge)."""
    db.session.execute(delete(Message).where(Message.case_id.in_(case_ids)))
