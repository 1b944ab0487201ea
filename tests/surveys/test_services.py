"""Building a consultation's survey from page specifications."""
from types import SimpleNamespace as Spec

import pytest

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import QuestionType, Response, ResponseState
from tests.surveys.specs import options, question

PAGES = [
    Spec(key="about-you", labels={"en": "About you"}, questions=[
        question("role", "single_choice", required=True, options=options("trader", "youth")),
        question("age", "number", integer=True, constraint={"all": [
            {"q": ".", "op": "ge", "value": 0}, {"q": ".", "op": "le", "value": 120}]}),
    ]),
    Spec(key="page-2", labels={}, questions=[
        question("stall", show_if={"q": "role", "op": "eq", "value": "trader"}),
        question("later", show_if={"q": "nowhere", "op": "answered"}),
    ]),
]


def test_survey_is_built_page_by_page_with_texts_options_and_logic(make_consultation):
    consultation = make_consultation(state=State.DRAFT)
    survey, report = services.replace_survey(consultation, PAGES)
    db.session.commit()
    survey = services.get_survey(consultation)
    assert [p.key for p in survey.pages] == ["about-you", "page-2"]
    assert [q.key for q in survey.questions] == ["role", "age", "stall", "later"]
    role = survey.questions[0]
    assert role.type is QuestionType.SINGLE_CHOICE and role.required
    assert [o.key for o in role.options] == ["trader", "youth"]
    assert role.text("label", "fr").text == "role ?"
    assert role.options[1].text("label", "fr").text == "Youth"  # falls back to English
    assert survey.questions[1].constraint["all"][1] == {"q": ".", "op": "le", "value": 120}
    assert survey.questions[2].show_if == {"q": "role", "op": "eq", "value": "trader"}


def test_conditions_on_unknown_or_later_questions_are_dropped_and_reported(make_consultation):
    survey, report = services.replace_survey(make_consultation(state=State.DRAFT), PAGES)
    assert survey.questions[3].show_if is None
    assert report.dropped_conditions == [("later", "show_if")]


def test_a_drafts_survey_can_be_replaced(make_consultation):
    consultation = make_consultation(state=State.DRAFT)
    services.replace_survey(consultation, PAGES)
    db.session.commit()
    services.replace_survey(consultation, PAGES[:1])
    db.session.commit()
    assert [q.key for q in services.get_survey(consultation).questions] == ["role", "age"]


def test_an_answered_survey_cannot_be_replaced_whatever_the_state(make_consultation):
    consultation = make_consultation(state=State.OPEN)
    survey, _ = services.replace_survey(consultation, PAGES)
    db.session.commit()
    services.replace_survey(consultation, PAGES)  # nobody has answered yet
    db.session.commit()
    survey = services.get_survey(consultation)
    db.session.add(Response(survey_id=survey.id, respondent_key="k", language="en",
                            state=ResponseState.DRAFT))
    db.session.commit()
    for state in (State.DRAFT, State.OPEN):
        consultation.state = state
        with pytest.raises(services.SurveyLocked):
            services.replace_survey(consultation, PAGES[:1])
        db.session.rollback()
    assert len(services.get_survey(consultation).questions) == 4
