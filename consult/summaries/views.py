"""The public results page, the planner report and the planner's response export."""
from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    stream_with_context,
)
from flask_login import current_user
from markupsafe import Markup

from consult import audit, fragments
from consult.accounts.forms import EmptyForm
from consult.consultations.lifecycle import allows
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.i18n import current_language, offer_languages
from consult.page_cache import cached_page, read_in_autocommit
from consult.permissions import (
    can_read_planner_report,
    can_see_staff_page,
    public,
    require,
    staff_required,
)
from consult.summaries import export_jobs, exports, qualitative
from consult.summaries.labels import template_helpers
from consult.summaries.services import summary_for
from consult.summaries.stamps import results_facts
from consult.surveys.services import get_survey

blueprint = Blueprint("summaries", __name__, url_prefix="/consultations")
manage_blueprint = Blueprint("manage_summaries", __name__, url_prefix="/manage")

EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _render(template: str, consultation, planner: bool, question: str | None = None):
    """The page around the summary; the summary's HTML (charts, tables, breakdowns) is kept
    per data fingerprint, language and reader, so a repeat view renders almost nothing.

    The public results keep each question's breakdowns on the question's own page (question:
    its key), so that a phone downloads a page within its budget however long the survey.
    """
    survey = get_survey(consultation)
    body = None
    if survey is not None:
        summary, meta = summary_for(consultation, survey, planner)
        if question is not None and question not in {q.info.key for q in summary.questions}:
            abort(404)
        key = ("summary-html", consultation.id, meta.fingerprint, current_language(), planner,
               question)
        (body,) = fragments.cached(key, lambda: (Markup(render_template(
            "summaries/_summary.html", consultation=consultation, survey=survey,
            summary=summary, meta=meta, planner=planner, only_question=question,
            **template_helpers(survey))),))
    elif question is not None:
        abort(404)
    # Themes and opinion groups as last stored (jobs compute them; a page never does).
    analysis = qualitative.analysis_for(consultation, survey, planner) \
        if question is None else qualitative.Analysis(None, [], False)
    return render_template(template, consultation=consultation, survey=survey, body=body,
                           opinions=analysis.opinions, themes=analysis.themes,
                           analysis_pending=analysis.pending, k=consultation.min_cell_size,
                           planner=planner, qualitative_versions=qualitative.versions(),
                           question=question, **template_helpers(survey))


def _published(slug: str):
    """The consultation whose results are published (404 until then), in its languages."""
    consultation = get_consultation(slug)
    if consultation is None or not consultation.allows("read_results"):
        abort(404)
    offer_languages(consultation.languages, consultation.default_language)
    return consultation


def _public_page(slug: str, template: str, question: str | None = None):
    """A public results page, kept whole for anonymous readers until anything it shows
    changes (stamps.results_facts reads it all in one statement): the results of a closed
    consultation are rendered once per language and process."""
    read_in_autocommit()
    found = results_facts(slug)
    if found is None or not allows(found[0].state, "read_results"):
        abort(404)
    facts, stamp = found
    offer_languages(facts.language_codes.split(), facts.default_language)
    return cached_page(
        ("results", facts.id, facts.revision, facts.state, question, stamp),
        lambda: _render(template, _published(slug), planner=False, question=question))


@blueprint.get("/<slug>/results")
@public
def results(slug: str):
    """Published results: protected aggregates for everyone, once the host publishes them."""
    return _public_page(slug, "summaries/results.html")


@blueprint.get("/<slug>/results/questions/<key>")
@public
def question_results(slug: str, key: str):
    """One question of the published results with its breakdowns (protected the same way)."""
    return _public_page(slug, "summaries/question_results.html", question=key)


def planner_consultation(slug: str):
    """The consultation, if this staff member may read its planner report (else 403; 404
    for staff of unrelated organisations)."""
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    require(can_read_planner_report(current_user, consultation))
    return consultation


@manage_blueprint.get("/consultations/<slug>/report")
@staff_required
def report(slug: str):
    """The planner report: the same protected figures, free-text quotes, and exports."""
    return _render("summaries/report.html", planner_consultation(slug), planner=True)


@manage_blueprint.get("/consultations/<slug>/report/export")
@staff_required
def export(slug: str):
    """Every counted response as CSV or JSON (?format=), option keys or the labels of
    ?labels=LANGUAGE, streamed; past EXPORT_INLINE_MAX_RESPONSES, a page that offers to make
    the file in the background (export_views.py)."""
    consultation = planner_consultation(slug)
    survey, kind, language = export_request(consultation, request.args)
    if export_jobs.in_background(survey):
        return render_template(
            "manage/export_start.html", consultation=consultation, kind=kind,
            language=language, form=EmptyForm(),
            responses=export_jobs.counted_responses(survey.id),
            recent=export_jobs.recent(consultation))
    if kind == "csv":
        # A byte-order mark tells spreadsheet programs the file is UTF-8 (Arabic, accents).
        body = _prefixed("\ufeff", exports.csv_lines(survey, language))
    else:
        body = exports.json_chunks(survey, language)
    audit.record(current_user, "responses.exported", consultation=consultation,
                 target=export_jobs.describe(kind, language), detail="streamed")
    db.session.commit()
    response = Response(stream_with_context(body), content_type=EXPORT_TYPES[kind])
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{export_jobs.file_name(consultation, kind)}"'
    return response


def export_request(consultation, values) -> tuple:
    """(survey, format, labels language) of an export request: 404 without a survey or for
    an unknown format, 400 for a language the consultation does not offer."""
    survey = get_survey(consultation)
    kind = values.get("format", "csv")
    language = values.get("labels") or None
    if survey is None or kind not in EXPORT_TYPES:
        abort(404)
    if language is not None and language not in consultation.languages:
        abort(400)
    return survey, kind, language


def _prefixed(first: str, lines):
    yield first
    yield from lines
