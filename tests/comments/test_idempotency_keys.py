"""Idempotency keys belong to their author and to one comment, on the web form and the API.

The attack: another participant (a shared phone's next user, a proxy that logged the form)
replays your comment form's key to read where your comment is, or to stand in for it.
"""
from consult.comments.models import Comment
from consult.extensions import db

MINE = "Please light the market road. Call me: 0712 345 678"


def _thread(consultation):
    return f"/consultations/{consultation.slug}/comments"


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(Comment.id)))


def test_another_participant_replaying_your_key_cannot_read_or_overwrite_your_comment(
        app, client, consultation):
    first = client.post_form(_thread(consultation), {"body": MINE, "idempotency_key": "k-mine"})
    assert first.status_code == 303
    mine = db.session.scalar(db.select(Comment))
    attacker = app.test_client()
    for body in (MINE, "Overwritten by someone else"):
        response = attacker.post_form(_thread(consultation),
                                      {"body": body, "idempotency_key": "k-mine"})
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "Location" not in response.headers
        assert "already used to send another comment" in html and 'id="body-error"' in html
        assert f"c{mine.id}" not in response.headers.get("Location", "")
    db.session.refresh(mine)
    assert _count() == 1 and mine.body == MINE


def test_same_key_with_another_body_is_refused_and_the_same_body_replays(client,
                                                                          consultation):
    url = _thread(consultation)
    first = client.post_form(url, {"body": MINE, "idempotency_key": "k-1"})
    again = client.post_form(url, {"body": MINE, "idempotency_key": "k-1"})
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    changed = client.post_form(url, {"body": "Something else", "idempotency_key": "k-1"})
    assert changed.status_code == 422
    assert "Something else" in changed.get_data(as_text=True)  # the text stays in the form
    elsewhere = client.post_form(f"/consultations/{consultation.slug}/sections/1",
                                 {"body": MINE, "idempotency_key": "k-1"})
    assert elsewhere.status_code == 422
    assert _count() == 1


def test_a_redacted_comment_still_recognises_its_replay(client, consultation, make_user):
    from consult.accounts.models import Role
    from consult.moderation import services as moderation
    from consult.moderation.models import Action, Reason

    url, text = _thread(consultation), "Light the road by Mama Njeri's stall, please."
    first = client.post_form(url, {"body": text, "idempotency_key": "k-r"})
    comment = db.session.scalar(db.select(Comment))
    moderator = make_user(consultation.host, Role.MODERATOR)
    moderation.decide(comment, Action.REDACT, Reason.PERSONAL_INFORMATION, moderator, "",
                      ["Mama Njeri's"])
    db.session.commit()
    assert comment.redacted and "Njeri" not in comment.body
    again = client.post_form(url, {"body": text, "idempotency_key": "k-r"})
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]


API_ME = {"Participant-Key": "an-app-made-participant-key-0001"}


def _api_post(client, consultation, body: dict, participant=API_ME, key="api-k"):
    return client.post(f"/api/v1/consultations/{consultation.slug}/comments", json=body,
                       headers={**participant, "Idempotency-Key": key})


def test_api_same_key_with_another_body_or_author_is_422(client, consultation):
    first = _api_post(client, consultation, {"body": MINE})
    assert first.status_code == 201
    assert _api_post(client, consultation, {"body": MINE}).get_json() == first.get_json()
    for body in ({"body": "Another text"}, {"body": MINE, "section": 1}):
        refused = _api_post(client, consultation, body)
        assert refused.status_code == 422 and "Idempotency-Key" in refused.get_json()["error"]
    other = {"Participant-Key": "someone-else-entirely-0002"}
    stolen = _api_post(client, consultation, {"body": MINE}, participant=other)
    assert stolen.status_code == 422 and str(first.get_json()["id"]) not in stolen.get_data(
        as_text=True)
    assert _count() == 1
