"""What the public programme page says, in the reader's language: round names, changes in
words, where an indicator came from, what a commitment answers, breakdown labels."""
from flask import url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.analysis.indicators import (
    BETTER,
    CHOICE,
    HIDDEN_ROUND,
    MIXED,
    NO_ANSWERS,
    NO_VARIATION,
    NOT_COMPARABLE,
    SCALE,
    WORSE,
    Change,
)
from consult.comments.models import Comment
from consult.programmes.figures import IndicatorFigures
from consult.programmes.indicators import question_in
from consult.programmes.models import (
    Commitment,
    Indicator,
    LinkKind,
    Programme,
    ProgrammeRound,
    ProposalSource,
)
from consult.summaries.labels import template_helpers
from consult.surveys.services import get_survey

#: The parts of a commitment a timeline entry changed, as the page names them.
CHANGED = {
    "status": _l("status"), "progress": _l("progress"), "due": _l("due date"),
    "responsible": _l("who is responsible"), "title": _l("title"),
    "description": _l("description"), "links": _l("what it answers"),
}
#: Why a change between rounds has no test or no verdict.
CHANGE_REASONS = {
    HIDDEN_ROUND: _l("not tested: one of the two rounds is hidden"),
    NO_ANSWERS: _l("not tested: no answers"),
    NO_VARIATION: _l("not tested: every answer was the same"),
    NOT_COMPARABLE: _l("not tested: the rounds asked it differently"),
    MIXED: _l("no clear change: the answers and the figure moved different ways"),
}


class PageText:
    """The page's words for one programme, language and set of rounds."""

    def __init__(self, programme: Programme, language: str,
                 rounds: dict[int, ProgrammeRound], published: set[int]) -> None:
        self.programme, self.language = programme, language
        self.rounds, self.published = rounds, published
        self.indicators = {i.id: i for i in programme.indicators}
        self.statuses = {s.key: s for s in programme.statuses}
        self._helpers: dict[int, dict] = {}  # a round's label helpers, made once

    def round_label(self, position: int) -> str:
        """"Round 3"."""
        return _("Round %(number)s", number=format_decimal(position))

    def change(self, moved: Change | None, kind: str) -> str:
        """A change from the previous round in words: difference, p-value, verdict."""
        if moved is None:
            return ""
        if moved.difference is None or moved.p_value is None:
            return str(CHANGE_REASONS.get(moved.reason, _("not tested")))
        if kind == SCALE:
            difference = format_decimal(moved.difference, format="+0.0;-0.0")
        else:
            # Translators: a change of a share in percentage points, e.g. "+5 points".
            difference = _("%(points)s points",
                           points=format_decimal(moved.difference * 100, format="+0;-0"))
        p = _("p < 0.001") if moved.p_value < 0.001 else \
            _("p = %(p)s", p=format_decimal(moved.p_value, format="0.000"))
        if moved.verdict == BETTER:
            verdict = _("better")
        elif moved.verdict == WORSE:
            verdict = _("worse")
        else:
            verdict = str(CHANGE_REASONS[MIXED]) if moved.reason == MIXED \
                else _("no clear change")
        # Translators: a change between rounds, e.g. "+5 points, p = 0.012: better".
        return _("%(difference)s, %(p)s: %(verdict)s", difference=difference, p=p,
                 verdict=verdict)

    def method(self, kind: str) -> str:
        """The test of an indicator's changes."""
        return _("two-proportion test") if kind == CHOICE else _("Mann-Whitney test")

    def origin(self, indicator: Indicator, sources: dict[int, Comment]) -> tuple[str, str]:
        """(what the page says of where an indicator came from, the community's words or "")."""
        proposal = indicator.proposal
        if proposal is None or proposal.source is ProposalSource.HOST:
            return _("Set by the host."), ""
        found = self.rounds.get(proposal.source_consultation_id)
        where = self.round_label(found.position) if found is not None else ""
        if proposal.source is ProposalSource.THEME:
            return (_("Proposed from a theme of the comments (%(round)s):", round=where),
                    proposal.source_theme_name or "")
        comment = sources.get(proposal.source_comment_id)
        if comment is None:  # withdrawn, hidden or never public: its words are not shown
            return _("Proposed from a comment (%(round)s) that is no longer published.",
                     round=where), ""
        return _("Proposed from a comment (%(round)s):", round=where), comment.body

    def groups(self, found: IndicatorFigures) -> list[tuple[str, list[tuple[str, object]]]]:
        """The latest round's breakdown scores as (table title, [(group label, score)])."""
        if found.breakdown_round is None or not found.groups:
            return []
        position = found.breakdown_round.position
        if position not in self._helpers:
            round_ = next(r for r in self.rounds.values() if r.position == position)
            self._helpers[position] = template_helpers(get_survey(round_.consultation))
        helpers = self._helpers[position]
        tables: dict[tuple, tuple[str, list]] = {}
        for group in found.groups:
            dimension = _Dimension(group.kind, group.dimension_key, group.segment_id)
            title = helpers["dimension_title"](dimension)
            tables.setdefault((group.kind, group.dimension_key), (title, []))[1].append(
                (helpers["row_label"](dimension, group.group), group.score))
        return list(tables.values())

    def answers(self, commitment: Commitment) -> list[tuple[str, str | None]]:
        """What a commitment answers, as (label, link or None)."""
        found = []
        for link in commitment.links:
            if link.kind is LinkKind.INDICATOR:
                indicator = self.indicators.get(link.indicator_id)
                if indicator is not None:
                    found.append((indicator.text("name", self.language).text,
                                  f"#indicator-{indicator.id}"))
                continue
            round_ = self.rounds.get(link.consultation_id)
            if round_ is None:
                continue
            slug = round_.consultation.slug
            public = round_.position in self.published
            where = self.round_label(round_.position)
            if link.kind is LinkKind.QUESTION:
                question = question_in(round_.consultation, link.key)
                label = question.text("label", self.language).text if question else link.key
                found.append((_("%(question)s (%(round)s)", question=label, round=where),
                              url_for("summaries.question_results", slug=slug, key=link.key)
                              if public else None))
            elif link.kind is LinkKind.THEME:
                found.append((_("A theme of the comments (%(round)s)", round=where),
                              url_for("summaries.results", slug=slug) if public else None))
            else:
                found.append((_("A statement (%(round)s)", round=where),
                              url_for("comments.comment", slug=slug, comment_id=link.comment_id)
                              if public else None))
        return found

    def status_label(self, key: str) -> str:
        """A status's label in the reader's language (its key when it is gone)."""
        status = self.statuses.get(key)
        return status.text("label", self.language).text if status is not None else key

    def changed(self, parts: list[str]) -> list[str]:
        """The changed parts' names."""
        return [str(CHANGED.get(part, part)) for part in parts]

    def untranslated(self, commitments: list[Commitment]) -> bool:
        """Whether some of the page's host-written text is missing in the reader's language."""
        return any(item.missing_in(self.language) for item in
                   [self.programme, *self.programme.indicators, *commitments])


class _Dimension:
    """What the summary's label helpers read of a breakdown's dimension."""

    def __init__(self, kind: str, key: str, segment_id: int | None) -> None:
        self.kind, self.key, self.segment_id = kind, key, segment_id

