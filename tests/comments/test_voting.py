"""Voting with plain buttons (and JSON for the script), and the one-at-a-time vote page."""
from consult.comments.models import CommentState, Vote, VoteChoice
from consult.comments.routing import next_statement
from consult.comments.votes import cast_vote
from consult.consultations.lifecycle import ParticipationMode, State
from consult.extensions import db


def _vote_url(consultation, comment):
    return f"/consultations/{consultation.slug}/comments/{comment.id}/vote"


def test_a_vote_button_counts_and_returns_to_the_page(client, consultation, make_comment):
    comment = make_comment(consultation)
    back = f"/consultations/{consultation.slug}/comments?sort=agreed#c{comment.id}"
    response = client.post_form(_vote_url(consultation, comment), {"vote": "agree",
                                                                   "next": back})
    assert response.status_code == 303 and response.headers["Location"] == back
    html = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    assert 'value="agree" aria-pressed="true">Agree <b>1</b>' in html


def test_the_latest_vote_wins_through_the_page(client, consultation, make_comment):
    comment = make_comment(consultation)
    for choice in ("agree", "disagree", "pass", "disagree"):
        client.post_form(_vote_url(consultation, comment), {"vote": choice})
    db.session.refresh(comment)
    assert (comment.agree_count, comment.disagree_count, comment.pass_count) == (0, 1, 0)
    assert db.session.scalar(db.select(Vote.choice)) is VoteChoice.DISAGREE


def test_the_script_gets_the_counts_as_json(client, consultation, make_comment):
    comment = make_comment(consultation)
    response = client.post_form(_vote_url(consultation, comment), {"vote": "pass"},
                                headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json() | {"message": ""} == {"vote": "pass", "agree": 0,
                                                      "disagree": 0, "pass": 1, "message": ""}


def test_next_is_never_another_site(client, consultation, make_comment):
    comment = make_comment(consultation)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example",
                   "/\t/evil.example", " //evil.example"):
        response = client.post_form(_vote_url(consultation, comment), {"vote": "agree",
                                                                       "next": target})
        assert response.headers["Location"] == (f"/consultations/{consultation.slug}/comments/"
                                                f"{comment.id}")


def test_votes_are_refused_when_closed_unknown_or_not_published(client, make_consultation,
                                                                make_comment):
    consultation = make_consultation()
    pending = make_comment(consultation, state=CommentState.PENDING)
    published = make_comment(consultation)
    assert client.post_form(_vote_url(consultation, pending), {"vote": "agree"}
                            ).status_code == 409
    assert client.post_form(_vote_url(consultation, published), {"vote": "maybe"}
                            ).status_code == 400
    consultation.state = State.CLOSED
    db.session.commit()
    assert client.post_form(_vote_url(consultation, published), {"vote": "agree"}
                            ).status_code == 409
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0


def test_codename_consultation_sends_voters_to_get_one(client, make_consultation, make_comment):
    consultation = make_consultation(participation_mode=ParticipationMode.CODENAME)
    comment = make_comment(consultation)
    response = client.post_form(_vote_url(consultation, comment), {"vote": "agree"})
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0
    assert client.post_form(_vote_url(consultation, comment), {"vote": "agree"},
                            headers={"Accept": "application/json"}).status_code == 403


def test_routing_shows_new_and_clearly_agreed_statements_first(consultation, make_comment):
    old, fresh = make_comment(consultation, body="old"), make_comment(consultation, body="fresh")
    for n in range(30):
        cast_vote(old, f"v{n}", VoteChoice.PASS if n % 2 else VoteChoice.AGREE)
    db.session.commit()
    first = next_statement(consultation.id, "me", choose=lambda c, w: c[0])
    assert first.id == fresh.id
    cast_vote(fresh, "me", VoteChoice.AGREE)
    assert next_statement(consultation.id, "me", choose=lambda c, w: c[0]).id == old.id
    cast_vote(old, "me", VoteChoice.AGREE)
    assert next_statement(consultation.id, "me") is None


def test_replies_and_unpublished_comments_are_not_routed(consultation, make_comment):
    top = make_comment(consultation)
    make_comment(consultation, parent=top)
    make_comment(consultation, state=CommentState.PENDING)
    cast_vote(top, "me", VoteChoice.AGREE)
    assert next_statement(consultation.id, "me") is None


def test_the_vote_page_walks_through_every_statement(client, consultation, make_comment):
    for n in range(3):
        make_comment(consultation, body=f"Statement {n}")
    url = f"/consultations/{consultation.slug}/vote"
    seen = set()
    for _ in range(3):
        html = client.get(url).get_data(as_text=True)
        statement = next(n for n in range(3) if f"Statement {n}" in html)
        assert statement not in seen
        seen.add(statement)
        comment_id = int(html.split('<article class="statement" id="c')[1].split('"')[0])
        response = client.post_form(
            f"/consultations/{consultation.slug}/comments/{comment_id}/vote",
            {"vote": "agree", "next": f"{url}?recorded=1"})
        assert response.headers["Location"] == f"{url}?recorded=1"
    html = client.get(f"{url}?recorded=1").get_data(as_text=True)
    assert "You have voted on every statement" in html and "You have voted on 3 statements" in html
    assert "Your vote is counted" in html


def test_the_vote_page_of_a_closed_consultation_explains(client, make_consultation,
                                                        make_comment):
    consultation = make_consultation(state=State.CLOSED)
    make_comment(consultation)
    html = client.get(f"/consultations/{consultation.slug}/vote").get_data(as_text=True)
    assert "not taking comments or votes" in html and 'name="vote"' not in html


def test_the_consultation_page_counts_comments_and_links_to_them(client, consultation,
                                                                 make_comment):
    make_comment(consultation)
    make_comment(consultation, state=CommentState.PENDING)
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "1 comment so far." in html
    assert f'href="/consultations/{consultation.slug}/comments"' in html
    assert f'href="/consultations/{consultation.slug}/vote"' in html
