# ruff: noqa: F811  (fixtures imported from sms_flows are named again as test arguments)
"""Comments by SMS and USSD, through Africa's Talking's callback routes: language, section and
text; always pre-moderated (even where the web publishes at once), with the web's screening;
the comment carries its channel, language and day, never a time or a number."""
import datetime as dt

from consult.channels import services
from consult.channels.models import (
    ChannelComment,
    ChannelConnection,
    Conversation,
    Provider,
)
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.moderation.models import Reason, ScreeningFlag, WatchedWord, WordAction
from consult.surveys.models import Channel
from tests.channels.conftest import in_language
from tests.channels.sms_flows import (  # noqa: F401 - fixtures used by name
    AUTHOR,
    USSD_CODE,
    commenting,
    dial,
    other_phone,
    phone,
)

TEXT_PROMPT = ("Write your comment in one message (at most %(max)s characters). A moderator "
               "reads every comment sent by phone before it is published; we will tell you by "
               "SMS. %(stop)s: cancel.")
HELD = ("Thank you. A moderator will read your comment before it is published. We will tell "
        "you by SMS whether it is.")


def _comments() -> list[Comment]:
    return list(db.session.scalars(db.select(Comment).order_by(Comment.id)))


def test_a_comment_by_sms_asks_the_language_then_the_section_then_the_text(
        commenting, phone):
    menu = phone.send("SEMA")
    assert menu.splitlines()[0] == "Reply with the number of your language:"
    sections = phone.send("2")
    assert sections.splitlines()[0] == in_language(
        "fr", "What is your comment about? Reply with a number:")
    assert sections.splitlines()[1:] == [
        "1. " + in_language("fr", "The proposal as a whole"), "2. Section 1 [fr]",
        "3. Section 2 [fr]"]
    prompt = phone.send("3")
    assert prompt == in_language("fr", TEXT_PROMPT, max=2000,
                                 stop=in_language("fr", "STOP"))
    reply = phone.send("Les lampadaires du port sont éteints depuis un mois.")
    assert reply == in_language("fr", HELD)
    [comment] = _comments()
    assert comment.body == "Les lampadaires du port sont éteints depuis un mois."
    assert comment.language == "fr" and comment.channel is Channel.SMS
    assert comment.section_id == commenting.consultation.sections[1].id
    assert comment.created_on == dt.date.today() and comment.state is CommentState.PENDING
    assert AUTHOR[1:] not in comment.author_key
    talk = db.session.scalar(db.select(Conversation))
    assert talk.author_key == comment.author_key and talk.comment_step is None


def test_a_comment_cannot_skip_pre_moderation_where_the_web_publishes_at_once(
        commenting, phone, client):
    slug = commenting.consultation.slug
    client.post_form(f"/consultations/{slug}/comments", {"body": "Published at once."})
    for text in ("SEMA", "1", "1", "Sent by SMS: read by a moderator first."):
        phone.send(text)
    web, sms = _comments()
    assert web.state is CommentState.PUBLISHED and sms.state is CommentState.PENDING
    page = client.get(f"/consultations/{slug}/comments").get_data(as_text=True)
    assert "Published at once." in page and "read by a moderator first" not in page


def test_a_pii_laden_comment_by_sms_is_held_for_review(commenting, phone):
    for text in ("SEMA", "1", "1"):
        phone.send(text)
    reply = phone.send("The officer at the gate is Joseph, call him on 0722 123 456.")
    assert "phone number or an e-mail address" in reply
    [comment] = _comments()
    assert comment.state is CommentState.PENDING
    assert comment.moderation_reason == Reason.PERSONAL_INFORMATION.value
    flag = db.session.scalar(db.select(ScreeningFlag))
    assert flag.comment_id == comment.id and flag.open


def test_a_blocked_word_by_sms_is_refused_and_the_author_may_write_again(commenting, phone,
                                                                        make_user):
    moderator = commenting.moderator
    db.session.add(WatchedWord(consultation_id=commenting.consultation.id, word="scum",
                               normalised="scum", language="*", action=WordAction.BLOCK,
                               created_by_id=moderator.id))
    db.session.commit()
    for text in ("SEMA", "1", "1"):
        phone.send(text)
    refused = phone.send("They are scum.")
    assert "scum" in refused and _comments() == []
    assert db.session.scalar(db.select(Conversation.comment_step)).value == "text"
    assert phone.send("They take bribes at the gate.") == HELD
    assert [c.body for c in _comments()] == ["They take bribes at the gate."]


def test_stop_cancels_a_comment_and_nothing_is_posted(commenting, phone):
    for text in ("SEMA", "1", "1"):
        phone.send(text)
    assert phone.send("STOP") == "Your comment was not sent."
    assert phone.send("Not a comment any more.").startswith("Send SAFE to answer the survey.")
    assert _comments() == []


