"""The cell-key p-table and the keyed counts (pure): unbiased, bounded, never negative nor
below the floor, deterministic, and keys that add up like the records they count."""
import pickle
import random

import pytest

from consult.analysis.cell_key import (
    KEYS,
    MAX_CHANGE,
    P_TABLE,
    CellCount,
    new_key,
    perturb,
    perturbation,
    row_moments,
    shown,
    shown_counts,
)


def test_every_p_table_row_covers_every_key_with_mean_zero():
    for distance, row in P_TABLE.items():
        assert sum(width for _, width in row) == KEYS
        assert all(abs(change) <= MAX_CHANGE and change >= -distance for change, _ in row)
        assert row_moments(distance)[0] == 0


def test_the_main_row_has_variance_one_and_reaches_plus_minus_two():
    mean, variance = row_moments(MAX_CHANGE)
    assert (mean, variance) == (0, 1)
    assert {change for change, _ in P_TABLE[MAX_CHANGE]} == set(range(-2, 3))


@pytest.mark.parametrize("floor", [0, 10])
def test_perturbation_is_bounded_never_negative_never_below_the_floor(floor):
    for count in range(0, 60):
        for key in range(KEYS):
            value = perturb(count, key, floor)
            assert abs(value - count) <= MAX_CHANGE and value >= 0
            if count >= floor:
                assert value >= floor
            if count == 0:
                assert value == 0


def test_mean_change_over_keys_is_zero_for_every_count():
    for floor in (0, 10):
        for count in range(1, 40):
            assert sum(perturbation(count, key, floor) for key in range(KEYS)) == 0


def test_perturbation_is_a_pure_function_of_count_and_key():
    assert [perturb(25, key, 10) for key in range(KEYS)] == \
        [perturb(25, key, 10) for key in range(KEYS)]
    assert perturb(25, 3 + KEYS, 10) == perturb(25, 3, 10)


def test_keys_are_uniform_draws():
    keys = [new_key() for _ in range(20_000)]
    assert min(keys) == 0 and max(keys) == KEYS - 1
    # Each quarter of the range within 5% of a quarter of the draws.
    quarters = [sum(1 for k in keys if q * 64 <= k < (q + 1) * 64) for q in range(4)]
    assert all(abs(n - 5000) < 250 for n in quarters)


def test_keyed_counts_add_and_subtract_their_keys_modulo_256():
    rng = random.Random(4)
    records = [rng.randrange(KEYS) for _ in range(30)]
    parts = [CellCount(1, key) for key in records]
    total = sum(parts)
    assert isinstance(total, CellCount) and total == 30 and total.key == sum(records) % KEYS
    rest = total - sum(parts[:10])
    assert rest == 20 and rest.key == sum(records[10:]) % KEYS
    assert (0 + parts[0]).key == records[0] and (5 - parts[0]).key == (-records[0]) % KEYS


def test_shown_perturbs_keyed_counts_and_leaves_plain_ones():
    count = CellCount(30, 200, 10)
    assert shown(count) == perturb(30, 200, 10)
    assert shown(30) == 30 and shown(None) is None
    assert shown_counts({"a": count, "b": 7}) == {"a": perturb(30, 200, 10), "b": 7}


def test_keyed_counts_survive_copying_and_compare_as_numbers():
    count = CellCount(12, 99, 10)
    copy = pickle.loads(pickle.dumps(count))
    assert (copy, copy.key, copy.floor) == (12, 99, 10)
    assert count == 12 and repr(count) == "12" and sorted([CellCount(3), 1]) == [1, 3]
