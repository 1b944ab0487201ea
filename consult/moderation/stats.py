"""Public moderation statistics (aggregated in SQL, small counts suppressed like every other
published figure) and the decision log as CSV rows for auditors."""
import csv
import io
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import func

from consult.accounts.models import User
from consult.analysis.disclosure import ProtectedTable, protect_counts
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


def _grouped(column, consultation_id: int) -> dict:
    return dict(db.session.execute(
        db.select(column, func.count()).filter(
            ModerationDecision.consultation_id == consultation_id).group_by(column)).all())


def public_statistics(consultation: Consultation) -> PublicStatistics:
    """Counts by action and by reason, appeals upheld and overturned, and the median time to
    a decision, for one consultation (four GROUP BY queries)."""
    k = consultation.min_cell_size
    actions, reasons = tuple(Action), tuple(Reason)
    by_action = _grouped(ModerationDecision.action, consultation.id)
    by_reason = _grouped(ModerationDecision.reason, consultation.id)
    outcomes = dict(db.session.execute(
        db.select(Appeal.outcome, func.count()).filter(
            Appeal.consultation_id == consultation.id, Appeal.outcome.is_not(None))
        .group_by(Appeal.outcome)).all())
    return PublicStatistics(
        k=k, actions=actions,
        by_action=protect_counts([by_action.get(a, 0) for a in actions], k),
        reasons=reasons, by_reason=protect_counts([by_reason.get(r, 0) for r in reasons], k),
        appeals=protect_counts([outcomes.get(o, 0) for o in AppealOutcome], k),
        median_days=_median_days(consultation.id, k))


def _median_days(consultation_id: int, k: int) -> int | None:
    """The (lower) median of days from each comment to its first moderator decision."""
    first = (db.select(ModerationDecision.comment_id,
                       func.min(ModerationDecision.decided_on).label("decided_on"))
             .filter(ModerationDecision.consultation_id == consultation_id,
                     ModerationDecision.moderator_id.is_not(None))
             .group_by(ModerationDecision.comment_id).subquery())
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
