"""Statement votes: one per participant and comment, the latest wins, counters kept exact.

A vote is one upsert (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike) that
also returns the choice it replaced, then one relative UPDATE of the comment's counters. Two
votes of one person racing are serialised by the row lock of the upsert, and each one
corrects the counters by exactly what it replaced, so the counts always equal the votes.
"""
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, update

from consult.analysis.routing import priority
from consult.comments.models import COUNTER, Comment, Vote, VoteChoice
from consult.comments.revisions import mark_changed
from consult.consultations.models import Consultation
from consult.extensions import db, upsert_insert


@dataclass(frozen=True)
class Tally:
    """A comment's vote counts after a vote."""

    agree: int
    disagree: int
    passes: int


@lru_cache(maxsize=4)
def _upsert(dialect: str):
    """INSERT ... ON CONFLICT DO UPDATE ... RETURNING the replaced choice, built once."""
    table = Vote.__table__
    insert = upsert_insert(table, dialect)
    return insert.on_conflict_do_update(
        index_elements=[table.c.comment_id, table.c.voter_key],
        set_={"previous": table.c.choice, "choice": insert.excluded.choice},
    ).returning(table.c.previous)


@lru_cache(maxsize=16)
def _count_update(choice: VoteChoice, previous: VoteChoice | None):
    """UPDATE of a comment's counters for a vote replacing previous, built once per pair."""
    table = Comment.__table__
    changes = {COUNTER[choice]: table.c[COUNTER[choice]] + 1, "priority": bindparam("new_priority")}
    if previous is not None:
        changes[COUNTER[previous]] = table.c[COUNTER[previous]] - 1
    return (update(table).where(table.c.id == bindparam("comment"))
            .values(changes)
            .returning(table.c.agree_count, table.c.disagree_count, table.c.pass_count))


def cast_vote(comment, voter_key: str, choice: VoteChoice) -> Tally:
    """Record voter_key's vote on comment (replacing any earlier one); the new counts.

    comment: a Comment, or any row with its id, consultation_id, is_meta and counts. It must
    be published (the caller checks). Flushes, never commits.
    """
    db.session.flush()
    connection = db.session.connection()
    previous = connection.execute(_upsert(connection.dialect.name), {
        "comment_id": comment.id, "consultation_id": comment.consultation_id,
        "voter_key": voter_key, "choice": choice, "previous": None}).scalar_one()
    mark_changed(comment.consultation_id, comment.id)  # Core statements: not noticed
    expected = {c: getattr(comment, COUNTER[c]) or 0 for c in VoteChoice}
    if previous is choice:
        return Tally(expected[VoteChoice.AGREE], expected[VoteChoice.DISAGREE],
                     expected[VoteChoice.PASS])
    expected[choice] += 1
    if previous is not None:
        expected[previous] -= 1
    # The priority is computed from the counts this request expects; when a parallel vote
    # got in between, the RETURNING tells, and the priority is written again.
    row = connection.execute(_count_update(choice, previous), {
        "comment": comment.id, "new_priority": _priority(comment, expected)}).one()
    tally = Tally(*row)
    actual = {VoteChoice.AGREE: tally.agree, VoteChoice.DISAGREE: tally.disagree,
              VoteChoice.PASS: tally.passes}
    if actual != expected:
        connection.execute(update(Comment.__table__).where(Comment.__table__.c.id == comment.id)
                           .values(priority=_priority(comment, actual)))
    if isinstance(comment, Comment):
        db.session.expire(comment, ["agree_count", "disagree_count", "pass_count", "priority"])
    return tally


def vote_target(comment_id: int):
    """What casting a vote on a comment needs, in one small query: the comment's id,
    consultation_id, comment_state, is_meta, extremity and counts, and its consultation's
    state, closes_on, time_zone (for its effective state) and participation_mode; None when
    there is no such comment."""
    return db.session.execute(
        db.select(Comment.id, Comment.consultation_id, Comment.state.label("comment_state"),
                  Comment.is_meta, Comment.extremity, Comment.agree_count,
                  Comment.disagree_count, Comment.pass_count, Consultation.state,
                  Consultation.closes_on, Consultation.time_zone,
                  Consultation.participation_mode)
        .join(Consultation, Consultation.id == Comment.consultation_id)
        .filter(Comment.id == comment_id)).one_or_none()


def _priority(comment: Comment, counts: dict[VoteChoice, int]) -> float:
    return priority(sum(counts.values()), counts[VoteChoice.AGREE], counts[VoteChoice.PASS],
                    extremity=comment.extremity or 0.0, meta=comment.is_meta)


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
