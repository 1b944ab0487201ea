"""How long a consultation's raw data is kept, and what stays published once it is deleted.

Each consultation keeps its raw data (survey answers and drafts, free text, unpublished and
withdrawn comment texts, participant keys) for `retention_months` after its results are
published; then purge.py deletes it. The day the results were published is recorded here
(when they are published, or, for results published before this record existed, the first
day the retention job saw them: never earlier than the truth, so nothing goes early).

Before anything is deleted, the figures the results are made of are frozen here (`frozen`):
the counts with their cell keys and the summary's Meta (time, data fingerprint), and the
data tokens the stored analyses were compared with. The results page, the JSON summary (the
data package) and its fingerprint are then made from the frozen counts, so they stay exactly
as published, suppression and perturbation included.
"""
import datetime as dt
import json
from typing import NamedTuple

from sqlalchemy import Date, ForeignKey, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db

#: The retention period a new consultation gets, and the longest a host may choose.
DEFAULT_MONTHS, MAX_MONTHS = 12, 120


class RetentionRecord(db.Model):
    """Per consultation with published results: when they were published, the frozen
    figures and when the raw data was deleted."""

    __tablename__ = "consultation_retention"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True)
    #: The day the results were published: the retention period runs from it.
    results_published_on: Mapped[dt.date] = mapped_column(Date)
    #: The published figures frozen before the purge (JSON); None until the purge starts.
    frozen: Mapped[str | None] = mapped_column(Text)
    #: The day the raw data was deleted; None while it is kept (or being deleted).
    raw_data_deleted_on: Mapped[dt.date | None] = mapped_column(Date)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day months later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover (28 always exists)


def record_of(consultation_id: int) -> RetentionRecord | None:
    """The consultation's retention record, if its results were ever published."""
    return db.session.get(RetentionRecord, consultation_id)


def record_publication(consultation: Consultation, day: dt.date | None = None) -> None:
    """Note the day the results were published, unless already noted (flushes)."""
    if record_of(consultation.id) is None:
        db.session.add(RetentionRecord(consultation_id=consultation.id,
                                       results_published_on=day or dt.date.today()))
        db.session.flush()


def ends_on(consultation: Consultation, record: RetentionRecord | None = None) -> dt.date | None:
    """The day the raw data is deleted (None while the results are not published)."""
    record = record or record_of(consultation.id)
    if record is None:
        return None
    return add_months(record.results_published_on, consultation.retention_months)


def deleted_on(consultation_id: int) -> dt.date | None:
    """The day the consultation's raw data was deleted, None while it is kept."""
    return db.session.scalar(select(RetentionRecord.raw_data_deleted_on).where(
        RetentionRecord.consultation_id == consultation_id))


def note_unrecorded_publications(today: dt.date) -> int:
    """Record today as the publication day of published results that have none (published
    before retention was recorded, or set by hand); how many (flushes)."""
    unrecorded = db.session.scalars(select(Consultation.id).where(
        Consultation.state == State.RESULTS_PUBLISHED,
        ~select(RetentionRecord.consultation_id).where(
            RetentionRecord.consultation_id == Consultation.id).exists())).all()
    for consultation_id in unrecorded:
        db.session.add(RetentionRecord(consultation_id=consultation_id,
                                       results_published_on=today))
    if unrecorded:  # their pages now give the end date
        db.session.execute(update(Consultation).where(Consultation.id.in_(unrecorded))
                           .values(revision=Consultation.revision + 1))
    db.session.flush()
    return len(unrecorded)


def due(today: dt.date) -> list[Consultation]:
    """Published consultations whose retention period is over and whose raw data is not
    deleted yet (a purge stopped half-way included)."""
    found = db.session.execute(select(Consultation, RetentionRecord).join(
        RetentionRecord, RetentionRecord.consultation_id == Consultation.id).where(
        Consultation.state == State.RESULTS_PUBLISHED,
        RetentionRecord.raw_data_deleted_on.is_(None)).order_by(Consultation.id)).all()
    return [c for c, record in found if ends_on(c, record) <= today]


# --- the frozen figures -------------------------------------------------------------------

def _frozen(consultation_id: int) -> dict | None:
    text = db.session.scalar(select(RetentionRecord.frozen).where(
        RetentionRecord.consultation_id == consultation_id))
    return None if text is None else json.loads(text)


def freeze(consultation_id: int, figures: dict) -> None:
    """Store the published figures before the purge deletes what they were read from
    (flushes; once frozen, never again: a purge resumed must not freeze what is left)."""
    record = record_of(consultation_id)
    if record.frozen is None:
        record.frozen = json.dumps(figures, ensure_ascii=False, separators=(",", ":"))
        db.session.flush()


def frozen_figures(consultation_id: int, part: str):
    """One part of the frozen figures ("counts", "meta", "tokens"), None when not frozen."""
    frozen = _frozen(consultation_id)
    return None if frozen is None else frozen.get(part)


def is_frozen(consultation_id: int) -> bool:
    """Whether the consultation's figures are frozen (its raw data deleted or going)."""
    return bool(db.session.scalar(select(RetentionRecord.frozen.is_not(None)).where(
        RetentionRecord.consultation_id == consultation_id)))


class Facts(NamedTuple):
    """What the consultation page and the privacy notice say about retention."""

    months: int
    #: The day the raw data goes (None while the results are not published).
    ends_on: dt.date | None
    #: The day it went (None while it is kept).
    deleted_on: dt.date | None


def facts(consultation: Consultation) -> Facts:
    """The consultation's retention period, its end when known, and the purge's day."""
    record = record_of(consultation.id)
    return Facts(consultation.retention_months, ends_on(consultation, record),
                 record.raw_data_deleted_on if record is not None else None)
