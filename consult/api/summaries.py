"""GET /api/v1/consultations/<slug>/summary: the published results as JSON (registered on the
API blueprint). The same protected aggregates as the public results page, and only once the
host has published them."""
from flask import abort, jsonify

from consult.api.views import blueprint
from consult.consultations.services import get_consultation
from consult.permissions import public
from consult.summaries.document import summary_document
from consult.summaries.services import summary_for
from consult.surveys.services import get_survey


@blueprint.get("/consultations/<slug>/summary")
@public
def summary(slug: str):
    """Protected aggregates of the survey; 404 until the results are published."""
    consultation = get_consultation(slug)
    if consultation is None or not consultation.allows("read_results"):
        abort(404)
    survey = get_survey(consultation)
    found, meta = summary_for(consultation, survey, planner=False) if survey else (None, None)
    return jsonify(summary_document(consultation, survey, found, meta, planner=False))
