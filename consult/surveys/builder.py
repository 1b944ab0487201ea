"""Editing a survey piece by piece (the host's builder). Operations flush, never commit.

Two rules protect what people answer, enforced here whatever page or program asks:
- the lifecycle: pages, questions and options are added, moved or deleted, and what a question
  asks (key, type, required, limits, "other", condition) is changed, only while the
  consultation allows "edit_structure" (a draft); texts may be edited in every state;
- answers: once the survey has any response (draft or submitted), no question or option is
  deleted and no question key, option key or question type changes.
Every change bumps the consultation's revision, so cached pages and survey shapes refresh.
"""
import copy
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from consult.analysis.conditions import referenced_keys
from consult.consultations.models import Consultation
from consult.consultations.services import touch
from consult.extensions import db
from consult.surveys.models import (
    CHOICE_TYPES,
    Question,
    QuestionOption,
    QuestionType,
    Survey,
    SurveyPage,
)
from consult.surveys.services import get_survey, has_responses

#: A question key: letters, digits and underscores (it names export columns and conditions).
QUESTION_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: An option key: also hyphens and dots, as XLSForm choice names have them.
OPTION_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
KEY_LENGTH = 80
#: The option key of the "Other" answer (answers.OTHER): an option may not take it then.
OTHER = "other"
#: Question types that may offer an "Other" answer with free text.
OTHER_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
#: Default options of a new 5-point agree/disagree question, by language (host content).
LIKERT_OPTIONS = (
    ("1", {"en": "Strongly disagree", "fr": "Pas du tout d’accord", "es": "Muy en desacuerdo",
           "pt": "Discordo totalmente", "ar": "أعارض بشدة"}),
    ("2", {"en": "Disagree", "fr": "Pas d’accord", "es": "En desacuerdo", "pt": "Discordo",
           "ar": "أعارض"}),
    ("3", {"en": "Neither agree nor disagree", "fr": "Ni d’accord ni pas d’accord",
           "es": "Ni de acuerdo ni en desacuerdo", "pt": "Não concordo nem discordo",
           "ar": "محايد"}),
    ("4", {"en": "Agree", "fr": "D’accord", "es": "De acuerdo", "pt": "Concordo",
           "ar": "أوافق"}),
    ("5", {"en": "Strongly agree", "fr": "Tout à fait d’accord", "es": "Muy de acuerdo",
           "pt": "Concordo totalmente", "ar": "أوافق بشدة"}),
)

FROZEN = _l("The consultation is no longer a draft: pages, questions and options can no "
            "longer be added, moved or deleted, and what a question asks cannot change. "
            "Texts can still be edited.")
ANSWERED = _l("People have already answered this survey: questions and options cannot be "
              "deleted, and question keys, option keys and question types cannot change. "
              "Texts can still be edited.")


class BuilderRefused(ValueError):
    """An edit the rules do not allow; str() is a translated explanation."""

    def __str__(self) -> str:
        return str(self.args[0])


class StructureFrozen(BuilderRefused):
    """The consultation's state allows text edits only."""


class AlreadyAnswered(BuilderRefused):
    """The survey has responses: nothing is deleted, no key or type changes."""


class KeyRefused(BuilderRefused):
    """A key that is malformed or already used."""


class ConditionConflict(BuilderRefused):
    """The edit would leave a condition reading a later, missing or deleted question."""


@dataclass
class QuestionSettings:
    """What a question is, besides its texts."""

    key: str
    type: QuestionType
    required: bool = False
    is_segment: bool = False
    integer: bool | None = None
    allow_other: bool = False
    show_if: dict | None = None
    constraint: dict | None = None

    @classmethod
    def of(cls, question: Question) -> "QuestionSettings":
        """The settings a question has now."""
        return cls(question.key, question.type, question.required, question.is_segment,
                   question.integer, question.allow_other, question.show_if, question.constraint)


#: Settings that change what participants see and answer (frozen outside drafts). A segment
#: flag only changes how results are broken down, so it may change in any state.
STRUCTURAL = ("key", "type", "required", "integer", "allow_other", "show_if", "constraint")


def require_structure(consultation: Consultation) -> None:
    """StructureFrozen unless the consultation's state allows structural edits."""
    if not consultation.allows("edit_structure"):
        raise StructureFrozen(FROZEN)


def require_unanswered(survey: Survey) -> None:
    """AlreadyAnswered if the survey has any response."""
    if has_responses(survey):
        raise AlreadyAnswered(ANSWERED)


