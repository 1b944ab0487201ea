"""Grievance jobs: erasing cases past their reviewer's retention period, and unlocked inboxes
past their time (the worker imports every feature's tasks.py)."""
import datetime as dt

from huey import crontab
from sqlalchemy import select, update

from consult import audit
from consult.extensions import db
from consult.grievances import messages, unlocking
from consult.grievances.models import CLOSED_STAGES, Case, CaseShare, ReviewerKeys
from consult.jobs import periodic_task


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month, months earlier (the last day when that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def purge_cases(today: dt.date | None = None) -> int:
    """Erase every closed case whose reviewer's retention period is over: its data key (so
    its sealed words and every note of its append-only history can never be read again), the
    sealed words, its code and owner, its case-page messages, and what was shared about it.
    The category, stage and days stay for the statistics. Idempotent; commits; how many
    cases were erased."""
    today = today or dt.date.today()
    erased = 0
    for keys in list(db.session.scalars(select(ReviewerKeys))):
        cutoff = months_before(today, keys.retention_months)
        due = select(Case.id).filter(
            Case.organisation_id == keys.organisation_id, Case.purged_on.is_(None),
            Case.stage.in_(CLOSED_STAGES), Case.closed_on < cutoff)
        ids = list(db.session.scalars(due))
        if not ids:
            continue
        db.session.execute(CaseShare.__table__.delete().where(CaseShare.case_id.in_(ids)))
        messages.erase(ids)
        db.session.execute(update(Case).where(Case.id.in_(ids)).values(
            sealed_key=None, sealed_text=None, code_hash=None, owner_hash=None,
            reply_salt=None, purged_on=today))
        audit.record(None, "grievances.purged", organisation_id=keys.organisation_id,
                     detail=str(len(ids)))
        db.session.commit()
        erased += len(ids)
    return erased


@periodic_task(crontab(minute="17", hour="3"))
def purge_grievances() -> None:
    """Every night: erase the cases past retention."""
    purge_cases()


@periodic_task(crontab(minute="*/10"))
def close_expired_inboxes() -> None:
    """Every ten minutes: forget unlocked inboxes past their time."""
    unlocking.purge_expired()
    db.session.commit()
