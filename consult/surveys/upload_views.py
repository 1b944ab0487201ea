"""The XLSForm upload page of the survey builder: check a file, or make it the survey (a large
form in the background: import_jobs.py, with a page that follows the job)."""
import io

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from consult import audit
from consult.extensions import db
from consult.jobs.kinds import STATE_LABELS
from consult.jobs.reasons import reason_label
from consult.permissions import staff_required
from consult.surveys import import_jobs
from consult.surveys.builder_forms import UploadForm
from consult.surveys.manage_views import blueprint, managed_consultation
from consult.surveys.services import SurveyLocked, get_survey, has_responses
from consult.surveys.xlsform import ParsedForm, parse_xlsform
from consult.surveys.xlsform_import import replace_from_form
from consult.surveys.xlsform_report import build_report, file_error
from consult.surveys.xlsform_sheets import XLSFormError


@blueprint.route("/import", methods=["GET", "POST"])
@staff_required
def upload(slug: str):
    """Upload an .xlsx: "check" shows what it would import; "replace" makes it the survey."""
    consultation = managed_consultation(slug)
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        filename = form.file.data.filename or ""
        parsed, data = _parse(form)
        if parsed is not None:
            replaced = False
            if request.form.get("action") == "replace":
                if _in_background(consultation, parsed, data):
                    job = import_jobs.start_survey_import(consultation, data, filename,
                                                          current_user)
                    db.session.commit()
                    return redirect(url_for(".import_job", slug=slug, job_id=job.id), 303)
                replaced = _replace(form, consultation, parsed, filename)
            report = build_report(parsed, consultation, replaced)
    return _page(consultation, form, report)


@blueprint.get("/import/jobs/<int:job_id>")
@staff_required
def import_job(slug: str, job_id: int):
    """A background XLSForm import: its progress (the page refreshes itself), then the same
    report as an import done at once, or why it failed."""
    consultation = managed_consultation(slug)
    job = import_jobs.import_job(consultation, job_id, import_jobs.SURVEY_IMPORT)
    if job is None:
        abort(404)
    return _page(consultation, UploadForm(), import_jobs.survey_report(job), job=job)


def _page(consultation, form: UploadForm, report, job=None):
    survey = get_survey(consultation)
    megabytes = current_app.config["MAX_CONTENT_LENGTH"] / 1024 / 1024
    form.file.description = _("An Excel workbook (.xlsx) of at most %(size)s MB.",
                              size=format_decimal(round(megabytes, 1)))
    return render_template(
        "manage/survey_import.html", form=form, consultation=consultation, survey=survey,
        answered=survey is not None and has_responses(survey),
        structure=consultation.allows("edit_structure"), report=report, job=job,
        state_labels=STATE_LABELS, reason_label=reason_label,
        builder_url=url_for(".overview", slug=consultation.slug)), \
        422 if form.errors else 200


def _in_background(consultation, parsed: ParsedForm, data: bytes) -> bool:
    """Whether replacing goes to the worker: a large form, for a survey it may replace
    (otherwise the refusal is shown at once, as for a small one)."""
    survey = get_survey(consultation)
    return consultation.allows("edit_structure") and \
        not (survey is not None and has_responses(survey)) and \
        import_jobs.in_background(len(data), import_jobs.form_rows(parsed))


def _parse(form: UploadForm) -> tuple[ParsedForm | None, bytes]:
    """(the parsed form, the file), or None with the reason on the file field."""
    data = form.file.data.read()  # the request size cap (MAX_CONTENT_LENGTH) bounds it
    form.file.data.close()  # a large upload is spooled to a temporary file: release it now
    try:
        return parse_xlsform(io.BytesIO(data)), data
    except XLSFormError as error:
        form.file.errors = list(form.file.errors) + [file_error(error)]
    except Exception as error:  # a file that trips the parser is the file's fault: say so
        current_app.logger.warning("XLSForm upload could not be parsed: %r", error)
        form.file.errors = list(form.file.errors) + [file_error(error)]
    return None, data


def _replace(form: UploadForm, consultation, parsed: ParsedForm, filename: str) -> bool:
    """Make the parsed form the survey and commit; False (reason on the field) if refused."""
    if not consultation.allows("edit_structure"):
        form.file.errors = list(form.file.errors) + [_(
            "The survey can only be replaced while the consultation is a draft. The file was "
            "checked but nothing was changed.")]
        return False
    try:
        replace_from_form(consultation, parsed)
    except SurveyLocked:
        db.session.rollback()
        form.file.errors = list(form.file.errors) + [_(
            "People have already answered this survey, so it cannot be replaced. The file was "
            "checked but nothing was changed.")]
        return False
    questions = sum(len(page.questions) for page in parsed.pages)
    audit.record(current_user, "survey.imported", consultation=consultation, target=filename,
                 detail=f"{questions} questions")
    db.session.commit()
    flash(_("The survey was replaced by the uploaded form."), "success")
    return True