def create_survey(consultation: Consultation) -> Survey:
    """The consultation's survey, made with one empty page if it has none."""
    existing = get_survey(consultation)
    if existing is not None:
        return existing
    require_structure(consultation)
    survey = Survey(consultation=consultation)
    db.session.add(survey)
    survey.pages.append(SurveyPage(key="page-1", position=1))
    touch(consultation)
    db.session.flush()
    return survey


def set_texts(target: SurveyPage | Question | QuestionOption,
              texts: dict[tuple[str, str], str]) -> None:
    """Set translated fields from {(field, language): text}; allowed in every state."""
    for (field, language), value in texts.items():
        target.set_text(field, language, value)
    touch(_survey_of(target).consultation)


def _survey_of(target) -> Survey:
    if isinstance(target, QuestionOption):
        return target.question.survey
    return target.survey


def add_page(survey: Survey, texts: dict[tuple[str, str], str]) -> SurveyPage:
    """Append a page (key page-N) with its titles."""
    require_structure(survey.consultation)
    used, number = {p.key for p in survey.pages}, len(survey.pages) + 1
    while f"page-{number}" in used:
        number += 1
    page = SurveyPage(key=f"page-{number}", position=len(survey.pages) + 1)
    survey.pages.append(page)
    set_texts(page, texts)
    db.session.flush()
    return page


def move_page(page: SurveyPage, offset: int) -> None:
    """Move a page up (-1) or down (+1); refused if a condition would then look ahead."""
    survey = page.survey
    require_structure(survey.consultation)
    pages = list(survey.pages)
    index, target = pages.index(page), pages.index(page) + offset
    if not 0 <= target < len(pages):
        return
    pages[index], pages[target] = pages[target], pages[index]
    _check_order([q for p in pages for q in p.questions])
    renumber(pages)
    survey.pages.sort(key=lambda p: p.position)
    touch(survey.consultation)


def delete_page(page: SurveyPage) -> None:
    """Delete a page and its questions (an answered survey keeps pages with questions)."""
    survey = page.survey
    require_structure(survey.consultation)
    if page.questions:
        require_unanswered(survey)
    keys = {q.key for q in page.questions}
    _refuse_if_read(survey, keys)
    survey.pages.remove(page)
    db.session.delete(page)
    renumber(survey.pages)
    touch(survey.consultation)


def add_question(page: SurveyPage, settings: QuestionSettings,
                 texts: dict[tuple[str, str], str]) -> Question:
    """Append a question to a page; a new agree/disagree question gets its five options."""
    survey = page.survey
    require_structure(survey.consultation)
    _check_key(survey, settings.key, None)
    question = Question(survey=survey, key=settings.key, type=settings.type,
                        position=len(page.questions) + 1)
    page.questions.append(question)
    _apply(question, settings)
    _check_order(survey.questions)
    if question.type is QuestionType.LIKERT:
        _add_likert_options(question)
    set_texts(question, texts)
    db.session.flush()
    return question


def update_question(question: Question, settings: QuestionSettings,
                    texts: dict[tuple[str, str], str]) -> None:
    """Change a question's settings and texts, as the lifecycle and the answers allow."""
    survey = question.survey
    current = QuestionSettings.of(question)
    changed = {name for name in STRUCTURAL if getattr(settings, name) != getattr(current, name)}
    if changed:
        require_structure(survey.consultation)
    if changed & {"key", "type"}:
        require_unanswered(survey)
    if "key" in changed:
        _check_key(survey, settings.key, question)
        rewrite_leaves(survey, lambda leaf: leaf.get("q") == current.key,
                        lambda leaf: leaf.update(q=settings.key))
    if "type" in changed:
        if settings.type not in CHOICE_TYPES:
            question.options.clear()
        elif settings.type is QuestionType.LIKERT and not question.options:
            _add_likert_options(question)
    _apply(question, settings)
    if "show_if" in changed:
        _check_order(survey.questions)
    set_texts(question, texts)
    db.session.flush()


def _apply(question: Question, settings: QuestionSettings) -> None:
    """Copy settings onto the question, keeping only those that fit its type."""
    question.key, question.type = settings.key, settings.type
    question.required = settings.required and settings.type is not QuestionType.NOTE
    question.is_segment = settings.is_segment
    question.integer = settings.integer if settings.type is QuestionType.NUMBER else None
    question.allow_other = settings.allow_other and settings.type in OTHER_TYPES
    if question.allow_other and any(o.key == OTHER for o in question.options):
        raise KeyRefused(_l("An option already has the key “other”, which the “Other” answer "
                            "needs. Change that option's key first."))
    question.show_if = settings.show_if
    question.constraint = settings.constraint


