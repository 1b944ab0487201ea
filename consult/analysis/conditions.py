"""Skip-logic and constraint conditions: evaluate them on answers, find what they refer to.

A condition is JSON-serialisable data (stored with the question, produced by the builder and
the XLSForm import):
- {"all": [c, ...]}, {"any": [c, ...]}, {"not": c}
- {"q": key, "op": "answered" | "not_answered"}
- {"q": key, "op": "eq" | "ne", "value": v}            option key or number
- {"q": key, "op": "in", "value": [v, ...]}            single choice is one of
- {"q": key, "op": "includes", "value": v}             multiple choice contains v
- {"q": key, "op": "lt" | "le" | "gt" | "ge", "value": number}
- {"q": key, "op": "count_lt" | ... | "count_eq", "value": n}   options chosen
`q` may be "." in a constraint: the value being checked.
"""
import operator
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

SELF = "."
_COMPARE = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
            "eq": operator.eq}
LEAF_OPS = frozenset({"answered", "not_answered", "eq", "ne", "in", "includes", "lt", "le", "gt",
                      "ge", "count_lt", "count_le", "count_gt", "count_ge", "count_eq"})


class ConditionError(ValueError):
    """A condition that is not in the format above."""


def is_answered(value: Any) -> bool:
    """Whether a stored answer counts as given (empty text and empty selections do not)."""
    if value is None:
        return False
    if isinstance(value, str | list | tuple | set):
        return len(value) > 0
    return True


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _same(answer: Any, expected: Any) -> bool:
    """Equality that treats 3, 3.0 and "3" alike, as form posts and imports mix them."""
    left, right = _number(answer), _number(expected)
    if left is not None and right is not None:
        return left == right
    return answer == expected or str(answer) == str(expected)


def evaluate(condition: Mapping | None, answers: Mapping[str, Any], own: Any = None) -> bool:
    """Whether condition holds for answers (None holds always); own is the value for "."."""
    if condition is None:
        return True
    if "all" in condition:
        return all(evaluate(c, answers, own) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, answers, own) for c in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], answers, own)
    op, key = condition.get("op"), condition.get("q")
    if op not in LEAF_OPS or not isinstance(key, str):
        raise ConditionError(f"not a condition: {condition!r}")
    value = own if key == SELF else answers.get(key)
    expected = condition.get("value")
    if op == "answered":
        return is_answered(value)
    if op == "not_answered":
        return not is_answered(value)
    if not is_answered(value):
        return op == "ne"  # nothing chosen differs from any value; every other test fails
    if op == "eq":
        return _same(value, expected)
    if op == "ne":
        return not _same(value, expected)
    if op == "in":
        return any(_same(value, v) for v in expected)
    if op == "includes":
        chosen = value if isinstance(value, list | tuple | set) else [value]
        return any(_same(v, expected) for v in chosen)
    if op.startswith("count_"):
        chosen = value if isinstance(value, list | tuple | set) else [value]
        return _COMPARE[op.removeprefix("count_")](len(chosen), int(expected))
    left, right = _number(value), _number(expected)
    return left is not None and right is not None and _COMPARE[op](left, right)


def referenced_keys(condition: Mapping | None, include_self: bool = False) -> set[str]:
    """Every question key a condition reads; "." (the value checked) only with include_self."""
    if condition is None:
        return set()
    for group in ("all", "any"):
        if group in condition:
            return set().union(*(referenced_keys(c, include_self) for c in condition[group]))
    if "not" in condition:
        return referenced_keys(condition["not"], include_self)
    return {condition["q"]} - (set() if include_self else {SELF})


def visible_keys(questions: Iterable[tuple[str, Mapping | None]],
                 answers: Mapping[str, Any]) -> list[str]:
    """Keys of the questions shown, in order, given (key, show_if) pairs and the answers.

    A hidden question's answer never counts, so later conditions see it as unanswered.
    """
    shown: list[str] = []
    effective: dict[str, Any] = {}
    for key, show_if in questions:
        if evaluate(show_if, effective):
            shown.append(key)
            if key in answers:
                effective[key] = answers[key]
    return shown


def prune_hidden(questions: Iterable[tuple[str, Mapping | None]],
                 answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without those to questions that end up hidden."""
    questions = list(questions)
    shown = set(visible_keys(questions, answers))
    return {key: value for key, value in answers.items() if key in shown}
