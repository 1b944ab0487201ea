"""Answering a survey by SMS: language first, one question per message, the web's checks,
skip logic and submission, commands, resuming, and a receipt that works on /receipt."""
import re

import pytest

from consult.channels.models import Conversation, Step
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys.models import Channel, Response, ResponseState
from tests.channels.conftest import SHORTCODE, in_language, sms_survey
from tests.conftest import translated

TRADER_IN_FRENCH = ["safe", "2", "1", "Tomates", "41", "1 3", "7", "31/03/2026", "Des lampes"]


def _response() -> Response:
    return db.session.scalars(db.select(Response)).one()


def _values(response: Response) -> dict:
    db.session.refresh(response)
    keys = {q.id: q.key for q in response_survey_questions()}
    found: dict = {}
    for answer in response.answers:
        found.setdefault(keys[answer.question_id], []).append(
            answer.option_key or answer.text or answer.number)
    return found


def response_survey_questions():
    from consult.surveys.models import Question

    return db.session.scalars(db.select(Question))


def test_the_keyword_asks_for_a_language_first_then_one_question_per_message(connected, sms):
    reply = sms("SAFE")
    assert reply.splitlines() == ["Reply with the number of your language:", "1. English",
                                  "2. Français", "3. العربية"]
    reply = sms("2")
    assert reply.splitlines()[0] == "Votre rôle ?"
    assert reply.splitlines()[1:3] == ["1. Trader", "2. Youth"]


def test_a_trader_answers_every_type_and_gets_a_receipt_counted_as_sms(connected, sms):
    replies = [sms(text) for text in TRADER_IN_FRENCH]
    assert "stall" in replies[2]  # skip logic: a trader is asked for the stall
    assert replies[4].startswith("Votre avis.")  # a note comes with the next question
    receipt = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", replies[-1]).group(0)
    response = _response()
    assert response.state is ResponseState.SUBMITTED and response.receipt == receipt
    assert response.channel is Channel.SMS and response.language == "fr"
    assert response.submitted_on is not None
    assert _values(response) == {"role": ["trader"], "stall": ["Tomates"], "age": [41],
                                 "areas": ["port", "lights"], "trust": [7],
                                 "since": ["2026-03-31"], "comment": ["Des lampes"]}


def test_a_youth_never_sees_the_stall_question(connected, sms):
    sms("safe")
    sms("1")
    assert sms("2").startswith("age?")
    assert "stall" not in _values(_response())


def test_the_receipt_given_by_sms_opens_the_web_receipt_page(connected, sms, client):
    receipt = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}",
                        [sms(t) for t in TRADER_IN_FRENCH][-1]).group(0)
    page = client.post_form("/receipt", {"receipt": receipt}, follow_redirects=True)
    assert page.status_code == 200
    assert connected.consultation.text("title", "en").text in page.get_data(as_text=True)


def test_a_wrong_number_is_asked_again_in_the_participants_language(connected, sms):
    for text in TRADER_IN_FRENCH[:4]:
        sms(text)
    reply = sms("quarante")
    assert reply.splitlines()[0] == translated("fr", "Please enter a number, like 12 or 3.5.")
    assert reply.splitlines()[1] == "age ?"
    assert sms("400").splitlines()[0] == "An age is under 120."  # the survey's constraint
    assert "age" not in _values(_response())


def test_an_option_out_of_range_is_asked_again(connected, sms):
    sms("safe")
    sms("1")
    assert sms("9").splitlines()[1] == "Your role?"
    assert sms("Trader").splitlines()[1] == "Your role?"
    assert db.session.scalar(db.select(Conversation.question_key)) == "role"


def test_other_takes_the_words_after_its_number(connected, sms):
    sms("safe")
    sms("1")
    sms("3 fisherman")
    response = _response()
    assert [(a.option_key, a.text) for a in response.answers] == [("other", "fisherman")]


def test_arabic_digits_answer_in_arabic(connected, sms):
    sms("safe")
    reply = sms("٣")
    assert reply.splitlines()[0] == "دورك؟"
    sms("٢")
    sms("٣٥")
    assert _values(_response())["age"] == [35]


def test_skip_is_refused_on_a_required_question_and_accepted_on_others(connected, sms):
    sms("safe")
    sms("1")
    assert sms("SKIP").startswith("This question needs an answer.")
    sms("2")
    assert sms("skip").startswith("Now your views.")
    assert "age" not in _values(_response())


def test_back_returns_to_the_previous_question_and_a_changed_answer_changes_the_path(
        connected, sms):
    sms("safe")
    sms("1")
    sms("2")  # youth: no stall question
    assert sms("BACK").splitlines()[0] == "Your role?"
    assert sms("1").startswith("stall?")  # now a trader: the stall question appears
    assert db.session.scalar(db.select(Conversation.question_key)) == "stall"


