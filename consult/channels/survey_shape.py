"""A survey as the SMS and USSD engine reads it, as plain immutable data kept per process.

Each message used to read the survey's pages, questions, options and all their texts again
(five statements). The structure is kept here instead, keyed by the consultation's id and
revision: every survey edit moves the revision (consultations.services.touch, called by the
survey builder and replace_survey), and the revision comes with the channel's consultation,
which every message reads anyway; so an edit reaches the next message through any worker.
Stale entries age out of the per-process LRU (fragments.py).

The shapes answer what the engine, check_page and the response services read of the ORM
objects (id, key, type, options, texts...), so they stand in for them.
"""
from dataclasses import dataclass

from consult import fragments
from consult.consultations.models import Consultation
from consult.i18n import LocalText, pick_text
from consult.surveys.models import QuestionType, Survey
from consult.surveys.services import get_survey

Texts = tuple[tuple[str, str, str], ...]  # (field, language, text)


def _pick(texts: Texts, field: str, language: str, default_language: str) -> LocalText:
    return pick_text({lang: text for name, lang, text in texts if name == field}, language,
                     default_language)


@dataclass(frozen=True)
class OptionShape:
    """An option: its key and its translated label."""

    key: str
    texts: Texts
    default_language: str

    def text(self, field: str, language: str) -> LocalText:
        """A translated field, with the consultation's default language as fallback."""
        return _pick(self.texts, field, language, self.default_language)


@dataclass(frozen=True)
class QuestionShape:
    """What the engine, answer checks and response services read of a question."""

    id: int
    page_id: int
    key: str
    type: QuestionType
    required: bool
    integer: bool | None
    allow_other: bool
    show_if: dict | None
    constraint: dict | None
    options: tuple[OptionShape, ...]
    texts: Texts
    default_language: str

    def text(self, field: str, language: str) -> LocalText:
        """A translated field, with the consultation's default language as fallback."""
        return _pick(self.texts, field, language, self.default_language)


@dataclass(frozen=True)
class PageShape:
    """A page: its id (where a draft resumes on the web) and its questions in order."""

    id: int
    questions: tuple[QuestionShape, ...]


@dataclass(frozen=True)
class SurveyShape:
    """A survey's pages and questions, in order."""

    id: int
    pages: tuple[PageShape, ...]
    questions: tuple[QuestionShape, ...]


def _texts(item) -> Texts:
    return tuple(sorted((row.field, row.language, row.text) for row in item.texts))


def shape(survey: Survey) -> SurveyShape:
    """The plain structure of a loaded survey, with every text."""
    default = survey.consultation.default_language
    pages = tuple(PageShape(page.id, tuple(
        QuestionShape(q.id, q.page_id, q.key, q.type, q.required, q.integer, q.allow_other,
                      q.show_if, q.constraint,
                      tuple(OptionShape(o.key, _texts(o), default) for o in q.options),
                      _texts(q), default)
        for q in page.questions)) for page in survey.pages)
    return SurveyShape(survey.id, pages, tuple(q for page in pages for q in page.questions))


def survey_of(consultation: Consultation) -> SurveyShape | None:
    """The consultation's survey as of its current revision: read from the database once
    per revision and process."""
    def build() -> tuple:
        survey = get_survey(consultation)
        return (shape(survey) if survey is not None else None,)

    return fragments.cached(("sms-survey", consultation.id, consultation.revision), build)[0]
