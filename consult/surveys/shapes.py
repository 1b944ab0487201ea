"""A survey's structure as plain, immutable data, kept per consultation revision.

Checking and storing a submission needs keys, types, options and conditions, not the ORM
objects with every translation: building them once per revision keeps submissions fast.
"""
from dataclasses import dataclass

from consult import fragments
from consult.i18n import LocalText, pick_text
from consult.surveys.models import QuestionType, Survey


@dataclass(frozen=True)
class OptionShape:
    """An option's key."""

    key: str


@dataclass(frozen=True)
class QuestionShape:
    """What answer checking reads of a question (see answers.check_page)."""

    id: int
    key: str
    type: QuestionType
    required: bool
    integer: bool | None
    allow_other: bool
    show_if: dict | None
    constraint: dict | None
    options: tuple[OptionShape, ...]
    constraint_messages: tuple[tuple[str, str], ...]
    default_language: str

    def text(self, field: str, language: str) -> LocalText:
        """Only the constraint message is kept; other fields read as empty."""
        texts = dict(self.constraint_messages) if field == "constraint_message" else {}
        return pick_text(texts, language, self.default_language)


@dataclass(frozen=True)
class PageShape:
    """A page's questions, in order."""

    key: str
    questions: tuple[QuestionShape, ...]


@dataclass(frozen=True)
class SurveyShape:
    """A survey's pages, in order."""

    id: int
    pages: tuple[PageShape, ...]

    @property
    def questions(self) -> tuple[QuestionShape, ...]:
        """Every question, page by page."""
        return tuple(q for page in self.pages for q in page.questions)


def shape(survey: Survey) -> SurveyShape:
    """The plain structure of a loaded survey."""
    default = survey.consultation.default_language
    return SurveyShape(survey.id, tuple(PageShape(page.key, tuple(
        QuestionShape(q.id, q.key, q.type, q.required, q.integer, q.allow_other, q.show_if,
                      q.constraint, tuple(OptionShape(o.key) for o in q.options),
                      tuple(sorted(q.texts_for("constraint_message").items())), default)
        for q in page.questions)) for page in survey.pages))


def cached_shape(consultation_id: int, revision: int, load) -> SurveyShape | None:
    """The shape for this consultation revision; load() gives the Survey on a miss."""
    def build():
        survey = load()
        return (shape(survey) if survey is not None else None,)

    return fragments.cached(("survey-shape", consultation_id, revision), build)[0]
