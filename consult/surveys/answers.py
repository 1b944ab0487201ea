"""Check and clean submitted answers, question by question, with a translated message per field.

Values come in as lists of strings (a form field may repeat; the API's values are given as
strings too) and go out in the form conditions read: an option key, a list of option keys
(multiple choice, ranking in order), an int or float, text, or an ISO date.
"""
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Sequence

from flask_babel import lazy_gettext as _l

from consult.analysis.conditions import evaluate, is_answered
from consult.forms import one_kind_of_line_break
from consult.surveys.models import Question, QuestionType

#: Longest answers accepted, in characters.
SHORT_TEXT_LIMIT = 500
LONG_TEXT_LIMIT = 5000
#: Numbers beyond this size are typing errors or attacks, not answers.
NUMBER_LIMIT = Decimal("1e12")
#: Submitted value of the "other" choice; its text comes in the field KEY__other.
OTHER = "other"
SCALE_RANGE = (0, 10)

REQUIRED = _l("Please answer this question.")
NOT_AN_OPTION = _l("Please choose one of the options shown.")
NOT_A_NUMBER = _l("Please enter a number, like 12 or 3.5.")
NOT_WHOLE = _l("Please enter a whole number, like 12.")
OUT_OF_SCALE = _l("Please choose a number from 0 to 10.")
NOT_A_DATE = _l("Please enter a date as year-month-day, like 2026-03-31.")
TOO_LONG = _l("Please shorten your answer to %(limit)s characters.")
OTHER_NEEDS_TEXT = _l("Please say what “other” means for you.")
NOT_ALLOWED = _l("This answer is not possible here; please check it.")


class AnswerError(ValueError):
    """A submitted value this question cannot take; str() is the translated message."""


def _strings(raw: Sequence[str] | str | None) -> list[str]:
    if raw is None:
        return []
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _check_text(text: str, limit: int) -> str:
    text = one_kind_of_line_break(text)  # counted as the browser's maxlength counts
    if "\x00" in text:
        raise AnswerError(NOT_ALLOWED)
    if len(text) > limit:
        raise AnswerError(TOO_LONG % {"limit": limit})
    return text


def clean_value(question: Question, raw: Sequence[str] | str | None, other: str = "") -> Any:
    """The clean value of one question's submitted strings; None when unanswered."""
    values = _strings(raw)
    kind = question.type
    if kind is QuestionType.NOTE or not values:
        return None
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.LIKERT):
        return _choice(question, values[0], other)
    if kind is QuestionType.MULTIPLE_CHOICE:
        return [_choice(question, v, other) for v in dict.fromkeys(values)]
    if kind is QuestionType.RANKING:
        keys = {o.key for o in question.options}
        if len(set(values)) != len(values) or not set(values) <= keys:
            raise AnswerError(NOT_AN_OPTION)
        return values
    if kind in (QuestionType.NUMBER, QuestionType.SCALE):
        return _number(question, values[0])
    if kind is QuestionType.DATE:
        try:
            return dt.date.fromisoformat(values[0]).isoformat()
        except ValueError as error:
            raise AnswerError(NOT_A_DATE) from error
    limit = LONG_TEXT_LIMIT if kind is QuestionType.LONG_TEXT else SHORT_TEXT_LIMIT
    return _check_text(values[0], limit)


def _choice(question: Question, value: str, other: str) -> str:
    if value == OTHER and question.allow_other:
        if not other.strip():
            raise AnswerError(OTHER_NEEDS_TEXT)
        _check_text(other.strip(), SHORT_TEXT_LIMIT)
        return OTHER
    if value not in {o.key for o in question.options}:
        raise AnswerError(NOT_AN_OPTION)
    return value


