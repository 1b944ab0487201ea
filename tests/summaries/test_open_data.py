"""Open data of a published round: a valid Frictionless Data Package of the published
aggregates only, marked where suppressed or perturbed, with an unkeyed SHA-256 on the page."""
import csv
import hashlib
import io
import json
import re

import frictionless
import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys.models import Channel
from tests.summaries.helpers import respond, survey_consultation

#: A word only the free-text answer holds: it must never reach the package.
SECRET = "Zanzibarquokka"
TRADER = {"role": "trader", "area": "port", "support": "4", "priorities": ["jobs", "light"],
          "trust": 7, "age": 30, "order": ["jobs", "safety", "lights"],
          "ideas": f"Lights near the bus station {SECRET}"}
RESIDENT = {"role": "resident", "area": "market", "support": "2", "priorities": ["buses"],
            "trust": 3, "age": 50, "order": ["safety", "jobs", "lights"]}
OFFICIAL = {"role": "official", "area": "port", "support": "5", "trust": 9}
TABLES = ("totals", "questions", "answers", "breakdowns")


@pytest.fixture
def published(make_consultation):
    """Results published: 30 traders, 20 residents (in French) and 3 officials (on paper)."""
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=30)
    respond(consultation, RESIDENT, times=20, language="fr")
    respond(consultation, OFFICIAL, times=3, channel=Channel.PAPER)
    return consultation


def data_url(consultation, name: str) -> str:
    return f"/consultations/{consultation.slug}/results/data/{name}"


def download(client, consultation) -> dict[str, bytes]:
    """Every file of the package as served."""
    files = {"datapackage.json": client.get(data_url(consultation, "datapackage.json")).data}
    for resource in json.loads(files["datapackage.json"])["resources"]:
        for suffix in (".csv", ".json"):
            name = resource["name"] + suffix
            response = client.get(data_url(consultation, name))
            assert response.status_code == 200, name
            files[name] = response.data
    return files


def rows(files: dict[str, bytes], table: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[f"{table}.csv"].decode("utf-8"))))


def test_the_served_package_is_a_valid_frictionless_data_package(client, published, tmp_path):
    files = download(client, published)
    assert sorted(files) == sorted(["datapackage.json", *(f"{t}.{s}" for t in TABLES
                                                          for s in ("csv", "json"))])
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["licenses"] == [{
        "name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/"}]
    for resource in descriptor["resources"]:
        data = files[resource["path"]]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data)
        schema = resource["schema"]
        assert schema["missingValues"] == [""] and schema["primaryKey"]
        statuses = [f for f in schema["fields"] if f["name"].endswith("status")]
        assert statuses and all(f["constraints"] == {
            "enum": ["published", "perturbed", "suppressed"], "required": True}
            for f in statuses)
        assert {f["type"] for f in schema["fields"]} <= {"integer", "number", "string"}


def test_a_tampered_file_fails_validation_against_its_hash(client, published, tmp_path):
    files = download(client, published)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "answers.csv").write_bytes(files["answers.csv"].replace(b",30,", b",31,", 1))
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_the_bytes_are_the_same_on_every_request(client, published):
    first = download(client, published)
    db.session.expire_all()
    assert download(client, published) == first
    for data in first.values():
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert b"generated_at" not in first["datapackage.json"]


def test_suppressed_cells_carry_their_status_and_reason(client, published):
    files = download(client, published)
    answers = {(r["question_key"], r["option_key"]): r for r in rows(files, "answers")}
    official = answers[("role", "official")]  # 3 people: fewer than k
    assert (official["count"], official["share"], official["status"], official["reason"]) == \
        ("", "", "suppressed", "small")
    trader = answers[("role", "trader")]
    assert (trader["count"], trader["status"], trader["reason"]) == ("30", "published", "")
    assert trader["label"] == "Trader"  # the option's label in the default language
    for table in TABLES:
        for row in rows(files, table):
            for column in [c for c in row if c.endswith("status")]:
                count_column = column.replace("status", "") or "count"
                count_column = {"answered_": "answered", "skipped_": "skipped"}.get(
                    count_column, count_column)
                assert row[column] in ("published", "perturbed", "suppressed")
                assert (row[count_column] == "") == (row[column] == "suppressed"), (table, row)
                assert (row[column.replace("status", "reason")] != "") == \
                    (row[column] == "suppressed")
    reasons = {r["reason"] for r in rows(files, "breakdowns")}
    assert {"small", "complementary"} <= reasons


def test_perturbed_counts_are_marked_perturbed(app, client, published):
    app.config["CELL_KEY_PERTURBATION"] = True
    files = download(client, published)
    statuses = {r["status"] for r in rows(files, "answers") if r["count"] not in ("", "0")}
    assert statuses == {"perturbed"}
    zeros = {r["status"] for r in rows(files, "breakdowns") if r["count"] == "0"}
    assert zeros <= {"published"}
    round_ = json.loads(files["datapackage.json"])["round"]
    assert round_["perturbation"]["method"] == "cell-key"
    assert "perturbation" in round_["algorithms"]


def test_no_free_text_or_quote_reaches_the_package(app, client, published, make_user):
    planner = make_user(published.host, Role.PLANNER)
    client.post_form("/manage/login", {"email": planner.email,
                                       "password": "correct horse battery"})
    report = client.get(f"/manage/consultations/{published.slug}/report?lang=en")
    assert SECRET in report.get_data(True)  # the planner's report quotes it...
    files = download(client, published)  # ...even when a planner downloads the package
    for name, data in files.items():
        assert SECRET.lower().encode() not in data.lower(), name
        assert b"quotes" not in data and b"Lights near" not in data, name
    client.post_form("/manage/logout", {})
    assert download(client, published) == files  # the same package for everyone


