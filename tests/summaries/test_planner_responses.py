""""You said, we did": planners write translated responses, publish them, participants read them."""
import re

import pytest

from consult.accounts.models import Role
from consult.extensions import db
from consult.summaries.planner_responses import PlannerResponse
from tests.surveys.journeys import answer_page, three_page_consultation


@pytest.fixture
def consultation(make_consultation):
    return three_page_consultation(make_consultation)


@pytest.fixture
def planner(consultation, make_user, auth):
    user = make_user(consultation.host, Role.PLANNER)
    auth.login(user)
    return user


def _write(client, consultation, **extra):
    data = {"topic": "question:role", "decision": "adapted",
            "title__en": "More lights on the harbour road",
            "body__en": "You asked for light; the council adds twelve lamps by March.",
            "title__fr": "Plus de lumière sur la route du port", **extra}
    return client.post_form(f"/manage/consultations/{consultation.slug}/responses/new", data)


def test_a_planner_writes_and_publishes_a_response_people_then_read(app, client, consultation,
                                                                     planner):
    assert _write(client, consultation).status_code == 302
    response = db.session.scalars(db.select(PlannerResponse)).one()
    assert response.published_on is None and response.text("title", "fr").text.startswith(
        "Plus de")
    reader = app.test_client()
    assert "More lights" not in reader.get(f"/consultations/{consultation.slug}").get_data(
        as_text=True)  # a draft stays with staff
    client.post_form(f"/manage/consultations/{consultation.slug}/responses/{response.id}/publish")
    page = reader.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "You said, we did" in page and "More lights on the harbour road" in page
    assert "Adopted with changes" in page
    french = reader.get(f"/consultations/{consultation.slug}?lang=fr").get_data(as_text=True)
    assert "Plus de lumière sur la route du port" in french
    assert re.search(r'<div lang="en" dir="ltr" class="fallback">.*twelve lamps', french, re.S)


def test_participants_see_it_with_their_receipt(app, client, consultation, planner):
    _write(client, consultation)
    response = db.session.scalars(db.select(PlannerResponse)).one()
    client.post_form(f"/manage/consultations/{consultation.slug}/responses/{response.id}/publish")
    participant = app.test_client()
    for data in ({"role": "youth"}, {}, {"trust": "5"}):
        answer_page(participant, consultation, data)
    page = participant.get("/receipt").get_data(as_text=True)
    assert "What the planners did" in page and "More lights on the harbour road" in page


def test_withdrawing_and_deleting(client, consultation, planner):
    _write(client, consultation)
    response = db.session.scalars(db.select(PlannerResponse)).one()
    base = f"/manage/consultations/{consultation.slug}/responses/{response.id}"
    client.post_form(f"{base}/publish")
    client.post_form(f"{base}/withdraw")
    db.session.refresh(response)
    assert response.published_on is None
    client.post_form(f"{base}/delete")
    assert db.session.scalar(db.select(db.func.count(PlannerResponse.id))) == 0


def test_the_title_in_the_default_language_is_required(client, consultation, planner):
    response = _write(client, consultation, **{"title__en": ""})
    assert response.status_code == 422 and 'id="title__en-error"' in response.get_data(
        as_text=True)
    assert db.session.scalar(db.select(db.func.count(PlannerResponse.id))) == 0


def test_an_unknown_topic_or_decision_is_refused(client, consultation, planner):
    assert _write(client, consultation, topic="question:nope").status_code == 422
    assert _write(client, consultation, decision="maybe").status_code == 422


def test_moderators_and_other_organisations_may_not_write(client, auth, consultation,
                                                          make_user, make_org):
    auth.login(make_user(consultation.host, Role.MODERATOR))
    assert client.get(f"/manage/consultations/{consultation.slug}/responses").status_code == 403
    auth.logout()
    auth.login(make_user(make_org("elsewhere"), Role.PLANNER))
    assert client.get(f"/manage/consultations/{consultation.slug}/responses").status_code == 404


def test_untranslated_responses_count_in_the_dashboard_progress(client, consultation, planner,
                                                                auth, make_user):
    before = client.get(f"/manage/consultations/{consultation.slug}").get_data(as_text=True)
    _write(client, consultation)  # title in en and fr, body in en only
    after = client.get(f"/manage/consultations/{consultation.slug}").get_data(as_text=True)
    progress = r"<th scope=\"row\">%s</th><td>(\d+) of (\d+)</td>"
    (done_before, total_before), = re.findall(progress % "French", before)
    (done_after, total_after), = re.findall(progress % "French", after)
    assert int(total_after) == int(total_before) + 2 and int(done_after) == int(done_before) + 1
