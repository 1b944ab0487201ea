"""XLSForm parsing: two real forms, the expression translator, and files that cannot be read.

The real forms come from XLSForm/pyxform's tests (BSD-2-Clause, (c) 2015 XLSForm); see
tests/data/SOURCES.md.
"""
import time
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from consult.surveys.xlsform import XLSFormError, language_code, parse_xlsform
from consult.surveys.xlsform_expressions import parse_condition, translate_condition

DATA = Path(__file__).resolve().parents[1] / "data" / "xlsform"
BIOMASS = DATA / "pyxform_UCL_Biomass_Plot_Form_sw_en.xlsx"
SPEC_TEST = DATA / "pyxform_xlsform_spec_test_en_zh.xlsx"
TYPES = {"a": "single_choice", "m": "multiple_choice", "n": "number", "t": "short_text"}


def _questions(form):
    return {q.key: q for page in form.pages for q in page.questions}


def _dropped(form):
    return {item.name: item.message for item in form.not_imported}


def _workbook(tmp_path, survey, choices=None, settings=None, name="form.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
            extra = workbook.create_sheet(title)
            for row in rows:
                extra.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_biomass_form_imports_its_sixteen_questions_on_four_pages():
    started = time.perf_counter()
    form = parse_xlsform(BIOMASS)
    assert time.perf_counter() - started < 2  # the sheet claims 1,048,576 rows
    questions = _questions(form)
    assert len(questions) == 16
    assert Counter(q.type for q in questions.values()) == {
        "single_choice": 7, "note": 3, "short_text": 3, "number": 2, "multiple_choice": 1}
    assert [p.key for p in form.pages] == ["intro", "info", "location", "page-4"]
    assert form.pages[1].labels == {"sw": "Taarifa za mtu anayejaza fomu",
                                    "en": "Enumerator Details."}
    assert [q.key for q in form.pages[3].questions] == [
        "any_trees", "stumps_in_plot", "regen_in_subplot1", "regen_in_subplot2", "disturbance",
        "remarks"]
    assert (form.default_language, form.languages) == ("sw", ["sw", "en"])
    assert (form.title, form.form_id) == (None, None)


def test_biomass_questions_keep_both_languages_options_and_conditions():
    questions = _questions(parse_xlsform(BIOMASS))
    leader = questions["leader_name"]
    assert (leader.type, leader.required, leader.row) == ("single_choice", True, 8)
    assert leader.labels == {"sw": "Jina Lako", "en": "Your Name"}
    assert leader.hints == {"sw": "Chagua moja", "en": "Choose One"}
    assert [(o.key, o.labels) for o in leader.options][-1] == (
        "other", {"sw": "Mwingine", "en": "Other Person"})
    # curly quotes in the real file: ${leader_name} = ‘other’
    assert questions["leader_name_other"].show_if == {
        "q": "leader_name", "op": "eq", "value": "other"}
    assert [o.key for o in questions["plant_phase"].options][:2] == ["2022", "2023"]
    assert (questions["slope"].type, questions["slope"].integer) == ("number", True)
    disturbance = questions["disturbance"]
    assert disturbance.type == "multiple_choice" and len(disturbance.options) == 7
    assert disturbance.options[0].labels == {"sw": "Moto", "en": "Burning"}
    assert questions["remarks"].required is False
    # the phone number regex cannot be represented: imported without it, and its messages
    assert (questions["leader_number"].constraint, questions["leader_number"].
            constraint_messages) == (None, {})


def test_biomass_dropped_rows_are_all_reported_with_a_reason():
    form = parse_xlsform(BIOMASS)
    dropped = _dropped(form)
    assert len(form.not_imported) == 55
    assert "external file" in dropped["region_id"] and "external file" in dropped["plot_id"]
    assert "calculation" in dropped["slope_radius"]
    assert "locations" in dropped["center_point"] and "media" in dropped["center_image"]
    assert dropped["start"] == dropped["deviceid"] == (
        "not collected: Consult stores no device or time data")
    assert "repeat" in dropped["trees"] and "every question inside it" in dropped["trees"]
    for inside in ("tag", "cbh", "stems", "stem_notes", "stump_age", "Sucker_2"):
        assert "inside the repeat" in dropped[inside]
    assert "regex()" in dropped["leader_number"] and "constraint" in dropped["leader_number"]
    every_row = {item.name for item in form.not_imported} | set(_questions(form))
    assert {"tree_distance", "latin_name_id_sp1", "stump_photo"} <= every_row
    assert [(n.name, n.row) for n in form.notes] == [("note3", 28)]  # shows ${slope_radius}


def test_spec_test_form_imports_its_twenty_three_questions():
    form = parse_xlsform(SPEC_TEST)
    questions = _questions(form)
    assert len(questions) == 23
    assert Counter(q.type for q in questions.values()) == {
        "note": 11, "short_text": 5, "single_choice": 3, "number": 3, "date": 1}
    assert [p.key for p in form.pages] == ["page-1", "everything", "page-3"]
    assert (form.default_language, form.languages) == ("en", ["en", "zh"])
    assert (form.title, form.form_id) == ("Spec test", "Spec test")
    address = questions["address"]
    assert (address.labels, address.hints) == ({"en": "Enter an address", "zh": "您好"},
                                               {"zh": "ni hao"})
    skip = questions["skip_to_end"]
    assert [(o.key, o.labels) for o in skip.options] == [
        ("yes", {"en": "Yes", "zh": "是"}), ("no", {"en": "No", "zh": "没有"})]
    assert questions["number_label"].labels == {"en": "1", "zh": "-"}  # a number cell
    assert "FALSE" in questions  # a boolean cell as name, read the way pyxform reads it
    assert (questions["a_decimal"].integer, questions["launch"].integer) == (False, True)
    # the group's relevant, not(selected(${skip_to_end}, 'yes')), goes onto each question
    for key in ("my_name", "a_integer", "date_test", "FALSE"):
        assert questions[key].show_if == {"not": {"q": "skip_to_end", "op": "eq",
                                                  "value": "yes"}}
    assert questions["launch"].show_if is None


def test_spec_test_reports_repeats_media_metadata_and_unreadable_conditions():
    form = parse_xlsform(SPEC_TEST)
    dropped = _dropped(form)
    assert len(form.not_imported) == 29
    assert "every question inside it" in dropped["repeat_test"]
    for inside in ("required_text", "select_multiple_test", "compact-2-test", "group_test"):
        assert dropped[inside] == "inside the repeat 'repeat_test', which is not imported"
    assert "calculation" in dropped["calculate_test"]
    assert "acknowledge" in dropped["acknowledge_test"] and "time" in dropped["time_test"]
    for metadata in ("start", "end", "today", "deviceid", "uri_deviceid", "phonenumber"):
        assert "no device or time data" in dropped[metadata]
    assert "note without text" in dropped["display_image_test"]
    assert dropped["email_note"].startswith("relevant \"regex(${address}")
    assert "always shown" in dropped["email_note"]
    assert "compares two questions" in dropped["a_decimal"]
    notes = {(n.name, n.message) for n in form.notes}
    assert ("text_image_audio_video_test", "images, audio and video are not imported") in notes
    assert any(name == "everything" and "applied to each" in m for name, m in notes)


@pytest.mark.parametrize(("expression", "expected"), [
    ("${a} = 'x'", {"q": "a", "op": "eq", "value": "x"}),
    ("${a} != 'x'", {"q": "a", "op": "ne", "value": "x"}),
    ("${a} = ‘x’", {"q": "a", "op": "eq", "value": "x"}),
    ("${a} = “x”", {"q": "a", "op": "eq", "value": "x"}),
    ("selected(${m}, 'x')", {"q": "m", "op": "includes", "value": "x"}),
    ("selected( ${a} , 'x')", {"q": "a", "op": "eq", "value": "x"}),
    ("${n} > 3", {"q": "n", "op": "gt", "value": 3}),
    ("${n} >= 2.5", {"q": "n", "op": "ge", "value": 2.5}),
    ("3 < ${n}", {"q": "n", "op": "gt", "value": 3}),
    ("${n} <= '18'", {"q": "n", "op": "le", "value": 18}),
    ("${t} != ''", {"q": "t", "op": "answered"}),
    ("${t} = ''", {"q": "t", "op": "not_answered"}),
    ("count-selected(${m}) >= 2", {"q": "m", "op": "count_ge", "value": 2}),
    ("count-selected(${m}) != 1", {"not": {"q": "m", "op": "count_eq", "value": 1}}),
    ("${a} = 'x' or ${a} = 'y'", {"q": "a", "op": "in", "value": ["x", "y"]}),
    ("${a} = 'x' and ${n} < 5 or selected(${m}, 'z')",
     {"any": [{"all": [{"q": "a", "op": "eq", "value": "x"},
                       {"q": "n", "op": "lt", "value": 5}]},
              {"q": "m", "op": "includes", "value": "z"}]}),
    ("${a} = 'x' and (${n} < 5 or not(selected(${m}, 'z')))",
     {"all": [{"q": "a", "op": "eq", "value": "x"},
              {"any": [{"q": "n", "op": "lt", "value": 5},
                       {"not": {"q": "m", "op": "includes", "value": "z"}}]}]}),
    ("not(${a} = 'x' and ${a} = 'y') and ${n} > -1",
     {"all": [{"not": {"all": [{"q": "a", "op": "eq", "value": "x"},
                               {"q": "a", "op": "eq", "value": "y"}]}},
              {"q": "n", "op": "gt", "value": -1}]}),
])
def test_relevant_expressions_become_conditions(expression, expected):
    assert parse_condition(expression, TYPES) == expected


@pytest.mark.parametrize(("expression", "own_type", "expected"), [
    (". >= 0 and . <= 120", "number",
     {"all": [{"q": ".", "op": "ge", "value": 0}, {"q": ".", "op": "le", "value": 120}]}),
    (". > 0", "number", {"q": ".", "op": "gt", "value": 0}),
    ("not(selected(., 'yes') and selected (., 'no'))", "multiple_choice",
     {"not": {"all": [{"q": ".", "op": "includes", "value": "yes"},
                      {"q": ".", "op": "includes", "value": "no"}]}}),
])
def test_constraints_test_the_answer_itself(expression, own_type, expected):
    assert parse_condition(expression, TYPES, own_type) == expected


@pytest.mark.parametrize(("expression", "reason"), [
    ("regex(., '^[0-9]+$')", "regex()"),
    ("${n} + 1 > 3", "arithmetic"),
    ("${n} div 2 > 3", "arithmetic"),
    ("${a} = ${n}", "two questions"),
    ("${a}", "not a condition"),
    ("${a} = 'x' and", "too early"),
    ("(${a} = 'x'", "expected )"),
    ("../x = 1", "parent"),
])
def test_unsupported_expressions_give_none_and_a_reason(expression, reason):
    condition, why = translate_condition(expression, TYPES)
    assert condition is None and reason in why


def test_unrepresentable_conditions_are_reported_and_the_question_kept(tmp_path):
    path = _workbook(tmp_path, [
        ["type", "name ", "label::English (en)", "relevant", "constraint", None, "extra"],
        ["integer", "age", "Age", None, ". >= 0 and . <= 120", None, "x"],
        ["calculate", "twice", None, None, None],
        ["text", "why", "Why?", "${twice} > 3", "regex(., 'a')"],
        ["text", "how", "How?", "${age} * 2 > 3", None],
    ])
    form = parse_xlsform(path)
    questions = _questions(form)
    assert questions["age"].constraint == {"all": [{"q": ".", "op": "ge", "value": 0},
                                                   {"q": ".", "op": "le", "value": 120}]}
    assert questions["why"].show_if is questions["why"].constraint is None
    assert questions["how"].show_if is None
    messages = [(i.name, i.message) for i in form.not_imported]
    assert [name for name, _ in messages] == ["twice", "why", "why", "how"]
    assert "not imported: twice" in messages[1][1]


def test_groups_pages_types_and_languages_from_a_small_form(tmp_path):
    path = _workbook(tmp_path, [
        ["type", "name", "label::english", "label::French", "hint", "required", "appearance",
         "parameters", "choice_filter"],
        ["select_one colours or_other", "colour", "Colour", "Couleur", None, "TRUE()"],
        ["begin_group", "about", "About you", "Vous"],
        ["text", "story", "Story", None, "Tell us", "yes", "multiline"],
        ["begin group", "inner", "Inner"],
        ["range", "mark", "Mark", None, None, "1", None, "start=0 end=10 step=1"],
        ["range", "stars", "Stars", None, None, "no", None, "start=1;end=5"],
        ["end group"],
        ["end_group"],
        ["rank colours", "order", "Order", None, None, None, None, None, "x=1"],
        ["select_multiple missing", "broken", "Broken"],
        ["text", "story", "Again"],
    ], choices=[["list name", "name", "label::english"], ["colours", "red", "Red"],
                ["colours", "blue", None]],
        settings=[["form_title", "default_language"], ["Small", "French"]])
    form = parse_xlsform(path)
    assert (form.title, form.default_language, form.languages) == ("Small", "fr", ["fr", "en"])
    assert [(p.key, [q.key for q in p.questions]) for p in form.pages] == [
        ("page-1", ["colour"]), ("about", ["story", "mark", "stars"]), ("page-3", ["order"])]
    q = _questions(form)
    assert (q["colour"].allow_other, q["colour"].required, q["colour"].labels) == (
        True, True, {"en": "Colour", "fr": "Couleur"})
    assert [(o.key, o.labels) for o in q["colour"].options] == [
        ("red", {"en": "Red"}), ("blue", {"fr": "blue"})]  # no label: its key, default language
    assert (q["story"].type, q["story"].hints) == ("long_text", {"fr": "Tell us"})
    assert (q["mark"].type, q["mark"].constraint) == ("scale", None)
    assert (q["stars"].type, q["stars"].integer, q["stars"].constraint) == (
        "number", True, {"all": [{"q": ".", "op": "ge", "value": 1},
                                 {"q": ".", "op": "le", "value": 5}]})
    assert q["order"].type == "ranking"
    assert "'missing' is not in the choices sheet" in _dropped(form)["broken"]
    assert "already used on row 4" in _dropped(form)["story"]
    notes = " / ".join(f"{n.name}: {n.message}" for n in form.notes)
    assert "colour: or_other" in notes and "order: choice_filter 'x=1' ignored" in notes
    assert "inner: a group inside the group 'about'" in notes


def test_language_names_and_codes_become_codes():
    assert [language_code(text) for text in ("english", "Chinese", "English (en)", "sw",
                                             "Swahili (sw)", "Klingon")] == [
        "en", "zh", "en", "sw", "sw", None]


def test_a_file_that_is_not_a_workbook_is_an_xlsform_error(tmp_path):
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("not a spreadsheet")
    with pytest.raises(XLSFormError, match="not a readable .xlsx"):
        parse_xlsform(bogus)
    with pytest.raises(XLSFormError):
        parse_xlsform(tmp_path / "missing.xlsx")


def test_a_workbook_without_a_survey_sheet_or_columns_is_an_xlsform_error(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "questions"
    workbook.save(tmp_path / "no-survey.xlsx")
    with pytest.raises(XLSFormError, match="no 'survey' sheet"):
        parse_xlsform(tmp_path / "no-survey.xlsx")
    path = _workbook(tmp_path, [["kind", "label"], ["text", "Hello"]], name="columns.xlsx")
    with pytest.raises(XLSFormError, match="'type' and 'name'"):
        parse_xlsform(path)


def test_a_file_object_can_be_read(tmp_path):
    path = _workbook(tmp_path, [["type", "name", "label"], ["note", "hello", "Hello"]])
    with path.open("rb") as handle:
        form = parse_xlsform(handle)
    assert (form.default_language, form.pages[0].questions[0].labels) == ("en", {"en": "Hello"})