def test_the_page_gives_the_sha256_of_the_served_datapackage(client, published):
    html = client.get(f"/consultations/{published.slug}/results?lang=en").get_data(True)
    served = client.get(data_url(published, "datapackage.json"))
    digest = hashlib.sha256(served.data).hexdigest()
    assert digest in html and "sha256sum datapackage.json" in html
    assert served.headers["ETag"] == f'"{digest}"'
    assert served.headers["Cache-Control"].startswith("public")
    assert served.headers["Content-Type"] == "application/json"
    assert "Keyed data fingerprint" in html and "Open data fingerprint" in html
    for table in TABLES:
        assert data_url(published, f"{table}.csv") in html
        assert data_url(published, f"{table}.json") in html
    again = client.get(data_url(published, "datapackage.json"),
                       headers={"If-None-Match": f'"{digest}"'})
    assert again.status_code == 304
    question = client.get(f"/consultations/{published.slug}/results/questions/role?lang=en")
    assert digest in question.get_data(True)


@pytest.mark.parametrize("state", [State.DRAFT, State.OPEN, State.CLOSED])
def test_unpublished_results_have_no_open_data(client, make_consultation, state):
    consultation = survey_consultation(make_consultation, state=state)
    if state is not State.DRAFT:
        respond(consultation, TRADER, times=12)
    for name in ("datapackage.json", "answers.csv", "answers.json"):
        assert client.get(data_url(consultation, name)).status_code == 404


def test_unlisted_results_are_open_data_only_once_published(client, make_consultation):
    from consult.consultations.lifecycle import Visibility

    consultation = survey_consultation(make_consultation, state=State.CLOSED)
    consultation.visibility = Visibility.UNLISTED
    db.session.commit()
    respond(consultation, TRADER, times=12)
    assert client.get(data_url(consultation, "datapackage.json")).status_code == 404
    consultation.state = State.RESULTS_PUBLISHED
    db.session.commit()
    assert client.get(data_url(consultation, "datapackage.json")).status_code == 200


def test_unknown_files_and_consultations_are_404(client, published):
    for name in ("responses.csv", "answers.xlsx", "..%2Fsecret", "datapackage.JSON"):
        assert client.get(data_url(published, name)).status_code == 404
    assert client.get("/consultations/nope/results/data/datapackage.json").status_code == 404


def test_the_json_form_of_a_resource_matches_its_csv(client, published):
    files = download(client, published)
    for table in TABLES:
        data = json.loads(files[f"{table}.json"])
        assert data["name"] == table
        csv_rows = rows(files, table)
        assert len(data["rows"]) == len(csv_rows)
        for from_json, from_csv in zip(data["rows"], csv_rows):
            assert {k: "" if v is None else (f"{v:.6f}" if isinstance(v, float) else str(v))
                    for k, v in from_json.items()} == from_csv


def test_the_host_chooses_the_licence_and_the_change_is_audited(client, published, make_user):
    from consult.audit.models import AuditEntry

    host = make_user(published.host, Role.HOST)
    client.post_form("/manage/login", {"email": host.email, "password": "correct horse battery"})
    url = f"/manage/consultations/{published.slug}/edit"
    page = client.get(url).get_data(True)
    assert 'name="data_licence"' in page
    assert "https://opendatacommons.org/licenses/odbl/1-0/" in page
    form = {"default_language": "en", "languages": ["en", "fr"], "title__en": "Title",
            "time_zone": "UTC", "moderation_mode": "post", "participation_mode": "anonymous",
            "visibility": "public", "min_cell_size": "10"}
    refused = client.post_form(url, {**form, "data_licence": "WTFPL"})
    assert refused.status_code == 422 and 'id="data_licence-error"' in refused.get_data(True)
    before = client.get(data_url(published, "datapackage.json")).data
    assert client.post_form(url, {**form, "data_licence": "ODbL-1.0"}).status_code == 302
    entry = db.session.scalar(db.select(AuditEntry).filter_by(
        action="consultation.data_licence_changed"))
    assert entry is not None and "CC-BY-4.0" in entry.detail and "ODbL-1.0" in entry.detail
    after = client.get(data_url(published, "datapackage.json")).data
    assert after != before
    assert json.loads(after)["licenses"][0]["name"] == "ODbL-1.0"
    assert client.post_form(url, form).status_code == 302  # not sent: unchanged
    assert json.loads(client.get(data_url(published, "datapackage.json")).data)[
        "licenses"][0]["name"] == "ODbL-1.0"


def test_the_methods_box_tells_the_two_fingerprints_apart(client, published):
    html = client.get(f"/consultations/{published.slug}/results?lang=en").get_data(True)
    box = html[html.index('id="methods-title"'):]
    keyed = re.search(r"Keyed data fingerprint.*?</dd>", box, re.S).group(0)
    assert "nobody outside can recompute it" in keyed


def test_a_round_with_no_response_still_has_a_valid_package(client, make_consultation,
                                                            tmp_path):
    consultation = survey_consultation(make_consultation)
    files = download(client, consultation)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    totals = rows(files, "totals")
    assert [(r["group"], r["count"], r["status"]) for r in totals] == [
        ("respondents", "0", "published")]


def test_a_consultation_without_survey_has_no_package(client, make_consultation):
    consultation = make_consultation(state=State.RESULTS_PUBLISHED)
    assert client.get(data_url(consultation, "datapackage.json")).status_code == 404
    html = client.get(f"/consultations/{consultation.slug}/results").get_data(True)
    assert "results/data/" not in html
