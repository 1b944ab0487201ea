"""Kannel: smsbox's get-url in (from, to, text, id), replies out through sendsms (a local
stand-in records them); the shared secret in the path; retries of a message id. The end to
end test with the Debian package's bearerbox and smsbox is for a later session."""
import pytest

from consult.channels import services
from consult.channels.models import Conversation, InboundMessage, Provider
from consult.extensions import db
from consult.surveys.models import Response, ResponseState
from tests.channels.conftest import sms_survey

SECRET = "kannel-secret-77"
NUMBER = "+22507000111"
SHORTCODE = "1234"


@pytest.fixture
def kannel(channel_settings, gateway, make_consultation):
    """A survey on a Kannel shortcode; sendsms is the recording stand-in."""
    channel_settings.config.update(CHANNEL_KANNEL_CALLBACK_SECRET=SECRET,
                                   CHANNEL_KANNEL_SENDSMS_URL=gateway.sendsms_url,
                                   CHANNEL_KANNEL_USERNAME="consult",
                                   CHANNEL_KANNEL_PASSWORD="sendsms-pass")
    consultation = sms_survey(make_consultation)
    services.connect(consultation, Provider.KANNEL, SHORTCODE, "SAFE")
    db.session.commit()
    return gateway


def _get(client, text, message_id, secret=SECRET, number=NUMBER):
    """smsbox's get-url, its %p, %P, %a and %I substituted."""
    return client.get(f"/channels/kannel/sms/{secret}", query_string={
        "from": number, "to": SHORTCODE, "text": text, "id": message_id})


def test_a_survey_answered_through_kannel_in_arabic(client, kannel):
    for n, text in enumerate(["SAFE", "3", "2", "35", "1 2", "8", "٣١/٠٣/٢٠٢٦", "شكرا"]):
        assert _get(client, text, f"2f9c-{n}").status_code == 200
    assert len(kannel.requests) == 8
    sent = kannel.requests[1]["form"]
    assert sent["username"] == "consult" and sent["password"] == "sendsms-pass"
    assert sent["to"] == NUMBER and sent["from"] == SHORTCODE and sent["charset"] == "UTF-8"
    assert sent["coding"] == "2" and sent["text"].startswith("دورك؟")  # Arabic: UCS-2
    # The language menu names Arabic in Arabic: it too goes as UCS-2.
    assert kannel.requests[0]["form"]["coding"] == "2"
    response = db.session.scalars(db.select(Response)).one()
    assert response.state is ResponseState.SUBMITTED and response.language == "ar"


def test_a_gsm7_reply_goes_with_the_default_coding(client, kannel, channel_settings):
    from consult.channels.providers import kannel as adapter

    adapter.send_sms(NUMBER, SHORTCODE, "Your role?\n1. Trader")
    assert "coding" not in kannel.requests[-1]["form"]


def test_a_kannel_retry_changes_nothing_and_sends_nothing(client, kannel):
    for _ in range(3):
        _get(client, "SAFE", "same-id")
    assert db.session.scalar(db.select(db.func.count(InboundMessage.id))) == 1
    assert len(kannel.requests) == 1


@pytest.mark.parametrize("secret", ["guess", SECRET[:-1], SECRET + "7"])
def test_a_forged_get_url_is_refused_and_changes_nothing(client, kannel, secret):
    assert _get(client, "SAFE", "id-1", secret=secret).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Conversation.id))) == 0
    assert kannel.requests == []


def test_a_get_url_without_an_id_is_400(client, kannel):
    assert client.get(f"/channels/kannel/sms/{SECRET}",
                      query_string={"from": NUMBER, "to": SHORTCODE, "text": "SAFE"}
                      ).status_code == 400
