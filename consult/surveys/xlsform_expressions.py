"""Translate the common XLSForm relevant/constraint expressions into Consult conditions."""
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from consult.analysis.conditions import SELF, referenced_keys
from consult.surveys.xlsform_sheets import N_, Message

# Curly quotes come from word processors and spreadsheet autocorrect; ODK would reject them,
# but the intent is plain, so they are read as straight quotes.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<ref>\$\{\s*(?P<refname>[^}\s]+)\s*\})
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<number>-?(?:\d+(?:\.\d*)?|\.\d+))
  | (?P<op><=|>=|!=|=|<|>)
  | (?P<punct>[(),])
  | (?P<dot>\.\.|\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_:-]*)
  | (?P<other>.)
""", re.VERBOSE)
_FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}
_OPS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "=": "eq", "!=": "ne"}
CHOICE_TYPES = ("single_choice", "multiple_choice", "ranking")
Report = Callable[[int | None, str, Message], None]  # (row, name, message)
#: What is left out when a condition cannot be represented, by where the condition was.
UNREPRESENTABLE = {
    "group": N_("the group's relevant %(expression)s cannot be represented (%(reason)s); its "
                "questions are imported without it"),
    "relevant": N_("relevant %(expression)s cannot be represented (%(reason)s); the question "
                   "is imported without it and always shown"),
    "constraint": N_("constraint %(expression)s cannot be represented (%(reason)s); the "
                     "question is imported without it"),
}


class ExpressionError(ValueError):
    """An expression that Consult's condition format cannot represent; args[0] says why."""


@dataclass
class _Token:
    kind: str
    text: str


@dataclass
class _Operand:
    kind: str  # "ref", "literal" or "count"
    value: object


def _tokens(expression: str) -> list[_Token]:
    out = []
    for match in _TOKEN.finditer(expression):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "refname":  # lastgroup names the innermost group; the token is the ref
            kind = "ref"
        text = match.group("refname") if kind == "ref" else match.group(0)
        if kind == "string":
            text = text[1:-1]
        elif kind == "name" and text in ("and", "or", "div", "mod"):
            kind = text
        elif kind == "dot" and text == "..":
            raise ExpressionError(N_("it refers to a parent node (..)"))
        elif kind == "other":
            raise ExpressionError(N_("it uses %(text)s, which is arithmetic or a path",
                                     text=repr(text)))
        out.append(_Token(kind, text))
    return out


