"""Filing grievances, finding them again by case code, and the reviewer's work on them
(operations flush, never commit)."""
import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from consult import audit
from consult.accounts.models import Organisation, User
from consult.append_only import guard
from consult.consultations.models import Consultation
from consult.consultations.services import touch
from consult.extensions import db
from consult.grievances import messages, sealing
from consult.grievances.access import is_reviewer
from consult.grievances.keys import keys_of
from consult.grievances.models import (
    CLOSED_STAGES,
    Case,
    CaseEvent,
    CaseShare,
    Category,
    Stage,
)
from consult.security import keyed_hash
from consult.surveys.models import Question
from consult.surveys.responses import RECEIPT_ALPHABET

guard(CaseEvent)

#: Longest "what happened" and "what would you like" (characters).
TEXT_LENGTH = 4000
#: Case codes: 12 letters of the receipt alphabet (about 56 bits), shown as XXXX-XXXX-XXXX.
CODE_LETTERS = 12
#: The survey question whose options are the consultation's areas (a segment question).
AREA_QUESTION_KEY = "area"


def new_code() -> str:
    """A case code like 'K7QM-4TXD-PW3C'."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(CODE_LETTERS))
    return "-".join(code[i:i + 4] for i in range(0, CODE_LETTERS, 4))


def normalise_code(text: str) -> str | None:
    """'k7qm 4txd pw3c' -> 'K7QM-4TXD-PW3C'; None when it cannot be a case code."""
    letters = re.sub(r"[\s\-]", "", text or "").upper()
    if len(letters) != CODE_LETTERS or any(c not in RECEIPT_ALPHABET for c in letters):
        return None
    return "-".join(letters[i:i + 4] for i in range(0, CODE_LETTERS, 4))


def _code_hash(code: str) -> str:
    return keyed_hash(code, "grievance-case")


def owner_hash(participant_key: str) -> str:
    """What a codename holder's case stores instead of their participant key."""
    return keyed_hash(participant_key, "grievance-owner")


def reviewers() -> list[Organisation]:
    """Every active independent reviewer organisation, by name."""
    return [o for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
            if is_reviewer(o)]


def set_reviewer(consultation: Consultation, organisation: Organisation | None,
                 actor: User) -> None:
    """Name (or, with None, remove) the consultation's reviewer; ValueError unless it is an
    active independent reviewer. Cases already filed stay with the reviewer they went to."""
    if organisation is not None and not is_reviewer(organisation):
        raise ValueError("not an independent reviewer")
    consultation.reviewer_organisation_id = organisation.id if organisation else None
    touch(consultation)  # the consultation page shows (or hides) the link
    audit.record(actor, "grievances.reviewer_chosen", consultation=consultation,
                 target=consultation.slug, detail=organisation.slug if organisation else "-")
    db.session.flush()


def channel_of(consultation: Consultation) -> Organisation | None:
    """The reviewer that takes this consultation's grievances now, if it can (its keys set)."""
    if consultation.reviewer_organisation_id is None:
        return None
    organisation = db.session.get(Organisation, consultation.reviewer_organisation_id)
    if not is_reviewer(organisation) or keys_of(organisation.id) is None:
        return None
    return organisation


def areas(consultation: Consultation) -> list[tuple[str, object]]:
    """(key, option) of the consultation's areas: the options of its survey's segment
    question keyed "area", when it has one."""
    from consult.surveys.models import Survey

    question = db.session.scalar(select(Question).join(Survey).filter(
        Survey.consultation_id == consultation.id, Question.key == AREA_QUESTION_KEY,
        Question.is_segment.is_(True)))
    return [(option.key, option) for option in question.options] if question else []


def file_case(consultation: Consultation, organisation: Organisation, category: Category,
              happened: str, wanted: str, area: str, contact_ok: bool, language: str,
              owner_key: str | None) -> tuple[Case, str]:
    """Store a grievance sealed to the reviewer; (case, its code, to show once)."""
    keys = keys_of(organisation.id)
    today = dt.date.today()
    code = new_code()
    words = {"happened": happened, "wanted": wanted, "area": area}
    salt = None
    if contact_ok:  # the case page's messages: a key from the code, its copy sealed here
        salt = sealing.new_reply_salt()
        words[messages.WORDS_KEY] = messages.encode_key(sealing.reply_key(code, salt))
    sealed_key, sealed_text = sealing.seal_case(keys.public_key, words)
    case = Case(consultation_id=consultation.id, organisation_id=organisation.id,
                category_id=category.id, code_hash=_code_hash(code),
                owner_hash=owner_hash(owner_key) if owner_key else None,
                sealed_key=sealed_key, sealed_text=sealed_text, contact_ok=contact_ok,
                reply_salt=salt,
                language=language, stage=Stage.RECEIVED, filed_on=today,
                acknowledge_by=today + dt.timedelta(days=keys.acknowledge_days),
                resolve_by=today + dt.timedelta(days=keys.resolve_days))
    db.session.add(case)
    db.session.flush()
    db.session.add(CaseEvent(case_id=case.id, day=today, stage=Stage.RECEIVED))
    db.session.flush()
    return case, code


