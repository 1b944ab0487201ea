"""Opinion groups of a consultation: its statement votes, read in bulk, through the pure
analysis in consult/analysis/opinion_groups.py."""
from dataclasses import dataclass

from consult.analysis.opinion_groups import (
    OpinionGroups,
    compute_opinion_groups,
    early_clustered,
    vote_matrix,
)
from consult.comments.models import Comment, CommentState, Vote, VoteChoice
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.security import keyed_hash

#: Pol.is's sign convention is irrelevant to the groups; ours: agree 1, disagree -1, pass 0.
VALUE = {VoteChoice.AGREE: 1, VoteChoice.DISAGREE: -1, VoteChoice.PASS: 0}
#: Statements left out of the grouping (their columns zeroed, as the spec requires).
MODERATED_OUT = (CommentState.REJECTED, CommentState.HIDDEN)
IMPORTED_PREFIX = "polis:"


@dataclass(frozen=True)
class ConsultationOpinions:
    """The groups, with each participant's public label (never their session key)."""

    result: OpinionGroups
    label: dict[str, str]


def participant_label(voter_key: str) -> str:
    """An imported participant's external id; for our own participants a keyed hash, since
    their key is what their session holds and must never be printed."""
    if voter_key.startswith(IMPORTED_PREFIX):
        return voter_key.removeprefix(IMPORTED_PREFIX)
    return "p-" + keyed_hash(voter_key, "opinion-group-label")[:12]


def consultation_opinions(consultation: Consultation) -> ConsultationOpinions:
    """Opinion groups from every vote on the consultation's statements."""
    statements = db.session.execute(
        db.select(Comment.id, Comment.state, Comment.is_meta)
        .filter(Comment.consultation_id == consultation.id,
                Comment.state != CommentState.WITHDRAWN)
        .order_by(Comment.id)).all()
    statement_ids = [row.id for row in statements]
    moderated_out = {row.id for row in statements
                     if row.state in MODERATED_OUT or row.is_meta}
    # Vote ids follow the first vote of each pair: the order Pol.is saw participants arrive.
    votes = db.session.execute(
        db.select(Vote.voter_key, Vote.comment_id, Vote.choice)
        .filter(Vote.consultation_id == consultation.id)
        .order_by(Vote.id)).all()
    known = set(statement_ids)
    votes = [v for v in votes if v.comment_id in known]
    participants = list(dict.fromkeys(v.voter_key for v in votes))
    # Rows and columns in first-seen order (spec §1); statements nobody voted on come last.
    statement_ids = list(dict.fromkeys([v.comment_id for v in votes] + statement_ids))
    matrix = vote_matrix(participants, statement_ids,
                         ((v.voter_key, v.comment_id, VALUE[v.choice]) for v in votes))
    result = compute_opinion_groups(
        matrix, participants, statement_ids, moderated_out=moderated_out,
        stay_clustered=early_clustered((v.voter_key, v.comment_id) for v in votes))
    return ConsultationOpinions(result, {p: participant_label(p) for p in participants})


def assignment_rows(opinions: ConsultationOpinions) -> list[tuple[str, int]]:
    """(participant label, group) of every clustered participant, in group then label order."""
    return sorted(((opinions.label[p], group) for p, group in opinions.result.group_of.items()),
                  key=lambda row: (row[1], _natural(row[0])))


def _natural(label: str):
    return (0, int(label), "") if label.isdigit() else (1, 0, label)


def refresh_routing(consultation: Consultation, opinions: ConsultationOpinions) -> int:
    """Store each statement's extremity from these groups and recompute its routing priority,
    so the vote page shows first the statements that tell groups apart (spec §9). Returns how
    many statements changed; flushes, never commits."""
    from consult.analysis.routing import priority

    changed = 0
    extremity = opinions.result.extremity
    comments = db.session.scalars(db.select(Comment).filter(
        Comment.consultation_id == consultation.id, Comment.id.in_(list(extremity))))
    for comment in comments:
        value = float(extremity[comment.id])
        if abs((comment.extremity or 0.0) - value) > 1e-12:
            comment.extremity = value
            comment.priority = priority(comment.vote_count, comment.agree_count,
                                        comment.pass_count, extremity=value,
                                        meta=comment.is_meta)
            changed += 1
    db.session.flush()
    return changed
