"""What a participant sees of moderation on their own page: their comments that were held,
decided on or appealed, each decision with its reason, note and any appeal."""
from dataclasses import dataclass, field

from sqlalchemy import exists

from consult.comments.models import Comment, CommentState
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.moderation.models import Appeal, ModerationDecision
from consult.moderation.services import may_appeal

#: Most recent comments listed on the participant's page.
LIMIT = 50


@dataclass
class MyComment:
    """One of the participant's comments with what the moderators decided."""

    comment: Comment
    consultation: Consultation
    decisions: list[ModerationDecision] = field(default_factory=list)
    #: Appeals by the decision they are against.
    appeals: dict[int, Appeal] = field(default_factory=dict)

    def may_appeal(self, decision: ModerationDecision) -> bool:
        """Whether the author may still appeal this decision (once per decision)."""
        return may_appeal(decision) and decision.id not in self.appeals


def my_comments(author_key: str | None) -> list[MyComment]:
    """The participant's comments that are not simply published, or had a decision, newest
    first (four queries whatever their number)."""
    if not author_key:
        return []
    decided = exists().where(ModerationDecision.comment_id == Comment.id)
    comments = list(db.session.scalars(
        db.select(Comment).filter(Comment.author_key == author_key,
                                  (Comment.state != CommentState.PUBLISHED) | decided)
        .order_by(Comment.id.desc()).limit(LIMIT)))
    if not comments:
        return []
    consultations = {c.id: c for c in db.session.scalars(db.select(Consultation).filter(
        Consultation.id.in_({c.consultation_id for c in comments})))}
    mine = {c.id: MyComment(c, consultations[c.consultation_id]) for c in comments}
    decisions = list(db.session.scalars(db.select(ModerationDecision).filter(
        ModerationDecision.comment_id.in_(mine)).order_by(ModerationDecision.id)))
    for decision in decisions:
        mine[decision.comment_id].decisions.append(decision)
    if decisions:
        for appeal in db.session.scalars(db.select(Appeal).filter(
                Appeal.decision_id.in_([d.id for d in decisions]))):
            mine[appeal.decision.comment_id].appeals[appeal.decision_id] = appeal
    return list(mine.values())
