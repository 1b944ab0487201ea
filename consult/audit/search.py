"""Reading the staff audit log back for its page and its CSV: filters, keyset pages (by id,
newest first) and streamed CSV lines. Callers decide what a reader may see (organisation_ids)."""
import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Iterator, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from consult.accounts.models import Organisation
from consult.audit.labels import action_label
from consult.audit.models import AuditEntry
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.summaries.exports import csv_cell

#: Entries on one page.
PAGE_SIZE = 50
#: Rows read at a time for the CSV.
BATCH = 500


@dataclass(frozen=True)
class AuditFilter:
    """Which entries: of these organisations (None: every one, and entries of none)."""

    organisation_ids: frozenset[int] | None
    #: Only entries of no organisation (the site's own: site administrators' actions).
    site_only: bool = False
    consultation_id: int | None = None
    action: str | None = None
    #: First and last day, counted in zone.
    since: dt.date | None = None
    until: dt.date | None = None
    zone: str = "UTC"


class Row(NamedTuple):
    """An entry with the names the page and the CSV show beside it."""

    entry: AuditEntry
    organisation: str | None
    consultation: str | None


def _utc(day: dt.date, zone: str) -> dt.datetime:
    """The start of a day in zone, as the naive UTC time the log stores."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(zone))
    return start.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _query(where: AuditFilter) -> Select:
    query = (select(AuditEntry, Organisation.name, Consultation.slug)
             .outerjoin(Organisation, Organisation.id == AuditEntry.organisation_id)
             .outerjoin(Consultation, Consultation.id == AuditEntry.consultation_id))
    if where.organisation_ids is not None:
        query = query.where(AuditEntry.organisation_id.in_(where.organisation_ids))
    if where.site_only:
        query = query.where(AuditEntry.organisation_id.is_(None))
    if where.consultation_id is not None:
        query = query.where(AuditEntry.consultation_id == where.consultation_id)
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.since is not None:
        query = query.where(AuditEntry.created_at >= _utc(where.since, where.zone))
    if where.until is not None:
        query = query.where(AuditEntry.created_at < _utc(where.until + dt.timedelta(days=1),
                                                         where.zone))
    return query.order_by(AuditEntry.id.desc())


def page(where: AuditFilter, before_id: int | None = None,
         size: int = PAGE_SIZE) -> tuple[list[Row], int | None]:
    """One page of entries, newest first, and the id to ask for the next (None: no more)."""
    query = _query(where)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = [Row(*found) for found in db.session.execute(query.limit(size + 1))]
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].entry.id if more else None)


def csv_lines(where: AuditFilter, header: list[str]) -> Iterator[str]:
    """The filtered log as CSV lines, header first, newest first, read in batches.

    Times are UTC (ISO 8601, "Z"); every cell a spreadsheet would run as a formula is
    escaped as in the responses export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(value) for value in values])
        return buffer.getvalue()

    yield line(header)
    before = None
    while True:
        rows, before = page(where, before, BATCH)
        for entry, organisation, consultation in rows:
            yield line((entry.id, entry.created_at.isoformat() + "Z", organisation or "",
                        consultation or "", entry.actor_label, entry.action,
                        action_label(entry.action), entry.target, entry.detail))
        if before is None:
            return


def consultations_of(organisation_ids: frozenset[int] | None) -> list[tuple[str, int]]:
    """(slug, id) of the consultations hosted by these organisations (None: all), newest
    first: their entries are filed under the host."""
    query = select(Consultation.slug, Consultation.id).order_by(Consultation.id.desc())
    if organisation_ids is not None:
        query = query.where(Consultation.host_organisation_id.in_(organisation_ids))
    return [(slug, id_) for slug, id_ in db.session.execute(query)]
