"""Disclosure control across a whole summary, built on analysis.disclosure (pure: no Flask,
no SQL).

Every published table counts the same respondents, so tables share margins: a question's
one-way counts are the column totals of each of its breakdowns, a segment's counts their row
totals. Protecting each table on its own would let a reader take a margin one table hides
from another that publishes it. So the margins are decided once, by the one-way lines, and
each breakdown is protected with those margins fixed:

1. a line (a partition of the respondents: a question's options and "no answer", the
   languages, the channels) is protected by protect_counts;
2. a breakdown (two lines crossed): every cell of a row or column whose margin its line hides
   is hidden (a hidden total hides its line, so no other breakdown can pin it down), and so
   is every count from 1 to k-1; then the sum rules are checked with the lines' margins as
   published. If a hidden count is still determined, protect_table's complementary cells
   are hidden too, then the cells of the lines whose margins protect_table hid; if even that
   fails, every cell is withheld;
3. the table is then audited by linear programming (analysis.disclosure_audit): every hidden
   count, and every sum of hidden cells of one row or column, must keep a range at least k
   wide given the published margins; while one does not, the cheapest further cell of its
   row or column is hidden, and when none is left the table is withheld.

Tables protected one by one can still narrow each other's hidden counts through the margins
they share (or, for two segment questions, through the same cells transposed). So once every
table of a summary is built, `protect_lines_jointly` and `protect_tables_jointly` audit them
all together, each count a variable keyed by what it counts, and hide more the same way.
"""
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from consult.analysis.disclosure import (
    Hidden,
    determined,
    hidden_sum_complements,
    protect_counts,
    protect_table,
)
from consult.analysis.disclosure_audit import Table, repair


@dataclass(frozen=True)
class Line:
    """Counts per category of one partition, and what of them is published (None: hidden)."""

    counts: tuple[int, ...]
    shown: tuple[int | None, ...]
    total: int
    total_shown: int | None
    #: category index (len(counts) for the total) -> why it is hidden
    why: dict[int, Hidden]


def protect_line(counts: list[int], k: int, total_hidden: bool | None = None) -> Line:
    """Protect counts that add up to a total; total_hidden fixes the total's fate when another
    line decided it (None: decide here)."""
    table = protect_counts(list(counts), k)
    why = {row: reason for (row, _), reason in table.why.items()}
    size = len(counts)
    if total_hidden:
        why.setdefault(size, Hidden.SMALL if 0 < sum(counts) < k else Hidden.COMPLEMENTARY)
        if not any(n in why for n in range(size)):
            # With the total hidden, publishing every part would give it away.
            candidates = [n for n in range(size) if counts[n] > 0]
            if candidates:
                why[min(candidates, key=lambda n: (counts[n], n))] = Hidden.COMPLEMENTARY
    elif total_hidden is False:
        why.pop(size, None)
    for n in hidden_sum_complements(list(counts) + [sum(counts)], set(why), k):
        why[n] = Hidden.COMPLEMENTARY
    shown = tuple(None if n in why else count for n, count in enumerate(counts))
    total = sum(counts)
    return Line(tuple(counts), shown, total, None if size in why else total, why)


@dataclass(frozen=True)
class Crosstab:
    """A breakdown: rows x columns of counts, None where hidden (see why)."""

    cells: tuple[tuple[int | None, ...], ...]
    #: (row, column) -> why the cell is hidden
    why: dict[tuple[int, int], Hidden]
    #: True when every cell had to be withheld.
    withheld: bool


def protect_crosstab(counts: list[list[int]], rows: Line, columns: Line, k: int,
                     audit: bool = True) -> Crosstab:
    """Protect a rows x columns table whose margins are the lines rows and columns (their
    counts must be its row and column sums); audit False leaves the LP audit to a joint one
    (protect_tables_jointly)."""
    height, width = len(counts), len(counts[0]) if counts else 0
    if not height or not width:
        return Crosstab(tuple(tuple(row) for row in counts), {}, False)
    table = protect_table(counts, k)
    hidden_rows = {i for i in range(height) if rows.shown[i] is None}
    hidden_columns = {j for j in range(width) if columns.shown[j] is None}
    margins = {(i, width) for i in hidden_rows} | {(height, j) for j in hidden_columns}
    if rows.total_shown is None:
        margins.add((height, width))
    inner = {cell for cell in table.why if cell[0] < height and cell[1] < width}
    lines = _whole(hidden_rows, hidden_columns, height, width)
    small = {(i, j) for i in range(height) for j in range(width) if 0 < counts[i][j] < k}
    first = inner | lines
    second = first | _whole({i for i in range(height) if (i, width) in table.why},
                            {j for j in range(width) if (height, j) in table.why},
                            height, width)
    everything = {(i, j) for i in range(height) for j in range(width)}
    # What must stay unknown: every small count, and the hidden margins (a margin another
    # table hides protects counts there). A determined zero or large complement gives
    # nothing away by itself (the small counts it would expose are checked directly), and
    # hiding it would be for show: it is published.
    sensitive = small | margins
    attempts = (small | lines, first, second, everything)
    for hidden in attempts:
        exposed = determined((height + 1, width + 1), sorted(hidden | margins))
        if not sensitive.intersection(exposed):
            break
    else:  # cannot happen with two rows and two columns; publish nothing more, to be safe
        exposed = []
    withheld = hidden is everything and everything not in attempts[:2]
    hidden = hidden - set(exposed)
    why = {cell: Hidden.SMALL if cell in small and cell not in lines and not withheld
           else Hidden.COMPLEMENTARY for cell in hidden}
    if audit and not withheld:
        withheld = _audit_alone(counts, rows, columns, why, k)
    cells = tuple(tuple(None if (i, j) in why else counts[i][j] for j in range(width))
                  for i in range(height))
    return Crosstab(cells, why, withheld)


