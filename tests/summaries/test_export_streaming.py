"""The planner report's exports over HTTP: streamed to the last row in every format and label
language, one charset in the content type, and no sequential response ids."""
import csv
import datetime as dt
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask.testing import FlaskClient

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys.models import Channel, Response, ResponseState
from tests.summaries.helpers import respond, survey_consultation

TRADER = {"role": "trader", "area": "port", "support": "4", "priorities": ["light", "jobs"],
          "trust": 7, "age": 30, "order": ["lights", "jobs"], "ideas": "Plus de lumière"}
LAST = {"role": "official", "area": "market", "support": "2", "ideas": "Le dernier"}


@pytest.fixture
def planner_client(app, client, auth, make_consultation, make_user):
    """A planner of the host signed in, and a consultation open with five responses."""
    consultation = survey_consultation(make_consultation, state=State.OPEN)
    respond(consultation, TRADER, times=4)
    respond(consultation, LAST, language="fr", channel=Channel.PAPER)
    _age_responses()
    planner = make_user(consultation.host, Role.PLANNER)
    assert auth.login(planner).status_code == 302
    return client, consultation


def _age_responses(days: int = 1) -> None:
    """Move every response so far to an earlier day (open exports hold past days only)."""
    db.session.execute(db.update(Response).values(
        submitted_on=dt.date.today() - dt.timedelta(days=days)))
    db.session.commit()


def _export(client, consultation, kind: str, labels: str | None):
    """GET the export as a server would serve it: in a thread with no context of the test's,
    so the request's database session is gone before the body streams (as in production)."""
    url = f"/manage/consultations/{consultation.slug}/report/export?format={kind}"
    url += f"&labels={labels}" if labels else ""
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    server = FlaskClient(client.application)
    server.set_cookie(cookie.key, cookie.value, domain=cookie.domain)

    def fetch():
        response = server.get(url)
        return response, response.get_data(as_text=True)

    with ThreadPoolExecutor(max_workers=1) as pool:
        response, _ = pool.submit(fetch).result()
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("labels", [None, "en", "fr"])
@pytest.mark.parametrize("kind", ["csv", "json"])
def test_labelled_export_streams_every_row(planner_client, kind, labels):
    client, consultation = planner_client
    response = _export(client, consultation, kind, labels)
    body = response.get_data(as_text=True)
    if kind == "csv":
        rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
        last = rows[-1]
        role, ideas = last["role"], last["ideas"]
    else:
        rows = json.loads(body)
        last = rows[-1]
        role, ideas = last["answers"]["role"], last["answers"]["ideas"]
    assert len(rows) == 5
    assert (last["language"], last["channel"]) == ("fr", "paper")
    # The options have English labels only: French falls back to them, keys stay keys.
    assert role == ("official" if labels is None else "Official")
    assert ideas == "Le dernier"


@pytest.mark.parametrize("kind,expected", [("csv", "text/csv; charset=utf-8"),
                                           ("json", "application/json")])
def test_export_content_type_names_its_charset_once(planner_client, kind, expected):
    client, consultation = planner_client
    assert _export(client, consultation, kind, "fr").headers["Content-Type"] == expected


def test_export_while_open_cannot_be_polled_for_sequential_response_ids(planner_client):
    """Polling the export and reading the newest ids would time each response."""
    client, consultation = planner_client
    ids = {r.id for r in db.session.scalars(db.select(Response).filter_by(
        state=ResponseState.SUBMITTED))}
    first = json.loads(_export(client, consultation, "json", None).get_data(as_text=True))
    exported = [row["response"] for row in first]
    assert not {str(i) for i in ids} & {str(e) for e in exported}
    assert all(isinstance(e, str) and len(e) >= 16 for e in exported)
    assert len(set(exported)) == len(exported) == 5


def test_polling_the_export_while_open_does_not_show_responses_arrive(planner_client):
    """Today's responses wait for tomorrow's export; each keeps its opaque id from one
    export to the next (planners join files), and closing shows them all."""
    client, consultation = planner_client
    before = json.loads(_export(client, consultation, "json", None).get_data(as_text=True))
    respond(consultation, TRADER)  # arrives between two polls
    polled = json.loads(_export(client, consultation, "json", None).get_data(as_text=True))
    assert polled == before
    consultation.state = State.CLOSED
    db.session.commit()
    closed = json.loads(_export(client, consultation, "json", None).get_data(as_text=True))
    assert len(closed) == 6 and set(r["response"] for r in before) < \
        set(r["response"] for r in closed)
    rows = list(csv.DictReader(io.StringIO(_export(client, consultation, "csv", None)
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    assert {row["response"] for row in rows} == {row["response"] for row in closed}
