"""RapidPro and TextIt: a flow's "Call Webhook" in (the short body Consult documents, and
RapidPro's default body), replies out as broadcasts to a local stand-in for RapidPro's API;
the shared secret, retries of a message uuid, what a broadcast's template would change."""
import copy
import json
import logging
from pathlib import Path

import pytest

from consult.channels import services
from consult.channels.models import Conversation, InboundMessage, Provider
from consult.channels.providers import SendFailed, SendRefused, rapidpro
from consult.extensions import db
from consult.surveys.models import Response, ResponseState
from tests.channels.conftest import receipt_words, sms_survey

SECRET = "rapidpro-webhook-secret-5e2a"
API_TOKEN = "1c6d3e0a9b8f7a6e5d4c3b2a19f8e7d6c5b4a392"
HEADER = "X-Consult-Channel-Secret"
NUMBER = "+250788123123"
SHORTCODE = "21525"
DATA = Path(__file__).parent / "data"
SHORT = json.loads((DATA / "rapidpro_short_webhook.json").read_text())
DEFAULT = json.loads((DATA / "rapidpro_default_webhook.json").read_text())


@pytest.fixture
def rapidpro_channel(channel_settings, gateway, make_consultation):
    """A survey on a RapidPro shortcode; the broadcasts endpoint is the recording stand-in."""
    channel_settings.config.update(CHANNEL_RAPIDPRO_CALLBACK_SECRET=SECRET,
                                   CHANNEL_RAPIDPRO_API_TOKEN=API_TOKEN,
                                   CHANNEL_RAPIDPRO_API_URL=gateway.broadcasts_url)
    consultation = sms_survey(make_consultation)
    services.connect(consultation, Provider.RAPIDPRO, SHORTCODE, "SAFE")
    db.session.commit()
    return gateway


def _short(text: str, uuid: str, number: str = NUMBER) -> dict:
    """The recorded short body with this message's text, uuid and sender."""
    return {**SHORT, "text": text, "id": uuid, "urn": f"tel:{number}"}


def _default(text: str, uuid: str) -> dict:
    """The recorded default body with this message's text and uuid."""
    body = copy.deepcopy(DEFAULT)
    body["input"].update(text=text, uuid=uuid)
    return body


def _post(client, body, secret=SECRET, in_path=False):
    if in_path:
        return client.post(f"/channels/rapidpro/sms/{secret}", json=body)
    return client.post("/channels/rapidpro/sms", json=body,
                       headers={HEADER: secret} if secret is not None else {})


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_survey_answered_through_the_flow_webhook_gets_each_reply_as_a_broadcast(
        client, rapidpro_channel):
    for n, text in enumerate(["SAFE", "2", "2", "30", "1", "5", "skip", "Rien"], start=1):
        assert _post(client, _short(text, f"9bf91c2b-0000-4000-8000-{n:012d}"),
                     in_path=n % 2 == 0).status_code == 200
    assert len(rapidpro_channel.requests) == 8
    sent = rapidpro_channel.requests[0]
    assert sent["path"] == "/api/v2/broadcasts.json"
    assert sent["headers"]["authorization"] == f"Token {API_TOKEN}"
    assert sent["form"] == {"urns": [f"tel:{NUMBER}"], "text": rapidpro_channel.messages()[0]}
    assert rapidpro_channel.messages()[1].startswith("Votre rôle ?")
    assert receipt_words("fr") in rapidpro_channel.messages()[-1]
    assert db.session.scalar(db.select(Response.state)) is ResponseState.SUBMITTED


def test_rapidpros_default_webhook_body_is_understood(client, rapidpro_channel):
    assert _post(client, _default("SAFE", DEFAULT["input"]["uuid"])).status_code == 200
    assert _post(client, _default("2", "1d7e4c8a-2b3f-4e5d-8c9b-0a1f2e3d4c5b")
                 ).status_code == 200
    assert [r["form"]["urns"] for r in rapidpro_channel.requests] == [[f"tel:{NUMBER}"]] * 2
    assert rapidpro_channel.messages()[1].startswith("Votre rôle ?")


