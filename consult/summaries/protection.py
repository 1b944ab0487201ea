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
   fails, every cell is withheld.
"""
from dataclasses import dataclass

from consult.analysis.disclosure import Hidden, determined, protect_counts, protect_table


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


def protect_crosstab(counts: list[list[int]], rows: Line, columns: Line, k: int) -> Crosstab:
    """Protect a rows x columns table whose margins are the lines rows and columns (their
    counts must be its row and column sums)."""
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
    cells = tuple(tuple(None if (i, j) in why else counts[i][j] for j in range(width))
                  for i in range(height))
    return Crosstab(cells, why, withheld)


def _whole(rows: set[int], columns: set[int], height: int, width: int) -> set[tuple[int, int]]:
    """Every cell of the given rows and columns."""
    return {(i, j) for i in rows for j in range(width)} | \
        {(i, j) for j in columns for i in range(height)}
