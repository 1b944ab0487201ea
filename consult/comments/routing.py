"""The next statement for a participant to vote on (specs/opinion-groups.md §9).

The priority itself is pure maths (analysis/routing.py), stored on each comment and refreshed
by every vote; here the few highest-priority statements the participant has not voted on are
read through an index, and one is drawn at random weighted by priority, as Pol.is does, so
that people arriving together do not all get the same statement.
"""
import random
from typing import Callable

from sqlalchemy import exists

from consult.comments.models import Comment, CommentState, Vote
from consult.extensions import db

#: How many of the highest-priority statements the draw is among.
CANDIDATES = 5


def candidates(consultation_id: int, voter_key: str | None
               ) -> tuple[list[Comment], list[float]]:
    """The CANDIDATES statements the next one is drawn among, with their weights: published
    top-level statements voter_key neither wrote nor voted on, highest priority first (a
    participant is never asked to react to their own words)."""
    query = db.select(Comment).filter(
        Comment.consultation_id == consultation_id, Comment.parent_id.is_(None),
        Comment.state == CommentState.PUBLISHED)
    if voter_key:
        query = query.filter(Comment.author_key != voter_key,
                             ~exists().where(Vote.comment_id == Comment.id,
                                             Vote.voter_key == voter_key))
    found = list(db.session.scalars(
        query.order_by(Comment.priority.desc(), Comment.id.desc()).limit(CANDIDATES)))
    return found, [max(c.priority, 1e-9) for c in found]


def next_statement(consultation_id: int, voter_key: str | None,
                   choose: Callable[[list[Comment], list[float]], Comment] | None = None
                   ) -> Comment | None:
    """A statement for voter_key to vote on (see candidates), or None when none is left.

    choose(candidates, weights) picks one; by default a priority-weighted random draw.
    """
    found, weights = candidates(consultation_id, voter_key)
    if not found:
        return None
    if choose is None:
        return random.choices(found, weights=weights)[0]
    return choose(found, weights)
