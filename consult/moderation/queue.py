"""The moderation queue: four tabs (pending, reported, held, appeals), filters, pages of 50.

Pages are keyset-paginated by id (oldest first, so nothing waits forever), and each tab reads
a narrow index: a first page costs the same with a hundred thousand items waiting.
"""
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func

from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation.models import (
    Appeal,
    ModerationDecision,
    Reason,
    Report,
    ScreeningFlag,
)

PAGE_SIZE = 50
#: Tabs in the order shown.
TABS = ("pending", "reported", "held", "appeals")


@dataclass(frozen=True)
class Filters:
    """What the moderator narrowed the queue to."""

    language: str | None = None
    #: None: any; 0: the consultation as a whole; else a section's id.
    section_id: int | None = None
    reason: Reason | None = None

    def comment_conditions(self) -> list:
        """SQL conditions on Comment for the language and section filters."""
        conditions = []
        if self.language:
            conditions.append(Comment.language == self.language)
        if self.section_id == 0:
            conditions.append(Comment.section_id.is_(None))
        elif self.section_id is not None:
            conditions.append(Comment.section_id == self.section_id)
        return conditions


@dataclass
class QueueItem:
    """One line of the queue."""

    comment: Comment
    #: Open reports by reason (reported tab).
    reports: Counter = field(default_factory=Counter)
    flag: ScreeningFlag | None = None
    appeal: Appeal | None = None

    @property
    def key(self) -> int:
        """The id the next page continues after."""
        return self.appeal.id if self.appeal is not None else self.comment.id


@dataclass
class QueuePage:
    """A page of one tab, with every tab's count."""

    tab: str
    items: list[QueueItem]
    counts: dict[str, int]
    next_after: int | None = None


def _pending(consultation_id: int, filters: Filters):
    return db.select(Comment).filter(
        Comment.consultation_id == consultation_id, Comment.state == CommentState.PENDING,
        Comment.moderation_reason.is_(None), *filters.comment_conditions())


def _held(consultation_id: int, filters: Filters):
    query = db.select(Comment, ScreeningFlag).join(
        ScreeningFlag, ScreeningFlag.comment_id == Comment.id).filter(
        ScreeningFlag.consultation_id == consultation_id, ScreeningFlag.open.is_(True),
        *filters.comment_conditions())
    if filters.reason is not None:
        query = query.filter(ScreeningFlag.reason == filters.reason)
    return query


def _reported_ids(consultation_id: int, filters: Filters):
    query = db.select(Report.comment_id).filter(
        Report.consultation_id == consultation_id, Report.open.is_(True))
    if filters.reason is not None:
        query = query.filter(Report.reason == filters.reason)
    conditions = filters.comment_conditions()
    if conditions:
        query = query.join(Comment, Comment.id == Report.comment_id).filter(*conditions)
    return query.distinct()


def _appeals(consultation_id: int, filters: Filters):
    query = db.select(Appeal, ModerationDecision, Comment).join(
        ModerationDecision, ModerationDecision.id == Appeal.decision_id).join(
        Comment, Comment.id == ModerationDecision.comment_id).filter(
        Appeal.consultation_id == consultation_id, Appeal.outcome.is_(None),
        *filters.comment_conditions())
    if filters.reason is not None:
        query = query.filter(ModerationDecision.reason == filters.reason)
    return query


def counts(consultation_id: int, filters: Filters) -> dict[str, int]:
    """How many items wait in each tab (the reason filter narrows the tabs it applies to)."""
    def count(query) -> int:
        return db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0

    pending = _pending(consultation_id, filters).with_only_columns(Comment.id)
    held = _held(consultation_id, filters).with_only_columns(ScreeningFlag.id)
    appeals = _appeals(consultation_id, filters).with_only_columns(Appeal.id)
    return {"pending": count(pending),
            "reported": count(_reported_ids(consultation_id, filters)),
            "held": count(held), "appeals": count(appeals)}


def load_page(consultation_id: int, tab: str, filters: Filters, after: int | None
              ) -> QueuePage:
    """A page of PAGE_SIZE items of one tab, oldest first, after the id given."""
    items: list[QueueItem]
    if tab == "pending":
        query = _pending(consultation_id, filters)
        if after:
            query = query.filter(Comment.id > after)
        rows = db.session.scalars(query.order_by(Comment.id).limit(PAGE_SIZE + 1))
        items = [QueueItem(comment=c) for c in rows]
    elif tab == "held":
        query = _held(consultation_id, filters)
        if after:
            query = query.filter(Comment.id > after)
        rows = db.session.execute(query.order_by(Comment.id).limit(PAGE_SIZE + 1))
        items = [QueueItem(comment=c, flag=f) for c, f in rows]
    elif tab == "reported":
        items = _reported_page(consultation_id, filters, after)
    else:
        query = _appeals(consultation_id, filters)
        if after:
            query = query.filter(Appeal.id > after)
        rows = db.session.execute(query.order_by(Appeal.id).limit(PAGE_SIZE + 1))
        items = [QueueItem(comment=c, appeal=a) for a, _, c in rows]
    page = QueuePage(tab=tab, items=items[:PAGE_SIZE], counts=counts(consultation_id, filters))
    if len(items) > PAGE_SIZE:
        page.next_after = items[PAGE_SIZE - 1].key
    return page


def _reported_page(consultation_id: int, filters: Filters, after: int | None
                   ) -> list[QueueItem]:
    ids_query = _reported_ids(consultation_id, filters)
    if after:
        ids_query = ids_query.filter(Report.comment_id > after)
    ids = list(db.session.scalars(ids_query.order_by(Report.comment_id).limit(PAGE_SIZE + 1)))
    if not ids:
        return []
    comments = {c.id: c for c in db.session.scalars(db.select(Comment).filter(
        Comment.id.in_(ids)))}
    reasons: dict[int, Counter] = {i: Counter() for i in ids}
    for comment_id, reason, number in db.session.execute(
            db.select(Report.comment_id, Report.reason, func.count())
            .filter(Report.comment_id.in_(ids), Report.open.is_(True))
            .group_by(Report.comment_id, Report.reason)):
        reasons[comment_id][reason] = number
    return [QueueItem(comment=comments[i], reports=reasons[i]) for i in ids]
