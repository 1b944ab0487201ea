"""New comments are screened: watched words block, hold or flag; phone numbers and e-mail
addresses hold the comment and tell its author why; watched words are managed in the browser."""
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation.models import (
    Action,
    ModerationDecision,
    Reason,
    ScreeningFlag,
    WatchedWord,
    WordAction,
)
from tests.conftest import translated
from tests.moderation.conftest import queue_url


def _thread(consultation):
    return f"/consultations/{consultation.slug}/comments"


def _watch(consultation, word, action, language="*", moderator=None):
    from consult.moderation.services import add_watched_word

    add_watched_word(consultation, word, language, action, moderator)
    db.session.commit()


def test_moderators_add_and_remove_watched_words_in_the_browser(as_moderator, consultation):
    url = queue_url(consultation, "/words")
    response = as_moderator.post_form(url, {"word": "Crétin", "language": "fr",
                                            "action": "block"})
    assert response.status_code == 303
    word = db.session.scalar(db.select(WatchedWord))
    assert (word.word, word.normalised, word.language, word.action) == (
        "Crétin", "cretin", "fr", WordAction.BLOCK)
    duplicate = as_moderator.post_form(url, {"word": "CRETIN", "language": "fr",
                                             "action": "hold"})
    assert duplicate.status_code == 422
    assert "already watched in that language" in duplicate.get_data(as_text=True)
    html = as_moderator.get(url).get_data(as_text=True)
    assert "Crétin" in html and "Block: refuse the comment" in html
    as_moderator.post_form(queue_url(consultation, f"/words/{word.id}/delete"))
    assert db.session.scalar(db.select(db.func.count(WatchedWord.id))) == 0


def test_a_blocking_word_refuses_the_comment_with_an_error_at_the_field(client, consultation,
                                                                         moderator):
    _watch(consultation, "idiot", WordAction.BLOCK, moderator=moderator)
    response = client.post_form(_thread(consultation), {"body": "You are an IDIÓT."})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="body-error"' in html
    assert "Your comment contains words that are not accepted here: idiot." in html
    assert "You are an IDIÓT." in html  # what they typed is kept
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_a_holding_word_keeps_the_comment_pending_with_a_reason_its_author_sees(
        client, as_moderator, app, consultation, moderator):
    _watch(consultation, "كلب", WordAction.HOLD, language="ar", moderator=moderator)
    author = app.test_client()
    response = author.post_form(_thread(consultation), {"body": "هذا الرجل كـلـب"},
                                query_string={"lang": "ar"})
    comment = db.session.scalar(db.select(Comment))
    assert (comment.state, comment.moderation_reason) == (CommentState.PENDING, "watched_word")
    decision = db.session.scalar(db.select(ModerationDecision))
    assert (decision.action, decision.automatic) == (Action.HOLD, True)
    # The author wrote in Arabic: the reason is told in Arabic, on the next page they see.
    html = author.get(response.headers["Location"]).get_data(as_text=True)
    with app.test_request_context():
        assert translated("ar", "Your comment waits for a moderator because it contains words "
                                "they read first. Until a moderator has read it, only you can "
                                "see it.") in html
    queue = as_moderator.get(queue_url(consultation, "?tab=held")).get_data(as_text=True)
    assert "هذا الرجل كـلـب" in queue and "كلب" in queue
    assert "هذا الرجل" not in as_moderator.get(queue_url(consultation)).get_data(as_text=True)


def test_a_flagging_word_publishes_the_comment_and_queues_it(client, as_moderator,
                                                             consultation, moderator):
    _watch(consultation, "police", WordAction.FLAG, moderator=moderator)
    client.post_form(_thread(consultation), {"body": "The Police came late."})
    comment = db.session.scalar(db.select(Comment))
    assert comment.state is CommentState.PUBLISHED
    flag = db.session.scalar(db.select(ScreeningFlag))
    assert (flag.action, flag.reason, flag.words, flag.open) == (
        WordAction.FLAG, Reason.WATCHED_WORD, "police", True)
    html = as_moderator.get(queue_url(consultation, "?tab=held")).get_data(as_text=True)
    assert "The Police came late." in html


def test_a_word_watched_in_one_language_leaves_comments_in_another_alone(client, consultation,
                                                                         moderator):
    _watch(consultation, "con", WordAction.BLOCK, language="fr", moderator=moderator)
    response = client.post_form(_thread(consultation), {"body": "A pro and a con."})
    assert response.status_code == 303


def test_personal_information_holds_the_comment_and_tells_the_author_why(app, consultation):
    author = app.test_client()
    response = author.post_form(_thread(consultation), {
        "body": "The officer took money. Call me on +255 712 345 678."})
    comment = db.session.scalar(db.select(Comment))
    assert (comment.state, comment.moderation_reason) == (CommentState.PENDING,
                                                          "personal_information")
    html = author.get(response.headers["Location"]).get_data(as_text=True)
    assert "seems to hold a phone number or an e-mail address" in html
    assert "Why: Personal information." in html
    flag = db.session.scalar(db.select(ScreeningFlag))
    assert flag.words == "" and "712" not in flag.words  # the number is not copied anywhere
    assert "+255" not in app.test_client().get(_thread(consultation)).get_data(as_text=True)


def test_the_api_screens_too(client, consultation, moderator):
    _watch(consultation, "idiot", WordAction.BLOCK, moderator=moderator)
    url = f"/api/v1/consultations/{consultation.slug}/comments"
    headers = {"Participant-Key": "p" * 20}
    refused = client.post(url, json={"body": "idiot"}, headers=headers)
    assert refused.status_code == 422 and "idiot" in refused.get_json()["errors"]["body"]
    held = client.post(url, json={"body": "mail me at a@example.org", "language": "fr"},
                       headers=headers)
    assert held.status_code == 201
    body = held.get_json()
    assert (body["state"], body["held_because"]) == ("pending", "personal_information")
    assert "adresse" in body["message"] or "e-mail" in body["message"]