class _Parser:
    """Recursive descent: or < and < not()/comparison/selected()."""

    def __init__(self, tokens: list[_Token], types: Mapping[str, str], own_type: str | None):
        self.tokens, self.position = tokens, 0
        self.types, self.own_type = types, own_type

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, kind: str, text: str | None = None) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind or (text is not None and token.text != text):
            found = N_("the end") if token is None else repr(token.text)
            raise ExpressionError(N_("expected %(expected)s but found %(found)s",
                                     expected=text or kind, found=found))
        self.position += 1
        return token

    def parse(self) -> dict:
        condition = self.disjunction()
        if self.peek() is not None:
            token = self.peek()
            if token.kind in ("div", "mod"):
                raise ExpressionError(N_("it uses arithmetic"))
            raise ExpressionError(N_("unexpected %(text)s", text=repr(token.text)))
        return condition

    def disjunction(self) -> dict:
        parts = [self.conjunction()]
        while self.peek() is not None and self.peek().kind == "or":
            self.position += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else _any(parts)

    def conjunction(self) -> dict:
        parts = [self.unary()]
        while self.peek() is not None and self.peek().kind == "and":
            self.position += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else _all(parts)

    def unary(self) -> dict:
        token = self.peek()
        if token is None:
            raise ExpressionError(N_("it ends too early"))
        if token.kind == "punct" and token.text == "(":
            self.position += 1
            inner = self.disjunction()
            self.take("punct", ")")
            return inner
        if token.kind == "name" and self._is_call():
            if token.text == "not":
                self.position += 2
                inner = self.disjunction()
                self.take("punct", ")")
                return {"not": inner}
            if token.text == "selected":
                return self.selected()
        return self.comparison()

    def _is_call(self) -> bool:
        following = self.peek(1)
        return following is not None and following.kind == "punct" and following.text == "("

    def selected(self) -> dict:
        self.position += 2
        key = self.reference()
        self.take("punct", ",")
        value = self.literal()
        self.take("punct", ")")
        # selected() on a single choice is plain equality; on a multiple choice, "contains".
        op = "eq" if self._type_of(key) == "single_choice" else "includes"
        return {"q": key, "op": op, "value": _as_key(value)}

    def reference(self) -> str:
        token = self.peek()
        if token is not None and token.kind == "dot":
            self.position += 1
            return SELF
        return self.take("ref").text

    def literal(self) -> object:
        token = self.peek()
        if token is not None and token.kind == "string":
            self.position += 1
            return token.text
        if token is not None and token.kind == "number":
            self.position += 1
            return _number(token.text)
        found = N_("the end") if token is None else repr(token.text)
        raise ExpressionError(N_("expected a value but found %(found)s", found=found))

    def operand(self) -> _Operand:
        token = self.peek()
        if token is None:
            raise ExpressionError(N_("it ends too early"))
        if token.kind in ("ref", "dot"):
            return _Operand("ref", self.reference())
        if token.kind in ("string", "number"):
            return _Operand("literal", self.literal())
        if token.kind == "name" and self._is_call() and token.text == "count-selected":
            self.position += 2
            key = self.reference()
            self.take("punct", ")")
            return _Operand("count", key)
        if token.kind == "name" and self._is_call():
            raise ExpressionError(N_("the function %(name)s() is not supported",
                                     name=token.text))
        raise ExpressionError(N_("unexpected %(text)s", text=repr(token.text)))

    def comparison(self) -> dict:
        left = self.operand()
        token = self.peek()
        if token is None or token.kind != "op":
            if token is not None and token.kind in ("div", "mod"):
                raise ExpressionError(N_("it uses arithmetic"))
            raise ExpressionError(N_("a value on its own is not a condition"))
        self.position += 1
        right = self.operand()
        op = _OPS[token.text]
        if left.kind == "literal" and right.kind != "literal":
            left, right, op = right, left, _FLIP[op]
        if right.kind != "literal":
            raise ExpressionError(N_("it compares two questions (or a question with "
                                     "itself)"))
        if left.kind == "literal":
            raise ExpressionError(N_("it compares two fixed values"))
        if left.kind == "count":
            return _count(left.value, op, right.value)
        return self._leaf(left.value, op, right.value)

    def _leaf(self, key: str, op: str, value: object) -> dict:
        if value == "" and op in ("eq", "ne"):
            return {"q": key, "op": "not_answered" if op == "eq" else "answered"}
        if op in ("eq", "ne"):
            if self._type_of(key) in CHOICE_TYPES:
                value = _as_key(value)
            return {"q": key, "op": op, "value": value}
        if isinstance(value, str):  # ordering needs a number; '18' is read as 18
            try:
                value = _number(value.strip())
            except ValueError:
                raise ExpressionError(N_("it orders by the text %(text)s",
                                         text=repr(value))) from None
        return {"q": key, "op": op, "value": value}

    def _type_of(self, key: str) -> str | None:
        return self.own_type if key == SELF else self.types.get(key)


def _count(key: str, op: str, value: object) -> dict:
    if isinstance(value, str):
        try:
            value = _number(value)
        except ValueError:
            raise ExpressionError(N_("count-selected() is compared with text")) from None
    if op == "ne":
        return {"not": {"q": key, "op": "count_eq", "value": value}}
    return {"q": key, "op": f"count_{op}", "value": value}


def _number(text: str) -> int | float:
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(text)
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def _as_key(value: object) -> str:
    """Option keys are text; 1 and '1' name the same option."""
    return value if isinstance(value, str) else str(value)


def _all(parts: list[dict]) -> dict:
    flat = []
    for part in parts:
        flat.extend(part["all"] if set(part) == {"all"} else [part])
    return {"all": flat}


def _any(parts: list[dict]) -> dict:
    flat = []
    for part in parts:
        flat.extend(part["any"] if set(part) == {"any"} else [part])
    # `${q} = 'a' or ${q} = 'b'` reads better, and evaluates the same, as one "in".
    keys = {part.get("q") for part in flat}
    if len(keys) == 1 and None not in keys and all(part.get("op") == "eq" for part in flat):
        return {"q": keys.pop(), "op": "in", "value": [part["value"] for part in flat]}
    return {"any": flat}


def parse_condition(expression: str, question_types: Mapping[str, str] | None = None,
                    own_type: str | None = None) -> dict:
    """The condition for an XLSForm expression; ExpressionError when it cannot be represented.

    question_types maps question keys to Consult types (it decides what selected() means);
    own_type is the type of the question that "." stands for.
    """
    text = str(expression).translate(_QUOTES).strip()
    if not text:
        raise ExpressionError(N_("it is empty"))
    return _Parser(_tokens(text), question_types or {}, own_type).parse()


