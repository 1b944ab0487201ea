"""Participant pages: a consultation with its sections (a section's own page, with its comment
thread, is in comments/views.py)."""
import time

from flask import Blueprint, abort, render_template
from flask_login import current_user
from markupsafe import Markup

from consult import fragments
from consult.comments.services import published_count
from consult.consultations import retention
from consult.consultations.lifecycle import State, allows
from consult.consultations.services import consultation_revision, get_consultation
from consult.i18n import current_language, offer_languages
from consult.page_cache import cached_page, read_in_autocommit
from consult.permissions import can_view, is_publicly_readable, public
from consult.summaries.planner_responses import DECISION_LABELS, responses_of
from consult.surveys.services import get_survey

blueprint = Blueprint("consultations", __name__, url_prefix="/consultations")

#: How long the comment count on a consultation's page may lag behind (seconds).
COUNT_SECONDS = 30


def _visible_consultation(slug: str):
    """The consultation if this reader may see it; drafts are 404 to everyone else."""
    consultation = get_consultation(slug)
    if consultation is None or not can_view(current_user, consultation):
        abort(404)
    return consultation


def _render_article(slug: str, language: str) -> tuple[str, Markup]:
    """(page title, article HTML) of a consultation in one language."""
    consultation = _visible_consultation(slug)
    article = render_template(
        "consultations/_article.html", consultation=consultation, language=language,
        survey=get_survey(consultation), decision_labels=DECISION_LABELS,
        planner_responses=responses_of(consultation, published_only=True),
        retention=retention.facts(consultation))
    return consultation.text("title", language).text, Markup(article)


def _comment_count(consultation_id: int) -> int:
    """Published comments, counted at most every COUNT_SECONDS per process: counting 20,000
    index entries on every view of a busy consultation would cost more than the page."""
    bucket = int(time.monotonic()) // COUNT_SECONDS
    return fragments.cached(("comment-count", consultation_id, bucket),
                            lambda: (published_count(consultation_id),))[0]


@blueprint.get("/<slug>")
@public
def show(slug: str):
    """The proposal and its sections, in the reader's language.

    The article is the same for every reader of a language, so it is rendered once per
    revision (any change bumps it) and kept, and so is the whole page for readers who are
    not signed in; drafts are always rendered afresh for staff.
    """
    read_in_autocommit()
    found = consultation_revision(slug)
    if found is None:
        abort(404)
    offer_languages(found.language_codes.split(), found.default_language)
    language = current_language()
    if not is_publicly_readable(found.state):
        # A draft: checked and rendered afresh for the staff who may preview it.
        title, article = _render_article(slug, language)
        return _page(found, slug, title, article)
    # The state is in the keys: the article says "open until" or "closed", and a closing
    # day passing changes that without a new revision.
    key = ("consultation", found.id, found.revision, found.state, language)
    count = _comment_count(found.id)
    return cached_page(key + (count,), lambda: _page(
        found, slug, *fragments.cached(key, lambda: _render_article(slug, language)), count))


def _page(found, slug: str, title: str, article: Markup, count: int | None = None) -> str:
    """The consultation page around its article."""
    return render_template("consultations/show.html", title=title, article=article,
                           draft=found.state is State.DRAFT, slug=slug,
                           comment_count=_comment_count(found.id) if count is None else count,
                           comments_open=allows(found.state, "comment"))


@blueprint.app_context_processor
def retention_helpers() -> dict:
    """raw_data_deleted_on(consultation id) for templates (the results page says it)."""
    return {"raw_data_deleted_on": retention.deleted_on}


@blueprint.get("/<slug>/privacy")
@public
def privacy(slug: str):
    """The privacy notice: what is kept of what people contribute, and until when."""
    consultation = _visible_consultation(slug)
    offer_languages(consultation.languages, consultation.default_language)
    return render_template("consultations/privacy.html", consultation=consultation,
                           retention=retention.facts(consultation),
                           language=current_language())
