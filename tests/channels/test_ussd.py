"""USSD through Africa's Talking: sessions with the inputs so far joined by '*', screens of
at most 182 characters (CON to go on, END to close), options paged, retries answered the same."""
import re

import pytest

from consult.channels import services
from consult.channels.models import InboundMessage, Provider
from consult.channels.ussd import SCREEN_LIMIT, screens
from consult.extensions import db
from consult.surveys.models import Channel, Response, ResponseState
from tests.channels.conftest import SECRET, sms_survey
from tests.surveys.specs import options, question

CODE = "*384*1234#"
NUMBER = "+254711222333"


@pytest.fixture
def ussd_survey(channel_settings, make_consultation):
    """The SMS test survey on a USSD service code."""
    consultation = sms_survey(make_consultation)
    services.connect(consultation, Provider.AFRICASTALKING, CODE, "safe", ussd=True)
    db.session.commit()
    return consultation


def _dial(client, inputs, session="ATUid_1", secret=SECRET):
    """One USSD request, as Africa's Talking posts it (every input so far, '*'-joined)."""
    fields = {"sessionId": session, "serviceCode": CODE, "phoneNumber": NUMBER,
              "networkCode": "63902", "text": "*".join(inputs)}
    answer = client.post("/channels/africastalking/ussd", data=fields,
                         headers={"X-Consult-Channel-Secret": secret})
    if answer.status_code == 200:
        assert answer.mimetype == "text/plain"
        assert len(answer.get_data(as_text=True)) <= SCREEN_LIMIT
    return answer


def _screens(client, inputs, session="ATUid_1"):
    return [_dial(client, inputs[:n], session).get_data(as_text=True)
            for n in range(len(inputs) + 1)]


def test_a_survey_answered_by_ussd_is_counted_as_ussd_with_a_receipt(client, ussd_survey):
    shown = _screens(client, ["2", "1", "Tomates", "41", "1*3".split("*")[0], "7", "0",
                              "31/03/2026", "Merci"])
    assert shown[0].startswith("CON Reply with the number of your language:")
    assert shown[1].startswith("CON Votre rôle ?")
    assert all(s.startswith("CON ") for s in shown[:-1])
    assert shown[-1].startswith("END ") and re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", shown[-1])
    response = db.session.scalars(db.select(Response)).one()
    assert response.state is ResponseState.SUBMITTED and response.channel is Channel.USSD
    assert response.language == "fr"


def test_a_retried_ussd_request_gets_the_same_screen_and_changes_nothing(client, ussd_survey):
    _screens(client, ["1"])
    first = _dial(client, ["1", "2"]).get_data(as_text=True)
    again = _dial(client, ["1", "2"]).get_data(as_text=True)
    assert first == again
    assert db.session.scalar(db.select(db.func.count(InboundMessage.id))) == 3


def test_a_new_session_resumes_where_the_last_one_stopped(client, ussd_survey):
    _screens(client, ["1", "2"], session="ATUid_1")
    assert _dial(client, [], session="ATUid_2").get_data(as_text=True).startswith("CON age?")


def test_options_that_do_not_fit_are_paged_with_98(client, channel_settings,
                                                   make_consultation):
    from types import SimpleNamespace as Spec

    from consult.consultations.lifecycle import State
    from consult.surveys import services as surveys

    consultation = make_consultation(state=State.DRAFT, languages=("en",))
    long = [f"option-{n}-with-a-rather-long-label" for n in range(1, 9)]
    surveys.replace_survey(consultation, [Spec(key="p", labels={}, questions=[
        question("pick", "single_choice", required=True, options=options(*long))])])
    consultation.state = State.OPEN
    services.connect(consultation, Provider.AFRICASTALKING, CODE, "go", ussd=True)
    db.session.commit()
    first = _dial(client, []).get_data(as_text=True)
    second = _dial(client, ["98"]).get_data(as_text=True)
    assert first.endswith("98. More") and "1. Option-1" in first
    assert "8. Option-8" in second and "1. Option-1" not in second
    done = _dial(client, ["98", "8"]).get_data(as_text=True)
    assert done.startswith("END ")
    response = db.session.scalars(db.select(Response)).one()
    assert [a.option_key for a in response.answers] == [long[-1]]


def test_a_forged_ussd_request_is_refused(client, ussd_survey):
    assert _dial(client, [], secret="guess").status_code == 403
    assert db.session.scalar(db.select(db.func.count(InboundMessage.id))) == 0


def test_an_unknown_service_code_ends_the_session(client, ussd_survey):
    answer = client.post("/channels/africastalking/ussd", data={
        "sessionId": "s", "serviceCode": "*999#", "phoneNumber": NUMBER, "text": ""},
        headers={"X-Consult-Channel-Secret": SECRET})
    assert answer.get_data(as_text=True).startswith("END ")


def test_sms_to_a_ussd_code_is_not_a_conversation(client, ussd_survey, sms):
    assert sms("safe", to=CODE) == ""


@pytest.mark.parametrize("text", ["short", "\n".join(f"{n}. " + "word " * 12
                                                      for n in range(1, 10)),
                                  "x" * 500, "دورك؟ " * 60])
def test_screens_fit_182_characters_with_their_prefix(text):
    pages = screens(text, "More")
    assert all(len(page) + 4 <= SCREEN_LIMIT for page in pages)
    assert all(page.endswith("98. More") for page in pages[:-1])
    assert "".join(p.replace("\n98. More", "") for p in pages).replace("\n", "").replace(
        " ", "") == text.replace("\n", "").replace(" ", "")


def test_a_ussd_number_is_never_stored(client, ussd_survey):
    from sqlalchemy import inspect, text

    _screens(client, ["2", "1", "Tomates"])
    digits = NUMBER[1:]
    for table in inspect(db.engine).get_table_names():
        rows = repr(db.session.execute(text(f'SELECT * FROM "{table}"')).all())
        assert digits[-9:] not in rows, f"the number is in {table}"
