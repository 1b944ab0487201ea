"""Turn an XLSForm file into a consultation's survey (a new consultation, or an existing one
whose survey nobody has answered yet)."""
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from consult.accounts.models import Organisation
from consult.accounts.services import get_organisation
from consult.consultations import services as consultations
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys import services
from consult.surveys.xlsform import ParsedForm, parse_xlsform


class ImportRefused(ValueError):
    """The import cannot go ahead; the message says why."""


@dataclass
class ImportResult:
    """What an import made, and what it could not carry over."""

    consultation: Consultation
    form: ParsedForm
    build: services.BuildReport
    #: Languages of the form that this site does not offer (their texts are kept).
    unoffered_languages: list[str]


def import_xlsform(path: Path, consultation_slug: str | None = None,
                   organisation_slug: str | None = None, open_now: bool = False) -> ImportResult:
    """Import path as the survey of consultation_slug, or of a new consultation hosted by
    organisation_slug (default: the first organisation). Flushes; the caller commits."""
    form = parse_xlsform(path)
    if consultation_slug:
        consultation = consultations.get_consultation(consultation_slug)
        if consultation is None:
            raise ImportRefused(f"no consultation with the slug {consultation_slug!r}")
    else:
        consultation = _new_consultation(form, _host(organisation_slug), path)
    try:
        result = replace_from_form(consultation, form)
    except services.SurveyLocked as error:
        raise ImportRefused(f"{consultation.slug} already has responses: its survey cannot be "
                            "replaced") from error
    if open_now:
        consultations.change_state(consultation, "open")
    return result


def replace_from_form(consultation: Consultation, form: ParsedForm) -> ImportResult:
    """Make a parsed form the consultation's survey; SurveyLocked once anybody answered."""
    _, build = services.replace_survey(consultation, form.pages)
    offered = current_app.config["CONTENT_LANGUAGES"]
    return ImportResult(consultation, form, build,
                        [code for code in form.languages if code not in offered])


def _host(slug: str | None) -> Organisation:
    if slug:
        organisation = get_organisation(slug)
        if organisation is None:
            raise ImportRefused(f"no organisation with the slug {slug!r}")
        return organisation
    organisation = db.session.scalar(db.select(Organisation).order_by(Organisation.id))
    if organisation is None:
        raise ImportRefused("there is no organisation yet: create one first "
                            "(consult create-organisation)")
    return organisation


def _new_consultation(form: ParsedForm, host: Organisation, path: Path) -> Consultation:
    offered = current_app.config["CONTENT_LANGUAGES"]
    languages = [code for code in form.languages if code in offered] or [
        current_app.config["BABEL_DEFAULT_LOCALE"]]
    default = form.default_language if form.default_language in languages else languages[0]
    title = form.title or form.form_id or Path(path).stem
    consultation = consultations.create_consultation(
        host, consultations.unique_slug(title), default, languages)
    consultations.set_texts(consultation, {("title", default): title})
    return consultation
