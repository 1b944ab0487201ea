"""The vote page never offers participants their own statements."""
from consult.comments.models import Comment
from consult.comments.routing import next_statement
from consult.extensions import db


def test_vote_page_never_offers_a_participant_their_own_statement(client, consultation,
                                                                 make_comment):
    url = f"/consultations/{consultation.slug}/vote"
    for n in range(3):  # written through the form: the author is this browser's participant
        response = client.post_form(f"/consultations/{consultation.slug}/comments",
                                    {"body": f"My own statement {n}", "idempotency_key": f"k{n}"})
        assert response.status_code == 303
    other = make_comment(consultation, body="Someone else's statement", author="someone-else")
    html = client.get(url).get_data(as_text=True)
    assert "Someone else&#39;s statement" in html or "Someone else's statement" in html
    assert "My own statement" not in html
    client.post_form(f"/consultations/{consultation.slug}/comments/{other.id}/vote",
                     {"vote": "agree"})
    html = client.get(url).get_data(as_text=True)
    assert "You have voted on every statement" in html and "My own statement" not in html


def test_routing_skips_the_voters_own_statements(consultation, make_comment):
    mine = [make_comment(consultation, author="me") for _ in range(4)]
    theirs = make_comment(consultation, author="them")
    assert next_statement(consultation.id, "me").id == theirs.id
    assert next_statement(consultation.id, "them").id in {c.id for c in mine}
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 5
