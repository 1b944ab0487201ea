"""Operations on surveys. They flush, never commit; the caller commits once."""
from dataclasses import dataclass, field
from types import SimpleNamespace

from consult.analysis.conditions import referenced_keys
from consult.consultations.models import Consultation
from consult.consultations.services import touch
from consult.extensions import db
from consult.surveys.models import (
    CHOICE_TYPES,
    Question,
    QuestionOption,
    QuestionType,
    Response,
    Survey,
    SurveyPage,
)


class SurveyLocked(ValueError):
    """The survey cannot be replaced: people have answered it (a draft or a submitted response)."""


@dataclass
class BuildReport:
    """What building a survey from a specification changed or left out (for the import report)."""

    dropped_conditions: list[tuple[str, str]] = field(default_factory=list)


def get_survey(consultation: Consultation) -> Survey | None:
    """The consultation's survey, pages, questions and options loaded."""
    return db.session.scalar(db.select(Survey).filter_by(consultation_id=consultation.id))


def has_responses(survey: Survey) -> bool:
    """Whether anybody has answered the survey (a draft or a submitted response)."""
    return db.session.scalar(
        db.select(Response.id).filter_by(survey_id=survey.id).limit(1)) is not None


def survey_parts(survey: Survey | None) -> list:
    """Every object of a survey with translated texts: pages, questions, options."""
    if survey is None:
        return []
    return [part for page in survey.pages for part in (
        page, *(item for q in page.questions for item in (q, *q.options)))]


def later_references(pages) -> list[str]:
    """Keys of the questions (of page specifications) whose show_if reads a question that does
    not come before them; replace_survey drops those conditions."""
    seen: set[str] = set()
    found = []
    for page in pages:
        for spec in page.questions:
            if spec.show_if is not None and not referenced_keys(spec.show_if) <= seen:
                found.append(spec.key)
            seen.add(spec.key)
    return found


def replace_survey(consultation: Consultation, pages) -> tuple[Survey, BuildReport]:
    """Build the consultation's survey from page specifications, replacing any survey it has.

    pages: objects with key, labels and questions; questions with key, type, labels, hints,
    required, options (key, labels), allow_other, integer, show_if, constraint and
    constraint_messages (the XLSForm parser's ParsedPage/ParsedQuestion fit). A survey that
    anybody has answered (even a draft response) is never replaced: SurveyLocked. Whether the
    consultation's state allows it is for the caller to decide (the web builder asks for a
    draft; the administrator's CLI does not).
    """
    existing = get_survey(consultation)
    if existing is not None:
        if has_responses(existing):
            raise SurveyLocked(consultation.slug)
        db.session.delete(existing)
        db.session.flush()
    survey = Survey(consultation=consultation)
    db.session.add(survey)
    touch(consultation)  # the consultation page links to its survey
    report = BuildReport()
    seen: set[str] = set()
    for page_position, page_spec in enumerate(pages, start=1):
        page = SurveyPage(key=page_spec.key, position=page_position)
        survey.pages.append(page)
        _set_texts(page, {"title": page_spec.labels})
        for position, spec in enumerate(page_spec.questions, start=1):
            page.questions.append(_question(survey, spec, position, seen, report))
            seen.add(spec.key)
    db.session.flush()
    return survey, report


def _question(survey: Survey, spec, position: int, earlier: set[str],
              report: BuildReport) -> Question:
    """One question from its specification; a condition on later or unknown questions is
    dropped (and reported), since skip logic may only look back."""
    show_if = spec.show_if
    if show_if is not None and not referenced_keys(show_if) <= earlier:
        report.dropped_conditions.append((spec.key, "show_if"))
        show_if = None
    question = Question(survey=survey, key=spec.key, type=QuestionType(spec.type),
                        position=position, required=bool(spec.required),
                        is_segment=bool(getattr(spec, "is_segment", False)),
                        integer=spec.integer, allow_other=bool(spec.allow_other),
                        show_if=show_if, constraint=spec.constraint)
    _set_texts(question, {"label": spec.labels, "hint": spec.hints,
                          "constraint_message": spec.constraint_messages})
    if question.type in CHOICE_TYPES:
        for option_position, option_spec in enumerate(spec.options, start=1):
            option = QuestionOption(key=option_spec.key, position=option_position)
            _set_texts(option, {"label": option_spec.labels})
            question.options.append(option)
    return question


def _set_texts(target, fields: dict[str, dict[str, str]]) -> None:
    for name, by_language in fields.items():
        for language, text in (by_language or {}).items():
            target.set_text(name, language, text)


#: Question fields a specification may leave out, with their defaults.
QUESTION_DEFAULTS = {"labels": {}, "hints": {}, "required": False, "options": [],
                     "allow_other": False, "integer": None, "show_if": None, "constraint": None,
                     "constraint_messages": {}, "is_segment": False}


def page_specs(pages: list[dict]) -> list[SimpleNamespace]:
    """Page specifications (as replace_survey reads them) from plain data, e.g. JSON."""
    return [SimpleNamespace(key=page["key"], labels=page.get("labels", {}), questions=[
        SimpleNamespace(**{**QUESTION_DEFAULTS, **question, "options": [
            SimpleNamespace(key=o["key"], labels=o.get("labels", {}))
            for o in question.get("options", [])]})
        for question in page["questions"]]) for page in pages]
