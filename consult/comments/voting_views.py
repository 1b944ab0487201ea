"""Voting on statements with plain form buttons (JSON for the small script that spares a
reload), and the phone-first page that shows one statement at a time."""
from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult import limits as rate_limits
from consult.accounts.participants import participant_key
from consult.comments import votes
from consult.comments.access import (
    CLOSED,
    consultation_facts,
    refusal,
    safe_next,
    visible_consultation,
    wants_json,
)
from consult.comments.models import CommentState, VoteChoice
from consult.comments.pseudonyms import pseudonym
from consult.comments.routing import next_statement
from consult.extensions import db
from consult.i18n import current_language, offer_languages
from consult.permissions import public

blueprint = Blueprint("comment_votes", __name__, url_prefix="/consultations")


@blueprint.post("/<slug>/comments/<int:comment_id>/vote")
@public
def vote(slug: str, comment_id: int):
    """Agree, disagree or pass on a published comment; the latest vote counts."""
    target = votes.vote_target(comment_id)
    if target is None:
        abort(404)
    found = consultation_facts(slug)
    if target.consultation_id != found.id:
        abort(404)
    reason = refusal(found.state, found.participation_mode, "vote")
    if reason == CLOSED or target.comment_state is not CommentState.PUBLISHED:
        abort(409)
    if reason is not None:  # a codename or an account is needed: the comment page says so
        if wants_json():
            abort(403)
        return redirect(url_for("comments.comment", slug=slug, comment_id=comment_id), code=303)
    try:
        choice = VoteChoice(request.form.get("vote", ""))
    except ValueError:
        abort(400)
    if not rate_limits.allow(rate_limits.VOTE, found.id):
        if wants_json():
            return jsonify({"error": rate_limits.message()}), 429
        return render_template("errors/error.html", code=429, title=_("Please slow down"),
                               message=rate_limits.message()), 429
    tally = votes.cast_vote(target, participant_key(), choice)
    db.session.commit()
    if wants_json():
        return jsonify({"vote": choice.value, "agree": tally.agree,
                        "disagree": tally.disagree, "pass": tally.passes,
                        "message": _("Your vote is counted.")})
    return redirect(safe_next(url_for("comments.comment", slug=slug, comment_id=comment_id)),
                    code=303)


@blueprint.get("/<slug>/vote")
@public
def statements(slug: str):
    """One statement at a time, the next chosen by routing priority, until none is left."""
    consultation = visible_consultation(slug)
    offer_languages(consultation.languages, consultation.default_language)
    key = participant_key(create=False)
    reason = refusal(consultation.effective_state, consultation.participation_mode, "vote")
    statement = next_statement(consultation.id, key) if reason is None else None
    return render_template(
        "comments/vote.html", consultation=consultation, slug=slug, statement=statement,
        name=pseudonym(statement.author_key, consultation.id) if statement else None,
        voted=votes.votes_cast(key, consultation.id), vote_refusal=reason,
        recorded=request.args.get("recorded") == "1", language=current_language())
