"""What a survey costs by SMS, per language (the segments of every question's message, as the
engine words it), and which questions do not suit SMS, with what will happen to them."""
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from consult.channels.conversation import question_text
from consult.channels.segments import count_segments
from consult.surveys.models import QuestionType, Survey

#: Ranking more options than this by typing numbers in order is error-prone on a keypad.
RANKING_MAX_OPTIONS = 5
#: A note longer than this many segments is costly and hard to read on a basic phone.
NOTE_MAX_SEGMENTS = 3

RANKING_TOO_LONG = _l("A ranking of %(count)s options: participants must type every number "
                      "in order, which is easy to get wrong by SMS. It will be asked anyway; "
                      "consider fewer options.")
NOTE_TOO_LONG = _l("A note of %(segments)s SMS segments: it will be sent whole, before the "
                   "next question. Consider shortening it.")


@dataclass(frozen=True)
class LanguageCost:
    """A full survey (every question asked once) in one language."""

    language: str
    messages: int
    segments: int
    ucs2: bool


def survey_cost(survey: Survey, language: str) -> LanguageCost:
    """Segments one participant receives answering every question once, in language."""
    with force_locale(language):
        texts = [question_text(q, language) for q in survey.questions]
    counted = [count_segments(text) for text in texts]
    return LanguageCost(language, len(texts), sum(c.count for c in counted),
                        any(c.encoding == "ucs2" for c in counted))


def not_suited(survey: Survey, language: str) -> list[tuple[str, str]]:
    """(question key, what will happen) for the questions that do not suit SMS."""
    found = []
    for question in survey.questions:
        if question.type is QuestionType.RANKING and \
                len(question.options) > RANKING_MAX_OPTIONS:
            found.append((question.key, str(RANKING_TOO_LONG % {
                "count": len(question.options)})))
        if question.type is QuestionType.NOTE:
            segments = count_segments(question.text("label", language).text).count
            if segments > NOTE_MAX_SEGMENTS:
                found.append((question.key, str(NOTE_TOO_LONG % {"segments": segments})))
    return found
