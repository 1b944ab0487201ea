"""The public programme page (indicators over the published rounds, the action plan) and the
programme's open data.

The page exists for the public once a round's results are published (staff who manage the
programme see a preview before). It is kept whole for anonymous readers, keyed by the
programme's revision, every round's results stamp (summaries/stamps.py: anything a round's
results show), the language and the day (overdue marks move with it).
"""
import datetime as dt

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State, allows
from consult.extensions import db
from consult.i18n import current_language, offer_languages, text_direction
from consult.page_cache import cached_page, read_in_autocommit
from consult.permissions import can_manage_programme, public
from consult.programmes import page_text
from consult.programmes.charts import figure_text, indicator_chart, legend_text
from consult.programmes.commitments import commitments_of, is_overdue, timelines
from consult.programmes.figures import programme_figures
from consult.programmes.models import Programme, ProgrammeRound
from consult.programmes.open_data import programme_package
from consult.programmes.services import get_programme
from consult.summaries.open_data import DESCRIPTOR, licence, media_type, sha256_hex
from consult.summaries.stamps import results_facts

blueprint = Blueprint("programmes", __name__, url_prefix="/programmes")

#: Public aggregates, the same for everyone (as a round's open data).
CACHE_CONTROL = "public, max-age=300"


def _rounds(programme: Programme) -> tuple[list[ProgrammeRound], tuple]:
    """(the rounds whose results are published, a stamp of everything the page shows of
    every round: its state, revision, counts, comments and moderation)."""
    published, stamps = [], []
    for round_ in programme.rounds:
        found = results_facts(round_.consultation.slug)
        if found is None:
            continue
        facts, stamp = found
        stamps.append((round_.position, facts.id, facts.revision, facts.state.value, stamp))
        if allows(facts.state, "read_results"):
            published.append(round_)
    return published, tuple(stamps)


def _programme(slug: str) -> tuple[Programme, list[ProgrammeRound], tuple, bool]:
    """(programme, published rounds, stamp, preview): 404 for an unknown programme, and
    until a round's results are published for all but staff who manage it (a preview)."""
    read_in_autocommit()
    programme = get_programme(slug)
    if programme is None:
        abort(404)
    published, stamps = _rounds(programme)
    preview = not published
    if preview and not can_manage_programme(current_user, programme):
        abort(404)
    offer_languages(programme.languages, programme.default_language)
    return programme, published, (programme.revision, stamps), preview


def _sources(programme: Programme, rounds: dict[int, ProgrammeRound]) -> dict[int, Comment]:
    """The comments indicators were proposed from that the page may quote, by id: only those
    still published, in a round the public can read (never a draft's)."""
    ids = {i.proposal.source_comment_id for i in programme.indicators
           if i.proposal is not None and i.proposal.source_comment_id is not None}
    if not ids:
        return {}
    found = db.session.scalars(select(Comment).where(Comment.id.in_(ids),
                                                     Comment.state == CommentState.PUBLISHED))
    return {c.id: c for c in found if c.consultation_id in rounds
            and rounds[c.consultation_id].consultation.state is not State.DRAFT}


#: Rounds in each indicator's table on the programme page (the latest); its own page has all.
TABLE_ROUNDS = 4


def _item(indicator, found, texts, direction: str, language: str, detail: bool) -> dict:
    """One indicator as a page shows it: name, chart, table rows (on the programme page the
    latest TABLE_ROUNDS only, and a chart described by its ends), groups."""
    name = indicator.text("name", language)
    labels = [texts.round_label(cell.round.position) for cell in found.rounds]
    with_providers = any(cell.providers is not None for cell in found.rounds)
    k = found.rounds[-1].round.k if found.rounds else 10
    every = detail or len(found.rounds) <= TABLE_ROUNDS
    chart = indicator_chart(
        f"indicator-{indicator.id}-chart", name.text, indicator.kind.value, labels,
        [cell.community for cell in found.rounds],
        [cell.providers for cell in found.rounds] if with_providers else None, k,
        direction, ticks=[str(cell.round.position) for cell in found.rounds],
        every_figure=every, legend=detail)
    cells = list(zip(found.rounds, chart.rows))
    return {"indicator": indicator, "name": name, "chart": chart,
            "cells": cells if every else cells[-TABLE_ROUNDS:], "all_rounds": len(cells),
            "with_providers": with_providers, "detail": detail,
            "groups": texts.groups(found) if detail else [],
            "breakdown_round": found.breakdown_round}


