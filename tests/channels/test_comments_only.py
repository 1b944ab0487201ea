# ruff: noqa: F811  (fixtures imported from sms_flows are named again as test arguments)
"""Channels that take comments only (the issue: hosts connect "which survey and/or comment
thread"): no survey keyword, a consultation without a survey may open one; a survey keyword
texted there is not matched; HELP, STOP, the USSD menu, the staff page, the test-message
form and sms-simulate all speak of comments alone."""
import pytest

from consult.accounts.models import Role
from consult.channels import services
from consult.channels.models import ChannelConnection, Conversation, InboundMessage, Provider
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import responses
from consult.surveys.models import Channel, Response, ResponseState
from consult.surveys.services import get_survey
from tests.channels.conftest import SHORTCODE, sms_survey
from tests.channels.sms_flows import AUTHOR, USSD_CODE, dial, phone  # noqa: F401

HELD = ("Thank you. A moderator will read your comment before it is published. We will tell "
        "you by SMS whether it is.")


def _comments() -> list[Comment]:
    return list(db.session.scalars(db.select(Comment).order_by(Comment.id)))


@pytest.fixture
def thread_only(channel_settings, make_consultation):
    """An open consultation with no survey (en, fr; two sections), its shortcode taking
    comments after SEMA."""
    consultation = make_consultation(state=State.OPEN, languages=("en", "fr"))
    services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "",
                     survey=False, comment_keywords="sema")
    db.session.commit()
    return consultation


@pytest.fixture
def survey_but_comments_only(channel_settings, make_consultation):
    """The SMS test survey, whose channel was connected for comments only (its keyword SAFE
    given but not taken)."""
    consultation = sms_survey(make_consultation)
    services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "safe", survey=False,
                     comment_keywords="sema")
    db.session.commit()
    return consultation


def test_a_comments_only_channel_keeps_no_survey_keyword(survey_but_comments_only):
    connection = db.session.scalars(db.select(ChannelConnection)).one()
    assert connection.keywords == "" and connection.keyword_list == []
    assert not connection.takes_survey and connection.takes_comments
    assert connection.start_keyword == "SEMA"


def test_a_full_comment_by_sms_on_a_channel_without_a_survey(thread_only, phone):
    assert phone.send("SEMA").splitlines()[0] == "Reply with the number of your language:"
    assert phone.send("1").splitlines()[0] == \
        "What is your comment about? Reply with a number:"
    assert phone.send("2").startswith("Write your comment in one message")
    assert phone.send("The harbour lights have been off for a month.") == HELD
    [comment] = _comments()
    assert comment.body == "The harbour lights have been off for a month."
    assert comment.channel is Channel.SMS and comment.state is CommentState.PENDING
    assert comment.section_id == thread_only.sections[0].id


def test_a_survey_keyword_on_a_comments_only_channel_is_not_matched(
        survey_but_comments_only, phone):
    reply = phone.send("SAFE")
    assert reply == "Send SEMA to send a comment."
    assert "survey" not in reply
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Conversation)) == 0


def test_help_on_a_comments_only_channel_names_the_comment_keyword(thread_only, phone):
    reply = phone.send("HELP")
    assert "SEMA" in reply and "survey" not in reply.lower()


def test_stop_on_a_comments_only_channel_names_the_comment_keyword(thread_only, phone):
    assert phone.send("STOP") == "Stopped. Send SEMA to write a comment."


def test_anything_else_is_told_how_to_comment_in_the_commenters_language(thread_only, phone):
    for text in ("SEMA", "2", "1", "Les lampadaires sont éteints."):
        phone.send(text)
    reply = phone.send("merci")
    assert "SEMA" in reply and reply != "Send SEMA to send a comment."  # in French


def test_a_receipt_code_from_the_web_still_gets_you_said_we_did_on_a_comments_only_channel(
        survey_but_comments_only, phone):
    survey = get_survey(survey_but_comments_only)
    draft = responses.start_draft(survey, "web:someone", "en")
    responses.submit(draft, survey, "web:someone:submit")
    db.session.commit()
    assert draft.state is ResponseState.SUBMITTED
    reply = phone.send(draft.receipt)
    assert reply.startswith("Nothing has been published yet")


