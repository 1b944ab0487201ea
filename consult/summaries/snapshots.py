"""The last result of each slow analysis (themes, opinion groups), stored so that every web
node and worker reads the same one and no page ever computes it.

One row per consultation, kind and source ("comments", "question:KEY"; "" for the opinion
groups), replaced by each recomputation (summaries/recompute.py, run by a job). Each keeps
the data token it was computed from, so a reader can tell whether newer data is waiting, how
many inputs it used, the method's version and when it was computed (a system time, never a
participant's). `result` is what pages show; `detail` (themes only, large: every text's id
and group) is what replaying planners' edits needs, read only by jobs and edits.
"""
import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db

THEMES, OPINIONS = "themes", "opinions"
KINDS = (THEMES, OPINIONS)


class AnalysisSnapshot(db.Model):
    """One stored analysis result; aggregate data about participants' words, for staff and
    the published results alike (k is applied when it is shown)."""

    __tablename__ = "analysis_snapshot"
    __table_args__ = (UniqueConstraint("consultation_id", "kind", "source",
                                       name="uq_analysis_snapshot_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(120), default="")
    #: The data token (JSON) the result was computed from; a different current one: stale.
    fingerprint: Mapped[str] = mapped_column(Text)
    #: Texts (themes) or votes (opinion groups) the result was computed from.
    inputs: Mapped[int] = mapped_column(Integer, default=0)
    method_version: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="{}", deferred=True)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime)


@dataclass(frozen=True)
class Stored:
    """A snapshot as a page reads it (its result parsed, no detail)."""

    source: str
    fingerprint: str
    inputs: int
    method_version: str
    result: dict
    computed_at: dt.datetime


def token_text(token: tuple) -> str:
    """The stored form of a data token (dates and times as ISO text)."""
    return json.dumps([v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
                       for v in token], separators=(",", ":"))


def read(consultation_id: int, kind: str) -> dict[str, Stored]:
    """The consultation's snapshots of one kind by source (one statement; never cached, so
    a result a job has just stored is seen at once)."""
    table = AnalysisSnapshot.__table__
    rows = db.session.execute(select(
        table.c.source, table.c.fingerprint, table.c.inputs, table.c.method_version,
        table.c.result, table.c.computed_at).where(
        table.c.consultation_id == consultation_id, table.c.kind == kind))
    return {row.source: Stored(row.source, row.fingerprint, row.inputs, row.method_version,
                               json.loads(row.result), row.computed_at) for row in rows}


def detail(consultation_id: int, kind: str, source: str) -> dict | None:
    """The detail of one snapshot, None when there is none."""
    table = AnalysisSnapshot.__table__
    found = db.session.scalar(select(table.c.detail).where(
        table.c.consultation_id == consultation_id, table.c.kind == kind,
        table.c.source == source))
    return None if found is None else json.loads(found)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def store(consultation_id: int, kind: str, token: tuple, version: str,
          results: dict[str, tuple[int, dict, dict | None]]) -> None:
    """Replace the consultation's snapshots of one kind with results (source -> (inputs,
    result, detail)): rows are updated in place, sources gone are deleted, so running it
    twice leaves one row per source. Flushes, never commits."""
    existing = {row.source: row for row in db.session.scalars(
        select(AnalysisSnapshot).where(AnalysisSnapshot.consultation_id == consultation_id,
                                       AnalysisSnapshot.kind == kind))}
    now, fingerprint = _now(), token_text(token)
    for source, (inputs, result, more) in results.items():
        row = existing.pop(source, None)
        if row is None:
            row = AnalysisSnapshot(consultation_id=consultation_id, kind=kind, source=source)
            db.session.add(row)
        row.fingerprint, row.inputs, row.method_version = fingerprint, inputs, version
        row.result = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        row.detail = json.dumps(more or {}, separators=(",", ":"))
        row.computed_at = now
    for row in existing.values():
        db.session.delete(row)
    db.session.flush()
