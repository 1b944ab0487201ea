"""A question as one SMS, and a participant's reply read as the form fields the web's answer
checks read (surveys.answers.check_page): numbers for options, dates day first, Arabic-Indic
digits as digits."""
import re

from flask_babel import gettext as _

from consult.channels.commands import COMMANDS
from consult.channels.survey_shape import QuestionShape
from consult.surveys.models import Question, QuestionType

#: A question as the staff page reads it (the ORM's) or as the engine does (its shape).
AnyQuestion = Question | QuestionShape

#: Arabic-Indic and Extended Arabic-Indic digits read as 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


class NotAnAnswer(ValueError):
    """A reply that cannot be read as an answer to the question; str() is the message."""


def question_text(question: AnyQuestion, language: str) -> str:
    """A question as one message: label, hint, numbered options, how to answer."""
    lines = [question.text("label", language).text]
    hint = question.text("hint", language).text
    if hint:
        lines.append(hint)
    kind = question.type
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.LIKERT,
                QuestionType.RANKING):
        options = list(question.options)
        lines += [f"{n}. {o.text('label', language).text}"
                  for n, o in enumerate(options, start=1)]
        if question.allow_other:
            lines.append(_("%(n)s. Other (send %(n)s then your words)", n=len(options) + 1))
        if kind is QuestionType.MULTIPLE_CHOICE:
            lines.append(_("(one or more numbers, like 1 3)"))
        elif kind is QuestionType.RANKING:
            lines.append(_("(the numbers in your order of preference, like 3 1 2)"))
    elif kind is QuestionType.SCALE:
        lines.append(_("(a number from 0 to 10)"))
    elif kind is QuestionType.DATE:
        lines.append(_("(a date like 31/03/2026)"))
    if not question.required:
        lines.append(_("(%(skip)s to skip)", skip=COMMANDS["skip"]))
    return "\n".join(lines)


def _digits(text: str) -> str:
    return text.translate(_DIGITS)


def _option_key(question: AnyQuestion, token: str) -> str:
    options = list(question.options)
    if token.isdigit():
        n = int(token)
        if 1 <= n <= len(options):
            return options[n - 1].key
        if question.allow_other and n == len(options) + 1:
            return "other"
    raise NotAnAnswer(_("Please reply with the number of an option, like 1."))


def _submitted(question: AnyQuestion, text: str, language: str) -> dict[str, list[str]]:
    """The message as the form fields the web's answer checks read."""
    kind = question.type
    text = text.strip()
    key = question.key
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.LIKERT):
        match = re.match(r"^(\S+)\s*(.*)$", _digits(text), re.S)
        token, rest = (match.group(1), match.group(2)) if match else ("", "")
        chosen = _option_key(question, token)
        if chosen != "other" and rest[:1].isdigit():  # "1 3": two options for one choice
            raise NotAnAnswer(_("Please reply with one number only."))
        return {key: [chosen], f"{key}__other": [rest]}
    if kind in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING):
        tokens = re.split(r"[\s,;]+", _digits(text))
        numbers = []
        while tokens and tokens[0].isdigit():
            numbers.append(tokens.pop(0))
        if not numbers:
            raise NotAnAnswer(_("Please reply with the number of an option, like 1."))
        return {key: [_option_key(question, t) for t in numbers],
                f"{key}__other": [" ".join(tokens)]}
    if kind in (QuestionType.NUMBER, QuestionType.SCALE):
        return {key: [_digits(text)]}
    if kind is QuestionType.DATE:
        text = _digits(text)
        day_first = _DAY_FIRST.match(text)
        if day_first:
            day, month, year = day_first.groups()
            text = f"{year}-{int(month):02d}-{int(day):02d}"
        return {key: [text]}
    return {key: [text]}