def test_a_full_comment_by_ussd_on_a_comments_only_channel(channel_settings, client,
                                                           make_consultation):
    consultation = make_consultation(state=State.OPEN, languages=("en",))
    services.connect(consultation, Provider.AFRICASTALKING, USSD_CODE, "", survey=False,
                     comments=True, ussd=True)
    db.session.commit()
    first = dial(client, AUTHOR, "ATUid_c1", "")
    assert first == "CON Reply with a number:\n1. Send a comment"
    assert "Answer the survey" not in first
    assert dial(client, AUTHOR, "ATUid_c1", "1").startswith("CON What is your comment about?")
    assert dial(client, AUTHOR, "ATUid_c1", "1*1").startswith("CON Write your comment")
    last = dial(client, AUTHOR, "ATUid_c1", "1*1*No street lights near the market")
    assert last == "END " + HELD
    [comment] = _comments()
    assert comment.body == "No street lights near the market"
    assert comment.channel is Channel.USSD and comment.state is CommentState.PENDING


def test_a_wrong_choice_on_the_comments_only_ussd_menu_shows_the_menu_again(
        channel_settings, client, make_consultation):
    consultation = make_consultation(state=State.OPEN, languages=("en",))
    services.connect(consultation, Provider.AFRICASTALKING, USSD_CODE, "", survey=False,
                     comments=True, ussd=True)
    db.session.commit()
    dial(client, AUTHOR, "ATUid_c2", "")
    assert dial(client, AUTHOR, "ATUid_c2", "2") == "CON Reply with a number:\n1. Send a comment"


def test_two_consultations_share_a_shortcode_with_comments_only_channels(
        channel_settings, make_consultation, phone):
    first = make_consultation(state=State.OPEN, languages=("en",))
    second = make_consultation(state=State.OPEN, languages=("en",))
    services.connect(first, Provider.AFRICASTALKING, SHORTCODE, "", survey=False,
                     comment_keywords="port")
    services.connect(second, Provider.AFRICASTALKING, SHORTCODE, "", survey=False,
                     comment_keywords="market")
    db.session.commit()  # the unique key takes in the comment keywords (migration 0030)
    for text in ("MARKET", "1", "Stalls flood when it rains."):
        phone.send(text)
    [comment] = _comments()
    assert comment.consultation_id == second.id


# The connect form --------------------------------------------------------------------------

def _host(client, auth, make_org, make_user, consultation_maker):
    host = make_org()
    consultation = consultation_maker(host)
    auth.login(make_user(host, Role.HOST))
    return consultation, f"/manage/consultations/{consultation.slug}/channels"


def _post(client, url, **fields):
    return client.post_form(url, {"provider": "africastalking", "number": "21525", **fields})


def test_a_consultation_without_a_survey_connects_a_comments_only_channel(
        client, auth, make_org, make_user, make_consultation):
    consultation, url = _host(client, auth, make_org, make_user, lambda host: make_consultation(
        host=host, state=State.OPEN, languages=("en",)))
    page = client.get(url).get_data(as_text=True)
    assert 'checked id="takes-1" name="takes" type="radio" value="comments"' in page
    answer = _post(client, url, takes="comments", keywords="", comment_keywords="sema")
    assert answer.status_code == 303
    connection = db.session.scalars(db.select(ChannelConnection)).one()
    assert connection.keywords == "" and not connection.survey_enabled
    assert connection.comment_keywords == "SEMA" and connection.comments_enabled
    assert "comments only" in client.get(url).get_data(as_text=True)


def test_the_connect_form_refuses_a_channel_with_neither_keyword(
        client, auth, make_org, make_user, make_consultation):
    _consultation, url = _host(client, auth, make_org, make_user,
                               lambda host: sms_survey(make_consultation, host=host))
    answer = _post(client, url, takes="both", keywords="", comment_keywords="")
    assert answer.status_code == 422
    assert "Give survey keywords, comment keywords, or both." in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ChannelConnection)) == 0


@pytest.mark.parametrize("fields, message", [
    ({"takes": "comments", "keywords": "", "comment_keywords": ""},
     "Give at least one keyword that starts a comment."),
    ({"takes": "survey", "keywords": "", "comment_keywords": "sema"},
     "Give at least one keyword that starts the survey."),
    ({"takes": "comments", "keywords": "safe", "comment_keywords": "sema"},
     "This channel does not answer the survey"),
    ({"takes": "survey", "keywords": "safe", "comment_keywords": "sema"},
     "This channel takes no comments"),
    ({"takes": "both", "keywords": "safe", "comment_keywords": "safe"},
     "A word cannot start both the survey and a comment."),
    ({"takes": "nonsense", "keywords": "safe"}, "Not a valid choice"),
])
def test_the_connect_form_explains_what_is_missing(client, auth, make_org, make_user,
                                                   make_consultation, fields, message):
    _consultation, url = _host(client, auth, make_org, make_user,
                               lambda host: sms_survey(make_consultation, host=host))
    answer = _post(client, url, **fields)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)


