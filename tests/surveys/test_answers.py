"""Submitted answers are checked per question, with a translated message per field."""
from types import SimpleNamespace as Spec

import pytest

from consult.consultations.lifecycle import State
from consult.surveys import services
from consult.surveys.answers import AnswerError, check_page, clean_value
from consult.surveys.models import QuestionType
from tests.surveys.specs import options, question


@pytest.fixture
def survey(make_consultation):
    """A survey with one question of every type."""
    pages = [Spec(key="p1", labels={}, questions=[
        question("role", "single_choice", required=True, allow_other=True,
                 options=options("trader", "youth")),
        question("areas", "multiple_choice", options=options("port", "market", "bus")),
        question("order", "ranking", options=options("jobs", "safety", "lights")),
        question("agree", "likert", options=options("1", "2", "3", "4", "5")),
        question("trust", "scale"),
        question("age", "number", integer=True, constraint={"all": [
            {"q": ".", "op": "ge", "value": 10}, {"q": ".", "op": "le", "value": 120}]},
            constraint_messages={"en": "Age from 10 to 120.", "fr": "Âge de 10 à 120."}),
        question("income", "number", integer=False),
        question("born", "date"),
        question("name", "short_text"),
        question("story", "long_text"),
        question("stall", "short_text", required=True,
                 show_if={"q": "role", "op": "eq", "value": "trader"}),
        question("intro", "note"),
    ])]
    built, _ = services.replace_survey(make_consultation(state=State.DRAFT), pages)
    return {q.key: q for q in built.questions}


@pytest.mark.parametrize("key,raw,expected", [
    ("role", ["youth"], "youth"),
    ("areas", ["port", "bus", "port"], ["port", "bus"]),
    ("order", ["safety", "jobs", "lights"], ["safety", "jobs", "lights"]),
    ("agree", ["4"], "4"),
    ("trust", ["10"], 10),
    ("age", [" 42 "], 42),
    ("income", ["3,5"], 3.5),
    ("income", ["1200"], 1200),
    ("born", ["2001-02-03"], "2001-02-03"),
    ("name", ["  Amina  "], "Amina"),
    ("story", [""], None),
    ("intro", ["anything"], None),
])
def test_clean_values(survey, key, raw, expected):
    assert clean_value(survey[key], raw) == expected


@pytest.mark.parametrize("key,raw", [
    ("role", ["smuggler"]), ("areas", ["port", "moon"]), ("order", ["jobs", "jobs"]),
    ("trust", ["11"]), ("trust", ["2.5"]), ("age", ["4.5"]), ("age", ["forty"]),
    ("income", ["1e400"]), ("income", ["NaN"]), ("income", ["Infinity"]),
    ("born", ["31/02/2001"]), ("name", ["x" * 501]), ("story", ["a\x00b"]),
])
def test_wrong_values_are_refused_with_a_message(app, survey, key, raw):
    with pytest.raises(AnswerError) as refused:
        clean_value(survey[key], raw)
    assert str(refused.value.args[0])


def test_other_needs_its_text(app, survey):
    with pytest.raises(AnswerError):
        clean_value(survey["role"], ["other"], other="  ")
    assert clean_value(survey["role"], ["other"], other="fisher") == "other"


def test_a_page_reports_each_field_and_keeps_the_good_values(app, survey):
    questions = list(survey.values())
    values, others, errors = check_page(questions, {
        "role": ["other"], "role__other": ["fisher"], "age": ["130"], "trust": ["7"],
        "unknown": ["ignored"]}, earlier={}, language="fr")
    assert values == {"role": "other", "trust": 7}
    assert others == {"role": "fisher"}
    assert errors == {"age": "Âge de 10 à 120."}


def test_required_question_hidden_by_skip_logic_is_not_required(app, survey):
    values, _, errors = check_page(list(survey.values()), {"role": ["youth"]}, {}, "en")
    assert "stall" not in errors and values == {"role": "youth"}
    _, _, errors = check_page(list(survey.values()), {"role": ["trader"]}, {}, "en")
    assert set(errors) == {"stall"}


def test_required_question_left_empty(app, survey):
    _, _, errors = check_page(list(survey.values()), {}, {}, "en")
    assert set(errors) == {"role"}


def test_answers_from_earlier_pages_drive_conditions(app, survey):
    stall = survey["stall"]
    values, _, errors = check_page([stall], {"stall": ["fish"]}, {"role": "trader"}, "en")
    assert values == {"stall": "fish"} and errors == {}
    values, _, _ = check_page([stall], {"stall": ["fish"]}, {"role": "youth"}, "en")
    assert values == {}


def test_every_question_type_is_handled(survey):
    assert {q.type for q in survey.values()} == set(QuestionType)


def test_line_breaks_count_once_as_the_browser_counts_them_for_maxlength(app, survey):
    # 2,500 lines of one letter: 4,999 characters with LF, 7,498 as the browser sends them.
    typed = "\r\n".join(["a"] * 2500)
    assert clean_value(survey["story"], [typed]) == "\n".join(["a"] * 2500)
    with pytest.raises(AnswerError):
        clean_value(survey["story"], ["\r\n".join(["a"] * 2501) + "aa"])
