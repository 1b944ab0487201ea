"""The comments API: list, post (idempotent), vote with a Participant-Key; clear errors."""
import pytest

from consult.comments import services
from consult.comments.models import Comment, CommentState, Vote
from consult.consultations.lifecycle import ModerationMode, ParticipationMode, State
from consult.extensions import db

ME = {"Participant-Key": "a-random-key-made-by-the-app-0001"}


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()


def _comments(client, consultation, **params):
    return client.get(f"/api/v1/consultations/{consultation.slug}/comments",
                      query_string=params)


def _post(client, consultation, body, **headers):
    return client.post(f"/api/v1/consultations/{consultation.slug}/comments", json=body,
                       headers={**ME, **headers})


def test_post_then_list_a_comment_and_a_reply(client, consultation):
    response = _post(client, consultation, {"body": "Lights, please", "section": 2})
    assert response.status_code == 201 and response.get_json()["state"] == "published"
    parent = response.get_json()["id"]
    reply = _post(client, consultation, {"body": "Yes", "parent_id": parent, "language": "fr"})
    assert reply.status_code == 201
    listed = _comments(client, consultation).get_json()
    first, second = listed["comments"]
    assert first["body"] == "Lights, please" and first["section"] == 2 and first["replies"] == 1
    assert second["parent_id"] == parent and second["section"] == 2
    assert second["language"] == "fr" and listed["next"] is None
    assert first["votes"] == {"agree": 0, "disagree": 0, "pass": 0}
    assert first["author"] == second["author"] and "key" not in str(listed)
    stored = db.session.get(Comment, parent).author_key
    assert stored.startswith("api:") and ME["Participant-Key"] not in stored


def test_only_published_comments_are_listed_a_page_at_a_time(client, consultation):
    for n in range(105):
        services.post_comment(consultation, "k", f"c{n}", "en")
    services.post_comment(consultation, "k", "held", "en", state=CommentState.PENDING)
    db.session.commit()
    page = _comments(client, consultation).get_json()
    assert len(page["comments"]) == 100 and page["next"]
    rest = _comments(client, consultation, after=page["next"]).get_json()
    assert [c["body"] for c in rest["comments"]] == ["c100", "c101", "c102", "c103", "c104"]


def test_a_replayed_post_makes_one_comment(client, consultation):
    bodies = [_post(client, consultation, {"body": "Once"}, **{"Idempotency-Key": "k1"})
              for _ in range(2)]
    assert {b.get_json()["id"] for b in bodies} == {bodies[0].get_json()["id"]}
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1
    other = client.post(f"/api/v1/consultations/{consultation.slug}/comments",
                        json={"body": "Twice"}, headers={
                            "Participant-Key": "someone-else-entirely-0002",
                            "Idempotency-Key": "k1"})
    assert other.status_code == 422


def test_pre_moderation_makes_it_pending(client, make_consultation):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE)
    response = _post(client, consultation, {"body": "Check me"})
    assert response.get_json()["state"] == "pending"
    assert _comments(client, consultation).get_json()["comments"] == []


@pytest.mark.parametrize("body,field", [({"body": ""}, "body"), ({"body": "x" * 2001}, "body"),
                                        ({"body": "x", "section": 9}, "section"),
                                        ({"body": "x", "parent_id": 999}, "parent_id")])
def test_invalid_comments_get_a_message_per_field(client, consultation, body, field):
    response = _post(client, consultation, body)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_errors_are_in_the_comments_language(client, consultation):
    from flask_babel import force_locale, gettext

    response = _post(client, consultation, {"body": "", "language": "fr"})
    with force_locale("fr"):
        expected = gettext("Write your comment first.")
    assert response.get_json()["errors"]["body"] == expected


def test_refusals(client, make_consultation, consultation):
    assert client.post(f"/api/v1/consultations/{consultation.slug}/comments",
                       data={"body": "x"}, headers=ME).status_code == 415
    assert client.post(f"/api/v1/consultations/{consultation.slug}/comments",
                       json={"body": "x"}).status_code == 400  # no Participant-Key
    closed = make_consultation(state=State.CLOSED)
    assert _post(client, closed, {"body": "x"}).status_code == 409
    codename = make_consultation(participation_mode=ParticipationMode.CODENAME)
    assert _post(client, codename, {"body": "x"}).status_code == 403
    draft = make_consultation(state=State.DRAFT)
    assert _post(client, draft, {"body": "x"}).status_code == 404
    assert _comments(client, draft).status_code == 404


def test_votes_latest_wins_per_participant_key(client, consultation):
    comment = services.post_comment(consultation, "k", "Statement", "en")
    db.session.commit()
    url = f"/api/v1/comments/{comment.id}/votes"
    assert client.post(url, json={"vote": "agree"}, headers=ME).get_json() == {
        "vote": "agree", "agree": 1, "disagree": 0, "pass": 0}
    assert client.post(url, json={"vote": "disagree"}, headers=ME).get_json() == {
        "vote": "disagree", "agree": 0, "disagree": 1, "pass": 0}
    other = {"Participant-Key": "another-participant-key-0003"}
    assert client.post(url, json={"vote": "disagree"}, headers=other).get_json()[
        "disagree"] == 2
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 2
    assert client.post(url, json={"vote": "maybe"}, headers=ME).status_code == 422
    assert client.post(url, data={"vote": "agree"}, headers=ME).status_code == 415
    assert client.post("/api/v1/comments/999/votes", json={"vote": "agree"},
                       headers=ME).status_code == 404


def test_no_votes_on_pending_comments_or_closed_consultations(client, make_consultation):
    consultation = make_consultation()
    pending = services.post_comment(consultation, "k", "x", "en", state=CommentState.PENDING)
    published = services.post_comment(consultation, "k", "y", "en")
    db.session.commit()
    assert client.post(f"/api/v1/comments/{pending.id}/votes", json={"vote": "agree"},
                       headers=ME).status_code == 409
    consultation.state = State.CLOSED
    db.session.commit()
    assert client.post(f"/api/v1/comments/{published.id}/votes", json={"vote": "agree"},
                       headers=ME).status_code == 409


def test_the_openapi_document_describes_the_comment_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/consultations/{slug}/comments"])
    assert "post" in paths["/comments/{comment_id}/votes"]
