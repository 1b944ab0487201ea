"""The JSON API: read consultations, submit responses exactly once, clear errors."""
from types import SimpleNamespace as Spec

import pytest

from consult.consultations.lifecycle import ParticipationMode, State
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import Channel, Response
from tests.surveys.specs import options, question


@pytest.fixture
def consultation(make_consultation):
    """An open consultation in en/fr/ar with a two-page survey."""
    consultation = make_consultation(state=State.DRAFT)
    services.replace_survey(consultation, [
        Spec(key="p1", labels={"en": "About you"}, questions=[
            question("role", "single_choice", required=True, options=options("trader", "youth")),
            question("age", "number", integer=True),
        ]),
        Spec(key="p2", labels={}, questions=[
            question("stall", "short_text", required=True,
                     show_if={"q": "role", "op": "eq", "value": "trader"}),
            question("areas", "multiple_choice", options=options("port", "market")),
        ]),
    ])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def post(client, consultation, body, key="key-1", **headers):
    return client.post(f"/api/v1/consultations/{consultation.slug}/responses", json=body,
                       headers={"Idempotency-Key": key, **headers} if key else headers)


def _count():
    return db.session.scalar(db.select(db.func.count(Response.id)))


def test_list_and_detail_carry_every_translation(client, consultation, make_consultation):
    make_consultation(state=State.DRAFT)
    listed = client.get("/api/v1/consultations").get_json()["consultations"]
    assert [c["slug"] for c in listed] == [consultation.slug]
    detail = client.get(f"/api/v1/consultations/{consultation.slug}").get_json()
    assert set(detail["title"]) == {"en", "fr", "ar"}
    first = detail["survey"]["pages"][0]["questions"][0]
    assert first["key"] == "role" and first["options"][0]["key"] == "trader"
    assert detail["survey"]["pages"][1]["questions"][0]["show_if"] == {
        "q": "role", "op": "eq", "value": "trader"}


def test_a_draft_is_404_in_json(client, make_consultation):
    draft = make_consultation(state=State.DRAFT)
    response = client.get(f"/api/v1/consultations/{draft.slug}")
    assert response.status_code == 404 and response.get_json()["error"]


def test_a_response_is_counted_once_and_a_replay_gets_the_same_receipt(client, consultation):
    body = {"language": "fr", "answers": {"role": "trader", "stall": "fish", "age": 40,
                                          "areas": ["port"]}}
    first = post(client, consultation, body)
    again = post(client, consultation, body)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["receipt"] == again.get_json()["receipt"]
    assert _count() == 1
    stored = db.session.scalars(db.select(Response)).one()
    assert stored.channel is Channel.API and stored.language == "fr"
    assert "Set-Cookie" not in first.headers


def test_the_same_key_with_other_answers_is_refused(client, consultation):
    post(client, consultation, {"answers": {"role": "youth"}})
    refused = post(client, consultation, {"answers": {"role": "trader", "stall": "x"}})
    assert refused.status_code == 422 and "Idempotency-Key" in refused.get_json()["error"]
    assert _count() == 1


def test_invalid_answers_get_one_message_per_field_in_the_request_language(client,
                                                                           consultation):
    from flask_babel import force_locale, gettext

    response = post(client, consultation, {"language": "fr", "answers": {
        "role": "trader", "age": "forty", "nope": 1, "areas": {"x": 1}}})
    errors = response.get_json()["errors"]
    assert response.status_code == 422
    assert set(errors) == {"age", "nope", "areas", "stall"}
    with force_locale("fr"):
        assert errors["stall"] == gettext("Please answer this question.") != (
            "Please answer this question.")
    assert _count() == 0


@pytest.mark.parametrize("body,headers,status", [
    ({"answers": {"role": "youth"}}, {"Idempotency-Key": ""}, 400),
    ({"answers": {"role": "youth"}}, {"Idempotency-Key": "k" * 81}, 400),
    ({"answers": ["role"]}, {"Idempotency-Key": "k"}, 400),
    ([1, 2], {"Idempotency-Key": "k"}, 400),
    ({"language": "de", "answers": {}}, {"Idempotency-Key": "k"}, 422),
])
def test_malformed_requests_get_a_clear_4xx(client, consultation, body, headers, status):
    response = client.post(f"/api/v1/consultations/{consultation.slug}/responses", json=body,
                           headers=headers)
    assert response.status_code == status and response.get_json()["error"]
    assert _count() == 0


def test_non_json_bodies_and_invalid_utf8_are_refused(client, consultation):
    url = f"/api/v1/consultations/{consultation.slug}/responses"
    form = client.post(url, data={"answers": "x"}, headers={"Idempotency-Key": "k"})
    assert form.status_code == 415
    broken = client.post(url, data=b'{"answers": {"role": "\xff"}}',
                         content_type="application/json", headers={"Idempotency-Key": "k"})
    assert broken.status_code == 400
    assert _count() == 0


def test_a_closed_survey_takes_no_responses(client, consultation):
    consultation.state = State.CLOSED
    db.session.commit()
    assert post(client, consultation, {"answers": {"role": "youth"}}).status_code == 409


def test_codename_and_account_surveys_take_no_anonymous_api_responses(client, consultation):
    for mode in (ParticipationMode.CODENAME, ParticipationMode.ACCOUNT):
        consultation.participation_mode = mode
        db.session.commit()
        response = post(client, consultation, {"answers": {"role": "youth"}}, key=mode.value)
        assert response.status_code == 403 and "signed in" in response.get_json()["error"]
    assert _count() == 0


def test_too_large_a_body_is_413_in_json(app, client, consultation):
    big = {"answers": {"role": "youth"}, "padding": "x" * app.config["MAX_CONTENT_LENGTH"]}
    response = post(client, consultation, big)
    assert response.status_code == 413 and response.get_json()["error"]


def test_openapi_document_lists_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert set(document["paths"]) == {"/consultations", "/consultations/{slug}",
                                      "/consultations/{slug}/responses",
                                      "/consultations/{slug}/comments",
                                      "/comments/{comment_id}/votes",
                                      "/consultations/{slug}/summary"}
