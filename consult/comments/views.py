"""Comment threads without JavaScript: a consultation's and each section's, a comment's own
page with its replies; posting, replying and withdrawing with plain forms."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from consult.accounts.participants import participant_key
from consult.comments import services, threads
from consult.comments.access import CLOSED, refusal, visible_consultation
from consult.comments.forms import CommentForm
from consult.comments.models import CommentState
from consult.comments.pseudonyms import pseudonym
from consult.comments.text import MAX_LENGTH, render_body
from consult.consultations.services import get_section
from consult.extensions import db
from consult.i18n import current_language, offer_languages
from consult.permissions import public
from consult.security import random_token

blueprint = Blueprint("comments", __name__, url_prefix="/consultations")
blueprint.add_app_template_filter(render_body, "comment_body")


def _page_context(consultation, thread, form, **extra) -> dict:
    """What every thread template needs."""
    state, mode = consultation.state, consultation.participation_mode
    return {"consultation": consultation, "thread": thread, "form": form,
            "language": current_language(), "max_length": MAX_LENGTH,
            "comment_refusal": refusal(state, mode, "comment"),
            "vote_refusal": refusal(state, mode, "vote"),
            "idempotency_key": random_token(16), "here": request.full_path.rstrip("?"),
            **extra}


def _thread_page(consultation, section):
    """GET: a page of the thread; POST: a new top-level comment, then back to the thread."""
    offer_languages(consultation.languages, consultation.default_language)
    form = CommentForm()
    if request.method == "POST":
        posted = _post(consultation, form, section=section)
        if posted is not None:
            return posted
    sort = threads.parse_sort(request.args.get("sort"))
    thread = threads.load_thread(consultation.id, section.id if section else None, sort,
                                 threads.parse_cursor(request.args.get("after"), sort),
                                 participant_key(create=False))
    template = "comments/section.html" if section else "comments/thread.html"
    return render_template(template, **_page_context(consultation, thread, form, sort=sort,
                                                     section=section)), \
        422 if form.errors else 200


@blueprint.route("/<slug>/comments", methods=["GET", "POST"])
@public
def thread(slug: str):
    """Comments on the consultation as a whole."""
    return _thread_page(visible_consultation(slug), None)


@blueprint.route("/<slug>/sections/<int:number>", methods=["GET", "POST"])
@public
def section(slug: str, number: int):
    """One section of the proposal, with its own comment thread below it."""
    consultation = visible_consultation(slug)
    found = get_section(consultation, number)
    if found is None:
        abort(404)
    return _thread_page(consultation, found)


@blueprint.route("/<slug>/comments/<int:comment_id>", methods=["GET", "POST"])
@public
def comment(slug: str, comment_id: int):
    """A comment with its replies (a page of 20); POST: a reply to it."""
    consultation = visible_consultation(slug)
    offer_languages(consultation.languages, consultation.default_language)
    key = participant_key(create=False)
    found = services.get_comment(comment_id)
    if found is None or found.consultation_id != consultation.id \
            or not threads.may_see(found, key):
        abort(404)
    form = CommentForm()
    if request.method == "POST":
        if found.state is not CommentState.PUBLISHED:
            abort(409)
        posted = _post(consultation, form, parent=found)
        if posted is not None:
            return posted
    thread = threads.load_replies(found, threads.parse_cursor(request.args.get("after"),
                                                              "newest"), key)
    parent = services.get_comment(found.parent_id) if found.parent_id else None
    context = _page_context(consultation, thread, form, comment=found, parent=parent,
                            parent_name=pseudonym(parent.author_key, consultation.id)
                            if parent else None)
    return render_template("comments/comment.html", **context), 422 if form.errors else 200


def _post(consultation, form, section=None, parent=None):
    """Save a comment or reply and redirect, or None to show the form's errors again."""
    reason = refusal(consultation.state, consultation.participation_mode, "comment")
    if reason == CLOSED:
        abort(409)
    if reason is not None:  # the page explains how to take part
        return redirect(request.full_path.rstrip("?"), code=303)
    if not form.validate_on_submit():
        return None
    key = request.form.get("idempotency_key", "")[:80] or None
    comment = services.comment_by_idempotency_key(key) if key else None
    if comment is None:  # not a replay
        try:
            comment = services.post_comment(consultation, participant_key(), form.body.data,
                                            current_language(), section=section, parent=parent,
                                            idempotency_key=key)
            db.session.commit()
        except IntegrityError:  # a parallel replay (double tap) won the race
            db.session.rollback()
            comment = services.comment_by_idempotency_key(key) if key else None
            if comment is None:  # pragma: no cover - an integrity error that was not the key
                raise
        if comment.state is CommentState.PENDING:
            flash(_("Thank you. Your comment will be published once a moderator has read "
                    "it; until then only you can see it."), "success")
        else:
            flash(_("Thank you. Your comment is published."), "success")
    return redirect(_comment_url(consultation, comment), code=303)


def _comment_url(consultation, comment) -> str:
    """Where a comment is seen: its parent's page, or the top of its thread."""
    if comment.parent_id is not None:
        return url_for(".comment", slug=consultation.slug, comment_id=comment.parent_id,
                       _anchor=f"c{comment.id}")
    if comment.section_id is not None:
        return url_for(".section", slug=consultation.slug, number=comment.section.number,
                       _anchor=f"c{comment.id}")
    return url_for(".thread", slug=consultation.slug, _anchor=f"c{comment.id}")


@blueprint.post("/<slug>/comments/<int:comment_id>/withdraw")
@public
def withdraw(slug: str, comment_id: int):
    """The author takes their comment back (at any stage: nobody is held to their words)."""
    consultation = visible_consultation(slug)
    found = services.get_comment(comment_id)
    if found is None or found.consultation_id != consultation.id:
        abort(404)
    try:
        services.withdraw(found, participant_key(create=False))
    except services.NotTheAuthor:
        abort(403)
    db.session.commit()
    flash(_("Your comment is withdrawn. Replies to it stay."), "success")
    return redirect(url_for(".comment", slug=slug, comment_id=comment_id), code=303)
