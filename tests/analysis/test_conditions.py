"""Skip logic and constraints evaluated on plain answers."""
import pytest

from consult.analysis.conditions import (
    ConditionError,
    evaluate,
    prune_hidden,
    referenced_keys,
    visible_keys,
)

ANSWERS = {"role": "trader", "areas": ["port", "market"], "age": 17, "note": "", "none": []}


@pytest.mark.parametrize("condition,expected", [
    (None, True),
    ({"q": "role", "op": "eq", "value": "trader"}, True),
    ({"q": "role", "op": "ne", "value": "trader"}, False),
    ({"q": "role", "op": "in", "value": ["youth", "trader"]}, True),
    ({"q": "areas", "op": "includes", "value": "port"}, True),
    ({"q": "areas", "op": "includes", "value": "bus"}, False),
    ({"q": "age", "op": "lt", "value": 18}, True),
    ({"q": "age", "op": "ge", "value": "17"}, True),
    ({"q": "age", "op": "eq", "value": 17.0}, True),
    ({"q": "areas", "op": "count_ge", "value": 2}, True),
    ({"q": "areas", "op": "count_gt", "value": 2}, False),
    ({"q": "note", "op": "answered"}, False),
    ({"q": "none", "op": "not_answered"}, True),
    ({"q": "missing", "op": "eq", "value": "x"}, False),
    ({"q": "missing", "op": "ne", "value": "x"}, True),
    ({"q": "missing", "op": "lt", "value": 3}, False),
    ({"all": [{"q": "role", "op": "eq", "value": "trader"}, {"q": "age", "op": "gt", "value": 20}]},
     False),
    ({"any": [{"q": "role", "op": "eq", "value": "x"}, {"q": "age", "op": "gt", "value": 16}]},
     True),
    ({"not": {"q": "role", "op": "eq", "value": "trader"}}, False),
])
def test_evaluate(condition, expected):
    assert evaluate(condition, ANSWERS) is expected


def test_constraints_read_the_value_being_checked():
    constraint = {"all": [{"q": ".", "op": "ge", "value": 0}, {"q": ".", "op": "le", "value": 120}]}
    assert evaluate(constraint, {}, own=35) and not evaluate(constraint, {}, own=130)


def test_text_that_is_not_a_number_fails_numeric_comparisons():
    assert not evaluate({"q": "age", "op": "lt", "value": 18}, {"age": "seventeen"})


def test_malformed_condition_is_refused():
    with pytest.raises(ConditionError):
        evaluate({"q": "age", "op": "approximately", "value": 3}, ANSWERS)


def test_referenced_keys():
    condition = {"all": [{"q": "a", "op": "answered"}, {"not": {"q": "b", "op": "eq", "value": 1}},
                         {"q": ".", "op": "gt", "value": 0}]}
    assert referenced_keys(condition) == {"a", "b"}
    assert referenced_keys(condition, include_self=True) == {"a", "b", "."}


def test_hidden_answers_are_discarded_and_hide_what_depends_on_them():
    questions = [
        ("role", None),
        ("stall", {"q": "role", "op": "eq", "value": "trader"}),
        ("stall_size", {"q": "stall", "op": "answered"}),
    ]
    answers = {"role": "youth", "stall": "fish", "stall_size": 3}
    assert visible_keys(questions, answers) == ["role"]
    assert prune_hidden(questions, answers) == {"role": "youth"}
    assert prune_hidden(questions, {**answers, "role": "trader"}) == {
        "role": "trader", "stall": "fish", "stall_size": 3}
