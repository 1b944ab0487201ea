"""The bridge from the database to a programme's figures: each indicator in each published
round, from the round's published summary only, beside the providers' self-assessment.

The community's score is made of the very counts the round's public results page shows
(summaries.services.summary_for, planner=False: the same k suppression, the same cell-key
perturbation, the frozen figures once the raw data is purged), fed to the pure
analysis.indicators.round_score. A count hidden on the round's page hides the score here,
with the reason; a round whose results are not published gives nothing at all, not even n.
Everything is read from the stored tallies through the summaries' cache: nothing here loops
over responses.
"""
from dataclasses import dataclass, replace

from consult.analysis.indicators import (
    CHOICE,
    HIDDEN_ROUND,
    LIKERT,
    NO_ANSWERS,
    Change,
    IndicatorSpec,
    RoundScore,
    change,
    round_score,
)
from consult.programmes.indicators import self_assessment_counts
from consult.programmes.models import Indicator, IndicatorKind, ProgrammeRound
from consult.summaries.figures import SMALL, Figure
from consult.summaries.report import TOO_FEW, WOULD_REVEAL, QuestionSummary, Summary
from consult.summaries.services import Meta, summary_for
from consult.summaries.tally import NO_ANSWER
from consult.surveys.services import get_survey

#: Providers' scores are published whatever their number (k = 1): they are staff speaking
#: for their institution, shown as an aggregate with its n, never per person.
PROVIDER_K = 1


@dataclass(frozen=True)
class RoundInfo:
    """A published round as the programme page and its open data name it."""

    position: int
    slug: str
    k: int
    #: Whether the round's published counts are perturbed by cell keys.
    perturbed: bool
    #: The keys of the questions its public results page has a page for.
    question_keys: frozenset[str]


@dataclass(frozen=True)
class IndicatorRound:
    """One indicator in one published round."""

    round: RoundInfo
    #: None when the round's survey does not ask the indicator's question.
    community: RoundScore | None
    #: None when no provider scored it.
    providers: RoundScore | None
    #: From the previous published round that asked it (None for the first).
    change: Change | None
    previous_position: int | None


@dataclass(frozen=True)
class GroupScore:
    """The indicator's score in one group of the latest round's breakdowns."""

    kind: str  # "language", "channel" or "segment"
    dimension_key: str  # "language", "channel" or the segment question's key
    segment_id: int | None
    group: str  # a language code, a channel, a segment option key or no_answer
    score: RoundScore


@dataclass(frozen=True)
class IndicatorFigures:
    """An indicator over the published rounds, and its breakdowns in the latest of them."""

    indicator_id: int
    rounds: tuple[IndicatorRound, ...]
    #: The latest round with a summary of the question, and its groups' scores.
    breakdown_round: RoundInfo | None
    groups: tuple[GroupScore, ...]


def spec_of(indicator: Indicator, option_keys: tuple[str, ...]) -> IndicatorSpec:
    """What round_score needs of an indicator; option_keys: its question's options in order
    (the Likert order, lowest first)."""
    kind = indicator.kind.value
    return IndicatorSpec(kind, indicator.direction.value,
                         tuple(option_keys) if kind == LIKERT else (),
                         frozenset(indicator.favourable or ()) if kind == CHOICE else frozenset())


def _hidden(spec: IndicatorSpec, why: str) -> RoundScore:
    return RoundScore(spec.kind, spec.direction, None, None, None, why)


def _scored(spec: IndicatorSpec, answered: Figure, cells: list[tuple[str, Figure]],
            k: int) -> RoundScore:
    """The score of published figures: hidden when the number who answered is, or when any
    count it would be made of is (the score would let it be worked out)."""
    if answered.count is None:
        return _hidden(spec, TOO_FEW if answered.hidden == SMALL else WOULD_REVEAL)
    if any(f.count is None for _key, f in cells):
        return _hidden(spec, WOULD_REVEAL)
    if not any(f.count for _key, f in cells):
        return RoundScore(spec.kind, spec.direction, 0, None, None, NO_ANSWERS)
    # Perturbed counts, as published; "other" counts against a single choice's favourable
    # share and is no point of a Likert or scale (round_score reads only their own keys).
    return round_score(spec, {key: f.count for key, f in cells}, k)


