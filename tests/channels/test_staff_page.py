"""The channels staff page: segment cost per language (Arabic is UCS-2), questions that do not
suit SMS, what a participant receives first; managers connect a channel, others may not."""
from types import SimpleNamespace as Spec

from consult.accounts.models import Role
from consult.channels.costs import not_suited, survey_cost
from consult.channels.models import ChannelConnection, Provider
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services as surveys
from tests.channels.conftest import sms_survey
from tests.surveys.specs import options, question


def test_a_full_survey_costs_more_segments_in_arabic_than_in_english(app, make_consultation):
    consultation = sms_survey(make_consultation)
    survey = surveys.get_survey(consultation)
    english, arabic = survey_cost(survey, "en"), survey_cost(survey, "ar")
    assert english.messages == arabic.messages == len(survey.questions)
    assert not english.ucs2 and english.segments == english.messages  # short texts: one each
    assert arabic.ucs2


def test_a_long_ranking_and_a_long_note_are_listed_with_what_will_happen(app,
                                                                         make_consultation):
    consultation = make_consultation(state=State.DRAFT, languages=("en",))
    surveys.replace_survey(consultation, [Spec(key="p", labels={}, questions=[
        question("order", "ranking", options=options(*"abcdefg")),
        question("short", "ranking", options=options("a", "b")),
        question("intro", "note", labels={"en": "Read this. " * 60}),
    ])])
    db.session.commit()
    found = dict(not_suited(surveys.get_survey(consultation), "en"))
    assert set(found) == {"order", "intro"}
    assert "7 options" in found["order"] and "5 SMS segments" in found["intro"]


def test_a_host_sees_costs_and_connects_a_channel(client, auth, make_org, make_user,
                                                  make_consultation):
    host = make_org()
    user = make_user(host, Role.HOST)
    consultation = sms_survey(make_consultation, host=host)
    auth.login(user)
    url = f"/manage/consultations/{consultation.slug}/channels"
    page = client.get(url).get_data(as_text=True)
    assert "What one full survey costs" in page and "دورك؟" in page
    answer = client.post_form(url, {"provider": "africastalking", "number": "21525",
                                    "keywords": "safe amani", "languages": "fr ar xx"})
    assert answer.status_code == 303
    connection = db.session.scalars(db.select(ChannelConnection)).one()
    assert connection.provider is Provider.AFRICASTALKING and connection.keyword_list == [
        "SAFE", "AMANI"] and connection.languages == ["fr", "ar"]
    assert "21525" in client.get(url).get_data(as_text=True)


def test_a_moderator_sees_the_page_but_cannot_connect(client, auth, make_org, make_user,
                                                      make_consultation):
    host = make_org()
    consultation = sms_survey(make_consultation, host=host)
    auth.login(make_user(host, Role.MODERATOR))
    url = f"/manage/consultations/{consultation.slug}/channels"
    assert "Connect a channel" not in client.get(url).get_data(as_text=True)
    assert client.post_form(url, {"provider": "kannel", "number": "1", "keywords": "x"}
                            ).status_code == 403
    assert db.session.scalar(db.select(db.func.count(ChannelConnection.id))) == 0


def test_a_bad_number_is_refused_with_a_message(client, auth, make_org, make_user,
                                                make_consultation):
    host = make_org()
    consultation = sms_survey(make_consultation, host=host)
    auth.login(make_user(host, Role.HOST))
    answer = client.post_form(f"/manage/consultations/{consultation.slug}/channels",
                              {"provider": "kannel", "number": "<script>", "keywords": "x"})
    assert answer.status_code == 422 and "Use digits" in answer.get_data(as_text=True)


def test_a_host_connects_comment_keywords_and_a_post_without_languages_is_not_a_500(
        client, auth, make_org, make_user, make_consultation):
    """A scripted post that leaves out the languages field once raised AttributeError (500)."""
    host = make_org()
    consultation = sms_survey(make_consultation, host=host)
    auth.login(make_user(host, Role.HOST))
    url = f"/manage/consultations/{consultation.slug}/channels"
    answer = client.post_form(url, {"provider": "africastalking", "number": "21525",
                                    "takes": "both", "keywords": "safe",
                                    "comment_keywords": "sema maoni"})
    assert answer.status_code == 303
    connection = db.session.scalars(db.select(ChannelConnection)).one()
    assert connection.comment_keywords == "SEMA MAONI" and connection.comments_enabled
    assert "SEMA MAONI" in client.get(url).get_data(as_text=True)


def test_ussd_is_refused_for_a_provider_without_ussd(client, auth, make_org, make_user,
                                                     make_consultation):
    host = make_org()
    consultation = sms_survey(make_consultation, host=host)
    auth.login(make_user(host, Role.HOST))
    url = f"/manage/consultations/{consultation.slug}/channels"
    answer = client.post_form(url, {"provider": "twilio", "number": "*384*1#",
                                    "keywords": "safe", "ussd": "y"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "offers USSD here" in page
    assert 'aria-describedby="ussd-error"' in page
    assert db.session.scalar(db.select(db.func.count(ChannelConnection.id))) == 0
