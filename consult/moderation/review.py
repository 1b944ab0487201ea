"""What a moderator reads before deciding on one comment: reports, screening flags, its
decision history, the restricted originals of redactions, an open appeal."""
from collections import Counter
from dataclasses import dataclass, field

from consult.comments.models import Comment
from consult.extensions import db
from consult.moderation.models import (
    Appeal,
    ModerationDecision,
    RedactionRecord,
    Report,
    ScreeningFlag,
)
from consult.moderation.services import active_block


@dataclass
class Review:
    """Everything the review page of one comment shows."""

    comment: Comment
    blocked: bool
    #: Open reports by reason, and the reporters' notes (never who wrote them).
    report_reasons: Counter = field(default_factory=Counter)
    report_notes: list[str] = field(default_factory=list)
    reports_total: int = 0
    flags: list[ScreeningFlag] = field(default_factory=list)
    decisions: list[ModerationDecision] = field(default_factory=list)
    originals: list[RedactionRecord] = field(default_factory=list)
    #: Appeals against decisions on this comment, by decision id.
    appeals: dict[int, Appeal] = field(default_factory=dict)

    @property
    def open_appeal(self) -> Appeal | None:
        """The appeal waiting for a decision, if any."""
        return next((a for a in self.appeals.values() if a.outcome is None), None)


def review_of(comment: Comment) -> Review:
    """Load the review of a comment (a few small queries)."""
    review = Review(comment=comment,
                    blocked=active_block(comment.consultation_id, comment.author_key) is not None)
    for report in db.session.scalars(db.select(Report).filter_by(comment_id=comment.id)
                                      .order_by(Report.id)):
        review.reports_total += 1
        if report.open:
            review.report_reasons[report.reason] += 1
            if report.note:
                review.report_notes.append(report.note)
    review.flags = list(db.session.scalars(db.select(ScreeningFlag).filter_by(
        comment_id=comment.id).order_by(ScreeningFlag.id)))
    review.decisions = list(db.session.scalars(db.select(ModerationDecision).filter_by(
        comment_id=comment.id).order_by(ModerationDecision.id)))
    review.originals = list(db.session.scalars(db.select(RedactionRecord).filter_by(
        comment_id=comment.id).order_by(RedactionRecord.id)))
    ids = [d.id for d in review.decisions]
    if ids:
        review.appeals = {a.decision_id: a for a in db.session.scalars(
            db.select(Appeal).filter(Appeal.decision_id.in_(ids)))}
    return review
