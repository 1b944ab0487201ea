"""The receipt page shows the commitments that answer what the participant said, whatever
their channel, and nothing of anyone else's answers."""
import datetime as dt
import re

import pytest

from consult.accounts.services import create_codename_participant
from consult.comments.models import CommentState
from consult.comments.services import post_comment
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import commitments
from consult.programmes.models import LinkKind
from consult.surveys.models import Channel
from consult.surveys.responses import submit_all
from consult.surveys.services import get_survey

OTHERS_WORDS = "Someone else's secret answer about the harbour"


def _state(programme, status_key, progress, title, due=dt.date(2027, 3, 1)):
    status = next(s for s in programme.statuses if s.key == status_key)
    return commitments.CommitmentState(
        {("title", "en"): title, ("title", "fr"): f"{title} [fr]"}, "Port Amani council",
        due, status, progress)


def _commit(programme, title, *links, status="under_way", progress=40, note=None,
            due=dt.date(2027, 3, 1)):
    made = commitments.create_commitment(programme, _state(programme, status, progress, title,
                                                           due), list(links), {}, None)
    if note:
        commitments.update_commitment(made, _state(programme, status, progress + 10, title, due),
                                      note, None)
    db.session.commit()
    return made


def _question(programme, key):
    return commitments.Link(LinkKind.QUESTION, consultation_id=programme.rounds[0].consultation.id,
                            key=key)


def _indicator(programme, key):
    found = next(i for i in programme.indicators if i.question_key == key)
    return commitments.Link(LinkKind.INDICATOR, indicator_id=found.id)


def _respond(programme, answers, channel=Channel.WEB, key="participant-1") -> str:
    """A counted response; its receipt."""
    survey = get_survey(programme.rounds[0].consultation)
    submitted = submit_all(survey, answers, {}, "en", f"idem-{key}", "hash", channel,
                           respondent_key=key)
    db.session.commit()
    return submitted.receipt


def _with_receipt(client, receipt: str, lang: str = "en") -> str:
    """The receipt page of the participant behind receipt."""
    response = client.post_form("/receipt", {"receipt": receipt})
    assert response.status_code == 302
    return client.get(f"/receipt?lang={lang}").get_data(as_text=True)


@pytest.fixture
def published(make_programme):
    """A programme whose first round's results are published (its page is public)."""
    return make_programme(state=State.RESULTS_PUBLISHED)


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.SMS, Channel.PAPER],
                         ids=lambda c: c.value)
def test_receipt_shows_commitments_answering_the_questions_and_indicators_answered(
        client, published, channel):
    programme = published
    by_question = _commit(programme, "Answer the night fears", _question(programme, "why"),
                          note={"en": "Poles ordered", "fr": "Poteaux commandés"})
    by_indicator = _commit(programme, "Patrol the harbour", _indicator(programme, "feel_safe"),
                           status="delayed", progress=10, due=dt.date(2020, 1, 1))
    _commit(programme, "Unanswered question", _question(programme, "area"))
    _commit(programme, "Unanswered indicator", _indicator(programme, "trust_hotline"))
    receipt = _respond(programme, {"feel_safe": "agree", "why": "Dark streets"}, channel)
    html = _with_receipt(client, receipt)
    assert "Commitments that answer what you said" in html
    assert "Answer the night fears" in html and "Patrol the harbour" in html
    assert "Unanswered question" not in html and "Unanswered indicator" not in html
    assert f'/programmes/{programme.slug}#commitment-{by_question.id}"' in html
    assert f'/programmes/{programme.slug}#commitment-{by_indicator.id}"' in html
    assert "Poles ordered" in html  # the latest timeline entry's note
    assert "Under way" in html and "50%" in html and "March 1, 2027" in html
    assert "Delayed" in html and "Overdue" in html


def test_commitments_are_in_the_participants_language(client, published):
    programme = published
    _commit(programme, "Answer the night fears", _question(programme, "why"),
            note={"en": "Poles ordered", "fr": "Poteaux commandés"})
    receipt = _respond(programme, {"why": "Dark streets"}, Channel.SMS)
    html = _with_receipt(client, receipt, lang="fr")
    assert "Answer the night fears [fr]" in html and "Poteaux commandés" in html


def test_commitments_wait_until_the_programme_page_is_public(client, make_programme):
    programme = make_programme(state=State.CLOSED)
    _commit(programme, "Answer the night fears", _question(programme, "why"))
    html = _with_receipt(client, _respond(programme, {"why": "Dark streets"}))
    assert "Answer the night fears" not in html
    assert "Commitments that answer" not in html


def test_codename_holder_sees_commitments_answering_their_comments(client, published):
    programme = published
    consultation = programme.rounds[0].consultation
    participant, phrase = create_codename_participant()
    mine = post_comment(consultation, participant.key, "Light the market", "en",
                        state=CommentState.PUBLISHED)
    theirs = post_comment(consultation, "someone-else", "Move the bus stop", "en",
                          state=CommentState.PUBLISHED)
    db.session.commit()
    _commit(programme, "Lights for the market",
            commitments.Link(LinkKind.STATEMENT, consultation_id=consultation.id,
                             comment_id=mine.id))
    _commit(programme, "A new bus stop",
            commitments.Link(LinkKind.STATEMENT, consultation_id=consultation.id,
                             comment_id=theirs.id))
    assert client.post_form("/receipt", {"codename": phrase}).status_code == 302
    html = client.get("/receipt").get_data(as_text=True)
    assert "Commitments that answer your comments" in html
    assert "Lights for the market" in html and "A new bus stop" not in html


def test_receipt_never_reveals_other_peoples_answers(client, published):
    """Another participant answered questions this one skipped: the commitments answering
    those, and their words, stay off this participant's page."""
    programme = published
    _commit(programme, "Answer the harm reports", _question(programme, "harmed"),
            _indicator(programme, "harmed"))
    _respond(programme, {"harmed": "yes", "why": OTHERS_WORDS}, key="someone-else")
    html = _with_receipt(client, _respond(programme, {"feel_safe": "agree"}))
    assert "Answer the harm reports" not in html and OTHERS_WORDS not in html
    assert "Commitments that answer" not in html


def test_receipt_page_without_commitments_is_unchanged(client, published):
    html = _with_receipt(client, _respond(published, {"feel_safe": "agree"}))
    assert re.search(r"Receipt:", html) and "Commitments that answer" not in html
    assert "Commitments that answer" not in client.get("/receipt").get_data(as_text=True)
