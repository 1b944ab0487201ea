"""XLSForm and paper imports of large files, run by the worker.

A file larger than IMPORT_INLINE_MAX_BYTES, or with more rows than IMPORT_INLINE_MAX_ROWS, is
checked in the request exactly as a small one (the same validations, limits and errors on the
form field: reading is bounded by the row caps), then stored (consult/jobs/files.py) and
imported by a job whose page shows its progress and then the same report. Writing is the slow
part: thousands of questions or responses take longer than a request may.

A failed import changes nothing it should not. An XLSForm replaces the survey in one
transaction, with its report and audit entry, in the commit that marks the job done. Paper rows
are stored in batches, each committed with the job's progress; every row keeps the idempotency
key of the file and row number (paper_import.row_key), so a retry, a second delivery, or the
same file confirmed again imports only the rows not yet imported, never one twice.
"""
import datetime as dt
import io
import json
from collections import Counter

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult import audit
from consult.accounts.models import User
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.jobs import JobFailed, enqueue, files, report_progress
from consult.jobs.models import FINISHED, Job
from consult.surveys import paper, paper_import
from consult.surveys.conditions_text import TYPE_LABELS
from consult.surveys.models import QuestionType
from consult.surveys.services import SurveyLocked, get_survey, later_references
from consult.surveys.xlsform import ParsedForm, parse_xlsform
from consult.surveys.xlsform_import import replace_from_form
from consult.surveys.xlsform_report import Item, Report, translate
from consult.surveys.xlsform_sheets import Message, XLSFormError

SURVEY_IMPORT, PAPER_IMPORT = "survey_import", "paper_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Paper rows stored per transaction (each batch commits with the job's progress).
PAPER_BATCH = 200
#: Errors kept in a paper import's report (the rest are counted).
SHOWN_ERRORS = 200


def in_background(size: int, rows: int) -> bool:
    """Whether a file of this size (bytes) and rows is imported by the worker."""
    config = current_app.config
    return size > config["IMPORT_INLINE_MAX_BYTES"] or rows > config["IMPORT_INLINE_MAX_ROWS"]


def import_job(consultation, job_id: int, kind: str) -> Job | None:
    """An import job of this kind and consultation, else None."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != kind or job.consultation_id != consultation.id:
        return None
    return job


def _keep() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])


def _consultation(job: Job) -> Consultation:
    consultation = db.session.get(Consultation, job.consultation_id)
    if consultation is None:
        raise JobFailed("gone")
    return consultation


def _requester(job: Job) -> User | None:
    return db.session.get(User, job.requested_by_id) if job.requested_by_id else None


def _report(job: Job) -> dict | None:
    stored = files.job_file(job.id, files.REPORT)
    return json.loads(files.read_bytes(stored)) if stored is not None else None


# XLSForm ------------------------------------------------------------------------------------

def form_rows(form: ParsedForm) -> int:
    """What replacing the survey with a form writes: its questions and their options."""
    return sum(1 + len(q.options) for page in form.pages for q in page.questions)


def start_survey_import(consultation, data: bytes, filename: str, user) -> Job:
    """Store a checked XLSForm and queue the job that makes it the survey; flushes."""
    from consult.surveys.tasks import import_survey

    job = enqueue(import_survey, kind=SURVEY_IMPORT, consultation=consultation,
                  requested_by=user)
    files.store_bytes(files.UPLOAD, filename or "form.xlsx", XLSX, data, consultation.id,
                      _keep(), job_id=job.id)
    return job


def run_survey_import(job: Job) -> None:
    """Make the stored form the survey, with its report and audit entry, in the job's commit."""
    if files.job_file(job.id, files.REPORT) is not None:
        return  # done by an earlier delivery
    consultation = _consultation(job)
    stored = files.job_file(job.id, files.UPLOAD)
    if stored is None:
        raise JobFailed("gone")
    try:
        form = parse_xlsform(io.BytesIO(files.read_bytes(stored)))
    except (XLSFormError, ValueError) as error:
        raise JobFailed("invalid_file") from error
    report_progress(job, 30)
    if not consultation.allows("edit_structure"):
        raise JobFailed("survey_not_draft")
    try:
        replace_from_form(consultation, form)
    except SurveyLocked as error:
        raise JobFailed("survey_answered") from error
    data = report_data(form, consultation, replaced=True)
    files.store_bytes(files.REPORT, "report.json", "application/json",
                      json.dumps(data).encode(), consultation.id, _keep(), job_id=job.id)
    files.delete_file(stored.id)  # the form is in the survey now
    audit.record(_requester(job), "survey.imported", consultation=consultation,
                 target=stored.name, detail=f"{data['questions']} questions, in the background")


def _message_data(message):
    """A report message as JSON data, translatable later in the reader's language."""
    if isinstance(message, Message):
        return {"t": message.template,
                "p": {name: _message_data(value) for name, value in message.params.items()}}
    return str(message)


def _message(data):
    if isinstance(data, dict):
        return Message(data["t"], **{name: _message(value) for name, value in data["p"].items()})
    return data