def _audit_alone(counts: list[list[int]], rows: Line, columns: Line,
                 why: dict[tuple[int, int], Hidden], k: int) -> bool:
    """Hide further cells (in why) until the table with its lines passes the LP audit;
    True when the whole table had to be withheld."""
    height, width = len(counts), len(counts[0])
    row_keys = tuple(("row", i) for i in range(height))
    column_keys = tuple(("column", j) for j in range(width))
    linked = LinkedTable(counts, Crosstab((), why, False), row_keys, column_keys, row_keys)
    values = linked.values()
    values.update({("row", i): rows.counts[i] for i in range(height)})
    values.update({("column", j): columns.counts[j] for j in range(width)})
    values["total"] = rows.total
    published = {("row", i) for i in range(height) if rows.shown[i] is not None}
    published |= {("column", j) for j in range(width) if columns.shown[j] is not None}
    published |= {"total"} if rows.total_shown is not None else set()
    rules = [(linked.rows, "total"), (linked.columns, "total")]
    (table,) = protect_tables_jointly(values, published, rules, [linked], k)
    why.update(table.why)
    return table.withheld


def cell_key(row: Hashable, column: Hashable) -> Hashable:
    """The variable of the respondents in both a row and a column: the same in a table and
    in its transpose (a segment question broken down by another, and the other way)."""
    return ("cell", frozenset((row, column)))


@dataclass(frozen=True)
class LinkedTable:
    """A protected crosstab with the variables its margins and cells count."""

    counts: list[list[int]]
    table: Crosstab
    rows: tuple[Hashable, ...]  # the row margins' variables
    columns: tuple[Hashable, ...]  # the column margins' variables
    cell_rows: tuple[Hashable, ...]  # what each row counts, for its cells' variables

    def keys(self) -> list[list[Hashable]]:
        """Each cell's variable."""
        return [[cell_key(row, column) for column in self.columns] for row in self.cell_rows]

    def values(self) -> dict[Hashable, int]:
        """Each cell's variable and count."""
        return {key: count for keys, counts in zip(self.keys(), self.counts)
                for key, count in zip(keys, counts)}

    def rules(self, index: dict[Hashable, int]) -> tuple[tuple[tuple[int, ...], int], ...]:
        """Each row adds up to its row margin, each column to its column margin."""
        keys = self.keys()
        return tuple((tuple(index[key] for key in row), index[margin])
                     for row, margin in zip(keys, self.rows)) + \
            tuple((tuple(index[row[j]] for row in keys), index[margin])
                  for j, margin in enumerate(self.columns))


LineRule = tuple[Sequence[Hashable], Hashable]


def protect_lines_jointly(values: dict[Hashable, int], published: set[Hashable],
                          rules: list[LineRule], k: int, fixed: set[Hashable]
                          ) -> set[Hashable]:
    """The further line counts (never those in fixed) to hide so that the lines of a
    summary, audited together, leave every hidden count and sum a range at least k wide."""
    names = list(values)
    index = {key: n for n, key in enumerate(names)}
    line_rules = tuple((tuple(index[p] for p in parts), index[whole]) for parts, whole in rules)
    hidden = {n for n, key in enumerate(names) if key not in published}
    cells = frozenset(n for n, key in enumerate(names) if key not in fixed)
    outcome = repair([values[key] for key in names], hidden, [Table(line_rules, cells)], k)
    return {names[n] for n in outcome.hidden - hidden}


def protect_tables_jointly(values: dict[Hashable, int], published: set[Hashable],
                           rules: list[LineRule], tables: list[LinkedTable], k: int
                           ) -> list[Crosstab]:
    """The tables again, with further cells hidden (or withheld) so that, audited together
    with the lines whose counts are in values (published: those shown), every hidden count
    and sum keeps a range at least k wide."""
    values = dict(values)
    for table in tables:
        values.update(table.values())
    names = list(values)
    index = {key: n for n, key in enumerate(names)}
    shown = {index[key] for key in published}
    for table in tables:  # a cell is known when any table shows it
        for i, row in enumerate(table.keys()):
            shown |= {index[key] for j, key in enumerate(row) if (i, j) not in table.table.why}
    line_rules = tuple((tuple(index[p] for p in parts), index[whole]) for parts, whole in rules)
    audited = [Table(line_rules)] + [
        Table(table.rules(index), frozenset(index[key] for row in table.keys() for key in row),
              can_withhold=True) for table in tables]
    hidden = set(range(len(names))) - shown
    outcome = repair([values[key] for key in names], hidden, audited, k)
    more = outcome.hidden - hidden
    result = []
    for n, table in enumerate(tables, start=1):
        keys = table.keys()
        if n in outcome.withheld:
            why = {(i, j): Hidden.COMPLEMENTARY for i in range(len(keys))
                   for j in range(len(keys[0]))}
            withheld = True
        else:
            why = dict(table.table.why)
            why.update({(i, j): Hidden.COMPLEMENTARY for i, row in enumerate(keys)
                        for j, key in enumerate(row) if index[key] in more})
            withheld = table.table.withheld
        cells = tuple(tuple(None if (i, j) in why else table.counts[i][j]
                            for j in range(len(keys[0]))) for i in range(len(keys)))
        result.append(Crosstab(cells, why, withheld))
    return result


def _whole(rows: set[int], columns: set[int], height: int, width: int) -> set[tuple[int, int]]:
    """Every cell of the given rows and columns."""
    return {(i, j) for i in rows for j in range(width)} | \
        {(i, j) for j in columns for i in range(height)}
