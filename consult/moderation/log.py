"""The append-only decision log: writing entries; consult.append_only refuses every update
or delete (in the ORM, in bulk statements and by a trigger, created by migration 0006 too)."""
import datetime as dt

from consult.accounts.models import User
from consult.append_only import guard
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation.models import Action, ModerationDecision, Reason
from consult.moderation.signals import decision_recorded

guard(ModerationDecision)


def record(comment: Comment, action: Action, reason: Reason, before: CommentState,
           moderator: User | None = None, note: str = "",
           block_id: int | None = None) -> ModerationDecision:
    """Log one decision on comment (its state is already the new one); flushes, then tells
    whoever listens (signals.decision_recorded)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    decision = ModerationDecision(
        consultation_id=comment.consultation_id, comment_id=comment.id,
        moderator_id=moderator.id if moderator is not None else None, action=action,
        reason=reason, note=(note or "").strip(), from_state=before, to_state=comment.state,
        decided_on=now.date(), decided_at=now if moderator is not None else None,
        block_id=block_id)
    db.session.add(decision)
    db.session.flush()
    decision_recorded.send(decision)
    return decision
