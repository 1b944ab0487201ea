"""Editing the options of choice questions (see builder.py for the rules). Operations flush,
never commit."""
from flask_babel import lazy_gettext as _l

from consult.consultations.services import touch
from consult.extensions import db
from consult.surveys.builder import (
    KEY_LENGTH,
    OPTION_KEY,
    OTHER,
    BuilderRefused,
    ConditionConflict,
    KeyRefused,
    leaves,
    reads_value,
    renumber,
    require_structure,
    require_unanswered,
    rewrite_leaves,
    set_texts,
)
from consult.surveys.models import CHOICE_TYPES, Question, QuestionOption


def add_option(question: Question, key: str, texts: dict[tuple[str, str], str]
               ) -> QuestionOption:
    """Append an option to a choice question."""
    require_structure(question.survey.consultation)
    if question.type not in CHOICE_TYPES:
        raise BuilderRefused(_l("Only choice, agree/disagree and ranking questions have "
                                "options."))
    _check_key(question, key, None)
    option = QuestionOption(key=key, position=len(question.options) + 1)
    question.options.append(option)
    set_texts(option, texts)
    db.session.flush()
    return option


def update_option(option: QuestionOption, key: str, texts: dict[tuple[str, str], str]) -> None:
    """Change an option's texts, and its key while nobody has answered."""
    question = option.question
    if key != option.key:
        require_structure(question.survey.consultation)
        require_unanswered(question.survey)
        _check_key(question, key, option)
        old = option.key
        rewrite_leaves(question.survey, lambda leaf: reads_value(leaf, question.key, old),
                        lambda leaf: leaf.update(value=_renamed(leaf["value"], old, key)))
        option.key = key
    set_texts(option, texts)
    db.session.flush()


def move_option(option: QuestionOption, offset: int) -> None:
    """Move an option up (-1) or down (+1)."""
    question = option.question
    require_structure(question.survey.consultation)
    options = list(question.options)
    index, target = options.index(option), options.index(option) + offset
    if 0 <= target < len(options):
        options[index], options[target] = options[target], options[index]
        renumber(options)
        question.options.sort(key=lambda o: o.position)
        touch(question.survey.consultation)


def delete_option(option: QuestionOption) -> None:
    """Delete an option nobody has answered and no condition reads."""
    question = option.question
    survey = question.survey
    require_structure(survey.consultation)
    require_unanswered(survey)
    readers = [q.key for q in survey.questions
               if any(reads_value(leaf, question.key, option.key) for leaf in leaves(q.show_if))]
    if readers:
        raise ConditionConflict(_l("The conditions of these questions use this option: "
                                   "%(keys)s. Change or remove those conditions first.",
                                   keys=", ".join(readers)))
    question.options.remove(option)
    db.session.delete(option)
    renumber(question.options)
    touch(survey.consultation)


def _check_key(question: Question, key: str, option: QuestionOption | None) -> None:
    if not OPTION_KEY.match(key) or len(key) > KEY_LENGTH:
        raise KeyRefused(_l("Use letters (a–z), digits, underscores, hyphens and dots only, "
                            "at most 80 characters."))
    if any(o.key == key and o is not option for o in question.options):
        raise KeyRefused(_l("Another option of this question already has this key."))
    if key == OTHER and question.allow_other:
        raise KeyRefused(_l("The key “other” is kept for the “Other” answer of this question."))


def _renamed(value, old: str, new: str):
    """A condition value with the option key old renamed (in a list too)."""
    if isinstance(value, list):
        return [new if str(v) == old else v for v in value]
    return new if str(value) == old else value
