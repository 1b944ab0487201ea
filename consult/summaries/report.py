"""A survey's summary as plain data: counts, shares with intervals, statistics and
breakdowns, every published count protected with the consultation's k (pure).

The same protected figures serve the public results and the planner report (planners never
see raw small counts, DESIGN §6); `quotes` (free text) are given for planners only.
"""
from collections.abc import Hashable
from dataclasses import dataclass, replace

from consult.analysis.cell_key import shown, shown_counts
from consult.analysis.disclosure import Hidden
from consult.analysis.tallies import likert_summary, number_summary, ranking_summary
from consult.summaries.breakdowns import Breakdown, Plan, dimensions_of, line_key, plan, render
from consult.summaries.figures import (
    OF_ANSWERED,
    OF_RESPONDENTS,
    SMALL,
    Figure,
    Suppression,
    figure,
)
from consult.summaries.protection import (
    Line,
    LinkedTable,
    protect_line,
    protect_lines_jointly,
    protect_tables_jointly,
)
from consult.summaries.tally import NO_ANSWER, OTHER, QuestionInfo, Tallies

#: Statistics not shown, by the reason the page gives.
TOO_FEW = "too_few"  # fewer than k answered (or their number is hidden)
WOULD_REVEAL = "would_reveal"  # a mean or share would let hidden counts be worked out


@dataclass(frozen=True)
class QuestionSummary:
    """One question: who answered, its figures, statistics and breakdowns."""

    info: QuestionInfo
    answered: Figure
    skipped: Figure
    #: per category (option, scale point, first choice) or, for multiple choice, per option
    categories: tuple[tuple[str, Figure], ...]
    #: Likert: {"mean": float | None, "agreeing": Figure | None}
    likert: dict | None
    #: numbers and scales: {"mean", "q1", "median", "q3"}, None where not shown
    numbers: dict | None
    #: ranking: one {"key", "mean_rank", "borda", "ranked_by"} per option, best first
    ranking: tuple[dict, ...] | None
    notes: tuple[str, ...]
    quotes: tuple[str, ...]
    breakdowns: tuple[Breakdown, ...]


@dataclass(frozen=True)
class Summary:
    """A whole survey's summary."""

    k: int
    respondents: Figure
    languages: tuple[tuple[str, Figure], ...]
    channels: tuple[tuple[str, Figure], ...]
    questions: tuple[QuestionSummary, ...]
    suppression: Suppression


def _ordered(preferred: list[str], sizes: dict, kind: str) -> list[str]:
    """Keys of one kind of group with respondents, in the preferred order, others after."""
    present = [key[1] for key, n in sizes.items() if key[0] == kind and n > 0]
    return [k for k in preferred if k in present] + sorted(k for k in present
                                                           if k not in preferred)


def _line_figures(keys: list[str], line: Line) -> tuple[tuple[str, Figure], ...]:
    total = line.total_shown
    return tuple((key, figure(line.shown[n], line.why.get(n), total, OF_RESPONDENTS))
                 for n, key in enumerate(keys))


