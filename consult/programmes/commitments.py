"""The joint action plan: commitments linked to what they answer, and their timelines.

A commitment's row holds its current state; every change (and its creation) appends a dated
CommitmentUpdate with the state it was left in, what changed and the planners' translated
note, so the public page can show the whole history and nothing is overwritten silently.
Operations flush, never commit.
"""
import datetime as dt
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from consult import audit
from consult.accounts.models import User
from consult.extensions import db
from consult.programmes.models import (
    Commitment,
    CommitmentLink,
    CommitmentStatus,
    CommitmentUpdate,
    LinkKind,
    Programme,
)
from consult.programmes.services import touch


class CommitmentRefused(ValueError):
    """A commitment change that cannot be made (the reason is its arg)."""


class CommitmentState(NamedTuple):
    """What a planner sets on a commitment; texts {(field, language): text}."""

    texts: dict[tuple[str, str], str]
    responsible: str
    due_on: dt.date | None
    status: CommitmentStatus
    progress: int


class Link(NamedTuple):
    """One thing a commitment answers (see CommitmentLink)."""

    kind: LinkKind
    indicator_id: int | None = None
    consultation_id: int | None = None
    key: str | None = None
    comment_id: int | None = None


def _check(programme: Programme, state: CommitmentState) -> None:
    if state.status.programme_id != programme.id:
        raise CommitmentRefused(_l("Choose one of the programme's statuses."))
    if not 0 <= state.progress <= 100:
        raise CommitmentRefused(_l("Progress is a percentage from 0 to 100."))
    if not state.responsible.strip():
        raise CommitmentRefused(_l("Say who is responsible."))


def create_commitment(programme: Programme, state: CommitmentState, links: list[Link],
                      note: dict[str, str], actor: User | None, *,
                      on: dt.date | None = None) -> Commitment:
    """A new commitment with its links and the first entry of its timeline (dated on, for
    the demo's past, else today)."""
    _check(programme, state)
    commitment = Commitment(programme=programme, created_on=on or dt.date.today())
    _apply(commitment, state)
    commitment.links = [CommitmentLink(**link._asdict()) for link in links]
    db.session.add(commitment)
    db.session.flush()
    _append(commitment, [], note, actor, on)
    audit.record(actor, "programme.commitment_created",
                 organisation_id=programme.host_organisation_id, target=programme.slug,
                 detail=f"commitment {commitment.id}")
    return commitment


def update_commitment(commitment: Commitment, state: CommitmentState, note: dict[str, str],
                      actor: User | None, links: list[Link] | None = None, *,
                      on: dt.date | None = None) -> CommitmentUpdate | None:
    """Change a commitment and append what changed to its timeline, dated on (the demo's
    past) or today; None when nothing did (neither the commitment nor a note)."""
    _check(commitment.programme, state)
    changed = _changes(commitment, state)
    if links is not None and sorted(links) != sorted(_links_of(commitment)):
        commitment.links = [CommitmentLink(**link._asdict()) for link in links]
        changed.append("links")
    if not changed and not any(text.strip() for text in note.values()):
        return None
    _apply(commitment, state)
    db.session.flush()
    entry = _append(commitment, changed, note, actor, on)
    audit.record(actor, "programme.commitment_updated",
                 organisation_id=commitment.programme.host_organisation_id,
                 target=commitment.programme.slug,
                 detail=f"commitment {commitment.id}: {','.join(changed) or 'note'}")
    return entry


def _links_of(commitment: Commitment) -> list[Link]:
    return [Link(row.kind, row.indicator_id, row.consultation_id, row.key, row.comment_id)
            for row in commitment.links]


def _changes(commitment: Commitment, state: CommitmentState) -> list[str]:
    changed = []
    if commitment.status_id != state.status.id:
        changed.append("status")
    if commitment.progress != state.progress:
        changed.append("progress")
    if commitment.due_on != state.due_on:
        changed.append("due")
    if commitment.responsible != state.responsible.strip():
        changed.append("responsible")
    for field in Commitment.TRANSLATED_FIELDS:
        new = {language: text.strip() for (f, language), text in state.texts.items()
               if f == field and text.strip()}
        if new != commitment.texts_for(field):
            changed.append(field)
    return changed


def _apply(commitment: Commitment, state: CommitmentState) -> None:
    commitment.responsible = state.responsible.strip()
    commitment.due_on = state.due_on
    commitment.status = state.status
    commitment.status_id = state.status.id
    commitment.progress = state.progress
    for (field, language), text in state.texts.items():
        commitment.set_text(field, language, text)
    touch(commitment.programme)


