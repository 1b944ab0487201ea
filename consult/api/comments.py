"""JSON endpoints for comments and statement votes (registered on the API blueprint).

The API reads no session. A participant identifies themselves with a Participant-Key
header: a random string their app makes once and keeps. Only a keyed hash of it is stored,
so their comments and votes are theirs without the key itself being kept anywhere.
"""
from flask import abort, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from consult import limits as rate_limits
from consult.api.views import MAX_KEY_LENGTH, _problem, _public_consultation, blueprint
from consult.boundary import json_int
from consult.comments import services
from consult.comments.models import Comment, CommentState, VoteChoice
from consult.comments.pseudonyms import pseudonym
from consult.comments.text import MAX_LENGTH, normalise
from consult.comments.votes import cast_vote, vote_target
from consult.consultations.lifecycle import ParticipationMode, allows, effective_state
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.moderation import limits, screening
from consult.permissions import is_publicly_readable, public
from consult.security import keyed_hash

PARTICIPANT_HEADER = "Participant-Key"
#: Comments per page of GET .../comments.
PAGE_SIZE = 100


def _participant() -> str | None:
    """The stored key of the participant behind the Participant-Key header, if it is usable."""
    raw = request.headers.get(PARTICIPANT_HEADER, "").strip()
    if not 16 <= len(raw) <= 128:
        return None
    return "api:" + keyed_hash(raw, "api-participant")[:48]


def _refusal(state, mode, activity: str):
    """A JSON problem when the API may not take this contribution now, else None."""
    if not allows(state, activity):
        return _problem(409, _("This consultation is not taking comments or votes at the "
                               "moment."))
    if mode is not ParticipationMode.ANONYMOUS:
        # Codename and account consultations need a signed-in participant (the website).
        return _problem(403, _("This consultation takes comments and votes only from "
                               "participants signed in on the website."))
    if _participant() is None:
        return _problem(400, _("Send a %(header)s header: a random string of 16 to 128 "
                               "characters that your app keeps for this participant.",
                               header=PARTICIPANT_HEADER))
    return None


def comment_data(comment: Comment, numbers: dict[int, int]) -> dict:
    """A published comment as the API shows it (author as a pseudonym, day only)."""
    return {"id": comment.id, "parent_id": comment.parent_id,
            "section": numbers.get(comment.section_id), "body": comment.body,
            "language": comment.language,
            "author": pseudonym(comment.author_key, comment.consultation_id),
            "created_on": comment.created_on.isoformat(),
            "votes": {"agree": comment.agree_count, "disagree": comment.disagree_count,
                      "pass": comment.pass_count},
            "replies": comment.reply_count}


@blueprint.get("/consultations/<slug>/comments")
@public
def list_comments(slug: str):
    """Published comments, replies included, oldest first, PAGE_SIZE at a time (?after=id)."""
    consultation = _public_consultation(slug)
    after = request.args.get("after", type=int) or 0
    rows = list(db.session.scalars(
        db.select(Comment).filter(Comment.consultation_id == consultation.id,
                                  Comment.state == CommentState.PUBLISHED,
                                  Comment.id > after)
        .order_by(Comment.id).limit(PAGE_SIZE + 1)))
    numbers = {s.id: s.number for s in consultation.sections}
    page = rows[:PAGE_SIZE]
    return jsonify({"comments": [comment_data(c, numbers) for c in page],
                    "next": page[-1].id if len(rows) > PAGE_SIZE else None})


@blueprint.post("/consultations/<slug>/comments")
@public
def post_comment(slug: str):
    """A new comment or reply, published or pending by the consultation's moderation mode."""
    consultation = _public_consultation(slug)
    if not request.is_json:
        return _problem(415, _("Send the comment as JSON (Content-Type: application/json)."))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _problem(400, _('The body must be a JSON object with "body".'))
    language = body.get("language") or consultation.default_language
    if language not in consultation.languages:
        return _problem(422, _("This consultation is not offered in that language."),
                        errors={"language": consultation.languages})
    with force_locale(language):
        refused = _refusal(consultation.effective_state, consultation.participation_mode,
                           "comment")
        if refused is not None:
            return refused
        target, errors = _target(consultation, body)
        text = normalise(body.get("body")) if isinstance(body.get("body"), str) else ""
        if not text:
            errors["body"] = _("Write your comment first.")
        elif len(text) > MAX_LENGTH:
            errors["body"] = _("Keep it to %(max)d characters or fewer.", max=MAX_LENGTH)
        if errors:
            return _problem(422, _("Some fields need correcting."), errors=errors)
        return _store(consultation, text, language, target)


