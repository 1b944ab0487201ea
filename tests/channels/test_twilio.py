"""Twilio end to end: its documented incoming-message webhook in, signed with
X-Twilio-Signature (checked with real keys and Twilio's own example), replies out through a
local stand-in for the Messages API; forged, unsigned and replayed webhooks, retries."""
import base64
import logging
import urllib.parse
from pathlib import Path

import pytest

from consult.accounts.models import Role
from consult.channels import services
from consult.channels.models import ChannelConnection, Conversation, InboundMessage, Provider
from consult.channels.providers import SendFailed, SendRefused, twilio
from consult.extensions import db
from consult.surveys.models import Response, ResponseState
from tests.channels.conftest import receipt_words, sms_survey

TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # the shape of a real auth token (32 hex digits)
SID = "AC3f7e8d2a1b4c5d6e7f8091a2b3c4d5e6"
TWILIO_NUMBER = "+15005550006"
NUMBER = "+254799123456"
PUBLIC = "https://sms.consult.example.org"
PATH = "/channels/twilio/sms"
RECORDED = (Path(__file__).parent / "data" / "twilio_incoming_sms.txt").read_text().strip()


@pytest.fixture
def twilio_channel(channel_settings, gateway, make_consultation):
    """A survey on a Twilio number; the Messages API is the recording stand-in."""
    channel_settings.config.update(CHANNEL_TWILIO_ACCOUNT_SID=SID,
                                   CHANNEL_TWILIO_AUTH_TOKEN=TOKEN,
                                   CHANNEL_TWILIO_API_URL=gateway.base_url, BASE_URL=PUBLIC)
    consultation = sms_survey(make_consultation)
    services.connect(consultation, Provider.TWILIO, TWILIO_NUMBER, "SAFE")
    db.session.commit()
    return gateway


def _fields(text: str, sid: str, number: str = NUMBER) -> list[tuple[str, str]]:
    """The recorded webhook's fields with this message's text, SID and sender."""
    replace = {"Body": text, "MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid,
               "From": number}
    return [(k, replace.get(k, v)) for k, v in urllib.parse.parse_qsl(RECORDED,
                                                                      keep_blank_values=True)]


