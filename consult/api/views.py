"""JSON endpoints: read consultations (survey responses are submitted in submissions.py).

The API reads no session and sets no cookie: an anonymous submission gets a respondent key of
its own, so a cross-site request has nothing to ride on; JSON bodies are required, which a
cross-site HTML form cannot send.
"""
from flask import Blueprint, abort, jsonify

from consult.api.openapi import OPENAPI
from consult.api.serializers import consultation_detail, consultation_summary
from consult.consultations.lifecycle import State
from consult.consultations.services import get_consultation, listed_consultations
from consult.extensions import csrf
from consult.permissions import is_publicly_readable, public
from consult.surveys.services import get_survey

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)

#: Longest idempotency key accepted.
MAX_KEY_LENGTH = 80


def _public_consultation(slug: str):
    consultation = get_consultation(slug)
    if consultation is None or not is_publicly_readable(consultation.state):
        abort(404)
    return consultation


@blueprint.get("/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(OPENAPI)


@blueprint.get("/consultations")
@public
def consultations():
    """Listed consultations that are open, closed or have results."""
    found = listed_consultations((State.OPEN, State.CLOSED, State.RESULTS_PUBLISHED))
    return jsonify({"consultations": [consultation_summary(c) for c in found]})


@blueprint.get("/consultations/<slug>")
@public
def consultation(slug: str):
    """One consultation with its sections, survey, questions and options, all translations."""
    found = _public_consultation(slug)
    return jsonify(consultation_detail(found, get_survey(found)))


def _problem(status: int, message: str, **extra):
    return jsonify({"error": message, **extra}), status
