"""Comment threads without JavaScript: a consultation's and each section's, a comment's own
page with its replies; posting, replying and withdrawing with plain forms."""
from typing import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from consult import fragments
from consult import limits as rate_limits
from consult.accounts.participants import participant_key
from consult.comments import kept_pages, services, threads
from consult.comments.access import CLOSED, refusal, visible_consultation
from consult.comments.forms import CommentForm
from consult.comments.models import CommentState
from consult.comments.pseudonyms import pseudonym
from consult.comments.revisions import ThreadFacts, thread_facts
from consult.comments.text import MAX_LENGTH, render_body
from consult.comments.votes import votes_of
from consult.consultations.services import get_section
from consult.extensions import db
from consult.i18n import LANG_PARAM, current_language, offer_languages
from consult.moderation import limits, screening
from consult.page_cache import read_in_autocommit
from consult.permissions import is_publicly_readable, public
from consult.security import random_token

blueprint = Blueprint("comments", __name__, url_prefix="/consultations")
blueprint.add_app_template_filter(render_body, "comment_body")

#: A form's key already sent another comment (the key of someone else's form, or this form
#: sent again with other words): nothing is saved, the text stays in the form.
KEY_REUSED = _l("This form was already used to send another comment. Copy your text, reload "
                "the page and send it again.")


def _page_context(facts, thread, form, **extra) -> dict:
    """What every thread template needs; facts: the consultation, or its revision row."""
    state, mode = facts.effective_state, facts.participation_mode
    days = {c.created_on for c in thread.all_comments()}
    return {"thread": thread, "form": form,
            "days": {day: format_date(day, "long") for day in days},
            "language": current_language(), "max_length": MAX_LENGTH,
            "comment_refusal": refusal(state, mode, "comment"),
            "vote_refusal": refusal(state, mode, "vote"),
            "idempotency_key": random_token(16), "here": request.full_path.rstrip("?"),
            **extra}


def _render_header(slug: str, number: int | None, language: str) -> tuple:
    """(page title, header HTML, section id) of a thread page; 404 for what is not there."""
    consultation = visible_consultation(slug)
    section = get_section(consultation, number) if number is not None else None
    if number is not None and section is None:
        abort(404)
    html = render_template("comments/_header.html", consultation=consultation,
                           section=section, language=language)
    if section is not None:
        title = section.text("title", language).text
    else:
        title = f'{_("Comments")} · {consultation.text("title", language).text}'
    return title, Markup(html), section.id if section else None


def _thread_page(slug: str, number: int | None):
    """GET: a page of a thread; POST: a new top-level comment, then back to the thread.

    Reading costs one small query for the consultation and its comments' revision (its
    header is rendered once per revision and language, like the consultation page); the
    first page of each order is kept whole for readers who are not signed in (kept_pages),
    otherwise the thread's own queries follow.
    """
    read_in_autocommit()
    found = thread_facts(slug)
    if found is None:
        abort(404)
    offer_languages(found.language_codes.split(), found.default_language)
    language = current_language()
    if is_publicly_readable(found.state):
        def cached_header() -> tuple:
            return fragments.cached(
                ("thread-header", found.id, found.revision, found.state, language, number),
                lambda: _render_header(slug, number, language))

        kept = _kept_thread_page(found, slug, language, cached_header)
        if kept is not None:
            return kept
        title, header, section_id = cached_header()
    else:  # a draft: checked and rendered afresh for the staff who may preview it
        title, header, section_id = _render_header(slug, number, language)
    form = CommentForm()
    if request.method == "POST":
        consultation = visible_consultation(slug)
        section = get_section(consultation, number) if number is not None else None
        posted = _post(consultation, form, section=section)
        if posted is not None:
            return posted
    sort = threads.parse_sort(request.args.get("sort"))
    thread = threads.load_thread(found.id, section_id, sort,
                                 threads.parse_cursor(request.args.get("after"), sort),
                                 participant_key(create=False))
    return render_template("comments/thread.html", **_page_context(
        found, thread, form, sort=sort, slug=slug, title=title, header=header)), \
        _status(form)


