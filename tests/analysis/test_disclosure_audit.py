"""The LP audit: an attacker who knows every published count, every sum rule and that counts
are non-negative narrows no hidden count, and no sum of hidden cells of a row or column, to a
range narrower than k (unless the sum is known to be k or more), or the table is withheld."""
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.disclosure import determined, protect_counts
from consult.analysis.disclosure_audit import audit, intervals
from consult.summaries.protection import protect_crosstab, protect_line

# The demo's finding: respondents by channel (rows) and by group (columns). "Another resident"
# 16, of whom 14 by the website: 16 - 14 = 2 came on paper or by SMS.
CHANNELS = [[40, 25, 18, 14], [13, 12, 9, 1], [3, 3, 1, 1]]


def _system(counts, rows, columns, table):
    """(values, hidden, rules) of a breakdown with its two lines, as the attacker sees it:
    cells, then row margins, column margins and the total."""
    height, width = len(counts), len(counts[0])
    cell = lambda i, j: i * width + j  # noqa: E731
    row, column = height * width, height * width + height
    total = column + width
    values = [c for r in counts for c in r] + list(rows.counts) + list(columns.counts) + \
        [rows.total]
    hidden = {cell(i, j) for i in range(height) for j in range(width)
              if table.cells[i][j] is None}
    hidden |= {row + i for i in range(height) if rows.shown[i] is None}
    hidden |= {column + j for j in range(width) if columns.shown[j] is None}
    hidden |= {total} if rows.total_shown is None else set()
    rules = [(tuple(cell(i, j) for j in range(width)), row + i) for i in range(height)]
    rules += [(tuple(cell(i, j) for i in range(height)), column + j) for j in range(width)]
    rules += [(tuple(row + i for i in range(height)), total),
              (tuple(column + j for j in range(width)), total)]
    return values, hidden, rules


def _protect(counts, k, audit=True):
    rows = protect_line([sum(r) for r in counts], k)
    columns = protect_line([sum(c) for c in zip(*counts)], k,
                           total_hidden=rows.total_shown is None)
    return rows, columns, protect_crosstab(counts, rows, columns, k, audit)


def _unprotected(values, hidden, rules, k):
    """What the exact ranges (two programs per count or sum, no shortcut) leave narrow."""
    narrow = []
    for group, (low, high) in intervals(values, hidden, rules).items():
        protected = high - low >= k - 1e-6 or (len(group) > 1 and low >= k - 1e-6)
        if not protected and sum(values[v] for v in group) > 0:
            narrow.append((group, low, high))
    return narrow


def test_row_total_minus_visible_cell_cannot_reveal_hidden_sum():
    rows, columns, before = _protect(CHANNELS, 10, audit=False)
    system = _system(CHANNELS, rows, columns, before)
    # Without the audit: only "not exactly determined" holds, and the column of residents
    # publishes 16 and 14, so its hidden cells add up to exactly 2.
    assert before.cells[0][3] == 14 and columns.shown[3] == 16
    assert any(low == high == 2 for _, low, high in _unprotected(*system, 10))
    rows, columns, after = _protect(CHANNELS, 10)
    system = _system(CHANNELS, rows, columns, after)
    assert after.cells[0][3] is None or after.withheld
    assert _unprotected(*system, 10) == []
    assert audit(*system, 10) == []


def test_a_hidden_count_bounded_by_non_negativity_is_found():
    # Four hidden cells of a 2 x 2 table: no cell is determined by the sum rules, yet with
    # margins 12 and 11 the first cell can only be 0 to 11, too narrow for k = 15.
    values = [3, 9, 8, 92, 12, 100, 11, 101, 112]
    hidden = {0, 1, 2, 3}
    rules = [((0, 1), 4), ((2, 3), 5), ((0, 2), 6), ((1, 3), 7), ((4, 5), 8), ((6, 7), 8)]
    assert determined((3, 3), [(0, 0), (0, 1), (1, 0), (1, 1)]) == []
    assert intervals(values, hidden, rules)[(0,)] == (0.0, 11.0)
    assert (0,) in {f.variables for f in audit(values, hidden, rules, 15)}
    assert audit(values, hidden, rules, 10) == []


def test_a_known_sum_of_k_or_more_is_protected_but_a_smaller_one_is_not():
    line = protect_counts([50, 3, 4, 40], 10)
    # 3 and 4 alone would add up to a known 7: one more count must be hidden with them.
    hidden = [n for n, (c,) in enumerate(line.cells) if c is None]
    assert sum([50, 3, 4, 40][n] for n in hidden) >= 10 and line.total == 97


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 12), st.integers(0, 300)), min_size=1, max_size=7),
       st.integers(3, 15))
def test_one_way_lines_leave_their_hidden_sum_zero_or_at_least_k(counts, k):
    table = protect_counts(counts, k)
    line = [c for (c,) in table.cells] + [table.total]
    values = list(counts) + [sum(counts)]
    hidden = {n for n, v in enumerate(line) if v is None}
    assert _unprotected(values, hidden, [(tuple(range(len(counts))), len(counts))], k) == []


cells = st.one_of(st.integers(0, 9), st.integers(0, 40), st.integers(0, 400))
tables = st.integers(2, 6).flatmap(lambda rows: st.integers(2, 6).flatmap(
    lambda columns: st.lists(st.lists(cells, min_size=columns, max_size=columns),
                             min_size=rows, max_size=rows)))


@settings(max_examples=120, deadline=None)
@given(tables, st.integers(3, 15))
def test_after_protection_every_hidden_count_and_line_sum_keeps_a_range_of_k(counts, k):
    rows, columns, table = _protect(counts, k)
    for row in table.cells:
        assert not any(value is not None and 0 < value < k for value in row)
    if table.withheld:
        assert all(value is None for row in table.cells for value in row)
        return
    assert _unprotected(*_system(counts, rows, columns, table), k) == []