def test_back_goes_from_the_text_to_the_section(commenting, phone):
    for text in ("SEMA", "1", "1"):
        phone.send(text)
    assert phone.send("BACK").startswith("What is your comment about?")
    phone.send("2")
    phone.send("About section one.")
    assert _comments()[0].section_id == commenting.consultation.sections[0].id


def test_a_gateway_retry_of_a_comment_posts_it_once(commenting, phone, gateway):
    for text in ("SEMA", "1", "1"):
        phone.send(text)
    for _ in range(3):
        phone.send("Once only.", message_id="ATXid_same")
    assert len(_comments()) == 1 and len(phone.received()) == 4


def test_a_closed_consultation_takes_no_comment_by_sms(commenting, phone):
    for text in ("SEMA", "1", "1"):
        phone.send(text)
    commenting.consultation.state = State.CLOSED
    db.session.commit()
    assert phone.send("Too late?") == "This consultation is not taking comments now."
    assert _comments() == []


def test_the_survey_goes_on_after_a_comment_in_the_language_chosen_for_it(commenting, phone):
    for text in ("SEMA", "2", "1", "Un commentaire."):
        phone.send(text)
    assert phone.send("SAFE").splitlines()[0] == "Votre rôle ?"


def test_an_sms_comment_on_a_number_with_both_keywords_routes_by_keyword(
        commenting, phone, make_consultation):
    other = make_consultation(state=State.OPEN, languages=("en",), sections=0)
    services.connect(other, Provider.AFRICASTALKING, commenting.connection.number, "other",
                     comment_keywords="talk")
    db.session.commit()
    assert phone.send("TALK").startswith("Write your comment")  # one language, no section
    phone.send("For the other consultation.")
    assert _comments()[0].consultation_id == other.id


def test_a_comment_by_ussd_from_the_first_menu(commenting, client, gateway):
    services.connect(commenting.consultation, Provider.AFRICASTALKING, USSD_CODE, "safe",
                     ussd=True, comments=True)
    db.session.commit()
    first = dial(client, AUTHOR, "ATUid_9", "")
    assert first.startswith("CON ") and "2. Send a comment" in first
    assert dial(client, AUTHOR, "ATUid_9", "2").startswith(
        "CON Reply with the number of your language:")
    assert dial(client, AUTHOR, "ATUid_9", "2*1").startswith("CON What is your comment about?")
    assert dial(client, AUTHOR, "ATUid_9", "2*1*1").startswith("CON Write your comment")
    end = dial(client, AUTHOR, "ATUid_9", "2*1*1*Plus de lumière au marché.")
    assert end == "END " + in_language("en", HELD)
    [comment] = _comments()
    assert comment.channel is Channel.USSD and comment.state is CommentState.PENDING
    held = db.session.scalar(db.select(ChannelComment))
    ussd = db.session.scalar(db.select(ChannelConnection).filter_by(ussd=True))
    assert held.connection_id == ussd.id and held.sealed_number


def test_the_ussd_menu_still_leads_to_the_survey(commenting, client):
    services.connect(commenting.consultation, Provider.AFRICASTALKING, USSD_CODE, "safe",
                     ussd=True, comments=True)
    db.session.commit()
    dial(client, AUTHOR, "ATUid_3", "")
    assert dial(client, AUTHOR, "ATUid_3", "1").startswith(
        "CON Reply with the number of your language:")


def test_sms_simulate_plays_a_comment_and_keeps_nothing(app, channel_settings,
                                                       make_consultation):
    from tests.channels.conftest import sms_survey

    consultation = sms_survey(make_consultation)
    result = app.test_cli_runner().invoke(
        args=["consult", "sms-simulate", consultation.slug, "--comment", "--language", "fr"],
        input="1\nPlus de lumière au port.\n")
    assert result.exit_code == 0, result.output
    assert "> COMMENT\n" in result.output and "> 2\n" in result.output
    assert in_language("fr", HELD) in result.output
    db.session.rollback()
    assert _comments() == [] and db.session.scalar(db.select(ChannelComment)) is None


def test_a_blocked_author_cannot_comment_again_by_sms(app, commenting, phone):
    from tests.channels.sms_flows import decide

    for text in ("SEMA", "1", "1", "First comment."):
        phone.send(text)
    decide(app, commenting.moderator, commenting.consultation, _comments()[0].id,
           action="block", reason="abuse")
    assert "you can no longer comment" in phone.received()[-1]
    for text in ("SEMA", "1"):
        phone.send(text)
    assert phone.send("Second comment.") == \
        "The moderators have blocked you from commenting in this consultation."
    assert len(_comments()) == 1