def build_summary(questions: list[QuestionInfo], tallies: Tallies, k: int,
                  quotes: dict[int, list[str]] | None = None, languages: list[str] = (),
                  channels: list[str] = ()) -> Summary:
    """The protected summary of tallied counts; quotes only for the planner report."""
    respondents = tallies.respondents
    total_hidden = 0 < respondents < k
    suppression = Suppression()
    language_keys = _ordered(list(languages), tallies.sizes, "language")
    channel_keys = _ordered(list(channels), tallies.sizes, "channel")
    language_line = protect_line([tallies.sizes[("language", c)] for c in language_keys], k,
                                 total_hidden)
    channel_line = protect_line([tallies.sizes[("channel", c)] for c in channel_keys], k,
                                total_hidden)
    lines = {q.id: _question_line(q, tallies, k, total_hidden) for q in questions
             if q.summarised}
    # The lines share their totals: audit them together before any breakdown uses them.
    linked = _LinkedLines(respondents, total_hidden, language_keys, channel_keys)
    values, published, rules = linked.system(language_line, channel_line, lines)
    hide = protect_lines_jointly(values, published, [r for group in rules.values() for r in group],
                                 k, {linked.respondents})
    language_line, channel_line, lines = linked.hide(hide, language_line, channel_line, lines)
    dimensions = dimensions_of(questions, tallies, {q: pair[0] for q, pair in lines.items()},
                               (language_keys, language_line),
                               (channel_keys, channel_line))
    plans = [plan(q, lines[q.id][0], d, tallies, k, lines[q.id][1], False) for q in questions
             if q.summarised for d in dimensions if d.segment_id != q.id]
    tables = _protect_tables(plans, linked.system(language_line, channel_line, lines), k)
    breakdowns: dict[int, list[Breakdown]] = {}
    for n, found in enumerate(plans):
        rendered = render(found, [t.table for t in tables[n]], tallies, k)
        breakdowns.setdefault(found.question.id, []).append(rendered)
    summaries = []
    for question in questions:
        if question.summarised:
            summaries.append(_question(question, lines[question.id], k,
                                       breakdowns.get(question.id, []), tallies,
                                       (quotes or {}).get(question.id, []), suppression))
    figures = (_line_figures(language_keys, language_line),
               _line_figures(channel_keys, channel_line))
    for items in figures:
        suppression.count(f for _, f in items)
    shown_total = None if total_hidden else respondents
    return Summary(k, figure(shown_total) if shown_total is not None else Figure(None, SMALL),
                   *figures, tuple(summaries), suppression)


def _question_line(question: QuestionInfo, tallies: Tallies, k: int, total_hidden: bool
                   ) -> tuple[Line, dict[str, Line], Line]:
    """(the question's line: its categories then NO_ANSWER; for multiple choice a line per
    option: chose it or not, among those who answered; the line answered / no answer).

    Answered and no answer are protected first, then the categories within those who
    answered, so the number who answered is itself a protected count."""
    found = tallies.everyone.categories[question.id]
    counts = [found.get(c, 0) for c in question.categories()]
    answered = sum(counts) if question.type != "multiple_choice" else counts[0]
    top = protect_line([answered, tallies.respondents - answered], k, total_hidden)
    options = {}
    if question.type == "multiple_choice":
        chosen = tallies.everyone.selections[question.id]
        options = {o: protect_line([chosen.get(o, 0), answered - chosen.get(o, 0)], k,
                                   top.shown[0] is None) for o in question.options}
        return top, options, top
    if len(counts) == 1:
        return top, options, top
    inner = protect_line(counts, k, top.shown[0] is None)
    why = dict(inner.why)
    why.pop(len(counts), None)
    if 1 in top.why:
        why[len(counts)] = top.why[1]
    line = Line(tuple(counts) + (top.counts[1],), inner.shown + (top.shown[1],),
                top.total, top.total_shown, why)
    return line, options, top


def _protect_tables(plans: list[Plan], lines: tuple, k: int) -> list[list[LinkedTable]]:
    """Each plan's tables after the LP audit, each breakdown's tables jointly with the lines
    their margins are counts of (two segment questions' breakdowns by each other together:
    they are the same counts transposed).

    That is as strict as auditing every table of a question at once: lines are audited
    jointly first, and a line count hidden there hides its whole row or column in every
    breakdown, so any margins the lines allow can be filled in, in every other table (the
    published block kept, the hidden rows and columns taking the rest, whose total the
    published margins fix). The other tables therefore narrow nothing further, and each
    group of tables needs only its own, small, programs."""
    values, published, rules = lines
    groups: dict[Hashable, list[int]] = {}
    for n, found in enumerate(plans):
        transposed = found.question.can_segment and found.dimension.segment_id is not None
        pair = frozenset({found.question.id, found.dimension.segment_id})
        groups.setdefault(pair if transposed else n, []).append(n)
    tables = [list(found.tables) for found in plans]
    for members in groups.values():
        owners = {key for n in members for key in (
            plans[n].question.id, plans[n].dimension.segment_id or plans[n].dimension.kind)}
        mine = [(n, m) for n in members for m in range(len(plans[n].tables))]
        if not mine:
            continue
        audited = protect_tables_jointly(
            values, published, [rule for key in owners for rule in rules.get(key, ())],
            [tables[n][m] for n, m in mine], k)
        for (n, m), table in zip(mine, audited):
            tables[n][m] = replace(tables[n][m], table=table)
    return tables


