"""Consultations close on time: after closes_on (in their time zone) nothing new is taken,
with no scheduler, and every page, list and the API show them closed."""
import datetime as dt
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.comments import services as comments
from consult.consultations.lifecycle import State, effective_state, today_in
from consult.consultations.services import ClosingDayOver, change_state, get_consultation
from consult.extensions import db
from consult.surveys import services as surveys
from consult.surveys.autosave import FIELD as AUTOSAVE
from consult.surveys.models import Response
from tests.surveys.specs import options, question

FAR_EAST, FAR_WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14, UTC-11
KEY = {"Participant-Key": "a-random-key-made-by-the-app-0001"}


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_closing_day_ends_at_midnight_in_the_consultations_own_time_zone():
    last_day = dt.date(2026, 3, 10)
    # 09:59 UTC is 23:59 on the 10th at Kiritimati; 10:00 UTC is already the 11th there.
    assert effective_state(State.OPEN, last_day, FAR_EAST, _at("2026-03-10T09:59")) \
        is State.OPEN
    assert effective_state(State.OPEN, last_day, FAR_EAST, _at("2026-03-10T10:00")) \
        is State.CLOSED
    # The same instant in UTC and far west is still the 10th: open until their own midnight.
    assert effective_state(State.OPEN, last_day, "UTC", _at("2026-03-10T10:00")) is State.OPEN
    assert effective_state(State.OPEN, last_day, "UTC", _at("2026-03-10T23:59")) is State.OPEN
    assert effective_state(State.OPEN, last_day, "UTC", _at("2026-03-11T00:00")) \
        is State.CLOSED
    assert effective_state(State.OPEN, last_day, FAR_WEST, _at("2026-03-11T10:59")) \
        is State.OPEN
    assert effective_state(State.OPEN, last_day, FAR_WEST, _at("2026-03-11T11:00")) \
        is State.CLOSED


def test_only_an_open_consultation_is_closed_by_its_date():
    past = dt.date(2020, 1, 1)
    assert effective_state(State.DRAFT, past, "UTC") is State.DRAFT
    assert effective_state(State.RESULTS_PUBLISHED, past, "UTC") is State.RESULTS_PUBLISHED
    assert effective_state(State.OPEN, None, "UTC") is State.OPEN
    # A zone this system does not know counts in UTC rather than breaking the page.
    assert today_in("Mars/Olympus_Mons") == today_in("UTC")


@pytest.fixture
def past_closing(make_consultation):
    """An open consultation (stored state open) whose last day was yesterday, in a far-east
    time zone, with a one-page survey and a published comment."""
    yesterday = today_in(FAR_EAST) - dt.timedelta(days=1)
    consultation = make_consultation(state=State.DRAFT, closes_on=yesterday,
                                     time_zone=FAR_EAST)
    surveys.replace_survey(consultation, [Spec(key="p1", labels={"en": "About you"}, questions=[
        question("role", "single_choice", required=True, options=options("trader", "youth"))])])
    consultation.state = State.OPEN
    comment = comments.post_comment(consultation, "author-key", "Lights on the pier", "en")
    db.session.commit()
    return Spec(consultation=consultation, slug=consultation.slug, comment=comment.id)


def test_every_contribution_is_refused_after_the_closing_day(client, past_closing):
    slug, comment = past_closing.slug, past_closing.comment
    assert get_consultation(slug).state is State.OPEN  # nothing closed it: no scheduler
    closed_page = client.get(f"/consultations/{slug}/survey").get_data(as_text=True)
    assert "This survey is closed" in closed_page
    submit = client.post_form(f"/consultations/{slug}/survey", {"role": "trader"})
    assert "This survey is closed" in submit.get_data(as_text=True)
    autosave = client.post_form(f"/consultations/{slug}/survey?page=1",
                                {"role": "trader", AUTOSAVE: "1"})
    assert autosave.status_code == 403 and autosave.get_json()["reason"] == "closed"
    assert client.post_form(f"/consultations/{slug}/comments",
                            {"body": "Late comment"}).status_code == 409
    assert client.post_form(f"/consultations/{slug}/comments/{comment}",
                            {"body": "Late reply"}).status_code == 409
    assert client.post_form(f"/consultations/{slug}/comments/{comment}/vote",
                            {"vote": "agree"}).status_code == 409
    api = client.post(f"/api/v1/consultations/{slug}/responses",
                      json={"answers": {"role": "trader"}}, headers={"Idempotency-Key": "k1"})
    assert api.status_code == 409 and api.get_json()["error"]
    assert client.post(f"/api/v1/consultations/{slug}/comments", json={"body": "Late"},
                       headers=KEY).status_code == 409
    assert client.post(f"/api/v1/comments/{comment}/votes", json={"vote": "agree"},
                       headers=KEY).status_code == 409
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
    assert comments.published_count(past_closing.consultation.id) == 1