def test_the_connect_form_refuses_the_survey_where_there_is_none(
        client, auth, make_org, make_user, make_consultation):
    _consultation, url = _host(client, auth, make_org, make_user, lambda host: make_consultation(
        host=host, state=State.OPEN, languages=("en",)))
    answer = _post(client, url, takes="both", keywords="safe", comment_keywords="sema")
    assert answer.status_code == 422
    assert "This consultation has no survey" in answer.get_data(as_text=True)


def test_a_keyword_another_channel_answers_on_the_same_number_is_a_422_not_a_500(
        client, auth, make_org, make_user, make_consultation):
    consultation, url = _host(client, auth, make_org, make_user,
                              lambda host: sms_survey(make_consultation, host=host))
    other = make_consultation(state=State.OPEN, languages=("en",))
    services.connect(other, Provider.AFRICASTALKING, "21525", "", survey=False,
                     comment_keywords="sema")
    db.session.commit()
    answer = _post(client, url, takes="both", keywords="safe", comment_keywords="sema")
    assert answer.status_code == 422
    assert "Another channel on this number already answers to: SEMA." in \
        answer.get_data(as_text=True)
    twice = _post(client, url, takes="survey", keywords="safe")
    assert twice.status_code == 303
    again = _post(client, url, takes="survey", keywords="safe")
    assert again.status_code == 422 and "SAFE" in again.get_data(as_text=True)


def test_a_ussd_comments_only_channel_needs_no_keyword(client, auth, make_org, make_user,
                                                       make_consultation):
    _consultation, url = _host(client, auth, make_org, make_user, lambda host: make_consultation(
        host=host, state=State.OPEN, languages=("en",)))
    answer = _post(client, url, number="*384*21525#", takes="comments", ussd="y")
    assert answer.status_code == 303
    connection = db.session.scalars(db.select(ChannelConnection)).one()
    assert connection.ussd and connection.takes_comments and not connection.takes_survey


# The staff page, the test-message form, sms-simulate ---------------------------------------

def test_the_staff_page_shows_no_survey_cost_when_every_channel_takes_comments_only(
        client, auth, make_org, make_user, make_consultation, channel_settings):
    consultation, url = _host(client, auth, make_org, make_user,
                              lambda host: sms_survey(make_consultation, host=host))
    assert "What one full survey costs" in client.get(url).get_data(as_text=True)
    services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "", survey=False,
                     comment_keywords="sema")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "What one full survey costs" not in page
    assert "What a participant receives first" not in page
    assert "comments only" in page


def test_the_test_message_form_plays_a_comment_on_a_comments_only_channel(
        client, auth, make_org, make_user, make_consultation, channel_settings):
    consultation, url = _host(client, auth, make_org, make_user, lambda host: make_consultation(
        host=host, state=State.OPEN, languages=("en", "fr")))
    services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "", survey=False,
                     comment_keywords="sema")
    db.session.commit()
    answer = client.post_form(url + "/preview", {"language": "en", "messages": "1"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    played = page[page.index('<ol class="sms-preview">'):]
    played = played[:played.index("</ol>")]
    assert "SEMA" in played and "Write your comment in one message" in played
    assert "survey" not in played.lower()
    db.session.rollback()
    for model in (Comment, Conversation, InboundMessage):
        assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0


def test_the_test_message_form_without_a_channel_or_survey_plays_a_comment(
        client, auth, make_org, make_user, make_consultation, channel_settings):
    _consultation, url = _host(client, auth, make_org, make_user, lambda host: make_consultation(
        host=host, state=State.OPEN, languages=("en",)))
    answer = client.post_form(url + "/preview", {"language": "en", "messages": "1"})
    assert answer.status_code == 200
    assert "Write your comment in one message" in answer.get_data(as_text=True)


def test_sms_simulate_on_a_comments_only_channel_writes_a_comment(app, thread_only):
    result = app.test_cli_runner().invoke(
        args=["consult", "sms-simulate", thread_only.slug, "--language", "fr"],
        input="1\nLes lampadaires sont éteints.\n")
    assert result.exit_code == 0, result.output
    assert "takes comments only" in result.output and "> SEMA" in result.output
    assert "nothing was kept" in result.output
    db.session.rollback()
    assert _comments() == []


def test_sms_simulate_without_a_channel_or_survey_writes_a_comment(app, make_consultation,
                                                                    channel_settings):
    consultation = make_consultation(state=State.OPEN, languages=("en",))
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["consult", "sms-simulate", consultation.slug], input="1\nHello.\n")
    assert result.exit_code == 0, result.output
    assert "> COMMENT" in result.output and "Write your comment" in result.output
