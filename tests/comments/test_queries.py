"""Thread pages cost a fixed number of SQL statements, however many comments, replies and
votes a thread holds (no N+1)."""
import pytest
from sqlalchemy import event

from consult.comments.models import Comment, VoteChoice
from consult.comments.votes import cast_vote
from consult.extensions import db


def _statements(app, client, url) -> int:
    count = 0

    def count_one(*_args):
        nonlocal count
        count += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count_one)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count_one)
    return count


def _fill(consultation, make_comment, comments: int, replies: int, section=None):
    for n in range(comments):
        top = make_comment(consultation, body=f"Top {n}", section=section, author=f"a{n}")
        cast_vote(top, "viewer-is-elsewhere", VoteChoice.AGREE)
        for r in range(replies):
            reply = make_comment(consultation, body=f"Reply {n}.{r}", parent=top, author="b")
            make_comment(consultation, body=f"Deeper {n}.{r}", parent=reply, author="c")
    db.session.commit()


@pytest.mark.parametrize("sort", ["newest", "agreed", "discussed", "unvoted"])
def test_thread_page_queries_do_not_grow_with_the_thread(app, client, make_consultation,
                                                         make_comment, sort):
    small, large = make_consultation(), make_consultation()
    _fill(small, make_comment, comments=2, replies=1)
    _fill(large, make_comment, comments=30, replies=4)
    # Following the redirect shows (and so forgets) each "published" message: both pages
    # below are then counted for the same reader in the same state.
    client.post_form(f"/consultations/{small.slug}/comments", {"body": "mine"},
                     follow_redirects=True)
    client.post_form(f"/consultations/{large.slug}/comments", {"body": "mine"},
                     follow_redirects=True)
    counts = [_statements(app, client, f"/consultations/{c.slug}/comments?sort={sort}")
              for c in (small, large)]
    assert counts[0] == counts[1] <= 12, counts


def test_section_and_comment_pages_queries_do_not_grow(app, client, make_consultation,
                                                       make_comment):
    small, large = make_consultation(), make_consultation()
    _fill(small, make_comment, comments=1, replies=1, section=small.sections[0])
    _fill(large, make_comment, comments=25, replies=25, section=large.sections[0])
    sections = [_statements(app, client, f"/consultations/{c.slug}/sections/1")
                for c in (small, large)]
    assert sections[0] == sections[1], sections
    tops = [db.session.scalar(db.select(db.func.min(Comment.id)).filter_by(
        consultation_id=s.id)) for s in (small, large)]
    pages = [_statements(app, client, f"/consultations/{s.slug}/comments/{t}")
             for s, t in zip((small, large), tops)]
    assert pages[0] == pages[1], pages
