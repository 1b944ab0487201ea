"""The planner report, the public results, the API document and `flask consult summary`."""
import json
import re
from pathlib import Path

import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys.models import Channel
from tests.summaries.helpers import respond, survey_consultation

TRADER = {"role": "trader", "area": "port", "support": "4", "priorities": ["jobs", "light"],
          "trust": 7, "age": 30, "order": ["jobs", "safety", "lights"],
          "ideas": "Lights near the bus station"}
RESIDENT = {"role": "resident", "area": "market", "support": "2", "priorities": ["buses"],
            "trust": 3, "age": 50, "order": ["safety", "jobs", "lights"]}
OFFICIAL = {"role": "official", "area": "port", "support": "5", "trust": 9}


@pytest.fixture
def published(make_consultation):
    """Results published: 30 traders, 20 residents (in French) and 3 officials (on paper)."""
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=30)
    respond(consultation, RESIDENT, times=20, language="fr")
    respond(consultation, OFFICIAL, times=3, channel=Channel.PAPER)
    return consultation


@pytest.fixture
def planner(client, make_user, published):
    user = make_user(published.host, Role.PLANNER)
    client.post_form("/manage/login", {"email": user.email, "password": "correct horse battery"})
    return user


def _counts_in_tables(html: str) -> list[int]:
    """Every count shown in a table cell (shares come after it, in their own span)."""
    return [int(n.replace(",", "")) for n in re.findall(r"<td>(\d[\d,]*)", html)]


def test_public_results_show_the_figures_and_hide_small_counts(client, published):
    html = client.get(f"/consultations/{published.slug}/results?lang=en").get_data(True)
    assert "53 responses counted" in html
    assert 'role="img"' in html and "<title" in html  # charts with a text alternative
    counts = _counts_in_tables(html)
    assert 30 in counts and 20 in counts
    assert not [n for n in counts if 0 < n < 10], "a count from 1 to 9 is shown"
    assert "fewer than 10" in html and "hidden" in html
    assert "Lights near the bus station" not in html  # free text never on public pages
    assert "Download the responses" not in html


def test_public_breakdowns_are_on_each_questions_own_page(client, published):
    base = f"/consultations/{published.slug}/results"
    html = client.get(f"{base}?lang=en").get_data(True)
    assert 'class="breakdown"' not in html  # the whole results stay light on a phone
    link = f"{base}/questions/support"
    assert f'href="{link}"' in html
    page = client.get(f"{link}?lang=en").get_data(True)
    assert page.count('class="breakdown"') >= 2 and 'id="q-support-title"' in page
    assert 'id="q-trust-title"' not in page and "Who answered" not in page
    counts = _counts_in_tables(page)
    assert 30 in counts and 20 in counts
    assert not [n for n in counts if 0 < n < 10], "a count from 1 to 9 is shown"
    assert "fewer than 10" in page and "How these figures were made" in page
    assert client.get(f"{base}/questions/no-such-question").status_code == 404


def test_the_planner_report_keeps_every_breakdown_on_one_page(client, planner, published):
    html = client.get(f"/manage/consultations/{published.slug}/report").get_data(True)
    assert html.count('class="breakdown"') >= 10 and "/results/questions/" not in html


def test_results_are_not_found_until_they_are_published(client, published):
    for state in (State.DRAFT, State.OPEN, State.CLOSED):
        published.state = state
        db.session.commit()
        assert client.get(f"/consultations/{published.slug}/results").status_code == 404
        assert client.get(f"/consultations/{published.slug}/results/questions/support"
                          ).status_code == 404
        assert client.get(f"/api/v1/consultations/{published.slug}/summary").status_code == 404


def test_planner_report_has_the_same_protected_figures_quotes_and_exports(client, planner,
                                                                           published):
    html = client.get(f"/manage/consultations/{published.slug}/report?lang=en").get_data(True)
    counts = _counts_in_tables(html)
    assert 30 in counts and not [n for n in counts if 0 < n < 10]
    assert "Lights near the bus station" in html  # a quote, for planners only
    assert f"/manage/consultations/{published.slug}/report/export?format=csv" in html
    assert "How these figures were made" in html and re.search(r"[0-9a-f]{64}", html)
    css = Path(__file__).parents[2] / "consult" / "static" / "consult.css"
    assert "@media print" in css.read_text()


def test_the_dashboard_and_the_consultation_page_link_to_the_results(client, planner,
                                                                      published):
    dashboard = client.get(f"/manage/consultations/{published.slug}").get_data(True)
    assert f"/manage/consultations/{published.slug}/report" in dashboard
    assert f"/consultations/{published.slug}/results" in dashboard
    page = client.get(f"/consultations/{published.slug}").get_data(True)
    assert f"/consultations/{published.slug}/results" in page
    published.state = State.CLOSED
    published.revision += 1
    db.session.commit()
    assert "/results" not in client.get(f"/consultations/{published.slug}").get_data(True)


