"""Africa's Talking end to end: its documented inbound callback fields in, replies out through
the task queue to a local stand-in for its messaging API; forged callbacks and retries."""
import logging

import pytest
from sqlalchemy import inspect, text

from consult.channels import numbers
from consult.channels.models import Conversation, InboundMessage
from consult.extensions import db
from consult.surveys.models import Response, ResponseState
from tests.channels.conftest import SECRET, SHORTCODE, receipt_words

NUMBER = "+254799123456"
HEADER = "X-Consult-Channel-Secret"


def _callback(text, message_id, number=NUMBER):
    """The form fields Africa's Talking posts for an inbound SMS (its documentation)."""
    return {"from": number, "to": SHORTCODE, "text": text, "date": "2026-12-07 20:30:12",
            "id": message_id, "linkId": f"link-{message_id}", "networkCode": "63902"}


def _post(client, fields, secret=SECRET, in_path=False):
    if in_path:
        return client.post(f"/channels/africastalking/sms/{secret}", data=fields)
    return client.post("/channels/africastalking/sms", data=fields,
                       headers={HEADER: secret} if secret is not None else {})


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_survey_answered_through_the_callback_gets_each_reply_through_the_api(
        client, connected, gateway):
    for n, message in enumerate(["SAFE", "2", "2", "30", "1", "5", "skip", "Rien"], start=1):
        assert _post(client, _callback(message, f"ATXid_in_{n}"),
                     in_path=n % 2 == 0).status_code == 200
    assert len(gateway.requests) == 8
    sent = gateway.requests[0]
    assert sent["path"] == "/version1/messaging"
    assert sent["headers"]["apikey"] == "test-api-key"
    assert sent["headers"]["accept"] == "application/json"
    assert sent["form"] == {"username": "sandbox", "to": NUMBER, "from": SHORTCODE,
                            "message": gateway.messages()[0]}
    assert gateway.messages()[1].startswith("Votre rôle ?")
    assert receipt_words("fr") in gateway.messages()[-1]
    assert db.session.scalar(db.select(Response.state)) is ResponseState.SUBMITTED


def test_a_gateway_retry_of_a_message_changes_nothing_and_sends_nothing(client, connected,
                                                                       gateway):
    _post(client, _callback("SAFE", "ATXid_1"))
    _post(client, _callback("2", "ATXid_2"))
    _post(client, _callback("1", "ATXid_3"))
    for _ in range(3):
        assert _post(client, _callback("1", "ATXid_3")).status_code == 200
    assert _count(InboundMessage) == 3 and len(gateway.requests) == 3
    assert db.session.scalar(db.select(Conversation.question_key)) == "stall"


def test_a_replayed_message_id_from_another_number_is_a_retry_not_an_answer(client, connected,
                                                                           gateway):
    _post(client, _callback("SAFE", "ATXid_1"))
    _post(client, _callback("SAFE", "ATXid_1", number="+254700000001"))
    assert _count(Conversation) == 1 and len(gateway.requests) == 1


@pytest.mark.parametrize("secret", [None, "", "callback-secret-4c1e", SECRET + "x"])
def test_a_forged_callback_is_refused_and_changes_nothing(client, connected, gateway, secret):
    assert _post(client, _callback("SAFE", "ATXid_1"), secret=secret).status_code == 403
    if secret:
        assert _post(client, _callback("SAFE", "ATXid_2"), secret=secret,
                     in_path=True).status_code == 403
    assert _count(InboundMessage) == 0 and _count(Conversation) == 0
    assert gateway.requests == []


def test_no_callback_is_accepted_when_no_secret_is_configured(app, client, connected, gateway):
    app.config["CHANNEL_AFRICASTALKING_CALLBACK_SECRET"] = None
    assert _post(client, _callback("SAFE", "ATXid_1"), secret="").status_code == 403
    assert _post(client, _callback("SAFE", "ATXid_1"), secret="None",
                 in_path=True).status_code == 403
    assert _count(InboundMessage) == 0


def test_a_callback_missing_a_documented_field_is_400(client, connected, gateway):
    fields = _callback("SAFE", "ATXid_1")
    del fields["id"]
    assert _post(client, fields).status_code == 400
    assert _count(InboundMessage) == 0


def test_a_message_to_an_unknown_shortcode_is_accepted_and_answered_by_nothing(
        client, connected, gateway):
    fields = {**_callback("SAFE", "ATXid_1"), "to": "99999"}
    assert _post(client, fields).status_code == 200
    assert gateway.requests == [] and _count(Conversation) == 0


def test_a_refused_send_is_not_retried_and_logs_no_number(client, connected, gateway, caplog):
    gateway.status_code = 403  # InvalidPhoneNumber
    caplog.set_level(logging.DEBUG)
    _post(client, _callback("SAFE", "ATXid_1"))
    assert len(gateway.requests) == 1
    assert "refused" in caplog.text and NUMBER not in caplog.text
    assert NUMBER[1:] not in caplog.text


def test_the_phone_number_is_never_stored_nor_logged(app, client, connected, gateway, caplog,
                                                     capsys):
    caplog.set_level(logging.DEBUG)
    for n, message in enumerate(["SAFE", "1", "1", "Stall 12", "STOP"], start=1):
        _post(client, _callback(message, f"ATXid_{n}"))
    digits = NUMBER[1:]
    logged = caplog.text + "".join(capsys.readouterr())
    assert digits not in logged and digits[-9:] not in logged
    for table in inspect(db.engine).get_table_names():
        rows = db.session.execute(text(f'SELECT * FROM "{table}"')).all()
        dumped = repr(rows)
        assert digits[-9:] not in dumped, f"the number is in {table}"
    key = db.session.scalar(db.select(Conversation.number_key))
    assert key == numbers.number_key(NUMBER) and digits not in key
    respondent = db.session.scalar(db.select(Response.respondent_key))
    assert respondent != key and key not in respondent


def test_the_queue_carries_the_number_sealed(channel_settings):
    sealed = numbers.seal("+254 799-123456")
    assert "799123456" not in sealed
    assert numbers.unseal(sealed) == NUMBER
    channel_settings.config["CHANNEL_NUMBER_KEY"] = "another key"
    assert numbers.unseal(sealed) is None


def test_a_send_the_provider_fails_does_not_lose_the_answer(client, connected, gateway):
    gateway.http_status = 500
    assert _post(client, _callback("SAFE", "ATXid_1")).status_code == 200
    assert _count(InboundMessage) == 1 and _count(Conversation) == 1
    assert len(gateway.requests) >= 1  # tried (retries run later, on the worker)
