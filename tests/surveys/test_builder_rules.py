"""The builder's rules: once answered nothing is deleted and no key or type changes; outside a
draft only texts change. Refused in the service, and hidden (and refused) in the pages."""
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import builder, builder_options, services
from consult.surveys.models import QuestionType, Response, ResponseState
from tests.surveys.specs import options, question


@pytest.fixture
def host(make_org, make_user, auth):
    """A signed-in host."""
    organisation = make_org("coastal")
    auth.login(make_user(organisation, Role.HOST))
    return organisation


def _consultation(make_consultation, host, state, answered):
    consultation = make_consultation(host=host, state=State.DRAFT, languages=("en", "fr"))
    survey, _ = services.replace_survey(consultation, [Spec(key="p1", labels={}, questions=[
        question("role", "single_choice", options=options("trader", "youth")),
        question("age", "number"),
    ])])
    if answered:  # a draft response is enough: somebody started answering
        db.session.add(Response(survey_id=survey.id, respondent_key="someone", language="en",
                                state=ResponseState.DRAFT))
    consultation.state = state
    db.session.commit()
    return consultation


@pytest.fixture
def answered(make_consultation, host):
    """A draft consultation whose survey somebody has started answering."""
    return _consultation(make_consultation, host, State.DRAFT, answered=True)


@pytest.fixture
def opened(make_consultation, host):
    """An open consultation whose survey nobody has answered yet."""
    return _consultation(make_consultation, host, State.OPEN, answered=False)


def _survey(consultation):
    db.session.expire_all()
    return services.get_survey(consultation)


def _q(consultation, key):
    return next(q for q in _survey(consultation).questions if q.key == key)


def _settings(question, **changes):
    return builder.QuestionSettings(**{**vars(builder.QuestionSettings.of(question)), **changes})


def test_an_answered_survey_keeps_its_questions_options_keys_and_types(answered):
    role = _q(answered, "role")
    refused = [
        lambda: builder.delete_question(role),
        lambda: builder.delete_page(role.page),
        lambda: builder.update_question(role, _settings(role, key="who"), {}),
        lambda: builder.update_question(role, _settings(role, type=QuestionType.SHORT_TEXT), {}),
        lambda: builder_options.delete_option(role.options[1]),
        lambda: builder_options.update_option(role.options[1], "young", {}),
    ]
    for attempt in refused:
        with pytest.raises(builder.AlreadyAnswered):
            attempt()
        db.session.rollback()
        role = _q(answered, "role")
    assert [o.key for o in role.options] == ["trader", "youth"]


def test_an_answered_draft_still_takes_texts_new_questions_and_settings(answered):
    role = _q(answered, "role")
    builder.update_question(role, _settings(role, required=True), {("label", "fr"): "Rôle ?"})
    builder_options.update_option(role.options[0], "trader", {("label", "fr"): "Commerçant"})
    builder.add_question(role.page, builder.QuestionSettings("later", QuestionType.NOTE), {})
    builder_options.move_option(role.options[1], -1)
    db.session.commit()
    role = _q(answered, "role")
    assert role.required and role.text("label", "fr").text == "Rôle ?"
    assert [o.key for o in role.options] == ["youth", "trader"]
    assert role.options[1].text("label", "fr").text == "Commerçant"


def test_outside_a_draft_only_texts_and_the_segment_flag_change(opened):
    survey, role = _survey(opened), _q(opened, "role")
    refused = [
        lambda: builder.add_page(survey, {}),
        lambda: builder.move_page(survey.pages[0], 1),
        lambda: builder.add_question(role.page, builder.QuestionSettings(
            "x", QuestionType.NOTE), {}),
        lambda: builder.update_question(role, _settings(role, required=True), {}),
        lambda: builder.move_question(role, 1),
        lambda: builder_options.add_option(role, "fisher", {}),
        lambda: builder_options.move_option(role.options[0], 1),
    ]
    for attempt in refused:
        with pytest.raises(builder.StructureFrozen):
            attempt()
        db.session.rollback()
        survey, role = _survey(opened), _q(opened, "role")
    builder.update_question(role, _settings(role, is_segment=True), {("label", "en"): "Role"})
    db.session.commit()
    assert _q(opened, "role").is_segment and _q(opened, "role").text("label", "en").text == "Role"


def test_the_page_hides_what_an_answered_survey_cannot_do_and_says_why(client, answered):
    base = f"/manage/consultations/{answered.slug}/survey"
    html = client.get(base).get_data(as_text=True)
    assert "People have already answered this survey" in html
    assert ">Delete<" not in html and "Move down" in html
    edit = client.get(f"{base}/questions/role/edit").get_data(as_text=True)
    assert 'name="key"' not in edit and 'name="type"' not in edit and 'name="required"' in edit
    assert "Delete" not in edit.split('id="options"')[1]


def test_posting_anyway_changes_nothing_an_answered_survey_protects(client, answered):
    base = f"/manage/consultations/{answered.slug}/survey"
    response = client.post_form(f"{base}/questions/role/delete", follow_redirects=True)
    assert "People have already answered this survey" in response.get_data(as_text=True)
    client.post_form(f"{base}/questions/role/options/youth/delete")
    client.post_form(f"{base}/questions/role/options/youth/edit",
                     {"key": "young", "label__en": "Young people"})
    client.post_form(f"{base}/questions/role/edit", {
        "key": "who", "type": "short_text", "page": "p1", "label__en": "Your role?"})
    role = _q(answered, "role")
    assert role.type is QuestionType.SINGLE_CHOICE
    assert role.text("label", "en").text == "Your role?"
    assert [o.key for o in role.options] == ["trader", "youth"]
    assert role.options[1].text("label", "en").text == "Young people"


def test_an_open_consultations_builder_edits_texts_only(client, opened):
    base = f"/manage/consultations/{opened.slug}/survey"
    html = client.get(base).get_data(as_text=True)
    assert "no longer a draft" in html and "Move down" not in html and "Add a page" not in html
    for url in (f"{base}/pages/new", f"{base}/pages/p1/questions/new",
                f"{base}/questions/role/options/new"):
        assert client.get(url).status_code == 409, url
    edit = client.get(f"{base}/questions/role/edit").get_data(as_text=True)
    assert 'name="required"' not in edit and 'name="show_question"' not in edit
    assert 'name="is_segment"' in edit and 'name="label__fr"' in edit
    client.post_form(f"{base}/questions/role/edit", {
        "label__en": "Role?", "label__fr": "Rôle ?", "required": "y", "is_segment": "y"})
    response = client.post_form(f"{base}/questions/role/down", follow_redirects=True)
    assert "no longer a draft" in response.get_data(as_text=True)
    role = _q(opened, "role")
    assert role.text("label", "fr").text == "Rôle ?" and role.is_segment
    assert not role.required and role.position == 1


def test_a_survey_cannot_be_started_outside_a_draft(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.OPEN)
    base = f"/manage/consultations/{consultation.slug}/survey"
    assert "Start a survey" not in client.get(base).get_data(as_text=True)
    response = client.post_form(f"{base}/create", follow_redirects=True)
    assert "no longer a draft" in response.get_data(as_text=True)
    assert services.get_survey(consultation) is None
