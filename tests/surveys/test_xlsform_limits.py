"""XLSForms built to hurt: a 120,000-row sheet is refused under the row cap within seconds (no
worker timeout), and an unknown or over-long language is a clear error, never a 500."""
import io
import time

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys import xlsform_sheets
from consult.surveys.services import get_survey
from consult.surveys.xlsform import parse_xlsform

HUGE_ROWS = 120_000
#: gunicorn kills a worker after 30 s; the refusal must come well before.
QUICK_SECONDS = 10


@pytest.fixture(scope="module")
def huge_form(tmp_path_factory):
    """An XLSForm whose survey sheet has 120,000 questions (written streaming, about 2 MB)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("survey")
    sheet.append(["type", "name", "label"])
    for number in range(HUGE_ROWS):
        sheet.append(["text", f"q{number}", f"Question {number}"])
    path = tmp_path_factory.mktemp("huge") / "huge.xlsx"
    workbook.save(path)
    return path


def _form(path, settings=None, label="label", rows=1):
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", label])
    for number in range(rows):
        survey.append(["text", f"q{number}", f"Question {number}"])
    if settings:
        extra = workbook.create_sheet("settings")
        extra.append(list(settings))
        extra.append(list(settings.values()))
    workbook.save(path)
    return path


@pytest.fixture
def host_draft(make_org, make_user, auth, make_consultation):
    """A signed-in host's draft consultation without a survey."""
    organisation = make_org("coastal")
    auth.login(make_user(organisation, Role.HOST))
    consultation = make_consultation(host=organisation, state=State.DRAFT)
    db.session.commit()
    return consultation


def _upload(client, consultation, path):
    # The body is encoded in memory: the test client would spool a 2 MB one to a temporary
    # file that it never closes (a ResourceWarning in whichever test runs next).
    boundary, body = encode_multipart({
        "csrf_token": client.csrf_token(), "action": "replace",
        "file": FileStorage(io.BytesIO(path.read_bytes()), "form.xlsx")})
    return client.post(f"/manage/consultations/{consultation.slug}/survey/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_a_120000_row_xlsform_is_refused_by_the_cli_within_seconds(app, make_org, huge_form):
    make_org()
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["consult", "import-xlsform", str(huge_form)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1, result.output
    assert "the survey sheet has more than 5000 rows" in result.output
    assert elapsed < QUICK_SECONDS, f"{elapsed:.1f} s"
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_a_120000_row_xlsform_upload_is_a_quick_error_on_the_file_field(client, host_draft,
                                                                        huge_form):
    assert huge_form.stat().st_size < 2 * 1024 * 1024  # under the upload limit: it is parsed
    started = time.perf_counter()
    response = _upload(client, host_draft, huge_form)
    elapsed = time.perf_counter() - started
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in html and 'aria-describedby="file-hint file-error"' in html
    assert "the survey sheet has more than 5000 rows" in html
    assert elapsed < QUICK_SECONDS, f"{elapsed:.1f} s"
    assert get_survey(host_draft) is None


def test_the_row_cap_counts_filled_rows_and_stops_at_the_first_one_past_it(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(xlsform_sheets, "MAX_ROWS", 10)
    assert len(parse_xlsform(_form(tmp_path / "ten.xlsx", rows=10)).pages[0].questions) == 10
    with pytest.raises(xlsform_sheets.XLSFormError, match="more than 10 rows"):
        parse_xlsform(_form(tmp_path / "eleven.xlsx", rows=11))


@pytest.mark.parametrize("language", ["Klingon (tlh)", "xx", "zz (zz)", "English (en-)",
                                      "(" + "en-" + "a" * 300 + ")"])
def test_an_unknown_default_language_is_a_clear_error(app, make_org, tmp_path, language):
    make_org()
    path = _form(tmp_path / "form.xlsx", {"form_title": "Roads", "default_language": language})
    result = app.test_cli_runner().invoke(args=["consult", "import-xlsform", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "default_language" in result.output and "not a language Consult knows" in result.output
    assert len(result.output) < 300  # the crafted value is not echoed in full
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_an_unknown_default_language_upload_is_a_translated_error_on_the_field(
        client, host_draft, tmp_path):
    path = _form(tmp_path / "form.xlsx", {"default_language": "Klingon (tlh)"})
    response = _upload(client, host_draft, path)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="file-error"' in html
    assert "default_language &#39;Klingon (tlh)&#39; is not a language Consult knows" in html
    assert get_survey(host_draft) is None


def test_an_over_long_language_code_in_a_column_is_reported_not_stored(app, make_org,
                                                                       tmp_path):
    make_org()
    code = "en-" + "Z" * 40  # past the 12 characters of every language column
    path = _form(tmp_path / "form.xlsx", label=f"label::English ({code})")
    result = app.test_cli_runner().invoke(args=["consult", "import-xlsform", str(path)])
    assert result.exit_code == 0, result.output
    assert "unknown language" in result.output
    consultation = db.session.scalar(db.select(Consultation).filter_by(
        slug=result.output.strip().splitlines()[-1]))
    question = get_survey(consultation).questions[0]
    assert all(len(text.language) <= 12 for text in question.texts)


def test_a_language_babel_does_not_know_is_reported_not_stored(tmp_path):
    form = parse_xlsform(_form(tmp_path / "form.xlsx", label="label::Klingon (tlh)"))
    assert form.languages == ["en"] and form.pages[0].questions[0].labels == {}
    assert "unknown language" in form.not_imported[0].message


def test_a_device_given_as_the_xlsform_is_refused_not_read_forever(app, make_org):
    make_org()
    result = app.test_cli_runner().invoke(args=["consult", "import-xlsform", "/dev/zero"])
    assert result.exit_code == 1 and "is not a regular file" in result.output


def test_language_codes_from_uploads_do_not_fill_the_workers_memory():
    for n in range(2000):  # every upload may bring new codes: the cache keeps a bounded few
        xlsform_sheets.language_code(f"Label (en-x{n:04d}{'q' * 200})")
    assert xlsform_sheets._known_code.cache_info().currsize <= 1024
