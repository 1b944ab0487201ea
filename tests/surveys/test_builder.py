"""The host's survey builder, through the pages: pages, questions, options, conditions."""
import re
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import QuestionType
from tests.surveys.specs import options, question


@pytest.fixture
def host(make_org, make_user, auth):
    """A signed-in host of organisation 'coastal'."""
    organisation = make_org("coastal")
    auth.login(make_user(organisation, Role.HOST))
    return organisation


@pytest.fixture
def draft(host, make_consultation):
    """A draft consultation in English, French and Arabic with a two-page survey."""
    consultation = make_consultation(host=host, state=State.DRAFT, languages=("en", "fr", "ar"))
    services.replace_survey(consultation, [
        Spec(key="you", labels={"en": "About you"}, questions=[
            question("role", "single_choice", options=options("trader", "youth")),
            question("age", "number", integer=True),
        ]),
        Spec(key="more", labels={}, questions=[
            question("stall", show_if={"q": "role", "op": "eq", "value": "trader"}),
        ]),
    ])
    db.session.commit()
    return consultation


def _url(consultation, path=""):
    return f"/manage/consultations/{consultation.slug}/survey{path}"


def _survey(consultation):
    db.session.expire_all()
    return services.get_survey(consultation)


def _question(consultation, key):
    return next(q for q in _survey(consultation).questions if q.key == key)


def _new_question(**changes):
    data = {"key": "colour", "type": "single_choice", "page": "you", "label__en": "Colour?",
            "label__fr": "Couleur ?", "label__ar": "اللون؟", "show_question": "",
            "show_op": "answered", "number_kind": "integer"}
    return {**data, **changes}


def test_a_host_starts_a_survey_with_one_page(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.DRAFT)
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "Start a survey" in html and "Import an XLSForm" in html
    assert client.post_form(_url(consultation, "/create")).status_code == 302
    assert [p.key for p in _survey(consultation).pages] == ["page-1"]


def test_the_overview_lists_pages_questions_and_conditions(client, draft):
    html = client.get(_url(draft)).get_data(as_text=True)
    assert "About you" in html and '<bdi dir="ltr">role</bdi>' in html
    assert "Shown only when: role is trader" in html
    assert "Not yet translated into: Arabic" in html  # the page title is in English only
    assert html.count("Move up") == 1 + 2  # every page and question but the first


def test_pages_are_added_renamed_moved_and_deleted(client, draft):
    client.post_form(_url(draft, "/pages/new"), {"title__en": "Last", "title__fr": "Dernière"})
    pages = _survey(draft).pages
    assert [p.key for p in pages] == ["you", "more", "page-3"]
    assert pages[2].text("title", "fr").text == "Dernière"
    client.post_form(_url(draft, "/pages/page-3/edit"),
                     {"title__en": "Final", "title__ar": "أخيرة"})
    assert _survey(draft).pages[2].texts_for("title") == {"en": "Final", "ar": "أخيرة"}
    client.post_form(_url(draft, "/pages/page-3/up"))
    assert [p.key for p in _survey(draft).pages] == ["you", "page-3", "more"]
    client.post_form(_url(draft, "/pages/page-3/delete"))
    assert [(p.key, p.position) for p in _survey(draft).pages] == [("you", 1), ("more", 2)]


def test_a_page_cannot_move_before_the_question_its_condition_reads(client, draft):
    response = client.post_form(_url(draft, "/pages/more/up"), follow_redirects=True)
    assert "would read role" in response.get_data(as_text=True)
    assert [p.key for p in _survey(draft).pages] == ["you", "more"]


@pytest.mark.parametrize("kind", [t.value for t in QuestionType])
def test_every_type_of_question_can_be_added(client, draft, kind):
    response = client.post_form(_url(draft, "/pages/more/questions/new"),
                                _new_question(type=kind, page="more"))
    assert response.status_code == 302
    added = _question(draft, "colour")
    assert added.type.value == kind and added.page.key == "more" and added.position == 2
    assert added.text("label", "ar").text == "اللون؟"
    expected = ["1", "2", "3", "4", "5"] if kind == "likert" else []
    assert [o.key for o in added.options] == expected
    if kind == "likert":
        assert added.options[0].texts_for("label") == {
            "en": "Strongly disagree", "fr": "Pas du tout d’accord", "ar": "أعارض بشدة"}


def test_a_new_choice_question_leads_to_its_options(client, draft):
    response = client.post_form(_url(draft, "/pages/you/questions/new"), _new_question())
    assert response.headers["Location"].endswith("/survey/questions/colour/edit#options")
    html = client.get(_url(draft, "/questions/colour/edit")).get_data(as_text=True)
    assert "No options yet" in html and "Add an option" in html