def _number(question: Question, text: str) -> int | float:
    try:
        number = Decimal(text.replace(",", ".") if text.count(",") == 1 and "." not in text
                         else text)
    except InvalidOperation as error:
        raise AnswerError(NOT_A_NUMBER) from error
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        raise AnswerError(NOT_A_NUMBER)
    whole = number == number.to_integral_value()
    if question.type is QuestionType.SCALE:
        if not whole or not SCALE_RANGE[0] <= number <= SCALE_RANGE[1]:
            raise AnswerError(OUT_OF_SCALE)
        return int(number)
    if question.integer and not whole:
        raise AnswerError(NOT_WHOLE)
    return int(number) if whole else float(number)


def check_page(questions: Sequence[Question], submitted: Mapping[str, Sequence[str]],
               earlier: Mapping[str, Any], language: str) -> tuple[dict, dict, dict]:
    """Check the shown questions of one page.

    submitted maps a field name to its strings ("KEY" and "KEY__other"); earlier holds the
    answers of earlier pages (conditions and constraints may read them). Returns
    (values, other texts, errors), errors mapping a question key to its translated message.
    """
    values: dict[str, Any] = {}
    others: dict[str, str] = {}
    errors: dict[str, str] = {}
    known = dict(earlier)
    for question in questions:
        if not evaluate(question.show_if, known):
            continue  # hidden by an answer on this page: its value is discarded
        other = " ".join(_strings(submitted.get(f"{question.key}__other")))
        try:
            value = clean_value(question, submitted.get(question.key), other)
            if question.required and question.type is not QuestionType.NOTE \
                    and not is_answered(value):
                raise AnswerError(REQUIRED)
            if is_answered(value) and not evaluate(question.constraint, known, own=value):
                message = question.text("constraint_message", language).text
                raise AnswerError(message or NOT_ALLOWED)
        except AnswerError as error:
            errors[question.key] = str(error.args[0])
            continue
        if is_answered(value):
            values[question.key] = known[question.key] = value
            if OTHER in (value if isinstance(value, list) else [value]):
                others[question.key] = other
    return values, others, errors


def unanswered_required(questions: Sequence[Question], known: Mapping[str, Any]) -> dict:
    """{key: message} for the shown, required questions that known (answers so far) lacks."""
    return {q.key: str(REQUIRED) for q in questions
            if q.required and q.type is not QuestionType.NOTE and evaluate(q.show_if, known)
            and not is_answered(known.get(q.key))}


def first_incomplete_page(pages: Sequence, known: Mapping[str, Any]) -> int | None:
    """The number of the first page with a shown, required question still unanswered (a
    participant may reach the last page by its address, skipping pages), or None."""
    for number, page in enumerate(pages, start=1):
        if unanswered_required(page.questions, known):
            return number
    return None


UNKNOWN_QUESTION = _l("This survey has no such question.")
NOT_A_VALUE = _l("Please give text, a number, or a list of option keys.")


def as_strings(value: Any) -> list[str] | None:
    """A JSON answer as the list of strings a form would send; None when not a JSON scalar/list."""
    if value is None:
        return []
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, str | int | float) and
                                       not isinstance(v, bool) for v in value):
        return [str(v) for v in value]
    return None


def check_survey(pages: Sequence, answers: Mapping[str, Any], others: Mapping[str, Any],
                 language: str) -> tuple[dict, dict, dict]:
    """Check a whole survey's answers at once (API and imports): page by page, in order, so
    conditions see earlier answers. Returns (values, other texts, errors by key)."""
    known = {q.key for page in pages for q in page.questions}
    errors: dict[str, str] = {key: str(UNKNOWN_QUESTION) for key in answers if key not in known}
    submitted: dict[str, list[str]] = {}
    for key, value in answers.items():
        strings = as_strings(value)
        if strings is None:
            errors[key] = str(NOT_A_VALUE)
        else:
            submitted[key] = strings
    for key, text in others.items():
        if isinstance(text, str):
            submitted[f"{key}__other"] = [text]
    values: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for page in pages:
        page_values, page_others, page_errors = check_page(page.questions, submitted, values,
                                                           language)
        values.update(page_values)
        texts.update(page_others)
        for key, message in page_errors.items():
            errors.setdefault(key, message)
    return values, texts, errors
