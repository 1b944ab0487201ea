"""The open data say no more than the published page: the same figures, the same suppression
(padding included), the same frozen figures once the raw data is deleted."""
import datetime as dt
import hashlib
import json

import pytest

from consult.consultations import purge, retention
from consult.consultations.lifecycle import State
from consult.consultations.services import change_state
from consult.extensions import db
from consult.surveys.models import Channel
from tests.summaries.helpers import respond, survey_consultation
from tests.summaries.test_open_data import OFFICIAL, RESIDENT, TRADER, data_url, download, rows


def _expected(figure: dict, perturbed: bool) -> tuple:
    """(count, status) the package must give for a figure of the public document."""
    if "hidden" in figure:
        return "", "suppressed"
    count = figure["count"]
    return str(count), "perturbed" if perturbed and count else "published"


def _document_cells(document: dict, perturbed: bool) -> dict:
    """Every figure of the public summary document, keyed as the package keys its rows."""
    cells = {("totals", "respondents", "all"): _expected(document["respondents"], perturbed)}
    for group in ("languages", "channels"):
        for item in document[group]:
            cells[("totals", group[:-1], item["key"])] = _expected(item, perturbed)
    for question in document["questions"]:
        for item in question["categories"]:
            cells[("answers", question["key"], item["key"])] = _expected(item, perturbed)
        for table in question["breakdowns"]:
            by = table["by"]
            for row in table["rows"]:
                for column, cell in zip(table["columns"], row["cells"]):
                    cells[("breakdowns", question["key"], by["kind"], by["key"], row["key"],
                           column)] = _expected(cell, perturbed)
    return cells


def _package_cells(files: dict) -> dict:
    cells = {("totals", r["group"], r["key"]): (r["count"], r["status"])
             for r in rows(files, "totals")}
    cells.update({("answers", r["question_key"], r["option_key"]): (r["count"], r["status"])
                  for r in rows(files, "answers")})
    cells.update({("breakdowns", r["question_key"], r["by_kind"], r["by_key"], r["group_key"],
                   r["option_key"]): (r["count"], r["status"])
                  for r in rows(files, "breakdowns")})
    return cells


def assert_package_is_the_page(client, consultation, perturbed: bool) -> dict:
    """The package's figures are exactly the public document's (the page's summary)."""
    document = client.get(f"/api/v1/consultations/{consultation.slug}/summary").get_json()
    files = download(client, consultation)
    assert _package_cells(files) == _document_cells(document, perturbed)
    return files


@pytest.mark.parametrize("perturbed", [False, True])
def test_the_package_gives_exactly_the_published_figures(app, client, make_consultation,
                                                         perturbed):
    app.config["CELL_KEY_PERTURBATION"] = perturbed
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=30)
    respond(consultation, RESIDENT, times=20, language="fr")
    respond(consultation, OFFICIAL, times=3, channel=Channel.PAPER)
    assert_package_is_the_page(client, consultation, perturbed)


def test_participant_padding_the_data_cannot_learn_a_small_count_from_the_package(
        app, client, make_consultation):
    """Three officials answered; an attacker adds answers of their own to lift the officials'
    cells above k, then subtracts what they added. The package publishes those cells exactly
    as the page does: perturbed, so the subtraction does not give the three back for sure."""
    app.config["CELL_KEY_PERTURBATION"] = True
    consultation = survey_consultation(make_consultation, state=State.OPEN)
    respond(consultation, TRADER, times=30)
    respond(consultation, OFFICIAL, times=3, channel=Channel.PAPER)
    padding = 10
    respond(consultation, OFFICIAL, times=padding, channel=Channel.PAPER)  # the attacker
    consultation.state = State.RESULTS_PUBLISHED
    db.session.commit()
    files = assert_package_is_the_page(client, consultation, perturbed=True)
    official = next(r for r in rows(files, "answers")
                    if (r["question_key"], r["option_key"]) == ("role", "official"))
    assert official["status"] == "perturbed"  # never marked as exact
    html = client.get(f"/consultations/{consultation.slug}/results?lang=en").get_data(True)
    assert f"<td>{official['count']}" in html  # the very number the page shows


def test_small_groups_are_suppressed_in_the_package_as_on_the_page(app, client,
                                                                   make_consultation):
    app.config["CELL_KEY_PERTURBATION"] = False
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=30)
    respond(consultation, OFFICIAL, times=3, channel=Channel.PAPER)
    files = assert_package_is_the_page(client, consultation, perturbed=False)
    for row in rows(files, "breakdowns") + rows(files, "answers") + rows(files, "totals"):
        if row["count"]:
            assert int(row["count"]) == 0 or int(row["count"]) >= 10, row


def test_a_purged_round_keeps_its_package_byte_for_byte(app, client, make_consultation):
    consultation = survey_consultation(make_consultation, state=State.CLOSED)
    respond(consultation, TRADER, times=30)
    respond(consultation, RESIDENT, times=20, language="fr")
    change_state(consultation, "publish_results")
    db.session.commit()
    before = download(client, consultation)
    assert retention.record_of(consultation.id) is not None
    purge.purge(consultation, dt.date.today())
    db.session.commit()
    db.session.expire_all()
    assert retention.is_frozen(consultation.id)
    assert download(client, consultation) == before


def test_both_pages_and_package_agree_after_a_new_licence(client, make_consultation):
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=12)
    consultation.data_licence = "CC0-1.0"
    consultation.revision += 1
    db.session.commit()
    served = client.get(data_url(consultation, "datapackage.json"))
    assert json.loads(served.data)["licenses"][0]["name"] == "CC0-1.0"
    html = client.get(f"/consultations/{consultation.slug}/results?lang=en").get_data(True)
    assert hashlib.sha256(served.data).hexdigest() in html
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in html
