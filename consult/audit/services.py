"""Appending to the staff audit log and reading it back."""
import datetime as dt

from sqlalchemy import select

from consult.accounts.models import User
from consult.append_only import guard
from consult.audit.models import AuditEntry
from consult.extensions import db

guard(AuditEntry)

#: Longest target and detail kept (longer ones are cut, never refused: logging must not fail).
TARGET_LENGTH = 300
DETAIL_LENGTH = 1000


def record(actor: User | None, action: str, *, organisation_id: int | None = None,
           consultation=None, target: str = "", detail: str = "") -> AuditEntry:
    """Append one entry; the consultation's host organisation is used when none is given."""
    if consultation is not None and organisation_id is None:
        organisation_id = consultation.host_organisation_id
    entry = AuditEntry(
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        actor_id=actor.id if actor is not None else None,
        actor_label=f"{actor.name} <{actor.email}>" if actor is not None else "",
        organisation_id=organisation_id,
        consultation_id=consultation.id if consultation is not None else None,
        action=action, target=str(target)[:TARGET_LENGTH], detail=str(detail)[:DETAIL_LENGTH])
    db.session.add(entry)
    db.session.flush()
    return entry


def entries(organisation_id: int | None = None, consultation_id: int | None = None,
            limit: int | None = None, before_id: int | None = None) -> list[AuditEntry]:
    """Entries, newest first, of one organisation and/or consultation (all when neither)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    if consultation_id is not None:
        query = query.where(AuditEntry.consultation_id == consultation_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))
