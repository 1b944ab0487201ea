"""Response exports: streamed, the header first, one row per counted response."""
import csv
import io
import json

from consult.accounts.models import Role
from consult.extensions import db
from consult.summaries.exports import SEPARATOR, csv_lines
from consult.surveys.models import Channel, Response, ResponseState
from consult.surveys.services import get_survey
from tests.summaries.helpers import respond, survey_consultation

TRADER = {"role": "trader", "area": "port", "support": "4", "priorities": ["light", "jobs"],
          "trust": 7, "age": 30, "order": ["lights", "jobs"], "ideas": "=cmd|' /C calc'!A0"}
OTHER = {"role": "other", "support": "2", "age": 41.5}
HEADER = ["response", "language", "channel", "submitted_on", "role", "role__other", "area",
          "support", "priorities", "trust", "age", "order", "ideas"]


def _consultation(make_consultation):
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=2)
    respond(consultation, OTHER, language="fr", channel=Channel.PAPER,
            others={"role": "fisher"})
    respond(consultation, TRADER)  # then made a draft again: not exported
    draft = db.session.scalars(db.select(Response).order_by(Response.id.desc())).first()
    draft.state = ResponseState.DRAFT
    db.session.commit()
    return consultation


def test_csv_has_the_header_then_one_row_per_counted_response(app, make_consultation):
    consultation = _consultation(make_consultation)
    result = app.test_cli_runner().invoke(args=["consult", "export", consultation.slug,
                                                "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == HEADER
    assert len(rows) == 4
    first = dict(zip(HEADER, rows[1]))
    assert first["priorities"] == f"jobs{SEPARATOR}light"  # in the options' order
    assert first["order"] == "lights|jobs"  # a ranking: first ranked first
    assert first["ideas"].startswith("'=")  # a spreadsheet must not run it
    assert (first["language"], first["channel"], first["trust"]) == ("en", "web", "7")
    other = dict(zip(HEADER, rows[3]))
    assert (other["role"], other["role__other"], other["age"], other["area"]) == \
        ("other", "fisher", "41.5", "")


def test_labels_in_a_chosen_language_and_an_output_file(app, make_consultation, tmp_path):
    consultation = _consultation(make_consultation)
    target = tmp_path / "out.csv"
    result = app.test_cli_runner().invoke(args=[
        "consult", "export", consultation.slug, "--format", "csv", "--labels", "en",
        "--out", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert dict(zip(HEADER, rows[1]))["role"] == "Trader"
    refused = app.test_cli_runner().invoke(args=[
        "consult", "export", consultation.slug, "--format", "csv", "--labels", "xx"])
    assert refused.exit_code != 0


def test_json_export_is_an_array_with_lists_for_several_options(app, make_consultation):
    consultation = _consultation(make_consultation)
    result = app.test_cli_runner().invoke(args=["consult", "export", consultation.slug,
                                                "--format", "json"])
    rows = json.loads(result.output)
    assert len(rows) == 3
    assert rows[0]["answers"]["priorities"] == ["jobs", "light"]
    assert rows[2]["answers"] == {"role": "other", "role__other": "fisher", "support": "2",
                                  "age": 41.5}


def test_the_export_is_a_generator_that_starts_with_the_header(make_consultation):
    consultation = _consultation(make_consultation)
    lines = csv_lines(get_survey(consultation))
    assert next(lines).startswith("response,language")  # before any response is read
    assert len(list(lines)) == 3


def test_planners_download_it_streamed_with_a_byte_order_mark(client, make_user,
                                                              make_consultation):
    consultation = _consultation(make_consultation)
    user = make_user(consultation.host, Role.PLANNER)
    client.post_form("/manage/login", {"email": user.email, "password": "correct horse battery"})
    url = f"/manage/consultations/{consultation.slug}/report/export"
    response = client.get(url + "?format=csv&labels=fr")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"].endswith('-responses.csv"')
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffresponse,") and body.count("\r\n") == 4
    assert isinstance(client.get(url + "?format=json").get_json()[1]["response"], str)
    assert client.get(url + "?format=xml").status_code == 404
    assert client.get(url + "?labels=xx").status_code == 400