def report_data(form: ParsedForm, consultation, replaced: bool) -> dict:
    """The XLSForm report (xlsform_report.build_report) as JSON data in no language."""
    questions = [q for page in form.pages for q in page.questions]
    return {
        "replaced": replaced, "pages": len(form.pages), "questions": len(questions),
        "types": Counter(q.type for q in questions).most_common(),
        "languages": list(form.languages), "default_language": form.default_language,
        "not_offered": [code for code in form.languages if code not in consultation.languages],
        "dropped_conditions": later_references(form.pages),
        "notes": [[i.sheet, i.row, i.name, _message_data(i.message)] for i in form.notes],
        "not_imported": [[i.sheet, i.row, i.name, _message_data(i.message)]
                         for i in form.not_imported]}


def survey_report(job: Job) -> Report | None:
    """A finished XLSForm import's report, in the reader's language."""
    data = _report(job)
    if data is None:
        return None

    def items(rows):
        return [Item(sheet, row, name, translate(_message(message)))
                for sheet, row, name, message in rows]

    return Report(data["replaced"], data["pages"], data["questions"],
                  [(str(TYPE_LABELS[QuestionType(kind)]), n) for kind, n in data["types"]],
                  data["languages"], data["default_language"], data["not_offered"],
                  data["dropped_conditions"], items(data["notes"]),
                  items(data["not_imported"]))


# Paper --------------------------------------------------------------------------------------

def store_paper_upload(consultation, raw: bytes, filename: str) -> files.StoredFile:
    """Keep a checked paper file until its import is confirmed (or the preview expires)."""
    return files.store_bytes(files.UPLOAD, filename or "responses.csv", "text/csv", raw,
                             consultation.id,
                             dt.timedelta(seconds=paper_import.PREVIEW_LIFETIME))


def _paper_arguments(file_id: int) -> str:
    return f"[{int(file_id)},"


def paper_job_for(consultation, file_id: int) -> Job | None:
    """The latest import job of this stored paper file, if any."""
    return db.session.scalar(select(Job).where(
        Job.kind == PAPER_IMPORT, Job.consultation_id == consultation.id,
        Job.arguments.startswith(_paper_arguments(file_id))).order_by(Job.id.desc()).limit(1))


def start_paper_import(consultation, stored: files.StoredFile, user, language: str) -> Job:
    """Queue the import of a stored paper file, unless it is already under way; flushes."""
    from consult.surveys.tasks import import_paper

    job = paper_job_for(consultation, stored.id)
    if job is not None and job.state not in FINISHED:
        return job
    return enqueue(import_paper, stored.id, language, kind=PAPER_IMPORT,
                   consultation=consultation, requested_by=user)


def run_paper_import(job: Job, file_id: int, language: str) -> None:
    """Check the stored file against the survey as it is now, then store its valid rows in
    idempotent batches; the counts in job.result, rows with errors in a report."""
    consultation = _consultation(job)
    survey = get_survey(consultation)
    stored = files.upload(file_id, consultation.id)
    if survey is None or stored is None:
        raise JobFailed("gone")
    if not consultation.allows("import_paper"):
        raise JobFailed("import_not_allowed")
    raw = files.read_bytes(stored)
    try:
        checked = paper.check_file(survey, raw, consultation.languages,
                                   consultation.default_language, language)
    except paper.PaperFileError as error:
        raise JobFailed("invalid_file") from error
    batch = paper_import.batch_id(current_app.config["SECRET_KEY"], survey.id, raw)
    imported = already = 0
    rows = checked.valid
    for start in range(0, len(rows), PAPER_BATCH):
        added, done = _import_batch(survey, batch, checked.header,
                                    rows[start:start + PAPER_BATCH])
        imported, already = imported + added, already + done
        report_progress(job, min(99, 100 * (start + PAPER_BATCH) // len(rows)))
    errors = [[row.number, column, message] for row in checked.invalid
              for column, message in row.errors]
    if errors:
        files.store_bytes(files.REPORT, "report.json", "application/json", json.dumps(
            {"errors": errors[:SHOWN_ERRORS], "more": max(0, len(errors) - SHOWN_ERRORS)}
        ).encode(), consultation.id, _keep(), job_id=job.id)
    job.result = json.dumps({"imported": imported, "already": already,
                             "invalid": len(checked.invalid)})
    files.delete_file(stored.id)  # participants' answers are kept once, in the responses
    audit.record(_requester(job), "responses.imported", consultation=consultation,
                 target=stored.name,
                 detail=f"{imported} imported, {already} already imported, in the background")


def _import_batch(survey, batch: str, header, rows) -> tuple[int, int]:
    for attempt in (1, 2):
        try:
            return paper_import.import_rows(survey, batch, header, rows)
        except IntegrityError:
            # The same rows were being imported in parallel: the second pass skips them.
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def paper_result(job: Job) -> dict | None:
    """A finished paper import's counts, and the errors of the rows it did not import."""
    if not job.result:
        return None
    result = json.loads(job.result)
    report = _report(job) or {"errors": [], "more": 0}
    return {**result, "errors": [tuple(error) for error in report["errors"]],
            "more_errors": report["more"]}