def _target(consultation: Consultation, body: dict) -> tuple[dict, dict]:
    """(section/parent to attach to, errors) from the body's "section" and "parent_id"."""
    target, errors = {}, {}
    if body.get("parent_id") is not None:
        parent_id = json_int(body["parent_id"])  # true is not 1, nor 10**30 an id
        parent = services.get_comment(parent_id) if parent_id is not None else None
        if parent is None or parent.consultation_id != consultation.id \
                or parent.state is not CommentState.PUBLISHED:
            errors["parent_id"] = _("There is no published comment with this id here.")
        target["parent"] = parent
    elif body.get("section") is not None:
        number = json_int(body["section"])
        section = next((s for s in consultation.sections if s.number == number), None)
        if section is None:
            errors["section"] = _("This consultation has no section with this number.")
        target["section"] = section
    return target, errors


def _store(consultation: Consultation, text: str, language: str, target: dict):
    """Save once: a replay with the same Idempotency-Key returns the first comment."""
    key = request.headers.get("Idempotency-Key", "").strip()[:MAX_KEY_LENGTH] or None
    author = _participant()
    try:
        earlier = services.replay_of(key, author, consultation, text, **target)
    except services.KeyReused:  # another participant's key, or this key with other content
        return _key_reused()
    if earlier is None:
        limit = limits.refusal(author, text)
        if limit == limits.LINKS:  # a limit (429), named at the field it concerns
            return _problem(429, limits.message(limit), errors={"body": limits.message(limit)})
        if limit is not None:
            return _problem(429, limits.message(limit))
        if not rate_limits.allow(rate_limits.COMMENT, consultation.id):
            return _problem(429, rate_limits.message())
        try:
            earlier = services.post_comment(consultation, author, text, language,
                                            idempotency_key=key, **target)
            result = _result(earlier)
            db.session.commit()
            limits.record_post(author)
            return jsonify(result), 201
        except screening.Refused as refused:
            db.session.rollback()
            message = screening.refusal_message(refused.verdict)
            if refused.verdict.blocked_author:
                return _problem(403, message)
            return _problem(422, _("Some fields need correcting."), errors={"body": message})
        except IntegrityError:
            db.session.rollback()
            try:
                earlier = services.replay_of(key, author, consultation, text, **target)
            except services.KeyReused:
                return _key_reused()
            if earlier is None:  # pragma: no cover - an integrity error that was not the key
                abort(500)
    return jsonify(_result(earlier)), 201


def _result(comment: Comment) -> dict:
    """What a post answers, the first time and on every replay of its key."""
    result = {"id": comment.id, "state": comment.state.value}
    if comment.state is CommentState.PENDING and comment.moderation_reason:
        # held by screening: say why
        result |= {"held_because": comment.moderation_reason,
                   "message": screening.hold_message(comment.moderation_reason)}
    return result


def _key_reused():
    """422: the key made another comment (someone else's, or one with other content)."""
    return _problem(422, _("This Idempotency-Key was already used for another comment."))


@blueprint.post("/comments/<int:comment_id>/votes")
@public
def vote(comment_id: int):
    """Agree, disagree or pass on a published comment; the latest vote counts."""
    found = vote_target(comment_id)  # one small query: votes must stay cheap
    if found is None or not is_publicly_readable(found.state):
        abort(404)
    if not request.is_json:
        return _problem(415, _("Send the vote as JSON (Content-Type: application/json)."))
    refused = _refusal(effective_state(found.state, found.closes_on, found.time_zone),
                       found.participation_mode, "vote")
    if refused is not None:
        return refused
    if found.comment_state is not CommentState.PUBLISHED:
        return _problem(409, _("Only published comments can be voted on."))
    body = request.get_json(silent=True)
    try:
        choice = VoteChoice(body.get("vote") if isinstance(body, dict) else None)
    except ValueError:
        return _problem(422, _('Send {"vote": "agree"}, "disagree" or "pass".'),
                        errors={"vote": [c.value for c in VoteChoice]})
    if not rate_limits.allow(rate_limits.VOTE, found.consultation_id):
        return _problem(429, rate_limits.message())
    tally = cast_vote(found, _participant(), choice)
    db.session.commit()
    return jsonify({"vote": choice.value, "agree": tally.agree, "disagree": tally.disagree,
                    "pass": tally.passes})