def _append(commitment: Commitment, changed: list[str], note: dict[str, str],
            actor: User | None, on: dt.date | None = None) -> CommitmentUpdate:
    texts = {field: commitment.texts_for(field) for field in Commitment.TRANSLATED_FIELDS}
    texts["note"] = {language: text.strip() for language, text in note.items() if text.strip()}
    entry = CommitmentUpdate(
        commitment_id=commitment.id, created_on=on or dt.date.today(),
        author_id=actor.id if actor is not None else None, status_key=commitment.status.key,
        progress=commitment.progress, due_on=commitment.due_on,
        responsible=commitment.responsible, changed=",".join(changed), texts=texts)
    db.session.add(entry)
    db.session.flush()
    return entry


def commitments_of(programme: Programme) -> list[Commitment]:
    """The programme's commitments, by status order then due date."""
    return list(db.session.scalars(
        select(Commitment).join(CommitmentStatus, Commitment.status_id == CommitmentStatus.id)
        .where(Commitment.programme_id == programme.id)
        .order_by(CommitmentStatus.position, Commitment.due_on.is_(None), Commitment.due_on,
                  Commitment.id)))


def timelines(commitment_ids: list[int]) -> dict[int, list[CommitmentUpdate]]:
    """Each commitment's timeline, oldest entry first: one query."""
    found: dict[int, list[CommitmentUpdate]] = {i: [] for i in commitment_ids}
    if commitment_ids:
        for entry in db.session.scalars(
                select(CommitmentUpdate).where(CommitmentUpdate.commitment_id.in_(commitment_ids))
                .order_by(CommitmentUpdate.id)):
            found[entry.commitment_id].append(entry)
    return found


def is_overdue(commitment: Commitment, today: dt.date | None = None) -> bool:
    """Past its due date and not in a closed status."""
    today = today or dt.date.today()
    return (commitment.due_on is not None and commitment.due_on < today
            and not commitment.status.closed)


def answering(consultation_id: int, question_keys: set[str], theme_keys: set[str],
              comment_ids: set[int], indicator_ids: set[int]) -> list[Commitment]:
    """Commitments that answer any of these: questions, themes or statements of a round, or
    indicators (what a participant's receipt shows)."""
    conditions = []
    if indicator_ids:
        conditions.append(CommitmentLink.indicator_id.in_(indicator_ids))
    if comment_ids:
        conditions.append(CommitmentLink.comment_id.in_(comment_ids))
    if question_keys:
        conditions.append((CommitmentLink.kind == LinkKind.QUESTION)
                          & (CommitmentLink.consultation_id == consultation_id)
                          & CommitmentLink.key.in_(question_keys))
    if theme_keys:
        conditions.append((CommitmentLink.kind == LinkKind.THEME)
                          & (CommitmentLink.consultation_id == consultation_id)
                          & CommitmentLink.key.in_(theme_keys))
    if not conditions:
        return []
    ids = select(CommitmentLink.commitment_id).where(or_(*conditions))
    return list(db.session.scalars(select(Commitment).where(Commitment.id.in_(ids))
                                   .order_by(Commitment.id)))


def get_commitment(programme: Programme, commitment_id: int) -> Commitment | None:
    """One of the programme's commitments."""
    found = db.session.get(Commitment, commitment_id)
    return found if found is not None and found.programme_id == programme.id else None


def _statuses_changed(programme: Programme, detail: str, actor: User | None) -> None:
    touch(programme)
    db.session.flush()
    audit.record(actor, "programme.statuses_changed",
                 organisation_id=programme.host_organisation_id, target=programme.slug,
                 detail=detail)


def add_status(programme: Programme, key: str, labels: dict[str, str], closed: bool,
               actor: User | None) -> CommitmentStatus:
    """A new status at the end of the programme's list."""
    if any(s.key == key for s in programme.statuses):
        raise CommitmentRefused(_l("Another status already has this key."))
    status = CommitmentStatus(key=key, closed=closed,
                              position=max((s.position for s in programme.statuses), default=0) + 1)
    programme.statuses.append(status)
    for language, label in labels.items():
        status.set_text("label", language, label)
    _statuses_changed(programme, f"added {key}", actor)
    return status


def edit_status(status: CommitmentStatus, labels: dict[str, str], closed: bool,
                actor: User | None) -> None:
    """Rename or translate a status, or change whether it closes a commitment (its key and
    the timeline entries that name it stay)."""
    for language, label in labels.items():
        status.set_text("label", language, label)
    status.closed = closed
    _statuses_changed(status.programme, f"edited {status.key}", actor)


def move_status(status: CommitmentStatus, delta: int, actor: User | None) -> None:
    """Swap a status with its neighbour above (delta -1) or below (+1)."""
    ordered = list(status.programme.statuses)
    index = ordered.index(status)
    other = index + delta
    if not 0 <= other < len(ordered):
        return
    neighbour = ordered[other]
    # Positions are not unique in the schema, so a plain swap needs no temporary value.
    status.position, neighbour.position = neighbour.position, status.position
    _statuses_changed(status.programme, f"moved {status.key}", actor)
