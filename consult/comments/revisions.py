"""The revision of a consultation's comments: a number that every change to what its thread
and vote pages show moves on, so those pages can be kept (comments/kept_pages.py) and a
change made through any worker is seen by every worker at its next request.

Any comment or vote added, changed or deleted through the ORM (posting, moderation,
redaction, withdrawal, the routing priorities of opinion groups, imports) is noticed after
each flush; writers that use Core statements call mark_changed (votes). The revision moves
once per consultation, just before the transaction commits, after every comment row it
locks, and a rolled-back change moves nothing.

The revision is the sum of SHARDS counters, and a transaction moves the one of the comment
it changed (its id modulo SHARDS): votes on different comments of one consultation would
otherwise all wait for each other's commit (on PostgreSQL the row stays locked until the
commit reaches the disk), where without this counter only votes on the same comment do.
"""
from functools import cache

from sqlalchemy import (
    ForeignKey,
    Integer,
    SmallInteger,
    bindparam,
    event,
    func,
    inspect,
    literal,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from consult.comments.models import Comment, Vote
from consult.consultations.models import Consultation
from consult.consultations.services import FACT_COLUMNS, ConsultationFacts, facts_of
from consult.extensions import db, upsert_insert

#: Counters per consultation (see above).
SHARDS = 16
#: session.info key: {consultation id: shard} of the comments this transaction changed.
CHANGED = "consult_changed_comments"


class CommentRevision(db.Model):
    """One of the counters whose sum is a consultation's comment revision (no row: 0)."""

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    #: 0 .. SHARDS - 1: the id modulo SHARDS of a comment whose change moved it.
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)


#: What the thread and vote pages need of a consultation, its comments' revision included.
ThreadFacts = ConsultationFacts


@cache
def _facts_statement():
    """One SELECT of the consultation's facts and its comments' revision, built once."""
    counters = CommentRevision.__table__
    table = Consultation.__table__
    comments = (select(func.coalesce(func.sum(counters.c.revision), 0))
                .where(counters.c.consultation_id == table.c.id).scalar_subquery())
    return select(*(table.c[name] for name in FACT_COLUMNS), comments.label("comments")) \
        .where(table.c.slug == bindparam("slug"))


def thread_facts(slug: str) -> ThreadFacts | None:
    """The ThreadFacts of a consultation in one small query; None if unknown."""
    row = db.session.connection().execute(_facts_statement(), {"slug": slug}).first()
    if row is None:
        return None
    return facts_of(row)._replace(comments=int(row.comments))


def mark_changed(consultation_id: int, comment_id: int) -> None:
    """Record that this transaction changed what a consultation's comment pages show,
    through comment_id (a comment or a vote on it)."""
    _mark(db.session(), consultation_id, comment_id)


def _mark(session: Session, consultation_id: int, comment_id: int) -> None:
    session.info.setdefault(CHANGED, {}).setdefault(consultation_id, comment_id % SHARDS)


@cache
def _bump_statement(dialect: str):
    """INSERT a counter's first step or add one, only while the consultation exists."""
    table = CommentRevision.__table__
    consultation = Consultation.__table__
    insert = upsert_insert(table, dialect).from_select(
        ["consultation_id", "shard", "revision"],
        select(consultation.c.id, bindparam("shard", type_=SmallInteger), literal(1))
        .where(consultation.c.id == bindparam("id")))
    return insert.on_conflict_do_update(
        index_elements=[table.c.consultation_id, table.c.shard],
        set_={"revision": table.c.revision + 1})


@event.listens_for(Session, "after_flush")
def _notice_changes(session: Session, _context) -> None:
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, Comment):
            _mark(session, instance.consultation_id, instance.id)
        elif isinstance(instance, Vote):
            _mark(session, instance.consultation_id, instance.comment_id)
    for instance in session.deleted:
        loaded = inspect(instance).dict  # a deleted row cannot be loaded any more
        if isinstance(instance, Comment) and "consultation_id" in loaded:
            _mark(session, loaded["consultation_id"], loaded.get("id", 0))
        elif isinstance(instance, Vote) and "consultation_id" in loaded:
            _mark(session, loaded["consultation_id"], loaded.get("comment_id", 0))


@event.listens_for(Session, "before_commit")
def _bump_revisions(session: Session) -> None:
    session.flush()  # what is still to flush may change comments too (no-op when clean)
    changed = session.info.pop(CHANGED, None)
    if not changed:
        return
    connection = session.connection()
    statement = _bump_statement(connection.dialect.name)
    for consultation_id in sorted(changed):  # one order everywhere: no deadlock between two
        connection.execute(statement, {"id": consultation_id,
                                       "shard": changed[consultation_id]})


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(CHANGED, None)
