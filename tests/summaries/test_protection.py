"""Disclosure control of linked tables: lines decide the margins, breakdowns keep them."""
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.disclosure import Hidden
from consult.summaries.protection import protect_crosstab, protect_line
from tests.analysis.test_disclosure import algebra_attack, differencing_attack

K = 10


def _published(cells, rows, columns):
    """The table as a reader sees it, margins taken from the lines (as the report does)."""
    return SimpleNamespace(cells=cells, row_totals=rows.shown, column_totals=columns.shown,
                           total=rows.total_shown)


def _protect(counts, k=K):
    rows = protect_line([sum(r) for r in counts], k)
    columns = protect_line([sum(c) for c in zip(*counts)], k,
                           total_hidden=rows.total_shown is None)
    return rows, columns, protect_crosstab(counts, rows, columns, k)


def test_a_line_hides_a_small_count_and_a_complement():
    line = protect_line([50, 3, 40], K)
    assert line.shown == (50, None, None) and line.total_shown == 93
    assert line.why == {1: Hidden.SMALL, 2: Hidden.COMPLEMENTARY}


def test_a_line_whose_total_is_hidden_elsewhere_never_publishes_every_part():
    line = protect_line([30, 25], K, total_hidden=True)
    assert line.total_shown is None and None in line.shown


def test_a_line_whose_total_is_published_elsewhere_keeps_it():
    line = protect_line([30, 25], K, total_hidden=False)
    assert line.total_shown == 55 and line.shown == (30, 25)


def test_a_hidden_margin_hides_its_whole_row_zeros_included():
    # Three officials, all of whom chose the second option: publishing the zeros of their
    # row would say what every one of them answered.
    counts = [[40, 20, 15], [0, 3, 0], [25, 30, 12]]
    rows, columns, table = _protect(counts)
    assert rows.shown[1] is None
    assert table.cells[1] == (None, None, None)
    assert all(table.why[(1, j)] is Hidden.COMPLEMENTARY for j in range(3))  # not "<10"


def test_a_margin_published_by_its_line_is_not_recovered_from_the_breakdown():
    counts = [[40, 20, 15], [12, 3, 11], [25, 30, 12]]
    rows, columns, table = _protect(counts)
    published = _published(table.cells, rows, columns)
    assert differencing_attack(published) == {} and algebra_attack(published) == set()


tables = st.integers(2, 4).flatmap(lambda rows: st.integers(2, 4).flatmap(
    lambda columns: st.lists(st.lists(st.integers(0, 30), min_size=columns,
                                      max_size=columns), min_size=rows, max_size=rows)))


@settings(max_examples=300, deadline=None)
@given(tables, st.sampled_from([3, 5, 10]))
def test_no_small_count_is_published_or_recovered_with_the_lines_margins(counts, k):
    rows, columns, table = _protect(counts, k)
    for i, row in enumerate(table.cells):
        for j, value in enumerate(row):
            assert value is None or not 0 < value < k
    published = _published(table.cells, rows, columns)
    height, width = len(counts), len(counts[0])
    truth = [list(r) + [sum(r)] for r in counts] + [[sum(c) for c in zip(*counts)]
                                                   + [sum(map(sum, counts))]]
    assert algebra_attack(published) == set() and differencing_attack(published) == {}
    for i, j in table.why:
        assert truth[i][j] is not None and published.cells[i][j] is None
    assert len(truth) == height + 1 and len(truth[0]) == width + 1
