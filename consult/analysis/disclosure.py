"""Disclosure control for published tables: no count from 1 to k-1, and none recoverable.

Primary suppression hides every count (cell or total) from 1 to k-1. Complementary suppression
then hides further counts until no hidden count is determined by what is still published: a
hidden cell is determined exactly when every solution of the table's sum constraints gives it
the same value, i.e. when the null space of the constraints over the hidden cells is zero at
that cell. While one is, the smallest non-zero published count in its row or column is hidden
too (the usual "cheapest complement" rule of statistical offices, see Hundepool et al.,
Statistical Disclosure Control, 2012, ch. 4). Zero counts are published: they name nobody.

Not being determined is not enough: with non-negativity an attacker narrows hidden counts to
ranges (a total of 16 less a published 14 says the hidden rest is 2). disclosure_audit.py
audits ranges by linear programming; a one-way line needs no solver: with its total published,
each hidden count lies anywhere from 0 to the sum of the hidden ones, so that sum must be 0 or
at least k (protect_counts hides further counts until it is).
"""
from dataclasses import dataclass
from enum import Enum

import numpy as np


class Hidden(Enum):
    """Why a count is not published."""

    SMALL = "small"  # from 1 to k-1
    COMPLEMENTARY = "complementary"  # hidden so that a small count cannot be recomputed


@dataclass(frozen=True)
class ProtectedTable:
    """A table of counts with margins; None where a count is hidden (see `why`)."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None
    #: (row, column) -> reason, with row == len(cells) for column totals and column ==
    #: number of columns for row totals (the margins of the extended table).
    why: dict[tuple[int, int], Hidden]

    @property
    def hidden_count(self) -> int:
        """How many counts (cells and totals) are hidden."""
        return len(self.why)


def is_small(count: int, k: int) -> bool:
    """A count that may not be published: 1 to k-1."""
    return 0 < count < k


def protect_table(counts: list[list[int]], k: int) -> ProtectedTable:
    """Suppress small counts of a rows x columns table and its totals, then complements."""
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    extended = np.zeros((rows + 1, columns + 1), dtype=np.int64)
    if rows and columns:
        extended[:rows, :columns] = counts
    extended[:rows, columns] = extended[:rows, :columns].sum(axis=1)
    extended[rows, :] = extended[:rows, :].sum(axis=0)
    why = {(i, j): Hidden.SMALL for i in range(rows + 1) for j in range(columns + 1)
           if is_small(int(extended[i, j]), k)}
    _add_complements(extended, why)
    shown = [[None if (i, j) in why else int(extended[i, j]) for j in range(columns + 1)]
             for i in range(rows + 1)]
    return ProtectedTable(
        cells=tuple(tuple(row[:columns]) for row in shown[:rows]),
        row_totals=tuple(row[columns] for row in shown[:rows]),
        column_totals=tuple(shown[rows][:columns]), total=shown[rows][columns], why=why)


def protect_counts(counts: list[int], k: int) -> ProtectedTable:
    """A one-way table (one row per value) with its total; one sum rule, so a hidden count is
    exposed exactly when it is alone in being hidden."""
    line = list(counts) + [sum(counts)]
    why = {(n, 0): Hidden.SMALL for n, count in enumerate(line) if is_small(count, k)}
    if len(why) == 1:
        published = [n for n in range(len(line)) if (n, 0) not in why]
        if published:
            cheapest = min(published, key=lambda n: (line[n] == 0, line[n], n))
            why[(cheapest, 0)] = Hidden.COMPLEMENTARY
    for n in hidden_sum_complements(line, {n for n, _ in why}, k):
        why[(n, 0)] = Hidden.COMPLEMENTARY
    shown = [None if (n, 0) in why else count for n, count in enumerate(line)]
    return ProtectedTable(cells=tuple((value,) for value in shown[:-1]),
                          row_totals=tuple(shown[:-1]), column_totals=(shown[-1],),
                          total=shown[-1], why=why)


def hidden_sum_complements(line: list[int], hidden: set[int], k: int) -> list[int]:
    """Further parts to hide in a line (its parts, then its total) whose total is published,
    until the sum of its hidden parts, which the total less the shown parts gives away, is 0
    or at least k; the smallest non-zero first (a hidden zero would add nothing)."""
    more: list[int] = []
    if len(line) - 1 in hidden:
        return more
    parts = range(len(line) - 1)
    while 0 < sum(line[n] for n in parts if n in hidden or n in more) < k:
        published = [n for n in parts if n not in hidden and n not in more and line[n]]
        if not published:  # then the total itself is from 1 to k-1, and hidden elsewhere
            return more
        more.append(min(published, key=lambda n: (line[n], n)))
    return more


def _constraints(shape: tuple[int, int]) -> np.ndarray:
    """Every sum rule of an extended table: each line's cells add up to its margin."""
    height, width = shape
    rules = []
    for i in range(height):  # row i: cells minus the row total
        rule = np.zeros(shape)
        rule[i, :-1], rule[i, -1] = 1, -1
        rules.append(rule.ravel())
    for j in range(width):  # column j: cells minus the column total
        rule = np.zeros(shape)
        rule[:-1, j], rule[-1, j] = 1, -1
        rules.append(rule.ravel())
    return np.array(rules)


def determined(shape: tuple[int, int], hidden: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The hidden cells whose value follows from the published ones by the sum rules."""
    if not hidden:
        return []
    width = shape[1]
    matrix = _constraints(shape)[:, [i * width + j for i, j in hidden]]
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]  # rows span the freedom the hidden cells have
    if null_space.shape[0] == 0:
        return list(hidden)
    free = np.abs(null_space).max(axis=0) > 1e-9
    return [cell for cell, is_free in zip(hidden, free) if not is_free]


def _add_complements(extended: np.ndarray, why: dict[tuple[int, int], Hidden]) -> None:
    """Hide the cheapest further counts until no hidden count is determined."""
    height, width = extended.shape
    while True:
        exposed = determined((height, width), sorted(why))
        if not exposed:
            return
        i, j = exposed[0]
        line = [(i, c) for c in range(width)] + [(r, j) for r in range(height)]
        candidates = [cell for cell in line if cell not in why]
        if not candidates:  # nothing left in its lines: hide the whole table
            candidates = [(r, c) for r in range(height) for c in range(width)
                          if (r, c) not in why]
        if not candidates:
            return
        # Prefer a non-zero count (a hidden zero protects little) and the smallest one.
        cell = min(candidates, key=lambda rc: (extended[rc] == 0, extended[rc], rc))
        why[cell] = Hidden.COMPLEMENTARY
