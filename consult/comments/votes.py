"""Statement votes: one per participant and comment, the latest wins, counters kept exact.

A vote is one upsert (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike) that
also returns the choice it replaced, then one relative UPDATE of the comment's counters. Two
votes of one person racing are serialised by the row lock of the upsert, and each one
corrects the counters by exactly what it replaced, so the counts always equal the votes.
"""
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite

from consult.analysis.routing import priority
from consult.comments.models import COUNTER, Comment, Vote, VoteChoice
from consult.extensions import db


@dataclass(frozen=True)
class Tally:
    """A comment's vote counts after a vote."""

    agree: int
    disagree: int
    passes: int


def _insert():
    return postgresql.insert if db.session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert


def cast_vote(comment: Comment, voter_key: str, choice: VoteChoice) -> Tally:
    """Record voter_key's vote on comment (replacing any earlier one); the new counts.

    The comment must be published (the caller checks). Flushes, never commits.
    """
    insert = _insert()(Vote).values(comment_id=comment.id, consultation_id=comment.consultation_id,
                                    voter_key=voter_key, choice=choice, previous=None)
    upsert = insert.on_conflict_do_update(
        index_elements=[Vote.comment_id, Vote.voter_key],
        set_={"previous": Vote.__table__.c.choice, "choice": insert.excluded.choice},
    ).returning(Vote.__table__.c.previous)
    db.session.flush()
    previous = db.session.execute(upsert).scalar_one()
    previous = VoteChoice(previous) if isinstance(previous, str) else previous
    expected = {c: getattr(comment, COUNTER[c]) or 0 for c in VoteChoice}
    if previous is choice:
        return Tally(expected[VoteChoice.AGREE], expected[VoteChoice.DISAGREE],
                     expected[VoteChoice.PASS])
    changes = {COUNTER[choice]: getattr(Comment, COUNTER[choice]) + 1}
    expected[choice] += 1
    if previous is not None:
        changes[COUNTER[previous]] = getattr(Comment, COUNTER[previous]) - 1
        expected[previous] -= 1
    # The priority is computed from the counts this request expects; when a parallel vote
    # got in between, the RETURNING tells, and the priority is written again.
    guess = _priority(comment, expected)
    row = db.session.execute(
        db.update(Comment).where(Comment.id == comment.id)
        .values(priority=guess, **changes)
        .returning(Comment.agree_count, Comment.disagree_count, Comment.pass_count)
        .execution_options(synchronize_session=False)).one()
    tally = Tally(*row)
    actual = {VoteChoice.AGREE: tally.agree, VoteChoice.DISAGREE: tally.disagree,
              VoteChoice.PASS: tally.passes}
    if actual != expected:
        db.session.execute(db.update(Comment).where(Comment.id == comment.id)
                           .values(priority=_priority(comment, actual))
                           .execution_options(synchronize_session=False))
    db.session.expire(comment, ["agree_count", "disagree_count", "pass_count", "priority"])
    return tally


def _priority(comment: Comment, counts: dict[VoteChoice, int]) -> float:
    return priority(sum(counts.values()), counts[VoteChoice.AGREE], counts[VoteChoice.PASS],
                    meta=comment.is_meta)


def votes_of(voter_key: str | None, comment_ids: list[int]) -> dict[int, VoteChoice]:
    """voter_key's votes on these comments, by comment id (one query)."""
    if not voter_key or not comment_ids:
        return {}
    rows = db.session.execute(db.select(Vote.comment_id, Vote.choice)
                              .filter(Vote.voter_key == voter_key,
                                      Vote.comment_id.in_(comment_ids)))
    return {comment_id: choice for comment_id, choice in rows}


def votes_cast(voter_key: str | None, consultation_id: int) -> int:
    """How many statements of a consultation voter_key has voted on."""
    if not voter_key:
        return 0
    return db.session.scalar(db.select(db.func.count(Vote.id)).filter(
        Vote.consultation_id == consultation_id, Vote.voter_key == voter_key)) or 0