def case_by_code(text: str) -> Case | None:
    """The (unpurged) case with this code, or None."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(select(Case).filter_by(code_hash=_code_hash(code)))


def cases_of_owner(participant_key: str) -> list[Case]:
    """A codename holder's cases, newest first."""
    return list(db.session.scalars(select(Case).filter_by(
        owner_hash=owner_hash(participant_key)).order_by(Case.id.desc())))


@dataclass(frozen=True)
class InboxRow:
    """One case in a reviewer's inbox, with what is overdue about it."""

    case: Case
    acknowledge_overdue: bool
    resolve_overdue: bool


def overdue(case: Case, today: dt.date) -> tuple[bool, bool]:
    """(acknowledgement overdue, resolution overdue) of a case on a day."""
    if case.stage in CLOSED_STAGES or case.purged_on is not None:
        return False, False
    return case.stage is Stage.RECEIVED and today > case.acknowledge_by, today > case.resolve_by


def inbox(organisation_id: int, today: dt.date | None = None, open_only: bool = True
          ) -> list[InboxRow]:
    """The reviewer's unpurged cases, overdue first, then oldest first."""
    today = today or dt.date.today()
    query = select(Case).filter(Case.organisation_id == organisation_id,
                                Case.purged_on.is_(None))
    if open_only:
        query = query.filter(Case.stage.not_in(CLOSED_STAGES))
    rows = [InboxRow(case, *overdue(case, today))
            for case in db.session.scalars(query.order_by(Case.filed_on, Case.id))]
    return sorted(rows, key=lambda r: not (r.acknowledge_overdue or r.resolve_overdue))


def history(case: Case) -> list[CaseEvent]:
    """A case's history, oldest first."""
    return list(db.session.scalars(select(CaseEvent).filter_by(case_id=case.id)
                                   .order_by(CaseEvent.id)))


def move(case: Case, stage: Stage, actor: User, note: str, data_key: bytes | None,
         today: dt.date | None = None) -> CaseEvent:
    """Move a case to a stage (a note, sealed with the case's key, is optional)."""
    today = today or dt.date.today()
    if case.acknowledged_on is None and stage is not Stage.RECEIVED:
        case.acknowledged_on = today  # any step the reviewer takes acknowledges the case
    case.closed_on = (case.closed_on or today) if stage in CLOSED_STAGES else None
    before, case.stage = case.stage, stage
    event = CaseEvent(case_id=case.id, day=today, actor_id=actor.id, stage=stage,
                      sealed_note=_note(note, data_key))
    db.session.add(event)
    audit.record(actor, "grievances.stage_changed", organisation_id=case.organisation_id,
                 target=f"#{case.id}", detail=f"{before.value} -> {stage.value}")
    db.session.flush()
    return event


def add_note(case: Case, actor: User, note: str, data_key: bytes) -> CaseEvent:
    """A reviewer's note in the case's history, sealed with the case's key."""
    event = CaseEvent(case_id=case.id, actor_id=actor.id, sealed_note=_note(note, data_key))
    db.session.add(event)
    db.session.flush()
    return event


def _note(note: str, data_key: bytes | None) -> bytes | None:
    note = (note or "").strip()
    if not note:
        return None
    if data_key is None:
        raise ValueError("a note needs the case's key")
    return sealing.encrypt_note(data_key, note)


def share(case: Case, actor: User, summary: str) -> CaseShare:
    """Tell the consultation's hosts what the reviewer chose to (in the clear)."""
    row = CaseShare(case_id=case.id, consultation_id=case.consultation_id, summary=summary)
    db.session.add(row)
    db.session.add(CaseEvent(case_id=case.id, actor_id=actor.id, shared=True))
    audit.record(actor, "grievances.shared", organisation_id=case.organisation_id,
                 target=f"#{case.id}")
    db.session.flush()
    return row


def shared_with_hosts(consultation: Consultation) -> list[CaseShare]:
    """What the reviewers shared about this consultation's cases, newest first."""
    return list(db.session.scalars(select(CaseShare).filter_by(
        consultation_id=consultation.id).order_by(CaseShare.id.desc())))


def shared_with_hosts_of_case(case: Case) -> list[CaseShare]:
    """What the reviewer shared about one case, oldest first."""
    return list(db.session.scalars(select(CaseShare).filter_by(case_id=case.id)
                                   .order_by(CaseShare.id)))
