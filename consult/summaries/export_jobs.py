"""Exports of large consultations, made by the worker and offered for download when ready.

The request only queues a job (start_export) and the planner follows it on a page that
refreshes itself; the worker writes the same file the download would stream (exports.py: the
same rows, opaque ids, past days only while open, labels language) into a stored file
(consult/jobs/files.py: in the database, so any app node serves it), a chunk at a time,
reporting progress as it goes. Redelivery-safe: a job whose file is already complete does
nothing again, and a job whose worker died starts its file over, so a finished job has
exactly one file. A new export never touches an earlier one's file; files expire after
EXPORT_KEEP_HOURS.
"""
import datetime as dt
import json
import time

from flask import current_app
from sqlalchemy import func, or_, select, update

from consult import audit
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.jobs import JobFailed, enqueue, files
from consult.jobs.models import FINISHED, Job, JobState
from consult.summaries import exports
from consult.surveys.models import Response, ResponseState
from consult.surveys.services import get_survey

KIND = "export"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
#: Longest wait between two progress reports: the worker's sign of life (JOB_STALLED_AFTER).
HEARTBEAT_SECONDS = 1.0


def counted_responses(survey_id: int, submitted_before: dt.date | None = None) -> int:
    """Submitted responses (before a day, if given): what an export holds."""
    query = select(func.count(Response.id)).where(
        Response.survey_id == survey_id, Response.state == ResponseState.SUBMITTED)
    if submitted_before is not None:
        query = query.where(or_(Response.submitted_on < submitted_before,
                                Response.submitted_on.is_(None)))
    return db.session.scalar(query) or 0


def in_background(survey) -> bool:
    """Whether this survey's export is made by the worker rather than streamed at once."""
    limit = current_app.config["EXPORT_INLINE_MAX_RESPONSES"]
    return counted_responses(survey.id) > limit


def file_name(consultation, kind: str) -> str:
    """The name the export is saved under, as the streamed download names it."""
    return f"{consultation.slug}-responses.{kind}"


def describe(kind: str, language: str | None) -> str:
    """What was asked for, for the audit log (format and labels language)."""
    return f"{kind}, labels {language}" if language else f"{kind}, option keys"


def _arguments(kind: str, language: str | None) -> str:
    return json.dumps([kind, language])


def unfinished(consultation, kind: str, language: str | None) -> Job | None:
    """An export of the same file that is still queued or running, if any."""
    return db.session.scalar(select(Job).where(
        Job.kind == KIND, Job.consultation_id == consultation.id,
        Job.arguments == _arguments(kind, language), Job.state.not_in(FINISHED))
        .order_by(Job.id.desc()).limit(1))


def start_export(consultation, kind: str, language: str | None, user) -> Job:
    """Queue an export (unless the same one is already under way) and log the request;
    flushes, the caller commits."""
    from consult.summaries.tasks import export_responses

    job = unfinished(consultation, kind, language)
    if job is None:
        job = enqueue(export_responses, kind, language, kind=KIND, consultation=consultation,
                      requested_by=user)
    audit.record(user, "responses.exported", consultation=consultation,
                 target=describe(kind, language), detail=f"background job {job.id}")
    return job


def export_job(consultation, job_id: int) -> Job | None:
    """An export job of this consultation, else None."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != KIND or job.consultation_id != consultation.id:
        return None
    return job


def job_format(job: Job) -> tuple[str, str | None]:
    """(format, labels language) a job was asked for."""
    kind, language = json.loads(job.arguments)
    return kind, language


def recent(consultation, limit: int = 5) -> list[Job]:
    """The latest export jobs of a consultation, newest first."""
    return list(db.session.scalars(select(Job).where(
        Job.kind == KIND, Job.consultation_id == consultation.id)
        .order_by(Job.id.desc()).limit(limit)))


def write_export(job: Job, kind: str, language: str | None) -> None:
    """The background export: the file written again from the start, then marked complete.

    The responses are read through the job's session (a server-side cursor, one consistent
    snapshot on PostgreSQL); the file's chunks and the progress go through a connection of
    their own and are committed as they are written, so the reading transaction is never
    interrupted and SQLite writers never wait long.
    """
    if files.job_file(job.id, files.EXPORT) is not None:
        return  # an earlier delivery finished the file; only its job's state was lost
    consultation = db.session.get(Consultation, job.consultation_id)
    survey = get_survey(consultation) if consultation is not None else None
    if survey is None or kind not in CONTENT_TYPES or \
            (language is not None and language not in consultation.languages):
        raise JobFailed("gone")
    plan = exports.plan(survey, language)
    total = counted_responses(survey.id, plan.submitted_before)
    name, keep = file_name(consultation, kind), current_app.config["EXPORT_KEEP_HOURS"]
    with db.engine.connect() as connection:
        files.discard_unfinished(connection, job.id)
        writer = files.ChunkWriter(connection, job.id, consultation.id, files.EXPORT, name,
                                   CONTENT_TYPES[kind])
        beat, written = time.monotonic(), 0
        for text, written in exports.file_chunks(plan, kind):
            if writer.write(text) or time.monotonic() - beat >= HEARTBEAT_SECONDS:
                _report(connection, job.id, written, total)
                connection.commit()
                beat = time.monotonic()
        file_id = writer.finish(written, dt.timedelta(hours=keep))
        connection.execute(update(Job.__table__).where(Job.__table__.c.id == job.id).values(
            result=str(file_id), heartbeat_at=files.now()))
        connection.commit()


def _report(connection, job_id: int, written: int, total: int) -> None:
    """Progress (at most 99 until the file is complete) and a heartbeat, on connection."""
    percent = min(99, 100 * written // total) if total else 0
    connection.execute(update(Job.__table__).where(Job.__table__.c.id == job_id).values(
        progress=percent, heartbeat_at=files.now()))


def ready_file(job: Job) -> files.StoredFile | None:
    """The finished file of a done export job, while it is kept."""
    if job.state is not JobState.DONE:
        return None
    return files.job_file(job.id, files.EXPORT)
