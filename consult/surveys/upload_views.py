"""The XLSForm upload page of the survey builder: check a file, or make it the survey."""
import io

from flask import current_app, flash, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from consult.extensions import db
from consult.permissions import staff_required
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
    survey = get_survey(consultation)
    answered = survey is not None and has_responses(survey)
    structure = consultation.allows("edit_structure")
    form = UploadForm()
    megabytes = current_app.config["MAX_CONTENT_LENGTH"] / 1024 / 1024
    form.file.description = _("An Excel workbook (.xlsx) of at most %(size)s MB.",
                              size=format_decimal(round(megabytes, 1)))
    report = None
    if form.validate_on_submit():
        parsed = _parse(form)
        if parsed is not None:
            replaced = False
            if request.form.get("action") == "replace":
                replaced = _replace(form, consultation, parsed, structure)
            report = build_report(parsed, consultation, replaced)
    return render_template(
        "manage/survey_import.html", form=form, consultation=consultation, survey=survey,
        answered=answered, structure=structure, report=report,
        builder_url=url_for(".overview", slug=slug)), 422 if form.errors else 200


def _parse(form: UploadForm) -> ParsedForm | None:
    """The parsed form, or None with the reason on the file field."""
    data = form.file.data.read()  # the request size cap (MAX_CONTENT_LENGTH) bounds it
    form.file.data.close()  # a large upload is spooled to a temporary file: release it now
    try:
        return parse_xlsform(io.BytesIO(data))
    except XLSFormError as error:
        form.file.errors = list(form.file.errors) + [file_error(error)]
    except Exception as error:  # a file that trips the parser is the file's fault: say so
        current_app.logger.warning("XLSForm upload could not be parsed: %r", error)
        form.file.errors = list(form.file.errors) + [file_error(error)]
    return None


def _replace(form: UploadForm, consultation, parsed: ParsedForm, structure: bool) -> bool:
    """Make the parsed form the survey and commit; False (reason on the field) if refused."""
    if not structure:
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
    db.session.commit()
    flash(_("The survey was replaced by the uploaded form."), "success")
    return True