def _post(client, fields, signature=True, url=PUBLIC + PATH, token=TOKEN, query=""):
    """POST the fields as Twilio does, signed (signature=True) for url with token, or with
    the signature given (None: no header)."""
    if signature is True:
        signature = twilio.signature(token, url + (f"?{query}" if query else ""), fields)
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    return client.post(PATH + (f"?{query}" if query else ""), headers=headers,
                       data=urllib.parse.urlencode(fields),
                       content_type="application/x-www-form-urlencoded")


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_the_signature_of_twilios_documented_example(app):
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    call = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
            "From": "+12349013030", "To": "+18005551212"}
    assert twilio.signature("12345", url, call.items()) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    # twilio-python's own vectors: another caller, and a repeated parameter.
    other = {**call, "Caller": "+14158675309", "From": "+14158675309"}
    assert twilio.signature("12345", url, other.items()) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"),
                ("Digits", "1234")]
    assert twilio.signature("12345", url, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_a_survey_answered_through_the_webhook_gets_each_reply_through_the_messages_api(
        client, twilio_channel):
    for n, text in enumerate(["SAFE", "2", "2", "30", "1", "5", "skip", "Rien"], start=1):
        answer = _post(client, _fields(text, f"SM{n:032x}"))
        assert answer.status_code == 200
        assert answer.content_type.startswith("text/xml")
        assert answer.get_data(as_text=True) == twilio.EMPTY_TWIML
    assert len(twilio_channel.requests) == 8
    sent = twilio_channel.requests[0]
    assert sent["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert sent["headers"]["authorization"] == "Basic " + base64.b64encode(
        f"{SID}:{TOKEN}".encode()).decode()
    assert sent["form"] == {"To": NUMBER, "From": TWILIO_NUMBER,
                            "Body": twilio_channel.messages()[0]}
    assert twilio_channel.messages()[1].startswith("Votre rôle ?")
    assert receipt_words("fr") in twilio_channel.messages()[-1]
    assert db.session.scalar(db.select(Response.state)) is ResponseState.SUBMITTED


def test_an_arabic_reply_goes_out_as_utf8_form_data(client, twilio_channel):
    _post(client, _fields("SAFE", "SM1"))
    _post(client, _fields("3", "SM2"))  # Arabic
    sent = twilio_channel.requests[-1]
    assert sent["form"]["Body"].startswith("دورك؟")
    assert urllib.parse.quote("دورك؟").encode() in sent["body"]
    assert "charset=utf-8" in sent["headers"]["content-type"]


def test_a_twilio_retry_of_the_same_message_sid_is_never_a_second_answer(client,
                                                                       twilio_channel):
    _post(client, _fields("SAFE", "SM1"))
    _post(client, _fields("2", "SM2"))
    for _ in range(3):
        assert _post(client, _fields("1", "SM3")).status_code == 200
    assert _count(InboundMessage) == 3 and len(twilio_channel.requests) == 3
    assert db.session.scalar(db.select(Conversation.question_key)) == "stall"


@pytest.mark.parametrize("signature", [None, "", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "not base64"])
def test_an_unsigned_or_forged_webhook_is_refused_and_changes_nothing(client, twilio_channel,
                                                                     signature):
    assert _post(client, _fields("SAFE", "SM1"), signature=signature).status_code == 403
    assert _count(InboundMessage) == 0 and _count(Conversation) == 0
    assert twilio_channel.requests == []


def test_a_webhook_signed_with_another_auth_token_is_refused(client, twilio_channel):
    assert _post(client, _fields("SAFE", "SM1"), token=TOKEN[::-1]).status_code == 403
    assert _count(InboundMessage) == 0 and twilio_channel.requests == []


def test_a_replayed_signature_with_another_body_is_refused_and_changes_nothing(
        client, twilio_channel):
    genuine = _fields("SAFE", "SM1")
    stolen = twilio.signature(TOKEN, PUBLIC + PATH, genuine)
    for forged in (_fields("STOP", "SM1"), _fields("SAFE", "SM1", number="+254700000001"),
                   _fields("SAFE", "SM2"), genuine + [("Extra", "1")]):
        assert _post(client, forged, signature=stolen).status_code == 403
    assert _count(InboundMessage) == 0 and twilio_channel.requests == []
    assert _post(client, genuine, signature=stolen).status_code == 200


def test_a_signature_for_the_internal_url_is_refused(client, twilio_channel):
    # Behind a proxy the app is reached at http://localhost; Twilio signs the public URL.
    assert _post(client, _fields("SAFE", "SM1"),
                 url="http://localhost" + PATH).status_code == 403
    assert _count(InboundMessage) == 0


def test_the_query_string_of_the_configured_url_is_signed(client, twilio_channel):
    assert _post(client, _fields("SAFE", "SM1"), query="via=console").status_code == 200
    assert _post(client, _fields("SAFE", "SM2"), query="via=console",
                 url=PUBLIC + PATH + "?via=other").status_code == 403
    assert _count(InboundMessage) == 1


def test_no_webhook_is_accepted_when_no_auth_token_is_configured(app, client, twilio_channel):
    app.config["CHANNEL_TWILIO_AUTH_TOKEN"] = None
    assert _post(client, _fields("SAFE", "SM1"), token="").status_code == 403
    assert _count(InboundMessage) == 0


def test_a_signed_webhook_missing_a_documented_field_is_400(client, twilio_channel):
    fields = [(k, v) for k, v in _fields("SAFE", "SM1") if k != "MessageSid"]
    assert _post(client, fields).status_code == 400
    assert _count(InboundMessage) == 0


def test_an_invalid_number_is_refused_not_retried_and_logs_no_number(client, twilio_channel,
                                                                     caplog):
    twilio_channel.http_status = 400  # Twilio's 21211: the To number is not valid
    caplog.set_level(logging.DEBUG)
    assert _post(client, _fields("SAFE", "SM1")).status_code == 200
    assert len(twilio_channel.requests) == 1 and _count(InboundMessage) == 1
    assert "refused" in caplog.text and NUMBER[1:] not in caplog.text


def test_the_sender_classes_twilios_answers(app, twilio_channel):
    assert twilio.send_sms(NUMBER, TWILIO_NUMBER, "Hello").startswith("SM")
    twilio_channel.http_status = 401
    with pytest.raises(SendRefused):
        twilio.send_sms(NUMBER, TWILIO_NUMBER, "Hello")
    twilio_channel.http_status = 429
    with pytest.raises(SendFailed):
        twilio.send_sms(NUMBER, TWILIO_NUMBER, "Hello")


@pytest.mark.parametrize("provider", ["twilio", "rapidpro"])
def test_a_host_connects_a_twilio_or_rapidpro_number_on_the_staff_page(
        client, auth, make_org, make_user, make_consultation, provider):
    host = make_org()
    consultation = sms_survey(make_consultation, host=host)
    auth.login(make_user(host, Role.HOST))
    url = f"/manage/consultations/{consultation.slug}/channels"
    assert f'value="{provider}"' in client.get(url).get_data(as_text=True)
    assert client.post_form(url, {"provider": provider, "number": TWILIO_NUMBER,
                                  "keywords": "safe", "languages": ""}).status_code == 303
    connection = db.session.scalars(db.select(ChannelConnection)).one()
    assert connection.provider is Provider(provider) and connection.number == TWILIO_NUMBER
