"""The programme's open data: a valid Frictionless Data Package of its published aggregates
(indicators by round, changes, commitments), every figure marked, nothing from an unpublished
round, no participant's text, and the page's SHA-256 is the served descriptor's."""
import csv
import hashlib
import io
import json
import re

import frictionless

from consult.consultations.lifecycle import State
from consult.extensions import db
from tests.programmes.public_helpers import (
    SAFE,
    SECRET,
    SOUTH,
    UNSAFE,
    commit_to,
    indicator_link,
    next_round,
    publish,
)
from tests.summaries.helpers import respond

TABLES = ("indicators", "indicator_rounds", "changes", "commitments")


def programme_with_data(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    respond(first, SAFE, times=14)
    respond(first, UNSAFE, times=11)
    respond(first, SOUTH, times=3)
    publish(first)
    # Three unsure of the harm: a small count, which hides the harm indicator in round 2.
    next_round(programme, "round-two", [(UNSAFE, 40), (SAFE, 12),
                                        ({**SAFE, "harmed": "unsure"}, 3)])
    next_round(programme, "round-closed", [(SAFE, 30)], state=State.CLOSED)
    commit_to(programme, "Repair the street lights", links=[indicator_link(
        programme.indicators[0])], note="Contract signed", description="All of Harbour Road")
    return programme


def url(programme, name):
    return f"/programmes/{programme.slug}/data/{name}"


def download(client, programme) -> dict[str, bytes]:
    files = {"datapackage.json": client.get(url(programme, "datapackage.json")).data}
    for resource in json.loads(files["datapackage.json"])["resources"]:
        for suffix in (".csv", ".json"):
            response = client.get(url(programme, resource["name"] + suffix))
            assert response.status_code == 200
            files[resource["name"] + suffix] = response.data
    return files


def rows(files, table):
    return list(csv.DictReader(io.StringIO(files[f"{table}.csv"].decode("utf-8"))))


def test_the_served_package_is_a_valid_frictionless_data_package(client, make_programme,
                                                                 tmp_path):
    programme = programme_with_data(make_programme)
    files = download(client, programme)
    assert sorted(files) == sorted(["datapackage.json", *(f"{t}.{s}" for t in TABLES
                                                          for s in ("csv", "json"))])
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["round"] for r in descriptor["programme"]["rounds"]] == [1, 2]


def test_every_figure_has_a_status_and_suppressed_ones_say_why(client, make_programme):
    programme = programme_with_data(make_programme)
    files = download(client, programme)
    found = rows(files, "indicator_rounds")
    assert {r["round"] for r in found} == {"1", "2"}  # the closed round 3: nothing
    for row in found:
        for who in ("community", "providers"):
            assert row[f"{who}_status"] in ("published", "perturbed", "suppressed",
                                            "not_available")
            if row[f"{who}_value"] == "":
                assert row[f"{who}_reason"] != ""
    harm_two = next(r for r in found if r["indicator_key"] == "harmed" and r["round"] == "2")
    # Three unsure: the share would reveal a hidden count, as on the round's page.
    assert harm_two["community_status"] == "suppressed"
    assert harm_two["community_reason"] == "complementary" and harm_two["community_n"] == ""
    feel_two = next(r for r in found if r["indicator_key"] == "feel_safe" and r["round"] == "2")
    assert feel_two["community_status"] in ("published", "perturbed")
    assert feel_two["community_n"] == "55" or feel_two["community_status"] == "perturbed"
    assert {r["providers_reason"] for r in found} == {"not_scored"}
    changes = rows(files, "changes")
    assert {(c["indicator_key"], c["from_round"], c["to_round"]) for c in changes} == {
        (key, "1", "2") for key in ("feel_safe", "trust_hotline", "harmed")}
    harmed = next(c for c in changes if c["indicator_key"] == "harmed")
    assert harmed["reason"] == "hidden_round" and harmed["p_value"] == ""
    assert harmed["method"] == "two-proportion-z/1"
    feel = next(c for c in changes if c["indicator_key"] == "feel_safe")
    assert feel["method"] == "mann-whitney-u/1" and float(feel["p_value"]) < 0.05
    assert feel["verdict"] == "worse"


def test_the_commitments_table_holds_the_planners_words_only(client, make_programme):
    programme = programme_with_data(make_programme)
    files = download(client, programme)
    (commitment,) = rows(files, "commitments")
    assert commitment["title"] == "Repair the street lights"
    assert commitment["status"] == "under_way" and commitment["closed"] == "no"
    assert commitment["answers"] == "indicator:feel_safe" and commitment["updates"] == "1"
    for data in files.values():
        assert SECRET.encode() not in data


def test_the_pages_fingerprint_is_the_unkeyed_sha256_of_the_served_descriptor(
        client, make_programme):
    programme = programme_with_data(make_programme)
    html = client.get(f"/programmes/{programme.slug}").get_data(as_text=True)
    shown = re.search(r"SHA-256: <code>([0-9a-f]{64})</code>", html).group(1)
    served = client.get(url(programme, "datapackage.json")).data
    assert shown == hashlib.sha256(served).hexdigest()


def test_the_package_moves_with_the_plan_and_stays_put_otherwise(client, make_programme):
    programme = programme_with_data(make_programme)
    before = client.get(url(programme, "datapackage.json")).data
    assert client.get(url(programme, "datapackage.json")).data == before
    commit_to(programme, "Light the market")
    after = client.get(url(programme, "datapackage.json")).data
    assert after != before
    assert b"Light the market" in client.get(url(programme, "commitments.csv")).data


def test_no_open_data_before_a_round_is_published_nor_for_an_unknown_file(
        client, make_programme):
    programme = make_programme()
    respond(programme.rounds[0].consultation, SAFE, times=12)
    assert client.get(url(programme, "datapackage.json")).status_code == 404
    publish(programme.rounds[0].consultation)
    assert client.get(url(programme, "datapackage.json")).status_code == 200
    assert client.get(url(programme, "responses.csv")).status_code == 404
    assert client.get("/programmes/nothing/data/datapackage.json").status_code == 404
    programme.rounds[0].consultation.state = State.CLOSED
    db.session.commit()
    assert client.get(url(programme, "datapackage.json")).status_code == 404


def test_a_purged_round_keeps_its_figures_from_the_frozen_counts(client, make_programme):
    """After the retention purge deletes a round's responses, its indicators are the frozen
    published figures, as on the round's own results page."""
    import datetime as dt

    from consult.consultations import retention
    from consult.consultations.purge import purge
    from consult.surveys.models import Response
    from consult.surveys.services import get_survey

    programme = programme_with_data(make_programme)
    first = programme.rounds[0].consultation
    before = rows(download(client, programme), "indicator_rounds")
    retention.record_publication(first, dt.date.today())
    db.session.commit()
    purge(first, dt.date.today())
    db.session.expire_all()
    survey_id = get_survey(first).id
    assert db.session.query(Response).filter_by(survey_id=survey_id).count() == 0
    after = rows(download(client, programme), "indicator_rounds")
    community = [{k: v for k, v in r.items() if k.startswith("community") or k == "round"}
                 for r in before]
    assert community == [{k: v for k, v in r.items() if k.startswith("community")
                          or k == "round"} for r in after]
    assert retention.is_frozen(first.id)
