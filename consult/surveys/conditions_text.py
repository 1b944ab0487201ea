"""Question types and conditions in words, for the host's pages (translated at render time)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.analysis.conditions import SELF
from consult.surveys.models import QuestionType

TYPE_LABELS = {
    QuestionType.SINGLE_CHOICE: _l("One choice"),
    QuestionType.MULTIPLE_CHOICE: _l("Several choices"),
    QuestionType.LIKERT: _l("Agree/disagree (5 points)"),
    QuestionType.SCALE: _l("Scale from 0 to 10"),
    QuestionType.NUMBER: _l("Number"),
    QuestionType.SHORT_TEXT: _l("Short text"),
    QuestionType.LONG_TEXT: _l("Long text"),
    QuestionType.RANKING: _l("Ranking"),
    QuestionType.DATE: _l("Date"),
    QuestionType.NOTE: _l("Note (text shown, no answer)"),
}

#: Comparisons the simple condition fields offer.
OPERATOR_LABELS = {
    "answered": _l("is answered"),
    "not_answered": _l("is not answered"),
    "eq": _l("is"),
    "ne": _l("is not"),
    "includes": _l("includes"),
    "lt": _l("is less than"),
    "le": _l("is at most"),
    "gt": _l("is more than"),
    "ge": _l("is at least"),
}

#: Every leaf comparison in words; %(q)s is the question key, %(value)s the value.
_LEAF_TEXTS = {
    "answered": _l("%(q)s is answered"),
    "not_answered": _l("%(q)s is not answered"),
    "eq": _l("%(q)s is %(value)s"),
    "ne": _l("%(q)s is not %(value)s"),
    "in": _l("%(q)s is one of %(value)s"),
    "includes": _l("%(q)s includes %(value)s"),
    "lt": _l("%(q)s is less than %(value)s"),
    "le": _l("%(q)s is at most %(value)s"),
    "gt": _l("%(q)s is more than %(value)s"),
    "ge": _l("%(q)s is at least %(value)s"),
    "count_lt": _l("fewer than %(value)s options of %(q)s are chosen"),
    "count_le": _l("at most %(value)s options of %(q)s are chosen"),
    "count_gt": _l("more than %(value)s options of %(q)s are chosen"),
    "count_ge": _l("at least %(value)s options of %(q)s are chosen"),
    "count_eq": _l("exactly %(value)s options of %(q)s are chosen"),
}


def simple_leaf(condition: dict | None, earlier: dict | None) -> dict | None:
    """The condition if the simple fields can show it (one comparison of an earlier question
    with one value), else None."""
    if not condition or set(condition) - {"q", "op", "value"}:
        return None
    if condition.get("op") not in OPERATOR_LABELS or isinstance(condition.get("value"), list):
        return None
    if earlier is not None and condition.get("q") not in earlier:
        return None
    return condition


def describe(condition: dict | None) -> str:
    """A condition in words in the reader's language, e.g. "age is at least 18 and ..."."""
    if condition is None:
        return ""
    if "all" in condition:
        return _(" and ").join(_group(c) for c in condition["all"])
    if "any" in condition:
        return _(" or ").join(_group(c) for c in condition["any"])
    if "not" in condition:
        return _("not (%(condition)s)", condition=describe(condition["not"]))
    value = condition.get("value")
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    key = _("the answer") if condition.get("q") == SELF else condition.get("q")
    template = _LEAF_TEXTS.get(condition.get("op"))
    return str(template) % {"q": key, "value": shown} if template else str(condition)


def _group(condition: dict) -> str:
    text = describe(condition)
    return f"({text})" if set(condition) & {"all", "any"} else text
