"""Downloading everything one contributed: as an attachment no cache keeps, with their own
answers, comments, votes, reports and appeals, and nothing of anyone else."""
import json

from consult.comments.models import Comment, CommentState
from consult.comments.services import post_comment as stored_comment
from consult.extensions import db
from consult.moderation.models import Action, Reason
from consult.moderation.services import decide
from tests.participants.conftest import answer, post_comment


def _download(client) -> tuple[object, dict]:
    response = client.get("/receipt/download")
    return response, json.loads(response.get_data(as_text=True))


def test_download_is_an_uncached_attachment_of_everything_they_sent(
        app, client, consultation, make_user):
    receipt = answer(client, consultation, comment="Buses at night")
    mine = post_comment(client, consultation, "My own words about the port")
    theirs = stored_comment(consultation, "someone-else", "Their words, not mine", "en",
                            state=CommentState.PUBLISHED)
    db.session.commit()
    client.post_form(f"/consultations/{consultation.slug}/comments/{theirs.id}/vote",
                     {"vote": "agree"})
    client.post_form(f"/consultations/{consultation.slug}/comments/{theirs.id}/report",
                     {"reason": "spam", "note": "Looks like an advert"})
    response, document = _download(client)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.mimetype == "application/json"
    [counted] = document["responses"]
    assert counted["receipt"] == receipt and counted["state"] == "submitted"
    assert counted["answers"]["comment"] == "Buses at night"
    assert counted["answers"]["trust"] == 5 and counted["answers"]["role"] == "youth"
    assert [c["id"] for c in document["comments"]] == [mine]
    assert document["comments"][0]["text"] == "My own words about the port"
    assert document["votes"] == [{"consultation": consultation.slug, "comment": theirs.id,
                                  "vote": "agree"}]
    assert document["reports"][0]["note"] == "Looks like an advert"
    body = response.get_data(as_text=True)
    assert "Their words, not mine" not in body and "someone-else" not in body


def test_download_lists_decisions_and_appeals_on_their_comments(app, client, consultation,
                                                               make_user):
    from consult.accounts.models import Role

    mine = post_comment(client, consultation, "Words the moderators hid")
    moderator = make_user(consultation.host, Role.MODERATOR)
    comment = db.session.get(Comment, mine)
    [decision] = decide(comment, Action.HIDE, Reason.SPAM, moderator, note="Please rephrase")
    db.session.commit()
    client.post_form(f"/receipt/decisions/{decision.id}/appeal",
                     {"statement": "It was not spam at all"})
    _, document = _download(client)
    [entry] = document["comments"]
    assert entry["state"] == "hidden"
    assert entry["decisions"][0]["note"] == "Please rephrase"
    assert "moderator" not in json.dumps(entry["decisions"])  # no staff identity
    assert document["appeals"][0]["statement"] == "It was not spam at all"


def test_someone_with_another_receipt_cannot_download_yours(app, client, consultation):
    answer(client, consultation, comment="Only mine to read")
    post_comment(client, consultation, "A comment only I wrote")
    other = app.test_client()
    their_receipt = answer(other, consultation, role="trader", comment="Theirs")
    stranger = app.test_client()
    stranger.post_form("/receipt", {"receipt": their_receipt})
    response, document = _download(stranger)
    body = response.get_data(as_text=True)
    assert [r["receipt"] for r in document["responses"]] == [their_receipt]
    assert "Only mine to read" not in body and "A comment only I wrote" not in body


def test_a_visitor_with_nothing_gets_404_not_someone_elses_data(app, client, consultation):
    answer(client, consultation)
    assert app.test_client().get("/receipt/download").status_code == 404
