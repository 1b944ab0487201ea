"""Uploading an XLSForm in the browser: checked first, the survey replaced on request, a
translated report; bad files are form errors, never a 500."""
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace as Spec

import openpyxl
import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import Response, ResponseState
from consult.surveys.xlsform import parse_xlsform
from consult.surveys.xlsform_report import translate
from consult.surveys.xlsform_sheets import N_
from tests.surveys.specs import question

DATA = Path(__file__).resolve().parents[1] / "data" / "xlsform"
BIOMASS = DATA / "pyxform_UCL_Biomass_Plot_Form_sw_en.xlsx"
SPEC_TEST = DATA / "pyxform_xlsform_spec_test_en_zh.xlsx"


@pytest.fixture
def draft(make_org, make_user, auth, make_consultation):
    """A signed-in host's draft consultation (English, Swahili) with a one-question survey."""
    organisation = make_org("coastal")
    auth.login(make_user(organisation, Role.HOST))
    consultation = make_consultation(host=organisation, state=State.DRAFT,
                                     languages=("en", "sw"))
    services.replace_survey(consultation, [Spec(key="p1", labels={},
                                                questions=[question("old")])])
    db.session.commit()
    return consultation


def _upload(client, consultation, path_or_bytes, action="check", name=None):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    name = name or (path_or_bytes.name if isinstance(path_or_bytes, Path) else "form.xlsx")
    return client.post_form(f"/manage/consultations/{consultation.slug}/survey/import",
                            {"file": (io.BytesIO(data), name), "action": action},
                            content_type="multipart/form-data")


def _keys(consultation):
    db.session.expire_all()
    return [q.key for q in services.get_survey(consultation).questions]


def test_the_upload_page_explains_and_offers_a_file_field(client, draft):
    html = client.get(f"/manage/consultations/{draft.slug}/survey/import").get_data(
        as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert "at most 2 MB" in html and "Replacing deletes the current survey" in html


@pytest.mark.parametrize("path", [BIOMASS, SPEC_TEST], ids=["biomass", "spec-test"])
def test_checking_a_real_form_reports_it_and_changes_nothing(client, draft, path):
    response = _upload(client, draft, path)
    html = response.get_data(as_text=True)
    parsed = parse_xlsform(path)
    count = sum(len(p.questions) for p in parsed.pages)
    assert response.status_code == 200 and "What this file would import" in html
    assert f"{count} questions" in html and f"Not imported ({len(parsed.not_imported)})" in html
    first = parsed.not_imported[0]
    assert f"sheet {first.sheet}, row {first.row}" in html
    assert _keys(draft) == ["old"]


@pytest.mark.parametrize("path", [BIOMASS, SPEC_TEST], ids=["biomass", "spec-test"])
def test_a_real_form_replaces_the_survey_and_the_report_says_what_came_in(client, draft, path):
    response = _upload(client, draft, path, action="replace")
    html = response.get_data(as_text=True)
    parsed = parse_xlsform(path)
    assert "What was imported" in html and "The survey was replaced" in html
    assert _keys(draft) == [q.key for p in parsed.pages for q in p.questions]
    if path == SPEC_TEST:
        assert "This consultation does not offer Chinese" in html
    else:
        assert "Languages: Swahili and English; default: Swahili." in html


@pytest.mark.parametrize("data,name", [
    (b"not a spreadsheet", "form.xlsx"),
    (b"PK\x03\x04 truncated zip", "form.xlsx"),
    (b"type,name\ntext,a\n", "form.csv"),
    (b"", "form.xlsx"),
])
def test_a_bad_file_is_a_clear_error_on_the_field(client, draft, data, name):
    response = _upload(client, draft, data, action="replace", name=name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in html and 'href="#file"' in html
    assert _keys(draft) == ["old"]


def test_a_workbook_that_is_not_an_xlsform_says_why(client, draft):
    workbook, buffer = openpyxl.Workbook(), io.BytesIO()
    workbook.active.title = "questions"
    workbook.save(buffer)
    html = _upload(client, draft, buffer.getvalue()).get_data(as_text=True)
    assert "cannot be used as an XLSForm: the workbook has no &#39;survey&#39; sheet" in html


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # 60 MB of zeros compress to about 60 KB: a small upload, a huge workbook.
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = _upload(client, draft, buffer.getvalue())
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="file-error"' in html
    assert "the workbook unpacks to more than 50 MB" in html
    assert _keys(draft) == ["old"]


def test_no_file_is_an_error(client, draft):
    response = client.post_form(f"/manage/consultations/{draft.slug}/survey/import",
                                {"action": "check"}, content_type="multipart/form-data")
    assert "Choose an .xlsx file to upload." in response.get_data(as_text=True)


def test_an_answered_survey_is_never_replaced(client, draft):
    survey = services.get_survey(draft)
    db.session.add(Response(survey_id=survey.id, respondent_key="k", language="en",
                            state=ResponseState.SUBMITTED))
    db.session.commit()
    page = client.get(f"/manage/consultations/{draft.slug}/survey/import").get_data(
        as_text=True)
    assert "cannot be replaced" in page and 'value="replace"' not in page
    html = _upload(client, draft, BIOMASS, action="replace").get_data(as_text=True)
    assert "People have already answered this survey, so it cannot be replaced." in html
    assert 'id="file-error"' in html and "What this file would import" in html
    assert _keys(draft) == ["old"]


def test_an_open_consultations_survey_is_not_replaced_from_the_browser(client, draft):
    draft.state = State.OPEN
    db.session.commit()
    html = _upload(client, draft, BIOMASS, action="replace").get_data(as_text=True)
    assert "only be replaced while the consultation is a draft" in html
    assert _keys(draft) == ["old"]


def test_a_file_over_the_size_cap_gets_the_translated_413_page(app, client, draft):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    response = _upload(client, draft, b"x" * 60_000)
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_report_messages_keep_their_english_text_and_translate_with_their_parts(app):
    inner = N_("it uses %(text)s, which is arithmetic or a path", text="'+'")
    outer = N_("relevant %(expression)s cannot be represented (%(reason)s); the question is "
               "imported without it and always shown", expression="'${a} + 1'", reason=inner)
    assert outer == ("relevant '${a} + 1' cannot be represented (it uses '+', which is "
                     "arithmetic or a path); the question is imported without it and always "
                     "shown")
    with app.test_request_context():
        assert translate(outer) == str(outer)
