"""Host pages for paper responses: the CSV template and how to fill it, upload, a preview with
every row's errors, and an import confirmed without the file again and without JavaScript (a
large file is kept on the server and imported in the background: import_jobs.py)."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError

from consult import audit
from consult.accounts.forms import EmptyForm
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.forms import Form
from consult.i18n import current_language
from consult.jobs import files
from consult.jobs.kinds import STATE_LABELS
from consult.jobs.reasons import reason_label
from consult.permissions import can_manage, can_see_staff_page, require, staff_required
from consult.surveys import import_jobs, paper, paper_import
from consult.surveys.services import get_survey

blueprint = Blueprint("paper", __name__,
                      url_prefix="/manage/consultations/<slug>/survey/paper")

#: Errors listed on the preview; the count of the rest is given.
SHOWN_ERRORS = 200

EXPIRED = _l("This preview has expired. Please upload the file again.")
TAMPERED = _l("This preview could not be verified. Please upload the file again.")


class UploadForm(Form):
    """A filled template to check."""

    file = FileField(_l("Filled template (CSV file)"),
                     description=_l("Saved as “CSV UTF-8”, up to %(size)s and %(rows)s rows.",
                                    size=paper.size_label(paper.MAX_BYTES), rows=paper.MAX_ROWS),
                     validators=[FileRequired(_l("Please choose the CSV file to upload."))],
                     render_kw={"accept": ".csv,text/csv"})


def _paper_survey(slug: str):
    """(consultation, survey) for a host who may manage it: else 404 (not theirs) or 403."""
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    require(can_manage(current_user, consultation))
    survey = get_survey(consultation)
    require(survey is not None, hide=True)
    return consultation, survey


def _check_languages(consultation) -> dict:
    return {"languages": consultation.languages,
            "default_language": consultation.default_language,
            "message_language": current_language()}


def _index_page(consultation, survey, form: UploadForm, status: int = 200):
    return render_template(
        "manage/paper.html", consultation=consultation, survey=survey, form=form,
        questions=paper.answerable(survey), language_column=paper.language_column(survey),
        how_to_answer=paper.how_to_answer, has_other=paper.has_other_column,
        other_suffix=paper.OTHER_SUFFIX, separator=paper.SEPARATOR,
        may_import=consultation.allows("import_paper"),
        imported=paper_import.paper_count(survey)), status


@blueprint.get("")
@staff_required
def index(slug: str):
    """The template, how to fill it, and the upload form."""
    consultation, survey = _paper_survey(slug)
    return _index_page(consultation, survey, UploadForm())


@blueprint.get("/template.csv")
@staff_required
def template(slug: str):
    """The empty CSV template of this survey."""
    consultation, survey = _paper_survey(slug)
    filename = f"{consultation.slug}-paper-responses.csv"
    return Response(paper.template_csv(survey), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


@blueprint.post("")
@staff_required
def upload(slug: str):
    """Check an uploaded file and show the preview; nothing is imported yet."""
    consultation, survey = _paper_survey(slug)
    if not consultation.allows("import_paper"):
        abort(409)
    form = UploadForm()
    if not form.validate_on_submit():
        return _index_page(consultation, survey, form, 422)
    raw = form.file.data.read(paper.MAX_BYTES + 1)
    try:
        checked = paper.check_file(survey, raw, **_check_languages(consultation))
    except paper.PaperFileError as error:
        form.file.errors = list(error.messages)
        return _index_page(consultation, survey, form, 422)
    secret = current_app.config["SECRET_KEY"]
    batch = paper_import.batch_id(secret, survey.id, raw)
    valid = checked.valid
    done = paper_import.imported_numbers(batch, [row.number for row in valid])
    identical = paper_import.identical_numbers(
        survey.id, checked.header, [row for row in valid if row.number not in done])
    token = upload_id = None
    if len(valid) > len(done) and \
            import_jobs.in_background(len(raw), len(valid) + len(checked.invalid)):
        # Kept on the server: the confirm names it instead of carrying every row back.
        upload_id = import_jobs.store_paper_upload(consultation, raw,
                                                   form.file.data.filename or "").id
        db.session.commit()
    else:
        token = paper_import.sign_rows(secret, consultation.id, survey.id, batch,
                                       checked.header, valid)
    errors = [(row.number, column, message) for row in checked.invalid
              for column, message in row.errors]
    return render_template(
        "manage/paper_preview.html", consultation=consultation, checked=checked, valid=valid,
        new=len(valid) - len(done), done=len(done), identical=len(identical),
        errors=errors[:SHOWN_ERRORS],
        more_errors=max(len(errors) - SHOWN_ERRORS, 0), token=token, upload_id=upload_id,
        form=EmptyForm(),
        filename=form.file.data.filename or "")


@blueprint.post("/import")
@staff_required
def confirm(slug: str):
    """Import the previewed valid rows, each at most once however often this is sent."""
    consultation, survey = _paper_survey(slug)
    if not consultation.allows("import_paper"):
        abort(409)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("upload"):
        return _confirm_stored(consultation, request.form.get("upload", type=int))
    secret = current_app.config["SECRET_KEY"]
    try:
        batch, header, records = paper_import.load_rows(
            secret, request.form.get("rows", ""), consultation.id, survey.id)
    except paper_import.PreviewExpired:
        flash(str(EXPIRED), "error")
        return redirect(url_for(".index", slug=slug))
    except paper_import.PreviewInvalid:
        flash(str(TAMPERED), "error")
        return redirect(url_for(".index", slug=slug))
    # Checked again against the survey as it is now: the signature vouches for the rows as
    # written, not for a survey that may have changed since the preview.
    checked = paper.check_records(survey, header, records, **_check_languages(consultation))
    for attempt in (1, 2):
        try:
            imported, already = paper_import.import_rows(survey, batch, header, checked.valid)
            audit.record(current_user, "responses.imported", consultation=consultation,
                         detail=f"{imported} imported, {already} already imported")
            db.session.commit()
            break
        except IntegrityError:
            # The same rows were being imported in parallel (a double click): the second
            # pass finds them imported.
            db.session.rollback()
            if attempt == 2:  # pragma: no cover - only a key clash that was not a replay
                raise
    flash(ngettext("%(num)d response imported.", "%(num)d responses imported.", imported),
          "success")
    if already:
        flash(ngettext("%(num)d row was already imported and was not counted again.",
                       "%(num)d rows were already imported and were not counted again.",
                       already), "success")
    if checked.invalid:
        flash(ngettext("%(num)d row no longer fits the survey and was not imported. Please "
                       "upload the file again.",
                       "%(num)d rows no longer fit the survey and were not imported. Please "
                       "upload the file again.", len(checked.invalid)), "error")
    return redirect(url_for(".index", slug=slug))


def _confirm_stored(consultation, upload_id: int | None):
    """Queue the import of a file kept at its preview (or show the import already made)."""
    stored = files.upload(upload_id, consultation.id) if upload_id is not None else None
    if stored is None:
        job = import_jobs.paper_job_for(consultation, upload_id) if upload_id else None
        if job is not None:  # confirmed twice: the file went with the first import
            return redirect(url_for(".job", slug=consultation.slug, job_id=job.id), 303)
        flash(str(EXPIRED), "error")
        return redirect(url_for(".index", slug=consultation.slug))
    job = import_jobs.start_paper_import(consultation, stored, current_user, current_language())
    db.session.commit()
    return redirect(url_for(".job", slug=consultation.slug, job_id=job.id), 303)


@blueprint.get("/jobs/<int:job_id>")
@staff_required
def job(slug: str, job_id: int):
    """A background paper import: its progress (the page refreshes itself), then how many
    rows were imported, and the errors of the rows that were not."""
    consultation, survey = _paper_survey(slug)
    found = import_jobs.import_job(consultation, job_id, import_jobs.PAPER_IMPORT)
    if found is None:
        abort(404)
    return render_template(
        "manage/paper_job.html", consultation=consultation, job=found,
        result=import_jobs.paper_result(found), state_labels=STATE_LABELS,
        reason_label=reason_label)