def _render(programme: Programme, published: list[ProgrammeRound], stamp: tuple,
            preview: bool) -> str:
    language = current_language()
    direction = text_direction(language)
    indicators = list(programme.indicators)
    rounds, figures = programme_figures(indicators, published) if published else ([], [])
    commitments = commitments_of(programme)
    updates = timelines([c.id for c in commitments])
    by_consultation = {r.consultation_id: r for r in programme.rounds}
    texts = page_text.PageText(programme, language, by_consultation,
                               {r.position for r in published})
    items = [_item(indicator, found, texts, direction, language, False)
             for indicator, found in zip(indicators, figures)]
    sources = _sources(programme, by_consultation)
    package = None
    if published:
        package = programme_package(programme, published, stamp, (rounds, figures))
    today = dt.date.today()
    plan = [{"commitment": c, "overdue": is_overdue(c, today), "updates": updates[c.id],
             "answers": texts.answers(c)} for c in commitments]
    return render_template(
        "programmes/programme.html", programme=programme, preview=preview, rounds=rounds,
        items=items, plan=plan, texts=texts, sources=sources, figure_text=figure_text,
        chart_legend=legend_text(), untranslated=texts.untranslated(commitments),
        open_data=None if package is None else {
            "sha256": package.sha256, "licence": licence(programme.data_licence),
            "tables": [name[:-4] for name in package.files if name.endswith(".csv")]})


def _render_indicator(programme: Programme, published: list[ProgrammeRound],
                      indicator_id: int) -> str:
    language = current_language()
    indicator = next((i for i in programme.indicators if i.id == indicator_id), None)
    if indicator is None:
        abort(404)
    _rounds_shown, figures = programme_figures([indicator], published)
    by_consultation = {r.consultation_id: r for r in programme.rounds}
    texts = page_text.PageText(programme, language, by_consultation,
                               {r.position for r in published})
    item = _item(indicator, figures[0], texts, text_direction(language), language, True)
    return render_template(
        "programmes/indicator.html", programme=programme, item=item, texts=texts,
        sources=_sources(programme, by_consultation), figure_text=figure_text)


@blueprint.get("/<slug>")
@public
def show(slug: str):
    """The programme: its indicators over the published rounds, and its action plan."""
    programme, published, stamp, preview = _programme(slug)
    if preview:  # for its managers only: never kept for the public
        return _render(programme, published, stamp, preview)
    key = ("programme", programme.id, stamp, dt.date.today().isoformat())
    return cached_page(key, lambda: _render(programme, published, stamp, False))


@blueprint.get("/<slug>/indicators/<int:indicator_id>")
@public
def indicator(slug: str, indicator_id: int):
    """One indicator: its chart, every published round's figures, and the latest round's
    groups."""
    programme, published, stamp, preview = _programme(slug)
    if not published:
        abort(404)
    key = ("programme-indicator", programme.id, indicator_id, stamp)
    return cached_page(key, lambda: _render_indicator(programme, published, indicator_id))


@blueprint.get("/<slug>/data/<file_name>")
@public
def data(slug: str, file_name: str):
    """The programme's open data: datapackage.json, or <table>.csv / <table>.json; 404 until a
    round's results are published, for everyone."""
    read_in_autocommit()
    programme = get_programme(slug)
    if programme is None:
        abort(404)
    published, stamps = _rounds(programme)
    if not published:
        abort(404)
    package = programme_package(programme, published, (programme.revision, stamps))
    if file_name not in package.files:
        abort(404)
    body = package.files[file_name]
    response = Response(body, content_type=media_type(file_name))
    response.set_etag(sha256_hex(body))
    response.headers["Cache-Control"] = CACHE_CONTROL
    if file_name != DESCRIPTOR:
        response.headers["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response.make_conditional(request)