class _LinkedLines:
    """The summary's one-way lines as variables and sum rules for the joint audit: languages
    and channels add up to the respondents; a question's answered and no answer too, its
    categories (or each option's chose / did not) to those who answered."""

    respondents = ("respondents",)

    def __init__(self, respondents: int, total_hidden: bool, languages: list[str],
                 channels: list[str]) -> None:
        self.count, self.total_hidden = respondents, total_hidden
        self.groups = {"language": languages, "channel": channels}

    def system(self, language: Line, channel: Line,
               lines: dict[int, tuple[Line, dict[str, Line], Line]]):
        """(values, published, rules) of every line."""
        values = {self.respondents: self.count}
        published = set() if self.total_hidden else {self.respondents}
        rules: dict[int | str, list] = {}

        def add(owner: int | str, keys: list, line: Line, whole: tuple) -> None:
            values.update(zip(keys, line.counts))
            published.update(key for key, shown in zip(keys, line.shown) if shown is not None)
            rules.setdefault(owner, []).append((keys, whole))

        for kind, line in (("language", language), ("channel", channel)):
            if self.groups[kind]:
                add(kind, [(kind, key) for key in self.groups[kind]], line, self.respondents)
        for question, (line, options, top) in lines.items():
            answered = ("answered", question)
            add(question, [answered, ("skipped", question)], top, self.respondents)
            if line is not top:
                size = len(line.counts)
                add(question, [line_key(question, n, size) for n in range(size - 1)],
                    Line(line.counts[:-1], line.shown[:-1], 0, None, {}), answered)
            for option, option_line in options.items():
                add(question, [("chose", question, option), ("not", question, option)],
                    option_line, answered)
        return values, published, rules

    def hide(self, keys: set, language: Line, channel: Line,
             lines: dict[int, tuple[Line, dict[str, Line], Line]]):
        """The lines again with the counts of keys hidden too."""
        if not keys:
            return language, channel, lines

        def hidden(line: Line, names: list, total: bool = False) -> Line:
            why = dict(line.why)
            why.update({n: Hidden.COMPLEMENTARY for n, key in enumerate(names) if key in keys
                        and n not in why})
            shown = tuple(None if n in why else c for n, c in enumerate(line.counts))
            return Line(line.counts, shown, line.total, None if total else line.total_shown,
                        why)

        language = hidden(language, [("language", c) for c in self.groups["language"]])
        channel = hidden(channel, [("channel", c) for c in self.groups["channel"]])
        found = {}
        for question, (line, options, top) in lines.items():
            answered = ("answered", question)
            new_top = hidden(top, [answered, ("skipped", question)])
            size = len(line.counts)
            new_line = new_top if line is top else \
                hidden(line, [line_key(question, n, size) for n in range(size)])
            total = new_top.shown[0] is None
            found[question] = (new_line, {o: hidden(ol, [("chose", question, o),
                                                       ("not", question, o)], total)
                                          for o, ol in options.items()}, new_top)
        return language, channel, found


