"""`consult import-xlsform`: real XLSForm files become consultations with surveys."""
from pathlib import Path

import pytest

from consult.consultations.lifecycle import State
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.surveys.models import Response, ResponseState
from consult.surveys.services import get_survey
from consult.surveys.xlsform import parse_xlsform

DATA = Path(__file__).resolve().parents[1] / "data" / "xlsform"
BIOMASS = DATA / "pyxform_UCL_Biomass_Plot_Form_sw_en.xlsx"
SPEC_TEST = DATA / "pyxform_xlsform_spec_test_en_zh.xlsx"


def _import(app, *args):
    return app.test_cli_runner().invoke(args=["consult", "import-xlsform", *map(str, args)])


@pytest.mark.parametrize("path", [BIOMASS, SPEC_TEST], ids=["biomass", "spec-test"])
def test_real_forms_become_consultations_with_every_question(app, make_org, path):
    make_org("host")
    result = _import(app, path, "--organisation", "host", "--open")
    assert result.exit_code == 0, result.output
    slug = result.output.strip().splitlines()[-1]
    consultation = get_consultation(slug)
    parsed = parse_xlsform(path)
    survey = get_survey(consultation)
    assert consultation.state is State.OPEN
    assert [q.key for q in survey.questions] == [
        q.key for page in parsed.pages for q in page.questions]
    assert [p.key for p in survey.pages] == [p.key for p in parsed.pages]
    assert "Not imported" in result.output
    first = survey.questions[0]
    for language in set(parsed.languages) & set(consultation.languages):
        assert first.text("label", language).language == language


def test_swahili_form_keeps_swahili_as_default(app, make_org):
    make_org("host")
    slug = _import(app, BIOMASS, "--organisation", "host").output.strip().splitlines()[-1]
    consultation = get_consultation(slug)
    assert consultation.default_language == "sw" and "en" in consultation.languages
    assert consultation.state is State.DRAFT


def test_unoffered_language_texts_are_kept_and_reported(app, make_org):
    make_org("host")
    result = _import(app, SPEC_TEST, "--organisation", "host")
    assert "zh" in result.output.split("Texts kept but not offered")[1].splitlines()[0]
    consultation = get_consultation(result.output.strip().splitlines()[-1])
    assert "zh" not in consultation.languages
    assert any(t.language == "zh" for q in get_survey(consultation).questions for t in q.texts)


def test_importing_replaces_a_survey_nobody_answered_but_an_answered_one_is_refused(
        app, make_consultation):
    consultation = make_consultation(state=State.DRAFT)
    assert _import(app, SPEC_TEST, "--consultation", consultation.slug).exit_code == 0
    first = len(get_survey(consultation).questions)
    consultation.state = State.OPEN  # open, but nobody has answered yet
    db.session.commit()
    assert _import(app, BIOMASS, "--consultation", consultation.slug).exit_code == 0
    db.session.expire_all()
    survey = get_survey(consultation)
    assert len(survey.questions) != first
    db.session.add(Response(survey_id=survey.id, respondent_key="k", language="en",
                            state=ResponseState.DRAFT))  # even a draft response counts
    db.session.commit()
    refused = _import(app, SPEC_TEST, "--consultation", consultation.slug)
    assert refused.exit_code != 0 and "already has responses" in refused.output
    db.session.expire_all()
    assert len(get_survey(consultation).questions) == len(survey.questions)


def test_a_file_that_is_not_an_xlsform_is_a_clear_error_and_creates_nothing(app, make_org,
                                                                            tmp_path):
    make_org("host")
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("not a spreadsheet")
    result = _import(app, bogus, "--organisation", "host")
    assert result.exit_code != 0 and "Error" in result.output
    from consult.consultations.models import Consultation

    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_unknown_organisation_or_consultation_is_refused(app, make_org):
    assert "no organisation" in _import(app, BIOMASS, "--organisation", "nope").output
    assert "no consultation" in _import(app, BIOMASS, "--consultation", "nope").output