def _kept_thread_page(found: ThreadFacts, slug: str, language: str,
                      header: Callable[[], tuple]) -> str | None:
    """The first page of a thread in one order, kept for readers who are not signed in and
    have no comment of their own in it (their votes are pressed on the kept copy); None
    when this reader's page must be rendered afresh. header(): (title, header HTML, section
    id), itself kept (a 404 for a section that is not there)."""
    if not kept_pages.shareable({"sort": threads.SORTS,
                                 LANG_PARAM: kept_pages.offered_languages()}):
        return None
    sort = threads.parse_sort(request.args.get("sort"))
    key = participant_key(create=False)
    # "Needs your vote" leaves out what the reader voted on: their own page.
    if key and (sort == "unvoted" or threads.has_comment_in(found.id, header()[2], key)):
        return None
    comment_refusal = refusal(found.state, found.participation_mode, "comment")
    vote_refusal = refusal(found.state, found.participation_mode, "vote")

    def render() -> tuple[str, tuple[int, ...]]:
        title, header_html, section_id = header()
        thread = threads.load_thread(found.id, section_id, sort, None, None)
        html = render_template("comments/thread.html", **_page_context(
            found, thread, CommentForm(), sort=sort, slug=slug, title=title,
            header=header_html, **kept_pages.PLACEHOLDERS))
        return html, tuple(c.id for c in thread.all_comments()
                           if c.state is CommentState.PUBLISHED)

    html, shown = kept_pages.kept(
        ("thread", found.id, found.revision, found.state, found.comments, language,
         comment_refusal, vote_refusal), render)
    html = kept_pages.fill(html)
    if key and vote_refusal is None:
        html = kept_pages.press(html, votes_of(key, list(shown)),
                                url_for(".thread", slug=slug))
    return html


@blueprint.route("/<slug>/comments", methods=["GET", "POST"])
@public
def thread(slug: str):
    """Comments on the consultation as a whole."""
    return _thread_page(slug, None)


@blueprint.route("/<slug>/sections/<int:number>", methods=["GET", "POST"])
@public
def section(slug: str, number: int):
    """One section of the proposal, with its own comment thread below it."""
    return _thread_page(slug, number)


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
    context = _page_context(consultation, thread, form, consultation=consultation,
                            slug=slug, comment=found, parent=parent,
                            parent_name=pseudonym(parent.author_key, consultation.id)
                            if parent else None)
    return render_template("comments/comment.html", **context), _status(form)


def _status(form) -> int:
    """429 when a new participant's limit refused the comment, 422 for other errors."""
    if g.get("comment_limit_reached"):
        return 429
    return 422 if form.errors else 200


def _post(consultation, form, section=None, parent=None):
    """Save a comment or reply and redirect, or None to show the form's errors again."""
    reason = refusal(consultation.effective_state, consultation.participation_mode, "comment")
    if reason == CLOSED:
        abort(409)
    if reason is not None:  # the page explains how to take part
        return redirect(request.full_path.rstrip("?"), code=303)
    if not form.validate_on_submit():
        return None
    key = request.form.get("idempotency_key", "")[:80] or None
    author = participant_key()
    try:
        comment = services.replay_of(key, author, consultation, form.body.data, section, parent)
    except services.KeyReused:  # someone else's key, or this form sent with other words
        form.body.errors.append(KEY_REUSED)
        return None
    if comment is None:  # not a replay
        limit = limits.refusal(author, form.body.data)
        if limit == limits.LINKS:  # a limit (429), told at the field so the text is kept
            form.body.errors.append(limits.message(limit))
            g.comment_limit_reached = True
            return None
        if limit is not None:  # the translated 429 page, saying which limit and until when
            return render_template("errors/error.html", code=429, title=limits.title(),
                                   message=limits.message(limit)), 429
        if not rate_limits.allow(rate_limits.COMMENT, consultation.id):
            form.body.errors.append(rate_limits.message())  # 429, the text kept in the form
            g.comment_limit_reached = True
            return None
        try:
            comment = services.post_comment(consultation, author, form.body.data,
                                            current_language(), section=section, parent=parent,
                                            idempotency_key=key)
            db.session.commit()
        except screening.Refused as refused:
            db.session.rollback()
            form.body.errors.append(screening.refusal_message(refused.verdict))
            return None
        except IntegrityError:  # a parallel replay (double tap) won the race
            db.session.rollback()
            try:
                comment = services.replay_of(key, author, consultation, form.body.data,
                                             section, parent)
            except services.KeyReused:
                form.body.errors.append(KEY_REUSED)
                return None
            if comment is None:  # pragma: no cover - an integrity error that was not the key
                raise
        limits.record_post(author)
        if comment.state is CommentState.PENDING:
            flash(screening.hold_message(comment.moderation_reason), "success")
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
