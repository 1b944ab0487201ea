"""Voting on statements with plain form buttons (JSON for the small script that spares a
reload), and the phone-first page that shows one statement at a time."""
import random

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from consult import fragments
from consult import limits as rate_limits
from consult.accounts.participants import participant_key
from consult.comments import kept_pages, votes
from consult.comments.access import (
    CLOSED,
    consultation_facts,
    refusal,
    safe_next,
    visible_consultation,
    wants_json,
)
from consult.comments.models import Comment, CommentState, VoteChoice
from consult.comments.pseudonyms import pseudonym
from consult.comments.revisions import ThreadFacts, thread_facts
from consult.comments.routing import candidates, next_statement
from consult.extensions import db
from consult.i18n import LANG_PARAM, current_language, offer_languages
from consult.page_cache import read_in_autocommit
from consult.permissions import is_publicly_readable, public

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
    """One statement at a time, the next chosen by routing priority, until none is left.

    One small query for the consultation and its comments' revision; a reader with no
    participant key yet gets one of the kept pages of the few statements the draw is among
    (drawn as next_statement draws), others their own next statement, kept as a fragment.
    """
    read_in_autocommit()
    found = thread_facts(slug)
    if found is None:
        abort(404)
    if not is_publicly_readable(found.state):  # a draft: only staff who may preview it
        visible_consultation(slug)
    offer_languages(found.language_codes.split(), found.default_language)
    language = current_language()
    key = participant_key(create=False)
    reason = refusal(found.state, found.participation_mode, "vote")

    def title():
        return fragments.cached(("vote-title", found.id, found.revision, language), lambda: (
            visible_consultation(slug).text("title", language),))[0]

    recorded = request.args.get("recorded") == "1"
    if not key and is_publicly_readable(found.state) and kept_pages.shareable(
            {"recorded": ("1",), LANG_PARAM: kept_pages.offered_languages()}):
        weights, pages = kept_pages.kept(
            ("vote", found.id, found.revision, found.state, found.comments, language, reason),
            lambda: _kept_vote_pages(found, slug, title(), reason, recorded, language))
        return kept_pages.fill(random.choices(pages, weights=weights)[0])
    statement = next_statement(found.id, key) if reason is None else None
    html = render_template(
        "comments/vote.html", title=title(), slug=slug, vote_refusal=reason,
        statement=_statement_html(statement, found, slug, language) if statement else None,
        voted=votes.votes_cast(key, found.id), recorded=recorded)
    return kept_pages.fill(html)


def _statement_html(statement: Comment, found: ThreadFacts, slug: str, language: str
                    ) -> Markup:
    """A statement with its buttons, kept per statement, revisions (its section's title is
    the consultation's) and language, with the CSRF token's placeholder."""
    return fragments.cached(
        ("vote-statement", statement.id, found.revision, found.comments, language, slug),
        lambda: (Markup(render_template(
            "comments/_statement.html", statement=statement, slug=slug, language=language,
            name=pseudonym(statement.author_key, found.id), **kept_pages.PLACEHOLDERS)),))[0]


def _kept_vote_pages(found: ThreadFacts, slug: str, title, reason: str | None,
                     recorded: bool, language: str) -> tuple[list[float], list[str]]:
    """The vote page of each statement a newcomer may be shown, and the draw's weights."""
    found_statements, weights = candidates(found.id, None) if reason is None else ([], [])

    def page(statement: Comment | None) -> str:
        return render_template(
            "comments/vote.html", title=title, slug=slug, vote_refusal=reason, voted=0,
            statement=_statement_html(statement, found, slug, language) if statement else None,
            recorded=recorded, **kept_pages.PLACEHOLDERS)

    if not found_statements:
        return [1.0], [page(None)]
    return weights, [page(statement) for statement in found_statements]