def _question(question: QuestionInfo, lines: tuple[Line, dict[str, Line], Line], k: int,
              breakdowns: list[Breakdown], tallies: Tallies, quotes: list[str],
              suppression: Suppression) -> QuestionSummary:
    line, option_lines, top = lines
    respondents = line.total_shown
    skipped = figure(top.shown[1], top.why.get(1), respondents, OF_RESPONDENTS)
    answered_count, answered_shown = top.counts[0], top.shown[0]
    base, base_kind = (answered_shown, OF_ANSWERED) if answered_shown is not None \
        else (respondents, OF_RESPONDENTS)
    answered = figure(answered_shown, top.why.get(0), respondents, OF_RESPONDENTS)
    if option_lines:
        categories = tuple((o, figure(ol.shown[0], ol.why.get(0), base, base_kind))
                           for o, ol in option_lines.items())
        suppression.count(f for ol in option_lines.values()
                          for f in (figure(v, ol.why.get(n)) for n, v in enumerate(ol.shown)))
    else:
        categories = tuple((c, figure(line.shown[n], line.why.get(n), base, base_kind))
                           for n, c in enumerate(question.categories()))
    inner = [f for _, f in categories] if line is not top else []  # else counted already
    suppression.count([answered, skipped, *inner])
    notes: list[str] = []
    stats = _statistics(question, line, tallies, k, answered_shown, answered_count, notes)
    suppression.statistics += len(notes)
    suppression.notes.update(notes)
    for table in breakdowns:
        suppression.withheld_tables += table.withheld
        suppression.count(f for row in table.cells for f in row)
    text = question.type in ("short_text", "long_text")
    return QuestionSummary(question, answered, skipped, categories, *stats, tuple(notes),
                           tuple(quotes) if text else (), tuple(breakdowns))


def _statistics(question: QuestionInfo, line: Line, tallies: Tallies, k: int,
                answered: int | None, answered_count: int, notes: list[str]):
    """(likert, numbers, ranking) statistics, each only where it reveals no hidden count."""
    likert = numbers = ranking = None
    enough = answered is not None and answered >= k
    every_count_shown = all(v is not None for v in line.shown)
    if question.type == "likert":
        # From the published (perturbed) counts, so the statistic reveals no exact count.
        points = {n + 1: shown(line.counts[n]) for n, key in enumerate(question.categories())
                  if key != OTHER}
        result = likert_summary(points, agree_from=(len(points) + 3) // 2)
        if enough and every_count_shown:
            agreeing = result.agreeing
            likert = {"mean": result.mean,
                      "agreeing": figure(agreeing.count, None, answered, OF_ANSWERED)}
        else:
            likert = {"mean": None, "agreeing": None}
            notes.append(TOO_FEW if not enough else WOULD_REVEAL)
    elif question.type in ("number", "scale"):
        values = shown_counts(tallies.everyone.values[question.id])  # as published
        result = number_summary(sorted(values.items()))
        if enough:
            mean_ok = question.type == "number" or every_count_shown
            numbers = {"mean": result.mean if mean_ok else None, "q1": result.q1,
                       "median": result.median, "q3": result.q3}
            if not mean_ok:
                notes.append(WOULD_REVEAL)
        else:
            numbers = {"mean": None, "q1": None, "median": None, "q3": None}
            notes.append(TOO_FEW)
    elif question.type == "ranking":
        ranking = _ranking(question, line, tallies, k, answered, answered_count, notes)
    return likert, numbers, ranking


def _ranking(question, line, tallies, k, answered, answered_count, notes) -> tuple[dict, ...]:
    """Mean rank and Borda score of each option, shown when every count they are made of
    (its ranks, and how many ranked it or not) is zero or at least k."""
    ranks = tallies.everyone.ranks[question.id]
    result = ranking_summary({o: shown_counts(ranks.get(o, {})) for o in question.options},
                             len(question.options))  # scored from the published counts
    first = dict(zip(question.categories(), line.shown))

    def safe(count: int) -> bool:
        return count == 0 or count >= k

    rows = []
    for option in result:
        ranked_by = sum(ranks.get(option.key, {}).values())  # the true count decides
        ok = (answered is not None and first.get(option.key) is not None
              and all(safe(n) for n in ranks.get(option.key, {}).values())
              and safe(ranked_by) and safe(answered_count - ranked_by))
        rows.append({"key": option.key, "mean_rank": option.mean_rank if ok else None,
                     "borda": option.borda if ok else None,
                     "ranked_by": option.ranked_by if ok else None})
        if not ok and answered is not None and ranked_by:
            notes.append(WOULD_REVEAL)
    if answered is None or answered < k:
        notes.append(TOO_FEW)
    return tuple(rows)


__all__ = ["NO_ANSWER", "QuestionSummary", "Summary", "build_summary"]
