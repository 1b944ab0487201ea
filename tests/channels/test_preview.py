"""The channels page's test-message form: a host plays what a participant would text and
reads exactly the replies, with their segments; nothing is written and nothing is sent."""
import re

import pytest

from consult.accounts.models import Role
from consult.channels import services
from consult.channels.models import ChannelConnection, Conversation, InboundMessage, Provider
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys.models import Answer, Response
from tests.channels.conftest import in_language, receipt_words, sms_survey

WRITTEN = (Response, Answer, Conversation, InboundMessage, ChannelConnection)


def _counts() -> dict:
    db.session.rollback()
    return {m.__name__: db.session.scalar(db.select(db.func.count()).select_from(m))
            for m in WRITTEN}


@pytest.fixture
def host_page(client, auth, make_org, make_user, make_consultation, channel_settings):
    """A host signed in, and the channels page of their SMS survey (no channel yet)."""
    host = make_org()
    consultation = sms_survey(make_consultation, host=host)
    auth.login(make_user(host, Role.HOST))
    return f"/manage/consultations/{consultation.slug}/channels"


def _play(client, url, language, messages, **extra):
    return client.post_form(url + "/preview", {"language": language,
                                               "messages": "\n".join(messages), **extra})


def test_a_host_walks_the_whole_survey_in_french_and_sees_every_reply(client, host_page,
                                                                      gateway):
    before = _counts()
    answer = _play(client, host_page, "fr", ["1", "Étal 12", "30", "1 3", "7", "15/08/2025",
                                             "Très bien"])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Votre rôle ?" in page and "Étal 12" in page
    assert re.search(re.escape(receipt_words("fr")) + r"[A-Z0-9]{4}-[A-Z0-9]{4}", page)
    assert page.count("SMS segment") >= 9  # keyword, language, then seven answers
    assert _counts() == before  # nothing kept
    assert gateway.requests == []  # nothing sent


def test_an_arabic_preview_counts_unicode_segments(client, host_page):
    page = _play(client, host_page, "ar", []).get_data(as_text=True)
    assert "دورك؟" in page and "Unicode: 70 characters a segment" in page


def test_a_wrong_answer_shows_the_translated_reprompt(client, host_page):
    page = _play(client, host_page, "fr", ["9"]).get_data(as_text=True)
    expected = in_language("fr", "Please reply with the number of an option, like 1.")
    assert expected.replace("'", "&#39;") in page


def test_a_draft_consultation_is_played_as_if_open_and_stays_a_draft(
        client, auth, make_org, make_user, make_consultation, channel_settings):
    host = make_org()
    consultation = sms_survey(make_consultation, host=host)
    consultation.state = State.DRAFT
    db.session.commit()
    auth.login(make_user(host, Role.HOST))
    url = f"/manage/consultations/{consultation.slug}/channels"
    page = _play(client, url, "en", []).get_data(as_text=True)
    assert "Your role?" in page and "as if the consultation were open" in page
    db.session.rollback()
    assert db.session.get(type(consultation), consultation.id).state is State.DRAFT


def test_the_channel_keyword_and_languages_are_those_of_the_connected_channel(
        client, host_page, make_consultation):
    from consult.consultations.services import get_consultation

    consultation = get_consultation(host_page.split("/")[3])
    services.connect(consultation, Provider.KANNEL, "1234", "AMANI", languages=["fr"])
    db.session.commit()
    page = _play(client, host_page, "fr", []).get_data(as_text=True)
    assert "AMANI" in page and "Votre rôle ?" in page
    assert "Reply with the number of your language" not in page  # one language: no menu


def test_preview_without_a_csrf_token_is_refused(client, host_page):
    answer = client.post(host_page + "/preview", data={"language": "fr", "messages": "1"})
    assert answer.status_code == 400


def test_preview_of_another_organisations_consultation_is_hidden(
        client, auth, make_org, make_user, make_consultation, channel_settings):
    consultation = sms_survey(make_consultation, host=make_org())
    auth.login(make_user(make_org(), Role.HOST))
    answer = _play(client, f"/manage/consultations/{consultation.slug}/channels", "fr", [])
    assert answer.status_code == 404


def test_preview_needs_a_signed_in_staff_member(client, make_consultation, channel_settings):
    consultation = sms_survey(make_consultation)
    answer = client.post(f"/manage/consultations/{consultation.slug}/channels/preview",
                         data={"language": "fr"})
    assert answer.status_code in (302, 303, 400, 401, 403)
    assert _counts()["Response"] == 0


def test_an_unknown_language_or_too_many_messages_is_an_error_tied_to_its_field(client,
                                                                                host_page):
    answer = _play(client, host_page, "xx", ["1"] * 41)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'aria-describedby="language-error"' in page
    assert 'aria-describedby="messages-error"' in page and "at most 40 messages" in page


def test_html_typed_in_a_test_message_is_shown_escaped(client, host_page):
    page = _play(client, host_page, "en", ["1", "<script>alert(1)</script>"]).get_data(
        as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_dashboard_links_to_the_channels_page(client, host_page):
    dashboard = host_page.rsplit("/", 1)[0]
    assert f'href="{host_page}"' in client.get(dashboard).get_data(as_text=True)


def test_a_comment_by_sms_is_previewed_and_no_comment_is_kept(client, host_page, gateway):
    from consult.comments.models import Comment
    from consult.consultations.services import get_consultation

    consultation = get_consultation(host_page.split("/")[3])
    services.connect(consultation, Provider.AFRICASTALKING, "21525", "SAFE",
                     comment_keywords="SEMA")
    db.session.commit()
    page = _play(client, host_page, "en", ["SEMA", "1", "1", "The port gate is dark."]
                 ).get_data(as_text=True)
    assert "A moderator will read your comment before it is published." in page
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0
    assert gateway.requests == []


def test_the_test_message_form_has_labels_tied_to_its_fields_and_a_csrf_token(client,
                                                                           host_page):
    page = client.get(host_page).get_data(as_text=True)
    form = page[page.index('id="test-message"'):]
    form = form[:form.index("</form>")]
    for field in ("language", "messages"):
        assert f'<label for="{field}">' in form and f'id="{field}"' in form
    assert 'name="csrf_token"' in form and "<script" not in form
