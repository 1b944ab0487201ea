"""The staff audit log page and its CSV: hosts read their organisation's entries only, site
administrators everything; filters, pages, times, and a spreadsheet-safe CSV."""
import csv
import datetime as dt
import io
import re

import pytest
from flask_babel import force_locale, gettext

from consult.accounts.models import Role
from consult.audit import record
from consult.audit.models import AuditEntry
from consult.extensions import db


@pytest.fixture
def orgs(make_org, make_user, make_consultation):
    """Two organisations, each with a host, a consultation and an entry of its own."""
    coastal, inland = make_org("coastal"), make_org("inland")
    people = {"coastal": make_user(coastal, Role.HOST), "inland": make_user(inland, Role.HOST)}
    consultations = {"coastal": make_consultation(host=coastal),
                     "inland": make_consultation(host=inland)}
    for name, consultation in consultations.items():
        record(people[name], "consultation.edited", consultation=consultation,
               target=f"{name}-target", detail=f"{name}-detail")
    db.session.commit()
    return {"coastal": coastal, "inland": inland, "people": people,
            "consultations": consultations}


def _page(client, query=""):
    response = client.get(f"/manage/audit{query}")
    return response.status_code, response.get_data(as_text=True)


def _csv(client, query=""):
    response = client.get(f"/manage/audit.csv{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_a_host_reads_only_their_organisation_s_entries(client, auth, orgs):
    auth.login(orgs["people"]["coastal"])
    status, html = _page(client)
    assert status == 200 and "coastal-target" in html and "inland-target" not in html
    rows = _csv(client)
    assert [row[7] for row in rows[1:] if row[5] == "consultation.edited"] == ["coastal-target"]
    assert not any("inland" in cell for row in rows for cell in row)


def test_a_host_of_another_organisation_asking_for_it_gets_404(client, auth, orgs):
    auth.login(orgs["people"]["inland"])
    coastal = orgs["consultations"]["coastal"]
    for query in (f"?organisation={orgs['coastal'].id}", f"?consultation={coastal.slug}",
                  "?organisation=site", "?organisation=99999"):
        assert client.get(f"/manage/audit{query}").status_code == 404, query
        assert client.get(f"/manage/audit.csv{query}").status_code == 404, query
    assert "coastal" not in _page(client)[1]


def test_moderators_and_planners_have_no_access(client, auth, orgs, make_user):
    for role in (Role.MODERATOR, Role.PLANNER):
        auth.login(make_user(orgs["coastal"], role))
        assert client.get("/manage/audit").status_code == 403
        assert client.get("/manage/audit.csv").status_code == 403
        assert "Staff audit log" not in client.get("/manage/").get_data(as_text=True)
        auth.logout()
    auth.login(orgs["people"]["coastal"])
    assert 'href="/manage/audit"' in client.get("/manage/").get_data(as_text=True)


def test_a_site_administrator_reads_everything_and_filters_by_organisation(client, auth,
                                                                          orgs, make_user):
    admin = make_user(site_admin=True)
    record(admin, "organisation.created", target="site-wide-target")
    db.session.commit()
    auth.login(admin)
    html = _page(client)[1]
    assert all(t in html for t in ("coastal-target", "inland-target", "site-wide-target"))
    html = _page(client, f"?organisation={orgs['inland'].id}")[1]
    assert "inland-target" in html and "coastal-target" not in html
    html = _page(client, "?organisation=site")[1]
    assert "site-wide-target" in html and "inland-target" not in html


def test_filters_by_consultation_action_and_days(client, auth, orgs):
    host = orgs["people"]["coastal"]
    consultation = orgs["consultations"]["coastal"]
    record(host, "consultation.state_changed", consultation=consultation, detail="draft -> open")
    record(host, "planner_response.saved", organisation_id=orgs["coastal"].id, target="other")
    db.session.commit()
    auth.login(host)
    html = _page(client, f"?consultation={consultation.slug}&action=consultation.state_changed")[1]
    assert "draft -&gt; open" in html and "coastal-target" not in html and ">other<" not in html
    today = dt.date.today()
    assert "coastal-target" in _page(client, f"?since={today}&until={today}")[1]
    yesterday = today - dt.timedelta(days=1)
    assert "No entries match." in _page(client, f"?until={yesterday}")[1]


def test_an_impossible_day_range_is_refused_at_its_field(client, auth, orgs):
    auth.login(orgs["people"]["coastal"])
    status, html = _page(client, "?since=2027-02-01&until=2027-01-01")
    assert status == 422 and 'id="until-error"' in html and 'href="#until"' in html
    status, html = _page(client, "?since=not-a-day")
    assert status == 422 and 'id="since-error"' in html


def test_entries_come_newest_first_a_page_at_a_time(client, auth, orgs):
    host = orgs["people"]["coastal"]
    for n in range(60):
        record(host, "consultation.edited", organisation_id=orgs["coastal"].id,
               target=f"item-{n:02d}")
    db.session.commit()
    auth.login(host)
    html = _page(client, "?action=consultation.edited")[1]
    shown = re.findall(r"item-(\d\d)", html)
    assert shown[0] == "59" and len(shown) == 50
    older = re.search(r'href="(/manage/audit\?[^"]*before=\d+[^"]*)"', html).group(1)
    rest = re.findall(r"item-(\d\d)", client.get(older.replace("&amp;", "&")).get_data(
        as_text=True))
    assert rest == [f"{n:02d}" for n in range(9, -1, -1)]


def test_times_are_shown_in_the_site_s_time_zone_which_the_page_names(app, client, auth, orgs):
    app.config["CONSULT_TIME_ZONE"] = "Africa/Nairobi"
    entry = db.session.scalars(db.select(AuditEntry).filter_by(target="coastal-target")).one()
    local = (entry.created_at + dt.timedelta(hours=3)).strftime("%-I:%M:%S")
    auth.login(orgs["people"]["coastal"])
    html = _page(client)[1]
    assert "Times are in Africa/Nairobi." in html and local in html
    assert f'datetime="{entry.created_at.isoformat()}Z"' in html


def test_the_csv_has_a_translated_header_the_rows_and_no_formula(client, auth, orgs):
    host = orgs["people"]["coastal"]
    record(host, "consultation.edited", organisation_id=orgs["coastal"].id,
           target='=HYPERLINK("http://evil.example","x")', detail="-1+2")
    db.session.commit()
    auth.login(host)
    rows = _csv(client, "?action=consultation.edited")
    assert rows[0] == ["Entry", "Time (UTC)", "Organisation", "Consultation", "Staff member",
                       "Action code", "Action", "Target", "Details"]
    newest, older = rows[1], rows[2]
    assert newest[7] == '\'=HYPERLINK("http://evil.example","x")' and newest[8] == "'-1+2"
    assert older[2:8] == [orgs["coastal"].name, orgs["consultations"]["coastal"].slug,
                          f"{host.name} <{host.email}>", "consultation.edited",
                          "Consultation edited", "coastal-target"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", older[1])
    french = _csv(client, "?action=consultation.edited&lang=fr")
    with force_locale("fr"):
        assert french[0] == [gettext(name) for name in rows[0]]
        assert french[1][6] == gettext("Consultation edited") != "Consultation edited"
        assert french[0][1] == gettext("Time (UTC)") != "Time (UTC)"


def test_downloading_the_log_is_itself_recorded(client, auth, orgs):
    host = orgs["people"]["coastal"]
    auth.login(host)
    _csv(client, "?action=consultation.edited")
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="audit.exported")).one()
    assert entry.organisation_id == orgs["coastal"].id and entry.actor_id == host.id
    assert entry.detail == "action: consultation.edited"
