"""Audit of published tables by linear programming: what an attacker can narrow hidden
counts down to (pure: NumPy and SciPy's HiGHS, no Flask, no SQLAlchemy).

The attacker knows every published count exactly, every sum rule that ties the published
tables together (each row and column of a table adds up to its margin; a question's one-way
line, its breakdowns by each segment question, by language and by channel share margins)
and that counts are non-negative. For each hidden count x (cell or margin), and for each
sum S of the hidden cells of one row or column of a table, the audit minimises and maximises
it over the real solutions of all the sum rules (scipy.optimize.linprog, method "highs").

- A hidden count is protected when max - min >= k.
- A sum of hidden cells is protected when max - min >= k or its minimum is >= k: a group
  of k or more may be known to be that big; a known group of 1..k-1 may not.
- A count or sum that is truly zero needs no protection: zero counts may be published
  (they name nobody), so knowing one tells no more than publishing it would.

Counts are variables numbered 0..n-1; a rule is (parts, whole): the parts add up to the
whole. Rules that share no hidden count are independent, so each connected group of hidden
counts is solved on its own (and cached, so a repair re-solves only what it changed).
`repair` then hides further counts, cheapest first, or withholds whole tables, until the
audit finds nothing.
"""
import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

Rule = tuple[tuple[int, ...], int]
_EPSILON = 1e-6
#: objectives per stacked program: HiGHS slows down faster than the programs grow
_CHUNK = 8


@dataclass(frozen=True)
class Finding:
    """A hidden count (one variable) or sum of hidden parts of a rule, and its range."""

    variables: tuple[int, ...]
    low: float
    high: float


@dataclass(frozen=True)
class Table:
    """What a repair may change: its cells may be hidden, its rules dropped if withheld."""

    rules: tuple[Rule, ...]
    cells: frozenset[int] = frozenset()
    can_withhold: bool = False


@dataclass
class Repaired:
    """The outcome of a repair: every hidden count, the withheld tables, what is left."""

    hidden: set[int]
    withheld: set[int] = field(default_factory=set)
    unprotected: list[Finding] = field(default_factory=list)


def _objectives(hidden: set[int], rules: Iterable[Rule], values: Sequence[int]
                ) -> list[tuple[tuple[int, ...], bool]]:
    """(variables, is a sum) of every hidden count and every sum of two or more hidden parts
    of a rule, leaving out what is truly zero."""
    found = {(v,): False for rule in rules for v in (*rule[0], rule[1])
             if v in hidden and values[v] > 0}
    for parts, whole in rules:
        group = tuple(sorted(v for v in set(parts) if v in hidden))
        if len(group) == len(set(parts)) and whole in hidden:
            continue  # the sum of every part is the hidden whole, held to more as a count
        if len(group) > 1 and sum(values[v] for v in group) > 0:
            found.setdefault(group, True)
    return sorted(found.items())


def _components(hidden: set[int], rules: Sequence[Rule]) -> list[list[Rule]]:
    """The rules grouped by the hidden counts they share (union-find)."""
    parent: dict[int, int] = {}

    def root(v: int) -> int:
        while parent.setdefault(v, v) != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    linked = [rule for rule in rules if any(v in hidden for v in (*rule[0], rule[1]))]
    for parts, whole in linked:
        members = [v for v in (*parts, whole) if v in hidden]
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[int, list[Rule]] = {}
    for rule in linked:
        first = next(v for v in (*rule[0], rule[1]) if v in hidden)
        groups.setdefault(root(first), []).append(rule)
    return list(groups.values())