def move_question(question: Question, offset: int) -> None:
    """Move a question up (-1) or down (+1); past the edge of its page, onto the next page."""
    survey, page = question.survey, question.page
    require_structure(survey.consultation)
    questions = list(page.questions)
    index, target = questions.index(question), questions.index(question) + offset
    if 0 <= target < len(questions):
        questions[index], questions[target] = questions[target], questions[index]
        renumber(questions)
        page.questions.sort(key=lambda q: q.position)
        _check_order(survey.questions)
        touch(survey.consultation)
        return
    pages = list(survey.pages)
    neighbour = pages.index(page) + offset
    if 0 <= neighbour < len(pages):
        move_question_to(question, pages[neighbour], first=offset > 0)


def move_question_to(question: Question, page: SurveyPage, first: bool = False) -> None:
    """Put a question on another page, at its start (first) or its end."""
    survey, old = question.survey, question.page
    if page is old:
        return
    require_structure(survey.consultation)
    with db.session.no_autoflush:  # between the two pages the question is an orphan
        old.questions.remove(question)
        page.questions.insert(0 if first else len(page.questions), question)
    renumber(old.questions)
    renumber(page.questions)
    _check_order(survey.questions)
    touch(survey.consultation)


def delete_question(question: Question) -> None:
    """Delete a question nobody has answered and no condition reads."""
    survey, page = question.survey, question.page
    require_structure(survey.consultation)
    require_unanswered(survey)
    _refuse_if_read(survey, {question.key})
    page.questions.remove(question)
    db.session.delete(question)
    renumber(page.questions)
    touch(survey.consultation)


def _add_likert_options(question: Question) -> None:
    """The five agree/disagree options, labelled in the languages we have words for."""
    languages = question.survey.consultation.languages
    for position, (key, labels) in enumerate(LIKERT_OPTIONS, start=1):
        option = QuestionOption(key=key, position=position)
        kept = {code: text for code, text in labels.items() if code in languages}
        for code, text in (kept or {"en": labels["en"]}).items():
            option.set_text("label", code, text)
        question.options.append(option)


def _check_key(survey: Survey, key: str, question: Question | None) -> None:
    if not QUESTION_KEY.match(key) or len(key) > KEY_LENGTH:
        raise KeyRefused(_l("Use letters (a–z), digits and underscores only, starting with a "
                            "letter, at most 80 characters."))
    if any(q.key == key and q is not question for q in survey.questions):
        raise KeyRefused(_l("Another question of this survey already has this key."))


def _check_order(questions: list[Question]) -> None:
    """ConditionConflict if a question's condition reads itself or a question after it."""
    seen: set[str] = set()
    for question in questions:
        later = referenced_keys(question.show_if) - seen
        if later:
            raise ConditionConflict(_l(
                "The condition of “%(key)s” would read %(keys)s, which would no longer come "
                "before it. Change that condition first.", key=question.key,
                keys=", ".join(sorted(later))))
        seen.add(question.key)


def _refuse_if_read(survey: Survey, keys: set[str]) -> None:
    readers = [q.key for q in survey.questions
               if q.key not in keys and referenced_keys(q.show_if) & keys]
    if readers:
        raise ConditionConflict(_l("The conditions of these questions use it: %(keys)s. Change "
                                   "or remove those conditions first.",
                                   keys=", ".join(readers)))


def leaves(condition: dict | None):
    """Every leaf {"q": ..., "op": ...} of a condition."""
    if condition is None:
        return
    for group in ("all", "any"):
        if group in condition:
            for part in condition[group]:
                yield from leaves(part)
            return
    if "not" in condition:
        yield from leaves(condition["not"])
        return
    yield condition


def reads_value(leaf: dict, key: str, value: str) -> bool:
    """Whether a condition leaf compares question key with the option value."""
    expected = leaf.get("value")
    values = expected if isinstance(expected, list) else [expected]
    return leaf.get("q") == key and value in [str(v) for v in values if v is not None]


def rewrite_leaves(survey: Survey, matches, change) -> None:
    """Apply change to matching leaves of every condition (a new dict, so the JSON is saved)."""
    for question in survey.questions:
        if any(matches(leaf) for leaf in leaves(question.show_if)):
            condition = copy.deepcopy(question.show_if)
            for leaf in leaves(condition):
                if matches(leaf):
                    change(leaf)
            question.show_if = condition


def renumber(items: list) -> None:
    """Positions 1..n in list order."""
    for position, item in enumerate(items, start=1):
        item.position = position
