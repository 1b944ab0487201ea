"""Disclosure control: no small count published, and none recovered by an attacker."""
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.disclosure import Hidden, determined, protect_counts, protect_table

K = 10


def _extended(table):
    """The published extended table (None = hidden), margins last."""
    rows = [list(r) + [t] for r, t in zip(table.cells, table.row_totals)]
    return rows + [list(table.column_totals) + [table.total]]


def differencing_attack(table):
    """What a reader recovers by subtracting: any line with one hidden count gives it away,
    and each recovered count may give away the next."""
    grid = _extended(table)
    height, width = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(width)] for i in range(height)] + \
            [[(i, j) for i in range(height)] for j in range(width)]
    recovered = {}
    changed = True
    while changed:
        changed = False
        for line in lines:
            unknown = [c for c in line if grid[c[0]][c[1]] is None and c not in recovered]
            if len(unknown) != 1:
                continue
            margin, *cells = line[-1:] + line[:-1]
            value = lambda c: recovered.get(c, grid[c[0]][c[1]])  # noqa: E731
            (i, j), = unknown
            if (i, j) == margin:
                recovered[(i, j)] = sum(value(c) for c in cells)
            else:
                recovered[(i, j)] = value(margin) - sum(value(c) for c in cells if c != (i, j))
            changed = True
    return recovered


def algebra_attack(table):
    """Hidden counts fixed by the sum rules, by exact Gaussian elimination over fractions
    (independent of the module's floating-point null space)."""
    grid = _extended(table)
    height, width = len(grid), len(grid[0])
    hidden = [(i, j) for i in range(height) for j in range(width) if grid[i][j] is None]
    index = {cell: n for n, cell in enumerate(hidden)}
    rules = []
    for line in ([[(i, j) for j in range(width)] for i in range(height)]
                 + [[(i, j) for i in range(height)] for j in range(width)]):
        rule = [Fraction(0)] * len(hidden)
        for n, cell in enumerate(line):
            sign = -1 if n == len(line) - 1 else 1
            if cell in index:
                rule[index[cell]] += sign
        rules.append(rule)
    # Row-reduce; a hidden cell is fixed when some reduced row has only that cell.
    pivot_rows = []
    for column in range(len(hidden)):
        pivot = next((r for r in rules if r[column] != 0 and r not in pivot_rows), None)
        if pivot is None:
            continue
        pivot_rows.append(pivot)
        for other in rules:
            if other is not pivot and other[column] != 0:
                factor = other[column] / pivot[column]
                for n in range(len(hidden)):
                    other[n] -= factor * pivot[n]
    return {hidden[r.index(next(x for x in r if x != 0))] for r in rules
            if sum(1 for x in r if x != 0) == 1}


def test_small_cells_are_hidden_with_a_complement_in_their_row_and_column():
    table = protect_table([[50, 3, 40], [20, 30, 25]], K)
    assert table.cells[0][1] is None and table.why[(0, 1)] is Hidden.SMALL
    assert sum(c is None for c in table.cells[0]) >= 2
    assert sum(row[1] is None for row in table.cells) >= 2
    assert table.total == 168
    assert differencing_attack(table) == {} and algebra_attack(table) == set()


def test_a_small_column_total_is_hidden_too():
    table = protect_table([[5, 40], [4, 60]], K)
    assert table.column_totals[0] is None
    assert differencing_attack(table) == {} and algebra_attack(table) == set()


def test_zero_is_published():
    table = protect_counts([0, 25, 30], K)
    assert table.cells == ((0,), (25,), (30,)) and table.why == {}


def test_a_one_way_table_hides_a_second_count_next_to_a_small_one():
    table = protect_counts([50, 3, 40], K)
    assert [c for (c,) in table.cells].count(None) == 2 and table.total == 93
    assert table.cells[1] == (None,) and table.cells[2] == (None,)  # the cheapest complement


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=6), st.sampled_from([3, 10]))
def test_one_way_tables_never_give_a_small_count_away(counts, k):
    table = protect_counts(counts, k)
    line = [c for (c,) in table.cells] + [table.total]
    assert not any(v is not None and 0 < v < k for v in line)
    assert line.count(None) != 1


def test_a_tiny_table_hides_everything_that_could_give_it_away():
    table = protect_table([[1]], K)
    assert table.cells == ((None,),) and table.total is None


def test_determined_agrees_with_exact_elimination_on_a_known_pattern():
    # Four hidden cells in a rectangle leave one degree of freedom: none is determined.
    assert determined((3, 3), [(0, 0), (0, 1), (1, 0), (1, 1)]) == []
    assert determined((3, 3), [(0, 0), (0, 1)]) == [(0, 0), (0, 1)]


tables = st.integers(1, 4).flatmap(lambda rows: st.integers(1, 4).flatmap(
    lambda columns: st.lists(st.lists(st.integers(0, 40), min_size=columns,
                                      max_size=columns), min_size=rows, max_size=rows)))


@settings(max_examples=300, deadline=None)
@given(tables, st.sampled_from([3, 5, 10]))
def test_no_small_count_is_published_and_no_hidden_count_is_recovered(counts, k):
    table = protect_table(counts, k)
    for row in _extended(table):
        assert not any(value is not None and 0 < value < k for value in row)
    assert differencing_attack(table) == {}
    assert algebra_attack(table) == set()
    truth = _extended(protect_table(counts, 1))  # k=1 hides nothing
    for (i, j) in table.why:
        assert _extended(table)[i][j] is None and truth[i][j] is not None