class _Component:
    """One connected group of rules as a linear program over its hidden counts."""

    def __init__(self, rules: list[Rule], hidden: set[int], values: Sequence[int]) -> None:
        names = sorted({v for rule in rules for v in (*rule[0], rule[1]) if v in hidden})
        self.index = index = {v: n for n, v in enumerate(names)}
        self.matrix = np.zeros((len(rules), len(names)))
        self.right = np.zeros(len(rules))
        #: an upper bound of each hidden count: the hidden rest of a rule with a known whole
        self.bound = np.full(len(names), np.inf)
        self.exact: dict[tuple[int, ...], float] = {}  # hidden parts of a known whole
        for row, (parts, whole) in enumerate(rules):
            for v in parts:
                if v in hidden:
                    self.matrix[row, index[v]] += 1
                else:
                    self.right[row] -= values[v]
            if whole in hidden:
                self.matrix[row, index[whole]] -= 1
                continue
            self.right[row] += values[whole]
            members = [index[v] for v in parts if v in hidden]
            self.bound[members] = np.minimum(self.bound[members], self.right[row])
            self.exact[tuple(sorted(v for v in set(parts) if v in hidden))] = self.right[row]
        self.objectives = _objectives(hidden, rules, values)
        self.weights = np.zeros((len(self.objectives), len(names)))
        for n, (group, _) in enumerate(self.objectives):
            self.weights[n, [index[v] for v in group]] = 1
        self.truth = np.array([values[v] for v in names], dtype=float)
        self.low = self.weights @ self.truth  # the lowest and highest value seen so far
        self.high = self.low.copy()

    def solve(self, n: int, sign: float) -> float | None:
        """The minimum (sign 1) or maximum (sign -1) of objective n, None when unbounded;
        the solution found widens what has been seen of every objective."""
        result = linprog(sign * self.weights[n], A_eq=self.matrix, b_eq=self.right,
                         bounds=(0, None), method="highs")
        if result.status == 3:
            return None
        if result.status != 0:  # numerical trouble: assume the attacker pins it down
            return float(self.weights[n] @ self.truth)
        point = self.weights @ result.x
        self.low, self.high = np.minimum(self.low, point), np.maximum(self.high, point)
        return float(point[n])

    def range(self, n: int, k: float | None) -> tuple[float, float]:
        """Objective n's (min, max); with k, only as far as needed to tell whether it is
        protected."""
        enough = np.inf if k is None else k - _EPSILON
        if self.high[n] - self.low[n] >= enough:
            return float(self.low[n]), float(self.high[n])
        low = self.solve(n, 1.0) if self.low[n] > _EPSILON else 0.0
        if self.high[n] - low >= enough or (self.objectives[n][1] and low >= enough):
            return low, float(self.high[n])
        high = self.solve(n, -1.0)
        return low, float("inf") if high is None else high

    def quick_findings(self, k: int) -> list[Finding]:
        """Unprotected counts and sums found without solving: a known sum of hidden parts
        from 1 to k-1, or a count bounded below k by such a sum."""
        found = []
        for group, is_sum in self.objectives:
            limit = self.exact.get(group) if is_sum else float(self.bound[self.index[group[0]]])
            if limit is not None and limit < k - _EPSILON:
                found.append(Finding(group, limit if is_sum else 0.0, limit))
        return found

    def _walk(self, rounds: int = 3) -> None:
        """Widen what has been seen of every objective without a solver: from the true
        counts, move along the direction that changes each objective fastest while the sum
        rules hold (its projection on their null space) as far as counts stay >= 0, then
        again from the points reached. Every point is a solution, so what it shows is sound."""
        _, singular, vt = np.linalg.svd(self.matrix)
        null = vt[int((singular > 1e-9).sum()):]
        if not null.shape[0]:
            return
        directions = null.T @ (null @ self.weights.T)  # one column per objective
        directions[np.abs(directions) < 1e-9] = 0
        starts = self.truth[:, None]
        for _ in range(rounds):
            points = []
            for sign in (1.0, -1.0):
                step = (sign * directions)[:, None, :]  # counts x 1 x objectives
                with np.errstate(divide="ignore", invalid="ignore"):
                    room = np.where(step < 0, starts[:, :, None] / -step, np.inf).min(axis=0)
                reached = starts[:, :, None] + step * np.minimum(room, 1e9)[None]
                points.append(np.maximum(reached.reshape(len(starts), -1), 0))
            points = np.hstack(points)
            found = self.weights @ points
            self.low = np.minimum(self.low, found.min(axis=1))
            self.high = np.maximum(self.high, found.max(axis=1))
            # Go on from the points that reached the lowest and highest of a few objectives.
            chosen = np.unique(np.concatenate([found.argmin(axis=1), found.argmax(axis=1)]))
            starts = points[:, chosen[:: max(1, len(chosen) // 6)]]

    def _stacked(self, rows: list[int], width: bool, k: float) -> np.ndarray | None:
        """For each objective in rows at once, one copy of the program per objective (two
        for a width) in a single block-diagonal LP, since each call costs far more than its
        size: min(max - min, k) of each when width, else each minimum. None if HiGHS fails."""
        copies = 2 if width else 1
        height, size = self.matrix.shape
        count = len(rows)
        extra = count if width else 0  # t, one per objective, after the copies
        rule_rows, rule_columns = np.nonzero(self.matrix)
        block = np.repeat(np.arange(copies * count), len(rule_rows))
        equal = sparse.csr_matrix(
            (np.tile(self.matrix[rule_rows, rule_columns], copies * count),
             (np.tile(rule_rows, copies * count) + block * height,
              np.tile(rule_columns, copies * count) + block * size)),
            shape=(copies * count * height, copies * count * size + extra))
        right = np.tile(self.right, copies * count)
        which, columns = np.nonzero(self.weights[rows])
        if width:  # variables: every high copy, every low copy, then t (t <= high - low)
            spread = sparse.csr_matrix(
                (np.concatenate([-np.ones(len(which)), np.ones(len(which)), np.ones(count)]),
                 (np.concatenate([which, which, np.arange(count)]),
                  np.concatenate([which * size + columns, (which + count) * size + columns,
                                  2 * count * size + np.arange(count)]))),
                shape=(count, 2 * count * size + count))
            cost = np.concatenate([np.zeros(2 * count * size), -np.ones(count)])
            bounds = np.zeros((2 * count * size + count, 2))
            bounds[:, 1] = np.inf
            bounds[-count:, 1] = k
            result = linprog(cost, A_ub=spread, b_ub=np.zeros(count), A_eq=equal, b_eq=right,
                             bounds=bounds, method="highs")
            return result.x[-count:] if result.status == 0 else None
        cost = self.weights[rows].ravel()
        result = linprog(cost, A_eq=equal, b_eq=right, bounds=(0, None), method="highs")
        if result.status != 0:
            return None
        return (cost * result.x).reshape(count, size).sum(axis=1)

    def findings(self, k: int, some: bool) -> list[Finding]:
        """The unprotected counts and sums; with some, those found without solving when
        there are any (all of them otherwise)."""
        quick = self.quick_findings(k) if some else []
        if quick:
            return quick
        if not self.objectives:
            return []
        self._walk()
        rows = [n for n, (group, is_sum) in enumerate(self.objectives)
                if self.high[n] - self.low[n] < k - _EPSILON
                and not (is_sum and self.exact.get(group, 0) >= k - _EPSILON)]
        if not rows:
            return []
        widths = np.full(len(self.objectives), float(k))
        for chunk in range(0, len(rows), _CHUNK):
            stacked = self._stacked(rows[chunk:chunk + _CHUNK], True, k)
            if stacked is None:  # fall back on one program per bound
                return self._one_by_one(k)
            widths[rows[chunk:chunk + _CHUNK]] = stacked
        narrow = [n for n in rows if widths[n] < k - _EPSILON]
        if not narrow:
            return []
        lows = np.zeros(len(narrow))
        for chunk in range(0, len(narrow), _CHUNK):
            stacked = self._stacked(narrow[chunk:chunk + _CHUNK], False, k)
            if stacked is None:
                return self._one_by_one(k)
            lows[chunk:chunk + _CHUNK] = stacked
        found = [Finding(self.objectives[n][0], float(low), float(low + widths[n]))
                 for n, low in zip(narrow, lows)
                 if not (self.objectives[n][1] and low >= k - _EPSILON)]
        return found

    def _one_by_one(self, k: int) -> list[Finding]:
        """The findings with two small programs per objective at most."""
        found = []
        for n in np.argsort(self.low, kind="stable"):  # small counts are likeliest to fail
            group, is_sum = self.objectives[n]
            low, high = self.range(int(n), k)
            if high - low < k - _EPSILON and not (is_sum and low >= k - _EPSILON):
                found.append(Finding(group, low, high))
        return found


def intervals(values: Sequence[int], hidden: set[int], rules: Sequence[Rule]
              ) -> dict[tuple[int, ...], tuple[float, float]]:
    """The exact feasible range of every hidden count and sum of hidden parts of a rule."""
    found = {}
    for rules_of_component in _components(hidden, list(dict.fromkeys(rules))):
        component = _Component(rules_of_component, hidden, values)
        found.update({group: component.range(n, None)
                      for n, (group, _) in enumerate(component.objectives)})
    return found


def audit(values: Sequence[int], hidden: set[int], rules: Sequence[Rule], k: int,
          cache: dict[Hashable, tuple[list[Finding], bool]] | None = None, some: bool = False
          ) -> list[Finding]:
    """The hidden counts and sums that are not protected (see the module's definition);
    with some, only those of the first group of rules that has any (quick ones first)."""
    cache = {} if cache is None else cache
    findings: list[Finding] = []
    for component in _components(hidden, list(dict.fromkeys(rules))):
        key = (k, tuple((parts, whole, tuple(v in hidden for v in parts), whole in hidden)
                        for parts, whole in component))
        # With some, a list with findings may not be all of them; one without is.
        if key not in cache or not (some or cache[key][1]):
            found = _Component(component, hidden, values).findings(k, some)
            cache[key] = (found, not (some and found))
        findings.extend(cache[key][0])
        if findings and some:
            break
    return findings


def repair(values: Sequence[int], hidden: set[int], tables: Sequence[Table], k: int,
           rounds: int = 6) -> Repaired:
    """Hide the cheapest further count (the smallest non-zero) in a row or column
    of each unprotected one, or withhold a table when none is left, until the audit finds
    nothing. Several findings are mended per audit when their rows and columns differ;
    after `rounds` audits, a table that still fails is withheld instead."""
    outcome = Repaired(set(hidden))
    cache: dict[Hashable, tuple[list[Finding], bool]] = {}
    for round_ in itertools.count():
        active = [(n, t) for n, t in enumerate(tables) if n not in outcome.withheld]
        rules = [rule for _, table in active for rule in table.rules]
        findings = audit(values, outcome.hidden, rules, k, cache, some=True)
        if not findings:
            return outcome
        touched: set[Rule] = set()
        for finding in findings:
            involved = set(finding.variables)
            near = [(n, rule) for n, table in active for rule in table.rules
                    if involved.intersection((*rule[0], rule[1]))]
            if touched.intersection(rule for _, rule in near):
                continue  # mended already by a count hidden in the same row or column
            # Never a zero: hiding one widens nothing, and the sum rules could give it back.
            candidates = {v for n, (parts, whole) in near for v in (*parts, whole)
                          if v not in outcome.hidden and v in tables[n].cells and values[v]}
            # A table still failing after many rounds is withheld: it would be mostly hidden
            # anyway, and this bounds the work (the same data always gives the same tables).
            if candidates and (round_ < rounds or not any(tables[n].can_withhold
                                                          for n, _ in near)):
                cell = min(candidates, key=lambda v: (values[v], v))
                outcome.hidden.add(cell)
                touched.update(rule for _, rule in near)
                touched.update(rule for _, table in active for rule in table.rules
                               if cell in rule[0] or cell == rule[1])
                continue
            if touched:
                break  # audit again before withholding anything
            owners = [n for n, _ in near if tables[n].can_withhold]
            if not owners:  # nothing this repair may change: say so
                outcome.unprotected = findings
                return outcome
            outcome.withheld.add(owners[0])
            outcome.hidden |= tables[owners[0]].cells
            break