@pytest.mark.parametrize("changes,field", [
    ({"key": "has space"}, "key"),
    ({"key": "2fast"}, "key"),
    ({"key": ""}, "key"),
    ({"key": "age"}, "key"),  # taken
    ({"label__en": ""}, "label__en"),
    ({"type": "magic"}, "type"),
    ({"minimum": "ten"}, "minimum"),
    ({"minimum": "5", "maximum": "1"}, "maximum"),
    ({"minimum": "1.5"}, "minimum"),  # whole numbers take whole limits
    ({"show_question": "role", "show_op": "eq", "show_value": "nobody"}, "show_value"),
    ({"show_question": "role", "show_op": "gt", "show_value": "1"}, "show_value"),
    ({"show_question": "age", "show_op": "ge", "show_value": "old"}, "show_value"),
])
def test_invalid_questions_are_refused_with_the_error_on_the_field(client, draft, changes,
                                                                    field):
    response = client.post_form(_url(draft, "/pages/you/questions/new"),
                                _new_question(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html
    assert f'id="{field}-error"' in html and f'href="#{field}"' in html
    assert f'aria-describedby="{field}-error"' in html or f'{field}-hint {field}-error' in html
    assert "colour" not in {q.key for q in _survey(draft).questions} or changes.get("key")


def test_number_limits_are_stored_as_the_xlsform_import_stores_them(client, draft):
    client.post_form(_url(draft, "/questions/age/edit"), _new_question(
        key="age", type="number", minimum="0", maximum="120", number_kind="integer",
        label__en="Age?"))
    age = _question(draft, "age")
    assert age.integer is True and age.constraint == {"all": [
        {"q": ".", "op": "ge", "value": 0}, {"q": ".", "op": "le", "value": 120}]}
    client.post_form(_url(draft, "/questions/age/edit"), _new_question(
        key="age", type="number", minimum="0,5", maximum="", number_kind="decimal",
        label__en="Age?"))
    age = _question(draft, "age")
    assert age.integer is False and age.constraint == {"q": ".", "op": "ge", "value": 0.5}
    html = client.get(_url(draft, "/questions/age/edit")).get_data(as_text=True)
    assert 'name="minimum" type="text" value="0.5"' in html


def test_a_simple_condition_is_built_and_shown_again(client, draft):
    client.post_form(_url(draft, "/pages/more/questions/new"), _new_question(
        type="short_text", page="more", show_question="age", show_op="ge", show_value="18"))
    assert _question(draft, "colour").show_if == {"q": "age", "op": "ge", "value": 18}
    html = client.get(_url(draft, "/questions/colour/edit")).get_data(as_text=True)
    assert '<option selected value="age">' in html and 'value="18"' in html


def test_a_complex_imported_condition_is_shown_and_can_be_removed(client, draft):
    stall = _question(draft, "stall")
    stall.show_if = {"any": [{"q": "role", "op": "eq", "value": "trader"},
                             {"q": "age", "op": "gt", "value": 60}]}
    db.session.commit()
    html = client.get(_url(draft, "/questions/stall/edit")).get_data(as_text=True)
    assert "role is trader or age is more than 60" in html
    assert 'name="remove_condition"' in html and 'name="show_question"' not in html
    client.post_form(_url(draft, "/questions/stall/edit"), {
        "key": "stall", "type": "short_text", "page": "more", "label__en": "Stall?"})
    assert _question(draft, "stall").show_if is not None  # kept unless ticked
    client.post_form(_url(draft, "/questions/stall/edit"), {
        "key": "stall", "type": "short_text", "page": "more", "label__en": "Stall?",
        "remove_condition": "y"})
    assert _question(draft, "stall").show_if is None


def test_renaming_a_key_renames_it_in_the_conditions_that_read_it(client, draft):
    client.post_form(_url(draft, "/questions/role/edit"), _new_question(
        key="stakeholder", label__en="Who are you?"))
    assert _question(draft, "stall").show_if == {"q": "stakeholder", "op": "eq",
                                                 "value": "trader"}
    assert _question(draft, "stakeholder").text("label", "en").text == "Who are you?"


def test_questions_are_reordered_and_moved_between_pages(client, draft):
    client.post_form(_url(draft, "/questions/age/up"))
    assert [q.key for q in _survey(draft).questions] == ["age", "role", "stall"]
    client.post_form(_url(draft, "/questions/role/down"))  # past its page's end: next page
    assert [(q.key, q.page.key, q.position) for q in _survey(draft).questions] == [
        ("age", "you", 1), ("role", "more", 1), ("stall", "more", 2)]
    client.post_form(_url(draft, "/questions/age/edit"), _new_question(
        key="age", type="number", page="more", label__en="Age?"))
    assert [(q.key, q.page.key) for q in _survey(draft).questions] == [
        ("role", "more"), ("stall", "more"), ("age", "more")]


def test_a_question_cannot_move_past_a_question_its_condition_reads(client, draft):
    client.post_form(_url(draft, "/questions/stall/up"))  # to the end of the first page
    client.post_form(_url(draft, "/questions/stall/up"))  # above age
    assert [(q.key, q.page.key) for q in _survey(draft).questions] == [
        ("role", "you"), ("stall", "you"), ("age", "you")]
    response = client.post_form(_url(draft, "/questions/stall/up"), follow_redirects=True)
    assert "would read role" in response.get_data(as_text=True)
    assert [q.key for q in _survey(draft).questions] == ["role", "stall", "age"]


def test_a_question_read_by_a_condition_cannot_be_deleted(client, draft):
    response = client.post_form(_url(draft, "/questions/role/delete"), follow_redirects=True)
    assert "The conditions of these questions use it: stall" in response.get_data(as_text=True)
    client.post_form(_url(draft, "/questions/stall/delete"))
    client.post_form(_url(draft, "/questions/role/delete"))
    assert [q.key for q in _survey(draft).questions] == ["age"]


def test_options_are_added_edited_reordered_and_deleted(client, draft):
    base = _url(draft, "/questions/role/options")
    html = client.get(f"{base}/new").get_data(as_text=True)
    assert re.search(r'<input [^>]*name="key"[^>]*value="3"', html)
    client.post_form(f"{base}/new", {"key": "fisher", "label__en": "Fisher",
                                     "label__fr": "Pêcheur"})
    client.post_form(f"{base}/youth/edit", {"key": "young", "label__en": "Young person"})
    client.post_form(f"{base}/fisher/up")
    client.post_form(f"{base}/trader/delete", follow_redirects=True)  # read by a condition
    role = _question(draft, "role")
    assert [(o.key, o.position) for o in role.options] == [
        ("trader", 1), ("fisher", 2), ("young", 3)]
    assert role.options[1].text("label", "fr").text == "Pêcheur"
    client.post_form(f"{base}/young/delete")
    assert [o.key for o in _question(draft, "role").options] == ["trader", "fisher"]


def test_renaming_an_option_key_renames_it_in_conditions(client, draft):
    client.post_form(_url(draft, "/questions/role/options/trader/edit"),
                     {"key": "vendor", "label__en": "Vendor"})
    assert _question(draft, "stall").show_if["value"] == "vendor"


@pytest.mark.parametrize("data,field", [
    ({"key": "youth", "label__en": "Again"}, "key"),
    ({"key": "with space", "label__en": "X"}, "key"),
    ({"key": "x", "label__fr": "Seulement en français"}, "label__en"),
])
def test_invalid_options_are_refused_on_the_field(client, draft, data, field):
    response = client.post_form(_url(draft, "/questions/role/options/new"), data)
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert len(_question(draft, "role").options) == 2


def test_other_is_kept_for_the_other_answer(client, draft):
    client.post_form(_url(draft, "/questions/role/edit"), _new_question(
        key="role", allow_other="y", label__en="Role?"))
    assert _question(draft, "role").allow_other
    response = client.post_form(_url(draft, "/questions/role/options/new"),
                                {"key": "other", "label__en": "Other"})
    assert 'id="key-error"' in response.get_data(as_text=True)


def test_options_pages_of_a_question_without_options_do_not_exist(client, draft):
    assert client.get(_url(draft, "/questions/age/options/new")).status_code == 404
    assert client.get(_url(draft, "/questions/nope/edit")).status_code == 404
    assert client.get(_url(draft, "/pages/nope/edit")).status_code == 404


def test_every_change_bumps_the_revision_so_the_survey_page_shows_it(client, draft):
    before = draft.revision
    client.post_form(_url(draft, "/questions/role/edit"), _new_question(
        key="role", label__en="Who are you, really?"))
    db.session.expire_all()
    assert draft.revision > before
    draft.state = State.OPEN
    db.session.commit()
    assert "Who are you, really?" in client.get(
        f"/consultations/{draft.slug}/survey").get_data(as_text=True)


def test_the_dashboard_links_the_builder_and_counts_untranslated_survey_texts(client, draft):
    html = client.get(f"/manage/consultations/{draft.slug}").get_data(as_text=True)
    assert _url(draft) in html and _url(draft, "/import") in html
    # 3 questions + 2 options + 1 page title, each with one text: none is in Arabic.
    assert "6 survey texts not yet translated" in html


def test_a_planner_of_the_host_or_a_host_elsewhere_cannot_edit(client, auth, draft, make_user,
                                                               make_org, host):
    auth.logout()
    auth.login(make_user(host, Role.PLANNER))
    assert client.get(_url(draft)).status_code == 403
    assert client.post_form(_url(draft, "/questions/role/delete")).status_code == 403
    auth.logout()
    auth.login(make_user(make_org(), Role.HOST))
    assert client.post_form(_url(draft, "/questions/role/delete")).status_code == 404
    assert client.post_form(_url(draft, "/pages/new"), {"title__en": "X"}).status_code == 404
    assert [q.key for q in _survey(draft).questions] == ["role", "age", "stall"]
