"""JSON endpoints: read consultations, submit survey responses exactly once.

The API reads no session and sets no cookie: an anonymous submission gets a respondent key of
its own, so a cross-site request has nothing to ride on; JSON bodies are required, which a
cross-site HTML form cannot send.
"""
import hashlib
import json

from flask import Blueprint, abort, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from consult import limits as rate_limits
from consult.api.openapi import OPENAPI
from consult.api.serializers import consultation_detail, consultation_summary
from consult.consultations.lifecycle import ParticipationMode, State, allows
from consult.consultations.services import (
    consultation_revision,
    get_consultation,
    listed_consultations,
)
from consult.extensions import csrf, db
from consult.permissions import is_publicly_readable, public
from consult.security import random_token
from consult.surveys import responses
from consult.surveys.answers import check_survey
from consult.surveys.models import Channel
from consult.surveys.services import get_survey
from consult.surveys.shapes import cached_shape

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


@blueprint.post("/consultations/<slug>/responses")
@public
def submit_response(slug: str):
    """A complete survey response; the Idempotency-Key header makes retries safe."""
    _one_statement_commits()
    found = consultation_revision(slug)  # one small query: submissions must stay cheap
    if found is None or not is_publicly_readable(found.state):
        abort(404)
    survey = cached_shape(found.id, found.revision,
                          lambda: get_survey(get_consultation(slug)))
    if survey is None:
        abort(404)
    if not request.is_json:
        return _problem(415, _("Send the response as JSON (Content-Type: application/json)."))
    body = request.get_json(silent=True)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        return _problem(400, _("Send an Idempotency-Key header (up to %(n)s characters) so a "
                               "retry cannot count twice.", n=MAX_KEY_LENGTH))
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
        return _problem(400, _('The body must be a JSON object with "answers".'))
    languages = found.language_codes.split()
    language = body.get("language", found.default_language)
    if language not in languages:
        return _problem(422, _("This consultation is not offered in that language."),
                        errors={"language": languages})
    if not allows(found.state, "respond"):
        return _problem(409, _("This survey is not taking answers at the moment."))
    if found.participation_mode is not ParticipationMode.ANONYMOUS:
        # The API carries no participant session: it cannot tell one person from another.
        return _problem(403, _("This survey takes answers only from participants signed in "
                               "on the website."))
    others = body.get("other") if isinstance(body.get("other"), dict) else {}
    with force_locale(language):
        values, texts, errors = check_survey(survey.pages, body["answers"], others, language)
        if errors:
            return _problem(422, _("Some answers need correcting."), errors=errors)
        payload_hash = _payload_hash(body)
        if not rate_limits.allow(rate_limits.SUBMISSION, found.id):
            # A retry of a response already stored still gets its receipt: it adds nothing.
            return _replay(survey, key, payload_hash) or _problem(429, rate_limits.message())
        return _store(survey, values, texts, language, key, payload_hash)


def _payload_hash(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _one_statement_commits() -> None:
    """On PostgreSQL, run this request's statements in autocommit.

    A response is stored by one statement there (surveys/response_store.py), atomic by itself:
    in autocommit it is also the commit, durable before the 201 (synchronous_commit stays on),
    and the BEGIN and COMMIT round trips it would otherwise wait for are saved. SQLite stores
    a response with two statements, so it keeps the transaction (it has no round trips).
    Nothing else this request does writes to the database. Should a transaction have begun
    already, it is simply kept: the same work, committed by the view as usual.
    """
    if not db.session().in_transaction() and \
            db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


#: Receipts drawn for one submission before giving up: a receipt already taken (37 bits:
#: a few times in a million responses) makes the insert fail like a replay, and is redrawn.
RECEIPT_DRAWS = 3


def _store(survey, values, texts, language, key, payload_hash):
    """Save and count once; a replay answers like the first time, a reused key is refused.

    The common case costs one insert: a replay (or a parallel duplicate) is caught by the
    unique idempotency key, then looked up; any other conflict (a receipt drawn twice) draws
    a new receipt.
    """
    for _draw in range(RECEIPT_DRAWS):
        try:
            response = responses.submit_all(survey, values, texts, language, key,
                                            payload_hash, Channel.API,
                                            respondent_key=random_token(32))
            result = {"receipt": response.receipt, "state": response.state.value}
            db.session.commit()
            return jsonify(result), 201
        except IntegrityError:
            db.session.rollback()
        replay = _replay(survey, key, payload_hash)
        if replay is not None:
            return replay
        _one_statement_commits()
    abort(500)  # pragma: no cover - three receipts taken in a row


def _replay(survey, key: str, payload_hash: str):
    """The answer to a replay of key (the first receipt, or 422 for other answers); None
    when no response was stored with it."""
    try:
        earlier = responses.replayed(key, payload_hash, survey.id)
    except responses.KeyReused:
        return _problem(422, _("This Idempotency-Key was already used for different "
                               "answers. Use a new key for a new response."))
    if earlier is None:
        return None
    return jsonify({"receipt": earlier.receipt, "state": earlier.state.value}), 201
