# ruff: noqa: F811  (fixtures imported from sms_flows are named again as test arguments)
"""The receipt texted back: a receipt code sent (in any state) returns the published "you said,
we did", translated and SMS-length aware; YES after the survey keeps the number sealed only
until it is published (sent once, then deleted) or the consultation closes."""
import re

from consult.channels import notices, services
from consult.channels.models import Conversation, Provider, ResultsFollowup
from consult.channels.results import MAX_SEGMENTS
from consult.channels.segments import count_segments
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.summaries.planner_responses import Decision, save_response, set_published
from tests.channels.conftest import in_language, sms_survey
from tests.channels.sms_flows import (  # noqa: F401 - fixtures used by name
    commenting,
    other_phone,
    phone,
    write_and_publish,
)

FRENCH_YOUTH = ["SAFE", "2", "2", "30", "1", "5", "skip", "Rien"]
ENGLISH_YOUTH = ["SAFE", "1", "2", "30", "1", "5", "skip", "Nothing"]
NOTHING_YET = ("Nothing has been published yet about what was done with what people said. "
               "Send your receipt code again later.")
OFFER = ("Reply %(yes)s to be texted once what the planners do with what people said, if they "
         "publish it before this consultation closes. Your number is kept encrypted until "
         "then, then deleted.")


def _answer(phone, messages) -> str:
    """Answer the survey; the receipt code."""
    last = [phone.send(m) for m in messages][-1]
    return re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", last).group(0)


def _followups() -> int:
    return db.session.scalar(db.select(db.func.count(ResultsFollowup.id)))


def test_texting_the_receipt_returns_the_published_you_said_we_did_in_the_survey_language(
        app, commenting, phone, other_phone):
    receipt = _answer(phone, FRENCH_YOUTH)
    assert other_phone.send(receipt) == in_language("fr", NOTHING_YET)  # any phone, any state
    write_and_publish(app, commenting.planner, commenting.consultation,
                      {"en": "More lights on the harbour road",
                       "fr": "Plus de lumière sur la route du port"}, decision="adapted")
    reply = other_phone.send(receipt.replace("-", "").lower())
    lines = reply.splitlines()
    assert lines[0] == in_language("fr", "You said, we did: %(title)s",
                                   title=commenting.consultation.text("title", "fr").text)
    assert lines[1] == "- Plus de lumière sur la route du port: " + in_language(
        "fr", "Adopted with changes")
    assert lines[-1].endswith(f"/consultations/{commenting.consultation.slug}")


def test_a_receipt_texted_mid_survey_or_mid_comment_leaves_the_conversation_where_it_was(
        app, commenting, phone, other_phone):
    receipt = _answer(other_phone, ENGLISH_YOUTH)
    phone.send("SAFE")
    phone.send("1")
    assert phone.send(receipt) == NOTHING_YET
    assert phone.send("2").startswith("age?")  # the survey goes on
    phone.send("SEMA")
    assert phone.send(receipt) == NOTHING_YET
    assert db.session.scalar(db.select(Conversation.comment_step).filter(
        Conversation.author_key.is_not(None))).value == "section"


def test_a_receipt_of_another_consultation_is_not_answered_here(commenting, phone,
                                                               other_phone,
                                                               make_consultation):
    other = sms_survey(make_consultation)
    services.connect(other, Provider.AFRICASTALKING, "30303", "else")
    db.session.commit()
    last = [other_phone.send(m, to="30303") for m in ["ELSE", *ENGLISH_YOUTH[1:]]][-1]
    receipt = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", last).group(0)
    assert phone.send(receipt).startswith("Send SAFE to answer the survey.")
    assert other_phone.send(receipt, to="30303") == NOTHING_YET


def test_yes_after_the_survey_is_texted_once_when_published_then_the_number_is_deleted(
        app, commenting, phone):
    last = [phone.send(m) for m in ENGLISH_YOUTH][-1]
    assert last.splitlines()[-1] == in_language("en", OFFER, yes="YES")
    reply = phone.send("yes")
    assert reply == ("Thank you. We will text it to you once when it is published, then "
                     "delete your number.")
    assert _followups() == 1
    sent = len(phone.received())
    write_and_publish(app, commenting.planner, commenting.consultation,
                      {"en": "Twelve new lamps"})
    assert phone.received()[sent:] == [
        f"You said, we did: {commenting.consultation.text('title', 'en').text}\n"
        f"- Twelve new lamps: Adopted\n"
        f"All of it: {app.config['BASE_URL']}/consultations/{commenting.consultation.slug}"]
    assert _followups() == 0
    write_and_publish(app, commenting.planner, commenting.consultation, {"en": "And more"})
    assert len(phone.received()) == sent + 1  # once only


def test_yes_when_it_is_already_published_sends_it_at_once_and_keeps_nothing(
        app, commenting, phone):
    write_and_publish(app, commenting.planner, commenting.consultation, {"en": "Lamps"})
    last = [phone.send(m) for m in ENGLISH_YOUTH][-1]
    assert "YES" not in last  # nothing to offer: text the receipt instead
    assert phone.send("YES").startswith("You said, we did:")
    assert _followups() == 0


def test_an_unsent_followup_is_deleted_when_the_consultation_closes(app, commenting, phone):
    for message in [*ENGLISH_YOUTH, "YES"]:
        phone.send(message)
    assert _followups() == 1
    commenting.consultation.state = State.CLOSED
    db.session.commit()
    notices.forget_numbers_of_closed_consultations()
    assert _followups() == 0


def test_the_reply_fits_in_its_segments_in_arabic_with_many_answers(app, commenting,
                                                                   other_phone):
    receipt = _answer(other_phone, ["SAFE", "3", "2", "30", "1", "5", "skip", "لا شيء"])
    consultation = commenting.consultation
    for n in range(12):
        response = save_response(consultation, None, "", Decision.UNDER_STUDY, {
            ("title", "en"): f"Answer {n}",
            ("title", "ar"): f"إنارة الطريق المؤدي إلى الميناء والسوق رقم {n}"})
        set_published(response, True)
    db.session.commit()
    reply = other_phone.send(receipt)
    segments = count_segments(reply)
    assert segments.encoding == "ucs2" and segments.count <= MAX_SEGMENTS
    assert "إنارة الطريق" in reply
    assert re.search(in_language("ar", "and %(count)s more", count=99).replace("99", r"\d+"),
                     reply)