def test_an_arabic_reply_goes_out_as_utf8_json(client, rapidpro_channel):
    _post(client, _short("SAFE", "u-1"))
    _post(client, _short("3", "u-2"))  # Arabic
    sent = rapidpro_channel.requests[-1]
    assert sent["form"]["text"].startswith("دورك؟")
    assert "دورك؟".encode() in sent["body"]
    assert "charset=utf-8" in sent["headers"]["content-type"]


def test_an_at_sign_in_a_reply_is_not_read_as_a_rapidpro_expression(app, rapidpro_channel):
    rapidpro.send_sms(NUMBER, SHORTCODE, "Write to help@example.org, not @contact.name")
    assert rapidpro_channel.messages() == ["Write to help@@example.org, not @@contact.name"]


def test_a_rapidpro_retry_of_the_same_message_uuid_is_never_a_second_answer(
        client, rapidpro_channel):
    _post(client, _short("SAFE", "u-1"))
    _post(client, _short("2", "u-2"))
    for _ in range(3):
        assert _post(client, _short("1", "u-3")).status_code == 200
    assert _count(InboundMessage) == 3 and len(rapidpro_channel.requests) == 3
    assert db.session.scalar(db.select(Conversation.question_key)) == "stall"


def test_a_replayed_message_uuid_from_another_number_is_a_retry_not_an_answer(
        client, rapidpro_channel):
    _post(client, _short("SAFE", "u-1"))
    _post(client, _short("SAFE", "u-1", number="+250788000001"))
    assert _count(Conversation) == 1 and len(rapidpro_channel.requests) == 1


@pytest.mark.parametrize("secret", [None, "", SECRET[:-1], SECRET + "x", API_TOKEN])
def test_a_forged_webhook_is_refused_and_changes_nothing(client, rapidpro_channel, secret):
    assert _post(client, _short("SAFE", "u-1"), secret=secret).status_code == 403
    if secret:
        assert _post(client, _short("SAFE", "u-2"), secret=secret,
                     in_path=True).status_code == 403
    assert _count(InboundMessage) == 0 and _count(Conversation) == 0
    assert rapidpro_channel.requests == []


def test_no_webhook_is_accepted_when_no_secret_is_configured(app, client, rapidpro_channel):
    app.config["CHANNEL_RAPIDPRO_CALLBACK_SECRET"] = None
    assert _post(client, _short("SAFE", "u-1"), secret="").status_code == 403
    assert _post(client, _short("SAFE", "u-1"), secret="None", in_path=True).status_code == 403
    assert _count(InboundMessage) == 0


@pytest.mark.parametrize("body", [
    "not json", [], {"urn": f"tel:{NUMBER}", "to": SHORTCODE, "text": "SAFE"},
    {**SHORT, "id": ""}, {**SHORT, "urn": "whatsapp:250788123123"}, {**SHORT, "text": 5},
    {**DEFAULT, "input": {**DEFAULT["input"], "urn": None}},
    {**DEFAULT, "input": {**DEFAULT["input"], "channel": None}, "channel": None},
], ids=["text", "list", "no-id", "empty-id", "not-sms", "text-not-text", "no-urn",
        "no-channel"])
def test_a_webhook_body_that_is_not_a_message_is_400(client, rapidpro_channel, body):
    answer = client.post("/channels/rapidpro/sms", headers={HEADER: SECRET},
                         data=body if isinstance(body, str) else json.dumps(body),
                         content_type="application/json")
    assert answer.status_code == 400
    assert _count(InboundMessage) == 0


def test_a_refused_broadcast_is_not_retried_and_logs_no_number(client, rapidpro_channel,
                                                              caplog):
    rapidpro_channel.http_status = 400
    caplog.set_level(logging.DEBUG)
    assert _post(client, _short("SAFE", "u-1")).status_code == 200
    assert len(rapidpro_channel.requests) == 1 and _count(InboundMessage) == 1
    assert "refused" in caplog.text and NUMBER[1:] not in caplog.text


def test_the_sender_classes_rapidpros_answers(app, rapidpro_channel):
    assert rapidpro.send_sms(NUMBER, SHORTCODE, "Hello") == "1"
    rapidpro_channel.http_status = 403
    with pytest.raises(SendRefused):
        rapidpro.send_sms(NUMBER, SHORTCODE, "Hello")
    rapidpro_channel.http_status = 503
    with pytest.raises(SendFailed):
        rapidpro.send_sms(NUMBER, SHORTCODE, "Hello")
