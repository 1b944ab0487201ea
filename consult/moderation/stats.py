"""Public moderation statistics (aggregated in SQL, small counts suppressed like every other
published figure, then perturbed by the comments' cell keys like the survey results) and the
decision log as CSV rows for auditors.

The page counts decisions up to the end of yesterday (MODERATION_STATISTICS_UNTIL_YESTERDAY,
whatever the consultation's state): a perturbed count redrawn after every new comment could be
averaged over many readings by someone adding comments one at a time; a count that changes
once a day gives them one reading a day.
"""
import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Iterator

from flask import current_app
from sqlalchemy import func

from consult.accounts.models import User
from consult.analysis.cell_key import MAX_CHANGE, CellCount
from consult.analysis.disclosure import ProtectedTable
from consult.analysis.published_counts import published_column
from consult.comments.models import Comment
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.moderation.models import Action, Appeal, AppealOutcome, ModerationDecision, Reason

#: Rows of the log read per database round trip while streaming the CSV.
BATCH = 2000
CSV_HEADER = ("decision", "consultation", "comment", "action", "reason", "automatic",
              "moderator", "decided_on", "decided_at_utc", "state_before", "state_after",
              "note_to_author", "appealed", "appeal_outcome")


@dataclass(frozen=True)
class PublicStatistics:
    """What the public moderation page publishes, each table protected with k."""

    k: int
    actions: tuple[Action, ...]
    by_action: ProtectedTable
    reasons: tuple[Reason, ...]
    by_reason: ProtectedTable
    appeals: ProtectedTable
    #: Median whole days from a comment to a moderator's first decision on it; None when
    #: fewer than k comments were decided (it would describe too few people).
    median_days: int | None
    #: Whether the counts shown are perturbed by the comments' cell keys, and by how much.
    perturbed: bool = False
    max_change: int = MAX_CHANGE
    #: The last day counted (None: every decision up to now).
    counted_until: dt.date | None = None


#: A decision's record key: the cell key of the comment it is about (summed per group).
KEY_SUM = func.coalesce(func.sum(Comment.cell_key), 0)


def _grouped(column, consultation_id: int, before: dt.date | None) -> dict:
    """value -> CellCount: decisions (made before the day `before`, when given) per value of
    column, keyed by their comments' keys."""
    query = (db.select(column, func.count(), KEY_SUM)
             .join(Comment, Comment.id == ModerationDecision.comment_id)
             .filter(ModerationDecision.consultation_id == consultation_id))
    if before is not None:
        query = query.filter(ModerationDecision.decided_on < before)
    return {value: CellCount(n, int(key))
            for value, n, key in db.session.execute(query.group_by(column)).all()}


def public_statistics(consultation: Consultation) -> PublicStatistics:
    """Counts by action and by reason, appeals upheld and overturned, and the median time to
    a decision, for one consultation (four GROUP BY queries)."""
    k = consultation.min_cell_size
    perturbed = bool(current_app.config.get("CELL_KEY_PERTURBATION", True))
    before = dt.date.today() if current_app.config.get(
        "MODERATION_STATISTICS_UNTIL_YESTERDAY", True) else None
    actions, reasons = tuple(Action), tuple(Reason)
    by_action = _grouped(ModerationDecision.action, consultation.id, before)
    by_reason = _grouped(ModerationDecision.reason, consultation.id, before)
    answered = db.aliased(ModerationDecision)
    appeals = (db.select(Appeal.outcome, func.count(), KEY_SUM)
               .join(ModerationDecision, ModerationDecision.id == Appeal.decision_id)
               .join(Comment, Comment.id == ModerationDecision.comment_id)
               .join(answered, answered.id == Appeal.outcome_decision_id)
               .filter(Appeal.consultation_id == consultation.id, Appeal.outcome.is_not(None)))
    if before is not None:
        appeals = appeals.filter(answered.decided_on < before)
    outcomes = {outcome: CellCount(n, int(key)) for outcome, n, key in
                db.session.execute(appeals.group_by(Appeal.outcome)).all()}
    zero = CellCount(0)
    return PublicStatistics(
        k=k, actions=actions,
        by_action=published_column([by_action.get(a, zero) for a in actions], k, perturbed),
        reasons=reasons,
        by_reason=published_column([by_reason.get(r, zero) for r in reasons], k, perturbed),
        appeals=published_column([outcomes.get(o, zero) for o in AppealOutcome], k, perturbed),
        median_days=_median_days(consultation.id, k, before), perturbed=perturbed,
        counted_until=before - dt.timedelta(days=1) if before else None)


def _median_days(consultation_id: int, k: int, before: dt.date | None) -> int | None:
    """The (lower) median of days from each comment to its first moderator decision (made
    before the day `before`, when given)."""
    decided = db.select(ModerationDecision.comment_id,
                        func.min(ModerationDecision.decided_on).label("decided_on")).filter(
        ModerationDecision.consultation_id == consultation_id,
        ModerationDecision.moderator_id.is_not(None))
    if before is not None:
        decided = decided.filter(ModerationDecision.decided_on < before)
    first = decided.group_by(ModerationDecision.comment_id).subquery()
    pairs = db.session.execute(
        db.select(Comment.created_on, first.c.decided_on, func.count())
        .join(first, first.c.comment_id == Comment.id)
        .group_by(Comment.created_on, first.c.decided_on)).all()
    days = sorted(((decided - created).days, number) for created, decided, number in pairs)
    total = sum(number for _, number in days)
    if total < k or total == 0:
        return None
    seen = 0
    for value, number in days:
        seen += number
        if seen * 2 >= total:
            return max(value, 0)
    return None  # pragma: no cover - the loop always returns


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def decision_log_csv(consultation: Consultation) -> Iterator[str]:
    """The consultation's decision log as CSV lines, oldest first, streamed in batches.

    No participant data: no participant key, comment text, report or appeal statement, and
    no note (a note to an author may quote them) - only whether one was written.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_HEADER)
    yield flush()
    after = 0
    d = ModerationDecision
    while True:
        rows = db.session.execute(
            db.select(d.id, d.comment_id, d.action, d.reason, d.moderator_id, User.name,
                      d.decided_on, d.decided_at, d.from_state, d.to_state, d.note != "",
                      Appeal.id, Appeal.outcome)
            .outerjoin(User, User.id == d.moderator_id)
            .outerjoin(Appeal, Appeal.decision_id == d.id)
            .filter(d.consultation_id == consultation.id, d.id > after)
            .order_by(d.id).limit(BATCH)).all()
        if not rows:
            return
        for (number, comment_id, action, reason, moderator_id, name, day, moment, before,
             after_state, noted, appeal_id, outcome) in rows:
            writer.writerow([_cell(v) for v in (
                number, consultation.slug, comment_id, action.value, reason.value,
                "no" if moderator_id else "yes", name or "", day.isoformat(),
                moment.isoformat(timespec="seconds") if moment else "", before.value,
                after_state.value, "yes" if noted else "no", "yes" if appeal_id else "no",
                outcome.value if outcome else "")])
        yield flush()
        after = rows[-1][0]