def test_hosts_who_are_not_planners_get_no_report(client, make_user, published):
    host = make_user(published.host, Role.HOST)
    client.post_form("/manage/login", {"email": host.email, "password": "correct horse battery"})
    assert client.get(f"/manage/consultations/{published.slug}/report").status_code == 403
    dashboard = client.get(f"/manage/consultations/{published.slug}").get_data(True)
    assert "/report" not in dashboard


def _counts(document) -> list:
    """Every "count" in a JSON document."""
    if isinstance(document, dict):
        return [v for k, v in document.items() if k == "count"] + \
            [c for v in document.values() for c in _counts(v)]
    if isinstance(document, list):
        return [c for v in document for c in _counts(v)]
    return []


def test_the_api_document_is_protected_and_has_no_quotes(client, published):
    document = client.get(f"/api/v1/consultations/{published.slug}/summary").get_json()
    assert document["respondents"] == {"count": 53} and document["k"] == 10
    assert document["audience"] == "public"
    counts = [c for c in _counts(document) if c is not None]
    assert 30 in counts and not [c for c in counts if 0 < c < 10]
    questions = {q["key"]: q for q in document["questions"]}
    assert "quotes" not in questions["ideas"]
    role = {c["key"]: c for c in questions["role"]["categories"]}
    assert role["trader"]["count"] == 30 and role["official"] == {
        "key": "official", "labels": {"en": "Official"}, "count": None, "hidden": "small"}
    low, high = role["trader"]["interval"]
    assert low < 30 / 53 < high
    assert {b["by"]["key"] for b in questions["support"]["breakdowns"]} == {
        "language", "channel", "role", "area"}
    assert document["methods"]["suppressed"]["small"] > 0
    assert "/consultations/{slug}/summary" in client.get("/api/v1/openapi.json").get_json()[
        "paths"]


def test_statistics_are_computed_from_the_counts(client, make_consultation):
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=12)
    respond(consultation, RESIDENT, times=10, language="fr")
    document = client.get(f"/api/v1/consultations/{consultation.slug}/summary").get_json()
    questions = {q["key"]: q for q in document["questions"]}
    assert questions["support"]["likert"]["mean"] == pytest.approx((12 * 4 + 10 * 2) / 22)
    assert questions["support"]["likert"]["agreeing"]["count"] == 12
    assert questions["age"]["numbers"] == {"mean": pytest.approx((12 * 30 + 10 * 50) / 22),
                                           "q1": 30, "median": 30, "q3": 50}
    ranking = {r["key"]: r for r in questions["order"]["ranking"]}
    assert ranking["jobs"]["borda"] == 12 * 2 + 10 * 1 and ranking["lights"]["borda"] == 0
    assert ranking["jobs"]["mean_rank"] == pytest.approx((12 + 20) / 22)
    by_area = next(b for b in questions["priorities"]["breakdowns"]
                   if b["by"]["key"] == "area")
    port = next(r for r in by_area["rows"] if r["key"] == "port")
    assert [c["count"] for c in port["cells"]] == [12, 12, 0, 0]  # jobs, light, buses, none


def test_cli_summary_is_the_planner_document(app, published):
    result = app.test_cli_runner().invoke(args=["consult", "summary", published.slug])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["audience"] == "planner" and document["respondents"]["count"] == 53
    ideas = next(q for q in document["questions"] if q["key"] == "ideas")
    assert ideas["quotes"][0] == ["en", "Lights near the bus station"]
    missing = app.test_cli_runner().invoke(args=["consult", "summary", "nope"])
    assert missing.exit_code != 0 and "nope" in missing.output


def test_a_new_response_changes_the_cached_summary(client, published):
    url = f"/api/v1/consultations/{published.slug}/summary"
    first = client.get(url).get_json()
    assert client.get(url).get_json() == first  # the cached copy
    respond(published, TRADER)
    assert client.get(url).get_json()["respondents"]["count"] == 54


def test_a_survey_nobody_answered_and_a_consultation_without_survey(client, make_consultation):
    empty = survey_consultation(make_consultation)
    html = client.get(f"/consultations/{empty.slug}/results?lang=en").get_data(True)
    assert "0 responses counted" in html
    document = client.get(f"/api/v1/consultations/{empty.slug}/summary").get_json()
    assert document["respondents"] == {"count": 0}
    bare = make_consultation(state=State.RESULTS_PUBLISHED)
    assert "has no survey" in client.get(f"/consultations/{bare.slug}/results").get_data(True)
    assert client.get(f"/api/v1/consultations/{bare.slug}/summary").get_json()["survey"] is None


def test_fewer_respondents_than_k_publish_nothing(client, make_consultation):
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=4)
    document = client.get(f"/api/v1/consultations/{consultation.slug}/summary").get_json()
    assert document["respondents"] == {"count": None, "hidden": "small"}
    assert not [c for c in _counts(document) if c]  # only zeros and hidden counts
    html = client.get(f"/consultations/{consultation.slug}/results?lang=en").get_data(True)
    assert "Fewer than 10 responses" in html
