"""Erasing a comment's words: when its author withdraws it, or staff erase it on a lawful
request. Operations flush, never commit.

What goes: the body (kept as an empty string: the column is required and an empty body is
what every reader shows as "withdrawn by its author"), the staff translations of it, the
restricted originals of its redactions, the watched words screening noted in it, and the
votes on it. What stays: the comment row (so replies keep their place in the thread and
moderation decisions their target) and the append-only decision log.

Votes on an erased comment are dropped, not kept counted in the opinion groups. Why: a vote
is a reaction to words; once the words are gone, nobody (planner, participant, auditor) can
check what a group agreed or disagreed with, so the groups and their representative
statements would rest on evidence no one can read (DESIGN §1, principle 6), and which group
favoured the erased statement would still say something about what it said. The opinion
groups already leave withdrawn statements out (summaries/opinions.py); deleting the votes
also keeps the counters, the routing priority and the data kept (principle 1) consistent
with that.
"""
from sqlalchemy import delete, update

from consult.comments.models import Comment, CommentState, Vote
from consult.comments.revisions import mark_changed
from consult.comments.translations import CommentTranslation
from consult.extensions import db

#: What an erased comment's body holds.
ERASED = ""


def erase_text(comment: Comment) -> None:
    """Erase the comment's words and everything derived from them; drop the votes on it."""
    from consult.moderation.models import RedactionRecord, ScreeningFlag  # builds on comments

    comment.body = ERASED
    comment.redacted = False
    comment.agree_count = comment.disagree_count = comment.pass_count = 0
    comment.priority = 0.0
    db.session.flush()
    db.session.execute(delete(CommentTranslation).where(
        CommentTranslation.comment_id == comment.id))
    db.session.execute(delete(RedactionRecord).where(RedactionRecord.comment_id == comment.id))
    db.session.execute(update(ScreeningFlag).where(ScreeningFlag.comment_id == comment.id)
                       .values(words=""))
    db.session.execute(delete(Vote).where(Vote.comment_id == comment.id))
    mark_changed(comment.consultation_id, comment.id)  # Core statements: not noticed


def erase_on_request(comment: Comment) -> None:
    """Staff erase a comment on a lawful request: withdrawn, its words erased (the caller
    records it in the audit log, without the words)."""
    from consult.comments.services import set_state  # services call erase_text

    set_state(comment, CommentState.WITHDRAWN)
    erase_text(comment)


def is_erased(comment: Comment) -> bool:
    """Whether the comment's words were erased."""
    return comment.state is CommentState.WITHDRAWN and comment.body == ERASED