def test_stop_then_the_keyword_resumes_where_the_participant_stopped(connected, sms):
    for text in TRADER_IN_FRENCH[:4]:
        sms(text)
    assert "SAFE" in sms("STOP")
    assert db.session.scalar(db.select(Conversation.step)) is Step.STOPPED
    assert sms("safe").splitlines()[0] == "age ?"


def test_help_lists_the_commands(connected, sms):
    sms("safe")
    assert "BACK" in sms("HELP") and "STOP" in sms("aide")


def test_a_counted_response_is_not_answered_twice(connected, sms):
    for text in TRADER_IN_FRENCH:
        sms(text)
    assert sms("STOP").startswith(in_language("fr", "You will get no more messages. Send "
                                              "%(keyword)s to continue where you stopped.",
                                              keyword="\x00").split("\x00")[0])
    for text in ("safe", "1", "BACK"):
        assert sms(text) == in_language("fr", "Your answers were already counted. Thank you.")
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_once_counted_nothing_leads_from_the_number_to_the_answers(connected, sms):
    """Someone holding the database and CHANNEL_NUMBER_KEY hashes a participant's number:
    the conversation it finds must not lead to the response (nor its receipt)."""
    from consult.channels.numbers import number_key

    replies = [sms(text) for text in TRADER_IN_FRENCH]
    receipt = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", replies[-1]).group(0)
    talk = db.session.scalars(db.select(Conversation).filter_by(
        number_key=number_key("+254711000111"))).one()
    response = _response()
    assert talk.respondent_key != response.respondent_key
    assert talk.respondent_key not in (response.idempotency_key or "")
    assert receipt not in repr([getattr(talk, c.key) for c in Conversation.__table__.c])


def test_a_text_without_keyword_from_a_new_number_gets_a_hint_and_starts_nothing(connected,
                                                                                 sms):
    assert sms("hello") == "Send SAFE to answer the survey."
    assert db.session.scalar(db.select(db.func.count(Conversation.id))) == 0


def test_two_numbers_have_two_separate_conversations(connected, sms):
    sms("safe", number="+254711000111")
    sms("safe", number="+254722000222")
    sms("2", number="+254711000111")
    assert sms("1", number="+254722000222").startswith("Your role?")
    assert db.session.scalar(db.select(db.func.count(Conversation.id))) == 2


def test_another_participants_conversation_is_unreachable(connected, sms):
    """Nothing a second number sends moves or reveals the first one's conversation."""
    first = [sms(t, number="+254711000111") for t in TRADER_IN_FRENCH]
    receipt = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", first[-1]).group(0)
    for text in ("safe", "1", "BACK", "HELP", receipt, "STOP"):
        assert receipt not in sms(text, number="+254722000222")
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_a_closed_consultation_takes_no_answers(connected, sms):
    connected.consultation.state = State.CLOSED
    db.session.commit()
    assert sms("safe") == "This consultation is not taking answers now."
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_a_single_language_channel_asks_the_first_question_at_once(channel_settings,
                                                                   make_consultation, sms):
    from consult.channels import services
    from consult.channels.models import Provider

    consultation = sms_survey(make_consultation)
    services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "amani",
                     languages=["fr"])
    db.session.commit()
    assert sms("AMANI").startswith("Votre rôle ?")


@pytest.mark.parametrize("mode", ["codename", "account"])
def test_a_survey_that_needs_a_codename_or_account_is_not_offered_by_sms(
        channel_settings, make_consultation, sms, mode):
    from consult.channels import services
    from consult.channels.models import Provider
    from consult.consultations.lifecycle import ParticipationMode

    consultation = sms_survey(make_consultation,
                              participation_mode=ParticipationMode(mode))
    services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "safe")
    db.session.commit()
    assert sms("safe") == "This survey cannot be answered by SMS."


def test_old_conversations_and_inbound_records_are_forgotten(connected, sms):
    import datetime as dt

    from consult.channels.models import InboundMessage
    from consult.channels.services import purge_old

    sms("safe")
    sms("1")
    later = dt.date.today() + dt.timedelta(days=31)
    assert purge_old(30, today=dt.date.today()) == (0, 0)
    assert purge_old(30, today=later) == (1, 2)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(InboundMessage.id))) == 0


def test_the_nightly_task_forgets_nothing_recent(connected, sms):
    from consult.channels.tasks import purge_old_conversations

    sms("safe")
    purge_old_conversations()  # a periodic task: in immediate mode it runs when called
    assert db.session.scalar(db.select(db.func.count(Conversation.id))) == 1
