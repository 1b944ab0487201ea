"""Votes: latest wins, one per participant and comment, counters equal the votes."""
import pytest

from consult.analysis.routing import priority
from consult.comments.models import Comment, Vote, VoteChoice
from consult.comments.votes import cast_vote, votes_cast, votes_of
from consult.extensions import db

AGREE, DISAGREE, PASS = VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.PASS


def _counts(comment):
    db.session.refresh(comment)
    return comment.agree_count, comment.disagree_count, comment.pass_count


def _recount(comment):
    found = {choice: n for choice, n in db.session.execute(
        db.select(Vote.choice, db.func.count()).filter_by(comment_id=comment.id)
        .group_by(Vote.choice))}
    return found.get(AGREE, 0), found.get(DISAGREE, 0), found.get(PASS, 0)


def test_the_latest_vote_wins_and_counts_follow(consultation, make_comment):
    comment = make_comment(consultation)
    tally = cast_vote(comment, "v1", AGREE)
    assert (tally.agree, tally.disagree, tally.passes) == (1, 0, 0)
    cast_vote(comment, "v2", AGREE)
    cast_vote(comment, "v1", DISAGREE)
    cast_vote(comment, "v1", DISAGREE)  # the same vote again changes nothing
    tally = cast_vote(comment, "v3", PASS)
    db.session.commit()
    assert (tally.agree, tally.disagree, tally.passes) == (1, 1, 1)
    assert _counts(comment) == _recount(comment) == (1, 1, 1)
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 3
    assert votes_of("v1", [comment.id]) == {comment.id: DISAGREE}
    assert votes_cast("v1", consultation.id) == 1 and votes_cast(None, consultation.id) == 0


def test_the_priority_follows_the_counts(consultation, make_comment):
    comment = make_comment(consultation)
    assert comment.priority == pytest.approx(priority(0, 0, 0))
    for n, choice in enumerate([AGREE, AGREE, PASS, DISAGREE]):
        cast_vote(comment, f"v{n}", choice)
    db.session.commit()
    db.session.refresh(comment)
    assert comment.priority == pytest.approx(priority(4, 2, 1))


def test_a_stale_comment_still_gets_exact_counts_and_priority(consultation, make_comment):
    """Another worker's vote landed after this request read the comment."""
    comment = make_comment(consultation)
    db.session.execute(db.update(Comment).filter_by(id=comment.id).values(agree_count=5))
    db.session.expire_all()
    stale = db.session.get(Comment, comment.id)
    db.session.execute(db.update(Comment).filter_by(id=comment.id).values(agree_count=6))
    tally = cast_vote(stale, "v1", AGREE)
    db.session.commit()
    assert tally.agree == 7
    db.session.refresh(stale)
    assert stale.priority == pytest.approx(priority(7, 7, 0))


def test_priority_favours_new_statements_and_strong_signal():
    assert priority(0, 0, 0) > priority(20, 10, 0)
    assert priority(10, 8, 0) > priority(10, 2, 6)  # passes are weak signal
    assert priority(10, 5, 0, extremity=1.0) > priority(10, 5, 0)
    assert priority(100, 0, 0, meta=True) == 49.0
