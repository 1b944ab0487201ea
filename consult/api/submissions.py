"""POST /api/v1/consultations/<slug>/responses: a complete survey response, counted exactly
once (registered on the API blueprint).

The busiest write of a consultation, kept to as few statements as its rules allow: once a
process remembers the consultation (consultation_facts.py), a submission is the pool's ping
and one statement on PostgreSQL, that statement storing the response with all its answers
and committing itself (response_store.py); on SQLite two statements and a commit. Every
rule is still checked on every submission: against the remembered consultation, re-checked
by the insert itself, and against a fresh read whenever anything is refused or has changed.
"""
import hashlib
import json

from flask import abort, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from consult import limits as rate_limits
from consult.api import consultation_facts
from consult.api.consultation_facts import Checked
from consult.api.views import MAX_KEY_LENGTH, _problem, blueprint
from consult.consultations.lifecycle import ParticipationMode, allows
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.permissions import is_publicly_readable, public
from consult.security import random_token
from consult.surveys import responses, sqlite_turn
from consult.surveys.answers import check_survey
from consult.surveys.models import Channel
from consult.surveys.services import get_survey
from consult.surveys.shapes import cached_shape

#: Receipts drawn for one submission before giving up: a receipt already taken (37 bits:
#: a few times in a million responses) makes the insert fail like a replay, and is redrawn.
RECEIPT_DRAWS = 3
#: Fresh reads of the consultation for one submission: a change may land between the read
#: and the insert, which then stores nothing; a second one in that moment is not expected.
FRESH_READS = 2


@blueprint.post("/consultations/<slug>/responses")
@public
def submit_response(slug: str):
    """A complete survey response; the Idempotency-Key header makes retries safe."""
    _one_statement_commits()
    allowed: dict[int, bool] = {}  # the rate limit counts a submission once, however tried
    remembered = consultation_facts.recall(slug)
    if remembered is not None:
        try:
            answer, decided = _submit(remembered, allowed)
        except NotFound:
            answer, decided = None, False
        if decided and answer is not None:  # stored, or refused by the store: the guard held
            return answer
    for _read in range(FRESH_READS):
        answer, _decided = _submit(consultation_facts.read(slug), allowed)
        if answer is not None:
            return answer
    return _problem(409, _("This survey is not taking answers at the moment."))


def _submit(checked: Checked | None, allowed: dict[int, bool]):
    """(the answer to the submission checked against these facts, whether the store decided
    it); the answer is None when the consultation changed before the insert."""
    found = checked.facts if checked is not None else None
    if found is None or not is_publicly_readable(found.state):
        abort(404)
    slug = checked.guard.slug
    survey = cached_shape(found.id, found.revision,
                          lambda: get_survey(get_consultation(slug)))
    if survey is None:
        abort(404)
    if not request.is_json:
        return _problem(415, _("Send the response as JSON (Content-Type: application/json).")
                        ), False
    body = request.get_json(silent=True)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        return _problem(400, _("Send an Idempotency-Key header (up to %(n)s characters) so a "
                               "retry cannot count twice.", n=MAX_KEY_LENGTH)), False
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
        return _problem(400, _('The body must be a JSON object with "answers".')), False
    languages = found.language_codes.split()
    language = body.get("language", found.default_language)
    if language not in languages:
        return _problem(422, _("This consultation is not offered in that language."),
                        errors={"language": languages}), False
    if not allows(found.state, "respond"):
        return _problem(409, _("This survey is not taking answers at the moment.")), False
    if found.participation_mode is not ParticipationMode.ANONYMOUS:
        # The API carries no participant session: it cannot tell one person from another.
        return _problem(403, _("This survey takes answers only from participants signed in "
                               "on the website.")), False
    others = body.get("other") if isinstance(body.get("other"), dict) else {}
    # Checking reads no locale; only its error messages are in the body's language, so a
    # complete response does not pay for switching locales: a refused one is checked again.
    values, texts, errors = check_survey(survey.pages, body["answers"], others, language)
    if errors:
        with force_locale(language):
            errors = check_survey(survey.pages, body["answers"], others, language)[2]
            return _problem(422, _("Some answers need correcting."), errors=errors), False
    payload_hash = _payload_hash(body)
    if found.id not in allowed:
        allowed[found.id] = rate_limits.allow(rate_limits.SUBMISSION, found.id)
    if not allowed[found.id]:
        # A retry of a response already stored still gets its receipt: it adds nothing.
        with force_locale(language):
            return (_replay(survey, key, payload_hash, language)
                    or _problem(429, rate_limits.message())), False
    return _store(checked, survey, values, texts, language, key, payload_hash), True


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


def _store(checked: Checked, survey, values, texts, language, key, payload_hash):
    """Save and count once; a replay answers like the first time, a reused key is refused;
    None when the consultation is no longer as checked (nothing stored).

    The common case costs one insert: a replay (or a parallel duplicate) is caught by the
    unique idempotency key, then looked up; any other conflict (a receipt drawn twice) draws
    a new receipt.
    """
    for _draw in range(RECEIPT_DRAWS):
        try:
            response = responses.submit_all(survey, values, texts, language, key,
                                            payload_hash, Channel.API,
                                            respondent_key=random_token(32),
                                            guard=checked.guard)
            if response is None:
                return None
            result = {"receipt": response.receipt, "state": response.state.value}
            db.session.commit()
            consultation_facts.remember(checked)
            answer = jsonify(result)
            if sqlite_turn.checkpoint_due():
                # Once the 201 is sent, and with the turn given back (sqlite_turn.py).
                answer.call_on_close(sqlite_turn.run_due_checkpoints)
            return answer, 201
        except IntegrityError:
            db.session.rollback()
        replay = _replay(survey, key, payload_hash, language)
        if replay is not None:
            return replay
        _one_statement_commits()
    abort(500)  # pragma: no cover - three receipts taken in a row


def _replay(survey, key: str, payload_hash: str, language: str):
    """The answer to a replay of key (the first receipt, or 422 in the body's language for
    other answers); None when no response was stored with it."""
    try:
        earlier = responses.replayed(key, payload_hash, survey.id)
    except responses.KeyReused:
        with force_locale(language):
            return _problem(422, _("This Idempotency-Key was already used for different "
                                   "answers. Use a new key for a new response."))
    if earlier is None:
        return None
    return jsonify({"receipt": earlier.receipt, "state": earlier.state.value}), 201
