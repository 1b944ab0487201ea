"""The consultations' background jobs (the worker imports every feature's tasks.py)."""
import datetime as dt

from huey import crontab
from sqlalchemy import select, update

from consult import audit
from consult.consultations.lifecycle import State, effective_state
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.jobs import periodic_task


def close_due_consultations(now: dt.datetime | None = None) -> int:
    """Close every open consultation whose closing day is over in its own time zone, with an
    audit entry by the system; how many were closed. Idempotent: each one is closed by one
    conditional UPDATE, so a second run, or another worker at the same time, closes nothing
    again and records nothing twice. Commits."""
    now = now or dt.datetime.now(dt.UTC)
    # Nowhere is it later than UTC + 14 h: a closing day after tomorrow (UTC) cannot be over.
    candidates = db.session.scalars(select(Consultation).where(
        Consultation.state == State.OPEN, Consultation.closes_on.is_not(None),
        Consultation.closes_on < now.date() + dt.timedelta(days=1)).order_by(Consultation.id))
    closed = 0
    for consultation in list(candidates):
        if effective_state(consultation.state, consultation.closes_on, consultation.time_zone,
                           now) is not State.CLOSED:
            continue
        table = Consultation.__table__
        changed = db.session.execute(update(table).where(
            table.c.id == consultation.id, table.c.state == State.OPEN.value).values(
            state=State.CLOSED.value, revision=table.c.revision + 1)).rowcount
        if changed == 1:
            audit.record(None, "consultation.state_changed", consultation=consultation,
                         target=consultation.slug,
                         detail=f"{State.OPEN.value} -> {State.CLOSED.value} (closing day over)")
            closed += 1
        db.session.commit()
    return closed


@periodic_task(crontab(minute="*/5"))
def close_consultations() -> None:
    """Every five minutes: close the consultations whose closing day is over."""
    close_due_consultations()


def purge_expired(today: dt.date | None = None, dry_run: bool = False) -> list[tuple]:
    """Delete the raw data of every consultation whose retention period is over (as the
    system, audited): [(slug, rows purged by kind)]; with dry_run, [(slug, ends_on)] of
    those due and nothing is changed. Idempotent: a purged consultation is not due again,
    and one stopped half-way is finished. Commits."""
    from consult.consultations import purge, retention

    today = today or dt.date.today()
    if dry_run:
        due = retention.due(today)
        db.session.rollback()
        return [(c.slug, retention.ends_on(c)) for c in due]
    retention.note_unrecorded_publications(today)
    db.session.commit()
    return [(c.slug, purge.purge(c, today).counts) for c in retention.due(today)]


@periodic_task(crontab(minute="17", hour="3"))
def purge_expired_consultations() -> None:
    """Every night: delete the raw data whose retention period is over."""
    purge_expired()
