"""Thread pages without JavaScript: post, reply, sort, page through, withdraw."""
import re

from consult.comments.models import Comment, CommentState
from consult.comments.pseudonyms import pseudonym
from consult.consultations.lifecycle import ModerationMode, ParticipationMode, State
from consult.extensions import db


def _url(consultation, rest=""):
    return f"/consultations/{consultation.slug}/comments{rest}"


def test_posting_a_comment_publishes_it_under_a_pseudonym(client, consultation):
    response = client.post_form(_url(consultation), {"body": "More street lights, please.",
                                                     "idempotency_key": "k-1"})
    assert response.status_code == 303
    comment = db.session.scalar(db.select(Comment))
    assert response.headers["Location"].endswith(f"/comments#c{comment.id}")
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "More street lights, please." in html and "Your comment is published" in html
    assert pseudonym(comment.author_key, consultation.id) in html
    assert comment.author_key not in html


def test_a_double_tap_makes_one_comment(client, consultation):
    for _ in range(2):
        client.post_form(_url(consultation), {"body": "Once", "idempotency_key": "same"})
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_an_empty_or_too_long_comment_is_refused_with_the_error_at_the_field(client,
                                                                             consultation):
    response = client.post_form(_url(consultation), {"body": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="body-error"' in html
    assert "Write your comment first." in html
    response = client.post_form(_url(consultation), {"body": "x" * 2001})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "2000 characters or fewer" in html
    assert "x" * 2001 in html  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_the_length_limit_is_stated_next_to_the_field(client, consultation):
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "up to 2000 characters" in html and 'maxlength="2000"' in html


def test_pending_comment_is_marked_and_shown_to_its_author_only(app, client, make_consultation):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE)
    client.post_form(_url(consultation), {"body": "Held for review"})
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "Held for review" in html and "Awaiting moderation" in html
    other = app.test_client()
    assert "Held for review" not in other.get(_url(consultation)).get_data(as_text=True)


def test_links_become_nofollow_anchors_and_html_stays_text(client, consultation, make_comment):
    make_comment(consultation, body="See https://example.org/a?b=1&c=2.\n<b>bold</b>\nnext line")
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert ('<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            'https://example.org/a?b=1&amp;c=2</a>.') in html
    assert "&lt;b&gt;bold&lt;/b&gt;<br>next line" in html


def test_javascript_links_are_not_made(client, consultation, make_comment):
    make_comment(consultation, body="javascript:alert(1) and www.example.org")
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert 'href="javascript' not in html
    assert '<a href="https://www.example.org" rel="nofollow ugc noopener">' in html


def test_pseudonyms_are_stable_in_a_consultation_and_differ_across(app, make_consultation):
    one, two = make_consultation(), make_consultation()
    assert pseudonym("k", one.id) == pseudonym("k", one.id) != pseudonym("k", two.id)
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+ \d{3}", pseudonym("k", one.id))


def test_replies_show_beneath_and_deeper_ones_continue_on_their_own_page(
        client, consultation, make_comment):
    top = make_comment(consultation, body="Top")
    first = make_comment(consultation, body="Level one", parent=top)
    second = make_comment(consultation, body="Level two", parent=first)
    make_comment(consultation, body="Level three", parent=second)
    for n in range(4):
        make_comment(consultation, body=f"Sibling {n}", parent=top)
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "Level one" in html and "Sibling 0" in html  # two replies shown
    assert "Level two" not in html and "Sibling 1" not in html
    assert f"/comments/{first.id}#reply\">1 reply" in html
    assert "3 more replies" in html
    page = client.get(_url(consultation, f"/{top.id}")).get_data(as_text=True)
    assert "Sibling 3" in page and "Level two" in page and "Level three" not in page
    assert f"/comments/{second.id}#reply\">1 reply" in page
    assert "Level three" in client.get(_url(consultation, f"/{second.id}")).get_data(as_text=True)


def test_a_reply_posted_on_a_comments_page(client, consultation, make_comment):
    top = make_comment(consultation, body="Top")
    response = client.post_form(_url(consultation, f"/{top.id}"), {"body": "I agree"})
    reply = db.session.scalar(db.select(Comment).filter_by(parent_id=top.id))
    assert response.headers["Location"].endswith(f"/comments/{top.id}#c{reply.id}")
    db.session.refresh(top)
    assert top.reply_count == 1 and reply.depth == 1


def test_pages_of_twenty_with_a_more_link_in_every_order(client, consultation, make_comment):
    for n in range(45):
        make_comment(consultation, body=f"Comment number {n:02d}")
    for sort in ("newest", "agreed", "discussed", "unvoted"):
        seen, url = [], _url(consultation, f"?sort={sort}")
        while url:
            html = client.get(url).get_data(as_text=True)
            seen += re.findall(r"Comment number (\d\d)", html)
            more = re.search(r'href="([^"]+)#comments">More comments', html)
            url = more.group(1).replace("&amp;", "&") if more else None
        assert sorted(seen) == [f"{n:02d}" for n in range(45)], sort
    newest = client.get(_url(consultation)).get_data(as_text=True)
    assert newest.index("Comment number 44") < newest.index("Comment number 43")


def test_most_agreed_and_most_discussed_orders(client, consultation, make_comment):
    from consult.comments.models import VoteChoice
    from consult.comments.votes import cast_vote

    quiet, liked, talked = (make_comment(consultation, body=b) for b in ("Quiet", "Liked",
                                                                          "Talked"))
    for n in range(3):
        cast_vote(liked, f"v{n}", VoteChoice.AGREE)
        make_comment(consultation, body=f"reply {n}", parent=talked)
    db.session.commit()
    agreed = client.get(_url(consultation, "?sort=agreed")).get_data(as_text=True)
    assert agreed.index("Liked") < agreed.index("Quiet")
    discussed = client.get(_url(consultation, "?sort=discussed")).get_data(as_text=True)
    assert discussed.index("Talked") < discussed.index("Liked")


def test_needs_your_vote_leaves_out_what_you_voted_on(client, consultation, make_comment):
    voted, fresh = make_comment(consultation, body="Voted"), make_comment(consultation,
                                                                          body="Fresh")
    client.post_form(_url(consultation, f"/{voted.id}/vote"), {"vote": "agree"})
    html = client.get(_url(consultation, "?sort=unvoted")).get_data(as_text=True)
    assert "Fresh" in html and "Voted" not in html
    assert fresh.id


def test_withdrawn_comment_shows_as_withdrawn_and_replies_stay(client, consultation,
                                                               make_comment):
    client.post_form(_url(consultation), {"body": "I take this back"})
    mine = db.session.scalar(db.select(Comment))
    make_comment(consultation, body="A reply that stays", parent=mine)
    response = client.post_form(_url(consultation, f"/{mine.id}/withdraw"))
    assert response.status_code == 303
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "I take this back" not in html and "Withdrawn by its author." in html
    assert "A reply that stays" in html


def test_participant_cannot_withdraw_someone_elses_comment(client, consultation, make_comment):
    theirs = make_comment(consultation, author="someone-else")
    response = client.post_form(_url(consultation, f"/{theirs.id}/withdraw"))
    assert response.status_code == 403
    db.session.refresh(theirs)
    assert theirs.state is CommentState.PUBLISHED


def test_no_comments_once_closed_but_the_thread_stays_readable(client, make_consultation,
                                                               make_comment):
    consultation = make_consultation(state=State.CLOSED)
    make_comment(consultation, body="Said while open")
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "Said while open" in html and "not taking comments" in html
    assert 'name="body"' not in html and 'name="vote"' not in html
    assert client.post_form(_url(consultation), {"body": "late"}).status_code == 409


def test_codename_consultation_asks_for_a_codename_before_commenting(client,
                                                                     make_consultation):
    consultation = make_consultation(participation_mode=ParticipationMode.CODENAME)
    html = client.get(_url(consultation)).get_data(as_text=True)
    assert "ask participants to use a codename" in html and 'name="body"' not in html
    client.post_form(_url(consultation), {"body": "Without codename"})
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0
    client.post_form("/codename")
    response = client.post_form(_url(consultation), {"body": "With codename"})
    assert response.status_code == 303
    assert db.session.scalar(db.select(Comment.body)) == "With codename"


def test_a_section_page_has_its_own_thread(client, consultation, make_comment):
    section = consultation.sections[0]
    make_comment(consultation, body="On the section", section=section)
    make_comment(consultation, body="On the whole")
    url = f"/consultations/{consultation.slug}/sections/{section.number}"
    html = client.get(url).get_data(as_text=True)
    assert "Body of section 1." in html and "On the section" in html
    assert "On the whole" not in html
    response = client.post_form(url, {"body": "Another on the section"})
    assert response.headers["Location"].endswith(f"/sections/{section.number}#c"
                                                 f"{db.session.scalar(db.select(db.func.max(Comment.id)))}")


def test_comment_pages_of_another_consultation_or_pending_are_404(client, consultation,
                                                                  make_comment,
                                                                  make_consultation):
    other = make_comment(make_consultation())
    assert client.get(_url(consultation, f"/{other.id}")).status_code == 404
    pending = make_comment(consultation, state=CommentState.PENDING, author="someone")
    assert client.get(_url(consultation, f"/{pending.id}")).status_code == 404