def test_a_consultation_is_open_through_its_whole_closing_day(client, make_consultation):
    today = today_in(FAR_EAST)
    consultation = make_consultation(closes_on=today, time_zone=FAR_EAST)
    response = client.post(f"/api/v1/consultations/{consultation.slug}/comments",
                           json={"body": "Still in time"}, headers=KEY)
    assert response.status_code == 201
    listed = client.get("/api/v1/consultations").get_json()["consultations"]
    assert listed[0]["state"] == "open"


def test_the_closing_day_is_counted_in_the_consultations_time_zone(make_consultation):
    # Yesterday at Kiritimati is today or yesterday in Pago Pago (25 hours behind): one
    # closing day, over at Kiritimati, not yet over in Pago Pago.
    last_day = today_in(FAR_EAST) - dt.timedelta(days=1)
    east = make_consultation(closes_on=last_day, time_zone=FAR_EAST)
    west = make_consultation(closes_on=last_day, time_zone=FAR_WEST)
    assert east.effective_state is State.CLOSED and not east.allows("comment")
    assert west.effective_state is State.OPEN and west.allows("comment")


def test_every_page_list_and_the_api_show_a_past_closing_day_as_closed(
        client, past_closing, make_user, auth):
    slug = past_closing.slug
    assert "Closed" in client.get(f"/consultations/{slug}").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "No consultation is open at the moment." in home
    assert home.index("Closed consultations") < home.index(f'href="/consultations/{slug}"')
    listed = client.get("/api/v1/consultations").get_json()["consultations"]
    assert [c["state"] for c in listed if c["slug"] == slug] == ["closed"]
    assert client.get(f"/api/v1/consultations/{slug}").get_json()["state"] == "closed"
    auth.login(make_user(past_closing.consultation.host, Role.HOST))
    dashboard = client.get(f"/manage/consultations/{slug}").get_data(as_text=True)
    assert 'class="badge state-closed"' in dashboard and FAR_EAST in dashboard
    assert 'class="badge state-closed"' in client.get("/manage/").get_data(as_text=True)


def test_the_home_page_lists_a_past_closing_day_among_finished_consultations(
        app, past_closing, make_consultation):
    from consult.consultations.services import listed_consultations

    still_open = make_consultation(closes_on=today_in("UTC") + dt.timedelta(days=2))
    assert listed_consultations((State.OPEN,)) == [still_open]
    assert listed_consultations((State.CLOSED, State.RESULTS_PUBLISHED)) == [
        past_closing.consultation]


def test_reopening_after_the_closing_day_needs_a_later_closing_day(
        client, past_closing, make_user, auth):
    consultation = past_closing.consultation
    with pytest.raises(ClosingDayOver):
        change_state(consultation, "reopen")
    auth.login(make_user(consultation.host, Role.HOST))
    response = client.post_form(f"/manage/consultations/{past_closing.slug}/state",
                                {"action": "reopen"}, follow_redirects=True)
    assert "The closing day is over" in response.get_data(as_text=True)
    db.session.expire_all()
    consultation = get_consultation(past_closing.slug)
    assert change_state(consultation, "publish_results") is State.RESULTS_PUBLISHED


def test_the_time_zone_is_chosen_in_the_settings_and_checked(
        client, make_consultation, make_user, auth):
    consultation = make_consultation(state=State.DRAFT)
    auth.login(make_user(consultation.host, Role.HOST))
    url = f"/manage/consultations/{consultation.slug}/edit"
    assert 'value="UTC"' in client.get(url).get_data(as_text=True)
    form = {"default_language": "en", "languages": ["en"], "moderation_mode": "post",
            "participation_mode": "anonymous", "visibility": "public", "min_cell_size": "10",
            "title__en": "Title", "closes_on": "2027-02-10"}
    refused = client.post_form(url, {**form, "time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 422
    assert 'id="time_zone-error"' in refused.get_data(as_text=True)
    assert client.post_form(url, {**form, "time_zone": FAR_EAST}).status_code == 302
    db.session.expire_all()
    assert get_consultation(consultation.slug).time_zone == FAR_EAST


def test_a_new_consultation_counts_its_days_in_the_configured_time_zone(app, make_org):
    from consult.consultations.services import create_consultation

    app.config["CONSULT_TIME_ZONE"] = "Africa/Nairobi"
    consultation = create_consultation(make_org(), "nairobi", "en", ["en"])
    assert consultation.time_zone == "Africa/Nairobi"