def community_score(spec: IndicatorSpec, item: QuestionSummary, k: int) -> RoundScore:
    """The community's score from a question's published summary."""
    return _scored(spec, item.answered, list(item.categories), k)


def group_scores(spec: IndicatorSpec, item: QuestionSummary, k: int) -> list[GroupScore]:
    """The score in each row of the question's published breakdowns (a row whose counts are
    hidden is hidden, with the reason)."""
    found = []
    for table in item.breakdowns:
        dimension = table.dimension
        columns = list(table.columns)
        for r, (group, size) in enumerate(table.rows):
            cells = [(c, f) for c, f in zip(columns, table.cells[r]) if c != NO_ANSWER]
            if size.count == 0:  # a group nobody is in: nothing to say
                continue
            if size.count is None:
                score = _hidden(spec, TOO_FEW if size.hidden == SMALL else WOULD_REVEAL)
            else:
                answered = sum(f.count or 0 for _c, f in cells)
                score = _scored(spec, Figure(answered), cells, k)
            found.append(GroupScore(dimension.kind, dimension.key, dimension.segment_id,
                                    group, score))
    return found


def _round_summaries(rounds: list[ProgrammeRound]) -> list[tuple[RoundInfo, dict, Summary,
                                                                  Meta] | None]:
    found = []
    for round_ in rounds:
        consultation = round_.consultation
        survey = get_survey(consultation)
        if survey is None:
            found.append(None)
            continue
        summary, meta = summary_for(consultation, survey, planner=False)
        options = {q.key: tuple(o.key for o in q.options) for q in survey.questions}
        info = RoundInfo(round_.position, consultation.slug, summary.k, meta.perturbed,
                         frozenset(item.info.key for item in summary.questions))
        found.append((info, options, summary, meta))
    return found


def _change(previous: RoundScore, current: RoundScore) -> Change:
    """change(), naming a round hidden to protect a count (not only for too few) as hidden."""
    moved = change(previous, current)
    protected = {previous.hidden, current.hidden} - {None, NO_ANSWERS}
    if moved.reason == NO_ANSWERS and protected:
        return replace(moved, reason=HIDDEN_ROUND)
    return moved


def programme_figures(indicators: list[Indicator], published: list[ProgrammeRound]
                      ) -> tuple[list[RoundInfo], list[IndicatorFigures]]:
    """(the published rounds, each indicator's figures over them), from their published
    summaries and the providers' self-assessments (one grouped query)."""
    summaries = _round_summaries(published)
    providers = self_assessment_counts([r.id for r in published])
    rounds = [s[0] if s is not None else RoundInfo(r.position, r.consultation.slug,
                                                   r.consultation.min_cell_size, False,
                                                   frozenset())
              for r, s in zip(published, summaries)]
    figures = []
    for indicator in indicators:
        cells: list[IndicatorRound] = []
        previous: IndicatorRound | None = None
        latest = None
        for round_, info, found in zip(published, rounds, summaries):
            item = None
            if found is not None:
                item = next((q for q in found[2].questions
                             if q.info.key == indicator.question_key), None)
            spec = spec_of(indicator, found[1].get(indicator.question_key, ())
                           if found is not None else ())
            community = community_score(spec, item, info.k) if item is not None else None
            counts = providers.get((round_.id, indicator.id))
            theirs = round_score(spec, counts, PROVIDER_K) if counts else None
            moved = None
            if community is not None and previous is not None:
                moved = _change(previous.community, community)
            entry = IndicatorRound(info, community, theirs, moved,
                                   previous.round.position if moved is not None else None)
            cells.append(entry)
            if community is not None:
                previous, latest = entry, (info, spec, item)
        groups = group_scores(latest[1], latest[2], latest[0].k) if latest else []
        figures.append(IndicatorFigures(indicator.id, tuple(cells),
                                        latest[0] if latest else None, tuple(groups)))
    return rounds, figures


def measure(kind: IndicatorKind) -> str:
    """What an indicator's figure is: a favourable share (0-1) or a mean (0-10)."""
    return "mean" if kind is IndicatorKind.SCALE else "share_favourable"
