"""The LP audit over whole summaries of random data: every sum rule of the published document
at once (all questions, all their breakdowns), and no hidden count or sum narrower than k."""
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.summaries.test_attacker import _document, _random_records
from tests.summaries.test_disclosure_audit_demo import audit_document


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.integers(20, 70), st.sampled_from([3, 5, 10]))
def test_tables_audited_by_breakdown_stay_protected_when_all_are_audited_at_once(seed, size,
                                                                                  k):
    records = _random_records(seed, size)
    ranges, actual = audit_document(_document(records, k), _document(records, 1))
    for group, (low, high) in ranges.items():
        if sum(actual[v] for v in group) == 0:
            continue  # a zero may be published: it names nobody
        assert high - low >= k - 1e-6 or (len(group) > 1 and low >= k - 1e-6), \
            (group, low, high)
