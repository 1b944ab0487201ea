"""Breakdowns: every question by language, by channel and by each segment question, as fixed
tables protected with their margins fixed by the one-way lines (pure; see protection.py)."""
from dataclasses import dataclass

from consult.analysis.cell_key import shown_counts
from consult.analysis.disclosure import Hidden
from consult.analysis.tallies import quantile
from consult.summaries.figures import OF_ANSWERED, Figure, figure
from consult.summaries.protection import Crosstab, Line, LinkedTable, protect_crosstab
from consult.summaries.tally import ANSWERED, NO_ANSWER, GroupKey, QuestionInfo, Tallies


@dataclass(frozen=True)
class Dimension:
    """A fixed way to split the respondents: the rows of a breakdown."""

    kind: str  # "language", "channel" or "segment"
    key: str  # "language", "channel" or the segment question's key
    segment_id: int | None
    rows: tuple[str, ...]  # row keys; a segment's last row is NO_ANSWER
    groups: tuple[GroupKey | None, ...]  # the tally of each row (None: the NO_ANSWER row)
    line: Line  # row totals, protected


@dataclass(frozen=True)
class Breakdown:
    """One question split by one dimension: rows x columns of figures, shares of the
    respondents of the row who answered."""

    dimension: Dimension
    rows: tuple[tuple[str, Figure], ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Figure, ...], ...]
    #: number questions: each row's median (None when not published)
    medians: tuple[float | None, ...] | None
    withheld: bool


def _row_counts(dimension: Dimension, tallies: Tallies, question: QuestionInfo,
                categories: list[str], totals: list[int], source: str = "categories"
                ) -> list[list[int]]:
    """counts[row][category] of a question's categories within each row; the NO_ANSWER row
    (respondents who skipped the segment question) is what the other rows leave."""
    counts = []
    for group in dimension.groups:
        tally = tallies.groups.get(group) if group is not None else None
        found = getattr(tally, source)[question.id] if tally is not None else {}
        counts.append([found.get(category, 0) for category in categories])
    for row, group in enumerate(dimension.groups):
        if group is None:
            counts[row] = [total - sum(counts[r][n] for r in range(len(counts)) if r != row)
                           for n, total in enumerate(totals)]
    return counts


@dataclass(frozen=True)
class Plan:
    """A breakdown's protected tables before its figures are made, so that every table of a
    summary can be audited together first (protection.protect_tables_jointly)."""

    question: QuestionInfo
    line: Line
    dimension: Dimension
    columns: tuple[str, ...]
    #: the answered/no-answer or categories table, then (multiple choice) one per option;
    #: empty when the counts do not add up (the breakdown is withheld)
    tables: tuple[LinkedTable, ...]


def line_key(question_id: int, position: int, size: int) -> tuple:
    """The variable a line's count is: a category, "answered" (in a line of two: answered
    and no answer) or "no answer" of a question."""
    if position == size - 1:
        return ("skipped", question_id)
    return ("answered", question_id) if size == 2 else ("category", question_id, position)


def row_keys(dimension: Dimension) -> tuple:
    """The variables of a dimension's rows (the counts of its line)."""
    if dimension.segment_id is None:
        return tuple((dimension.kind, key) for key in dimension.rows)
    size = len(dimension.rows)
    return tuple(line_key(dimension.segment_id, n, size) for n in range(size))


def plan(question: QuestionInfo, line: Line, dimension: Dimension, tallies: Tallies, k: int,
         option_lines: dict[str, Line] | None = None, audit: bool = True) -> Plan:
    """The question (its protected line: categories then NO_ANSWER) by the dimension, as
    protected tables (audited each on its own unless audit is False: a joint audit follows)."""
    categories = question.categories()
    columns = tuple(option_lines or categories) + (NO_ANSWER,)
    counts = _row_counts(dimension, tallies, question, categories, list(line.counts[:-1]))
    for row, size in enumerate(dimension.line.counts):
        counts[row].append(size - sum(counts[row]))
    if any(c < 0 for row in counts for c in row):  # inconsistent data: publish nothing
        return Plan(question, line, dimension, columns, ())
    rows = row_keys(dimension)
    size = len(line.counts)
    main = LinkedTable(counts, protect_crosstab(counts, dimension.line, line, k, audit), rows,
                       tuple(line_key(question.id, n, size) for n in range(size)), rows)
    if question.type != "multiple_choice":
        return Plan(question, line, dimension, columns, (main,))
    table = main.table
    answered_line = Line(tuple(row[0] for row in counts),
                         tuple(table.cells[r][0] for r in range(len(counts))),
                         line.counts[0], line.shown[0],
                         {r: table.why[(r, 0)] for r in range(len(counts))
                          if (r, 0) in table.why})
    totals = [option_line.counts[0] for option_line in (option_lines or {}).values()]
    selected = _row_counts(dimension, tallies, question, list(option_lines or {}), totals,
                           source="selections")
    tables = [main]
    answered_keys = tuple(row[0] for row in main.keys())
    for n, (option, option_line) in enumerate((option_lines or {}).items()):
        option_counts = [[selected[r][n], counts[r][0] - selected[r][n]]
                         for r in range(len(counts))]
        if any(c < 0 for row in option_counts for c in row):
            return Plan(question, line, dimension, columns, ())
        tables.append(LinkedTable(
            option_counts, protect_crosstab(option_counts, answered_line, option_line, k, audit),
            answered_keys, (("chose", question.id, option), ("not", question.id, option)),
            rows))
    return Plan(question, line, dimension, columns, tuple(tables))


