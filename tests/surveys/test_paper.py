"""Paper responses: the CSV template, checking a filled one row by row, and an import that
happens only when the host confirms, and only once."""
import csv
import io
import re
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import paper, paper_import, responses, services
from consult.surveys.models import Channel, Response, ResponseState
from tests.surveys.specs import options, question

COLUMNS = ["language", "role", "role__other", "areas", "order", "agree", "trust", "age",
           "income", "born", "name", "story", "stall"]


@pytest.fixture
def host(make_org, make_user, auth):
    """A signed-in host of organisation 'coastal'."""
    organisation = make_org("coastal")
    auth.login(make_user(organisation, Role.HOST))
    return organisation


@pytest.fixture
def consultation(host, make_consultation):
    """An open consultation (en, fr, ar) whose two-page survey has every question type."""
    consultation = make_consultation(host=host, state=State.DRAFT)
    services.replace_survey(consultation, [
        Spec(key="p1", labels={}, questions=[
            question("intro", "note"),
            question("role", "single_choice", required=True, allow_other=True,
                     options=options("trader", "youth")),
            question("areas", "multiple_choice", options=options("port", "market", "bus")),
            question("order", "ranking", options=options("jobs", "safety", "lights")),
            question("agree", "likert", options=options("1", "2", "3", "4", "5")),
            question("trust", "scale"),
            question("age", "number", integer=True, constraint={"all": [
                {"q": ".", "op": "ge", "value": 10}, {"q": ".", "op": "le", "value": 120}]},
                constraint_messages={"en": "Age from 10 to 120.", "fr": "Âge de 10 à 120."}),
        ]),
        Spec(key="p2", labels={}, questions=[
            question("income", "number"),
            question("born", "date"),
            question("name", "short_text"),
            question("story", "long_text"),
            question("stall", "short_text", required=True,
                     show_if={"q": "role", "op": "eq", "value": "trader"}),
        ]),
    ])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def csv_bytes(*rows, header=COLUMNS, bom=True, delimiter=",") -> bytes:
    """A CSV file as a spreadsheet saves it: header, then rows given as {column: cell}."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict)
                        else row)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


TRADER = {"language": "fr", "role": "trader", "areas": "port|market", "order": "safety jobs",
          "agree": "4", "trust": "7", "age": "41", "income": "1200,5", "born": "1985-02-01",
          "name": "Amina", "story": "Stalls need light.\nAnd water.", "stall": "fish"}
YOUTH = {"role": "other", "role__other": "fisher", "age": "17", "stall": "not asked"}


def upload(client, consultation, data: bytes, name="responses.csv"):
    """Send a file through the upload form, as a browser does."""
    return client.post_form(f"/manage/consultations/{consultation.slug}/survey/paper",
                            {"file": (io.BytesIO(data), name)},
                            content_type="multipart/form-data")


def signed_rows(html: str) -> str:
    return re.search(r'name="rows" value="([^"]+)"', html).group(1)


def confirm(client, consultation, token: str, **kwargs):
    return client.post_form(f"/manage/consultations/{consultation.slug}/survey/paper/import",
                            {"rows": token}, **kwargs)


def counted() -> int:
    return db.session.scalar(db.select(db.func.count(Response.id)).filter_by(
        state=ResponseState.SUBMITTED))


def check(consultation, data: bytes) -> paper.PaperCheck:
    survey = services.get_survey(consultation)
    return paper.check_file(survey, data, consultation.languages,
                            consultation.default_language, "en")


def test_template_has_a_column_per_answerable_question_in_survey_order(client, consultation):
    response = client.get(f"/manage/consultations/{consultation.slug}/survey/paper/"
                          "template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and consultation.slug in disposition
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads every script correctly
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == COLUMNS


def test_a_question_keyed_language_moves_the_language_column_aside(make_consultation):
    consultation = make_consultation(state=State.DRAFT)
    survey, _ = services.replace_survey(consultation, [Spec(key="p", labels={}, questions=[
        question("language", "short_text")])])
    assert paper.columns(survey) == ["_language", "language"]


def test_the_explanation_lists_columns_and_option_keys_with_their_labels(client,
                                                                         consultation):
    html = client.get(f"/manage/consultations/{consultation.slug}/survey/paper").get_data(
        as_text=True)
    assert '<code>role__other</code>' in html and "<code>intro</code>" not in html
    assert "<code>trader</code></bdi> Trader" in html
    assert "separated by “|”" in html and 'enctype="multipart/form-data"' in html
    assert 'for="file"' in html


def test_a_filled_template_round_trips(client, consultation):
    preview = upload(client, consultation, csv_bytes(TRADER, YOUTH))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Import 2 responses" in html
    assert counted() == 0  # nothing before the host confirms
    done = confirm(client, consultation, signed_rows(html), follow_redirects=True)
    assert "2 responses imported." in done.get_data(as_text=True)
    survey = services.get_survey(consultation)
    stored = db.session.scalars(db.select(Response).order_by(Response.id)).all()
    assert [r.channel for r in stored] == [Channel.PAPER, Channel.PAPER]
    assert [r.language for r in stored] == ["fr", "en"]
    assert len({r.respondent_key for r in stored}) == 2
    trader, youth = (responses.saved_answers(r, survey) for r in stored)
    assert trader == ({"role": "trader", "areas": ["port", "market"], "order": ["safety", "jobs"],
                       "agree": "4", "trust": 7, "age": 41, "income": 1200.5,
                       "born": "1985-02-01", "name": "Amina",
                       "story": "Stalls need light.\nAnd water.", "stall": "fish"}, {})
    # The stall question is hidden for someone who is not a trader: what was written is dropped.
    assert youth == ({"role": "other", "age": 17}, {"role": "fisher"})


@pytest.mark.parametrize("row,column,message", [
    ({"role": "seller"}, "role",
     "“seller” is not an option of this question. Its options are: trader, youth, other."),
    ({"role": "youth", "areas": "port|train"}, "areas", "“train” is not an option"),
    ({"role": "youth", "order": "jobs|jobs"}, "order", "An option key appears more than once."),
    ({"age": "30"}, "role", "This question must be answered, but the cell is empty."),
    ({"role": "trader"}, "stall", "This question must be answered"),
    ({"role": "youth", "age": "200"}, "age", "Age from 10 to 120."),
    ({"role": "youth", "age": "12.5"}, "age", "Please enter a whole number, like 12."),
    ({"role": "youth", "trust": "11"}, "trust", "Please choose a number from 0 to 10."),
    ({"role": "youth", "born": "31/03/2026"}, "born", "year-month-day"),
    ({"role": "other"}, "role__other", "this cell, which says what it means, is empty"),
    ({"role": "youth", "language": "de"}, "language", "not offered in “de”"),
])
def test_a_row_with_an_error_is_reported_by_row_and_column(client, consultation, row, column,
                                                           message):
    html = upload(client, consultation, csv_bytes(YOUTH, row)).get_data(as_text=True)
    errors = re.findall(r'<tr><td>(\d+)</td><td><bdi dir="ltr"><code>([^<]+)</code></bdi></td>'
                        r"<td>([^<]+)</td></tr>", html)
    assert [(number, name) for number, name, _ in errors] == [("3", column)]
    assert message in errors[0][2]
    assert "1 row has errors" in html and "Import the 1 valid row only" in html
    assert counted() == 0


def test_errors_are_in_the_staff_language(client, consultation):
    html = upload(client, consultation, csv_bytes({"role": "youth", "age": "5"})).get_data(
        as_text=True)
    assert "Age from 10 to 120." in html
    client.get("/?lang=fr")
    html = upload(client, consultation, csv_bytes({"role": "youth", "age": "5"})).get_data(
        as_text=True)
    assert "Âge de 10 à 120." in html


@pytest.mark.parametrize("data,message", [
    (b"", "The file is empty."),
    (b"\r\n \r\n", "The file is empty."),
    (csv_bytes(), "no responses under it"),
    (csv_bytes({}, {}), "no responses under it"),
    (csv_bytes({"role": "youth"}, header=COLUMNS + ["colour"]),
     "Columns this survey does not have: colour."),
    (csv_bytes({"role": "youth"}, header=COLUMNS[:-1]), "Columns missing: stall."),
    (csv_bytes({"role": "youth"}, header=COLUMNS + ["role"]), "more than once: role."),
    (csv_bytes({"role": "youth", "name": "Zoé"}, bom=False).decode().encode("latin-1"),
     "The file is not UTF-8 text."),
    ("language,role\r\n".encode("utf-16"), "The file is not UTF-8 text."),
    (b"PK\x03\x04 a spreadsheet", "This is a spreadsheet file, not CSV."),
    (b"language,role\x00\x00", "cannot be read as CSV"),
])
def test_a_file_that_cannot_be_imported_says_why(client, consultation, data, message):
    response = upload(client, consultation, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in html and message in html
    assert 'name="rows"' not in html and counted() == 0


def test_too_many_rows_or_bytes_are_refused(client, consultation, monkeypatch):
    monkeypatch.setattr(paper, "MAX_ROWS", 2)
    html = upload(client, consultation, csv_bytes(*[YOUTH] * 3)).get_data(as_text=True)
    assert "more than 2 responses" in html
    monkeypatch.setattr(paper, "MAX_BYTES", 100)
    html = upload(client, consultation, csv_bytes(YOUTH)).get_data(as_text=True)
    assert "larger than" in html and counted() == 0


def test_no_file_chosen_is_an_error_on_the_field(client, consultation):
    response = client.post_form(f"/manage/consultations/{consultation.slug}/survey/paper")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Please choose the CSV file to upload." in html
    assert 'aria-describedby="file-hint file-error"' in html


def test_spreadsheet_habits_are_understood(consultation):
    data = csv_bytes({}, YOUTH, {"language": "FR"}, {"role": "youth", "areas": "bus market"},
                     delimiter=";", bom=False)
    checked = check(consultation, data)
    assert checked.blank == 2 and [r.number for r in checked.rows] == [3, 5]
    assert not checked.invalid and checked.rows[1].values["areas"] == ["bus", "market"]


def test_cells_outside_the_columns_are_an_error(consultation):
    stray = [YOUTH.get(name, "") for name in COLUMNS] + ["", "stray"]
    checked = check(consultation, csv_bytes(YOUTH, stray, [""] * len(COLUMNS) + ["x"]))
    assert [row.errors[0] for row in checked.invalid] == [("", str(paper.OUTSIDE_COLUMNS))] * 2


def test_valid_rows_only_are_imported_when_the_host_says_so(client, consultation):
    html = upload(client, consultation, csv_bytes(TRADER, {"role": "x"}, YOUTH)).get_data(
        as_text=True)
    assert "Nothing has been imported yet." in html and "Import the 2 valid rows only" in html
    assert counted() == 0
    confirm(client, consultation, signed_rows(html))
    assert counted() == 2


def test_confirming_twice_imports_once(client, consultation):
    token = signed_rows(upload(client, consultation, csv_bytes(TRADER, YOUTH)).get_data(
        as_text=True))
    confirm(client, consultation, token)
    again = confirm(client, consultation, token, follow_redirects=True).get_data(as_text=True)
    assert "0 responses imported." in again
    assert "2 rows were already imported and were not counted again." in again
    assert counted() == 2


def test_a_parallel_confirm_that_loses_the_race_counts_nothing_twice(client, consultation,
                                                                     monkeypatch):
    token = signed_rows(upload(client, consultation, csv_bytes(TRADER, YOUTH)).get_data(
        as_text=True))
    confirm(client, consultation, token)
    real = paper_import.imported_numbers
    calls = []

    def not_yet_seen(batch, numbers):
        """The first look happens before the other request commits; the retry sees it."""
        calls.append(batch)
        return set() if len(calls) == 1 else real(batch, numbers)

    monkeypatch.setattr(paper_import, "imported_numbers", not_yet_seen)
    again = confirm(client, consultation, token, follow_redirects=True).get_data(as_text=True)
    assert len(calls) == 2 and "2 rows were already imported" in again
    assert counted() == 2


def test_the_same_file_uploaded_again_is_recognised(client, consultation):
    data = csv_bytes(TRADER, YOUTH)
    confirm(client, consultation, signed_rows(upload(client, consultation, data).get_data(
        as_text=True)))
    html = upload(client, consultation, data).get_data(as_text=True)
    assert "2 valid rows were already imported from this same file" in html
    assert 'name="rows"' not in html and "Every valid row of this file is already" in html


def test_a_corrected_copy_of_an_imported_file_is_flagged(client, consultation):
    confirm(client, consultation, signed_rows(upload(
        client, consultation, csv_bytes(TRADER, {"role": "x"})).get_data(as_text=True)))
    html = upload(client, consultation, csv_bytes(TRADER, YOUTH)).get_data(as_text=True)
    assert "1 row is written exactly like a paper response already imported" in html
    assert counted() == 1


def test_altered_or_foreign_signed_rows_are_refused(client, consultation, make_consultation,
                                                    host):
    token = signed_rows(upload(client, consultation, csv_bytes(TRADER)).get_data(as_text=True))
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    html = confirm(client, consultation, tampered, follow_redirects=True).get_data(as_text=True)
    assert "This preview could not be verified." in html
    other = make_consultation(host=host)  # no survey: 404, nothing imported
    assert confirm(client, other, token).status_code == 404
    assert counted() == 0


def test_rows_signed_for_another_survey_are_refused(app, consultation):
    survey = services.get_survey(consultation)
    token = paper_import.sign_rows(app.config["SECRET_KEY"], consultation.id, survey.id + 1,
                                   "b", COLUMNS, [])
    with pytest.raises(paper_import.PreviewInvalid):
        paper_import.load_rows(app.config["SECRET_KEY"], token, consultation.id, survey.id)


def test_an_expired_preview_is_refused(client, consultation, monkeypatch):
    token = signed_rows(upload(client, consultation, csv_bytes(TRADER)).get_data(as_text=True))
    monkeypatch.setattr(paper_import, "PREVIEW_LIFETIME", -1)
    html = confirm(client, consultation, token, follow_redirects=True).get_data(as_text=True)
    assert "This preview has expired." in html and counted() == 0


@pytest.mark.parametrize("state,status", [(State.CLOSED, 200), (State.DRAFT, 409),
                                          (State.RESULTS_PUBLISHED, 409)])
def test_late_paper_is_taken_after_closing_but_not_once_results_are_out(
        client, consultation, state, status):
    token = signed_rows(upload(client, consultation, csv_bytes(TRADER)).get_data(as_text=True))
    consultation.state = state
    db.session.commit()
    assert upload(client, consultation, csv_bytes(TRADER)).status_code == status
    confirm(client, consultation, token)
    assert counted() == (1 if status == 200 else 0)


@pytest.mark.parametrize("role,status", [(Role.MODERATOR, 403), (Role.PLANNER, 403)])
def test_only_hosts_who_manage_may_import(app, consultation, make_user, role, status):
    client = app.test_client()
    user = make_user(consultation.host, role)
    from tests.conftest import PASSWORD
    client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    base = f"/manage/consultations/{consultation.slug}/survey/paper"
    assert client.get(base).status_code == status
    assert client.get(base + "/template.csv").status_code == status
    assert upload(client, consultation, csv_bytes(TRADER)).status_code == status


def test_a_host_of_another_organisation_cannot_see_or_import(app, client, consultation,
                                                              make_org, make_user):
    token = signed_rows(upload(client, consultation, csv_bytes(TRADER)).get_data(as_text=True))
    stranger = app.test_client()
    from tests.conftest import PASSWORD
    user = make_user(make_org("elsewhere"), Role.HOST)
    stranger.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    base = f"/manage/consultations/{consultation.slug}/survey/paper"
    assert stranger.get(base).status_code == 404
    assert upload(stranger, consultation, csv_bytes(TRADER)).status_code == 404
    assert confirm(stranger, consultation, token).status_code == 404
    assert counted() == 0


def test_the_dashboard_links_to_paper_responses(client, consultation):
    html = client.get(f"/manage/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="/manage/consultations/{consultation.slug}/survey/paper"' in html