def translate_condition(expression: str, question_types: Mapping[str, str] | None = None,
                        own_type: str | None = None) -> tuple[dict | None, Message | None]:
    """(condition, None) when the expression can be represented, else (None, the reason)."""
    try:
        return parse_condition(expression, question_types, own_type), None
    except ExpressionError as error:
        return None, error.args[0]


def range_bounds(parameters: str) -> tuple[str, bool, dict | None, Message] | None:
    """(type, integer, constraint, note) for a range question, or None if unreadable."""
    values = {"start": "1", "end": "10", "step": "1"}  # XLSForm's own defaults
    values.update(re.findall(r"(start|end|step)\s*=\s*([^\s;,]+)", parameters.lower()))
    try:
        start, end, step = (float(values[k]) for k in ("start", "end", "step"))
    except ValueError:
        return None
    if (start, end, step) == (0, 10, 1):
        return "scale", True, None, N_("imported as a 0-10 scale")
    low, high = sorted((start, end))
    integer = all(v.is_integer() for v in (start, end, step))
    bounds = [int(v) if integer else v for v in (low, high)]
    constraint = {"all": [{"q": ".", "op": "ge", "value": bounds[0]},
                          {"q": ".", "op": "le", "value": bounds[1]}]}
    if step == 1:
        note = N_("a range from %(low)s to %(high)s is imported as a number between those "
                  "bounds", low=bounds[0], high=bounds[1])
    else:
        note = N_("a range from %(low)s to %(high)s is imported as a number between those "
                  "bounds (the step is not kept)", low=bounds[0], high=bounds[1])
    return "number", integer, constraint, note


@dataclass
class PendingConditions:
    """A question whose conditions wait until every question's type is known."""

    question: Any  # a ParsedQuestion; its show_if and constraint are filled in
    relevant: str
    constraint: str
    groups: list[tuple[int, str, str]]
    bounds: dict | None


def _condition(drop: Report, expression: str, types: Mapping[str, str], own_type: str | None,
               where: tuple[int | None, str], what: str) -> dict | None:
    """The translated condition, or None and an item saying what was left out and why.

    own_type is None for a show-if condition, the question's type for its constraint; what
    says where the expression was (a key of UNREPRESENTABLE).
    """
    condition, reason = translate_condition(expression, types, own_type)
    refs = referenced_keys(condition, include_self=True)
    unknown = ", ".join(sorted(refs - types.keys() - {SELF}))
    if condition is None:
        pass
    elif own_type is not None and refs - {SELF}:
        reason = N_("a constraint may only test the answer itself (.)")
    elif own_type is None and SELF in refs:
        reason = N_("'.' has no meaning in a show-if condition")
    elif own_type is None and unknown:
        reason = N_("it refers to questions that are not imported: %(keys)s", keys=unknown)
    if reason is None:
        return condition
    drop(*where, N_(UNREPRESENTABLE[what], expression=repr(expression), reason=reason))
    return None


def _together(conditions: list[dict | None]) -> dict | None:
    kept = [c for c in conditions if c is not None]
    return kept[0] if len(kept) == 1 else ({"all": kept} if kept else None)


def resolve_conditions(pending: list[PendingConditions], drop: Report, note: Report) -> None:
    """Fill in each question's show_if and constraint, once every question's type is known."""
    types = {item.question.key: item.question.type for item in pending}
    groups: dict[int, dict | None] = {}  # a group's relevant is translated and reported once
    for item in pending:
        question = item.question
        shown = []
        for row, name, relevant in item.groups:
            if row not in groups:
                groups[row] = _condition(drop, relevant, types, None, (row, name), "group")
                if groups[row] is not None:
                    note(row, name, N_("the group's relevant is applied to each of its "
                                       "questions"))
            shown.append(groups[row])
        where = (question.row, question.key)
        if item.relevant:
            shown.append(_condition(drop, item.relevant, types, None, where, "relevant"))
        question.show_if = _together(shown)
        checks = [item.bounds]
        if item.constraint:
            checks.append(_condition(drop, item.constraint, types, question.type, where,
                                     "constraint"))
        question.constraint = _together(checks)
        if question.constraint is None:  # a message for a check that is not made misleads
            question.constraint_messages = {}
        texts = [*question.labels.values(), *question.hints.values()]
        shows = {key for text in texts for key in re.findall(r"\$\{\s*([^}\s]+)\s*\}", text)}
        if shows - types.keys():
            note(*where, N_("its text shows values that are not imported, as written: "
                            "%(keys)s", keys=", ".join(sorted(shows - types.keys()))))