def render(plan: Plan, tables: list[Crosstab], tallies: Tallies, k: int) -> Breakdown:
    """The breakdown's figures from its tables as finally protected."""
    question, dimension = plan.question, plan.dimension
    if not tables:
        return _withheld(question, dimension, list(plan.columns))
    table = tables[0]
    height = len(dimension.rows)
    answered = [_answered(table.cells[r], dimension.line.shown[r]) for r in range(height)]
    withheld = any(t.withheld for t in tables)
    if question.type == "multiple_choice":
        cells = tuple(tuple(figure(t.cells[r][0], t.why.get((r, 0)), answered[r], OF_ANSWERED)
                            for t in tables[1:]) +
                      (figure(table.cells[r][1], table.why.get((r, 1))),)
                      for r in range(height))
        return Breakdown(dimension, _rows(dimension), plan.columns, cells, None, withheld)
    width = len(plan.columns)
    cells = tuple(tuple(figure(table.cells[r][c], table.why.get((r, c)),
                               answered[r] if c < width - 1 else None, OF_ANSWERED)
                        for c in range(width)) for r in range(height))
    medians = None
    if question.type in ("number", "scale"):
        medians = tuple(_median(tallies, group, question, answered[r], k)
                        for r, group in enumerate(dimension.groups))
    return Breakdown(dimension, _rows(dimension), plan.columns, cells, medians, withheld)


def breakdown(question: QuestionInfo, line: Line, dimension: Dimension, tallies: Tallies,
              k: int, option_lines: dict[str, Line] | None = None) -> Breakdown:
    """The question by the dimension, its tables protected on their own."""
    found = plan(question, line, dimension, tallies, k, option_lines)
    return render(found, [t.table for t in found.tables], tallies, k)


def _answered(cells, size_shown) -> int | None:
    """Respondents of a row who answered (the row size less its NO_ANSWER cell), when both
    are published."""
    if size_shown is None or cells[-1] is None:
        return None
    return size_shown - cells[-1]


def _rows(dimension: Dimension) -> tuple[tuple[str, Figure], ...]:
    line = dimension.line
    return tuple((key, figure(line.shown[n], line.why.get(n)))
                 for n, key in enumerate(dimension.rows))


def _median(tallies: Tallies, group, question: QuestionInfo, answered: int | None,
            k: int) -> float | None:
    """A row's median, published when at least k of its respondents answered."""
    if group is None or answered is None or answered < k or group not in tallies.groups:
        return None
    # From the published (perturbed) counts, as the headline median: from the true ones it
    # would move by exactly one record each time a known one is added to a small row.
    values = shown_counts(tallies.groups[group].values[question.id])
    return quantile(sorted(values.items()), 0.5)


def _withheld(question: QuestionInfo, dimension: Dimension, columns: list[str]) -> Breakdown:
    hidden = figure(None, Hidden.COMPLEMENTARY)
    cells = tuple(tuple(hidden for _ in columns) for _ in dimension.rows)
    return Breakdown(dimension, _rows(dimension), tuple(columns), cells, None, True)


def dimensions_of(questions: list[QuestionInfo], tallies: Tallies, lines: dict[int, Line],
                  language_line: tuple[list[str], Line], channel_line: tuple[list[str], Line]
                  ) -> list[Dimension]:
    """Language, channel (when there are at least two) and every segment question."""
    found = []
    for kind, (keys, line) in (("language", language_line), ("channel", channel_line)):
        if len(keys) >= 2:
            found.append(Dimension(kind, kind, None, tuple(keys),
                                   tuple((kind, key) for key in keys), line))
    for question in questions:
        if question.can_segment and question.id in lines:
            keys = question.categories()
            found.append(Dimension("segment", question.key, question.id,
                                   tuple(keys) + (NO_ANSWER,),
                                   tuple(("segment", question.id, key) for key in keys)
                                   + (None,), lines[question.id]))
    return found


__all__ = ["ANSWERED", "Breakdown", "Dimension", "Plan", "breakdown", "dimensions_of",
           "plan", "render"]
