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
