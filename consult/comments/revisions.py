"""The revision of a consultation's comments: a counter that every change to what its
thread and vote pages show moves on, so those pages can be kept (comments/kept_pages.py)
and a change made through any worker is seen by every worker at its next request.

Any comment added, changed or deleted through the ORM (posting, moderation, redaction,
withdrawal, the routing priorities of opinion groups, imports) is noticed after each flush;
writers that use Core statements call mark_changed (votes). The counter is moved once per
consultation just before the transaction commits, after every comment row it locks, so two
writers never wait on each other in opposite orders, and a rolled-back change moves nothing.
"""
from functools import cache
from typing import NamedTuple

from sqlalchemy import ForeignKey, Integer, bindparam, event, func, literal, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from consult.comments.models import Comment, Vote
from consult.consultations.lifecycle import ParticipationMode, State, effective_state
from consult.consultations.models import Consultation
from consult.extensions import db, upsert_insert

#: session.info key: ids of the consultations whose comments this transaction changed.
CHANGED = "consult_changed_comments"


class CommentRevision(db.Model):
    """How many times a consultation's comments or votes changed (no row: never)."""

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class ThreadFacts(NamedTuple):
    """What the thread and vote pages need of a consultation; state is the effective one."""

    id: int
    revision: int
    state: State
    language_codes: str
    default_language: str
    participation_mode: ParticipationMode
    #: The CommentRevision of its comments (0 before any).
    comments: int

    @property
    def effective_state(self) -> State:
        """The same as state (already effective), named as on Consultation."""
        return self.state


@cache
def _facts_statement():
    """One SELECT of the consultation's facts and its comments' revision, built once."""
    revision = CommentRevision.__table__
    table = Consultation.__table__
    return (select(table.c.id, table.c.revision, table.c.state, table.c.language_codes,
                   table.c.default_language, table.c.participation_mode, table.c.closes_on,
                   table.c.time_zone, func.coalesce(revision.c.revision, 0))
            .select_from(table.outerjoin(revision,
                                         revision.c.consultation_id == table.c.id))
            .where(table.c.slug == bindparam("slug")))


def thread_facts(slug: str) -> ThreadFacts | None:
    """The ThreadFacts of a consultation in one small query; None if unknown."""
    row = db.session.connection().execute(_facts_statement(), {"slug": slug}).first()
    if row is None:
        return None
    return ThreadFacts(row[0], row[1], effective_state(row[2], row[6], row[7]), row[3],
                       row[4], row[5], row[8])


def mark_changed(consultation_id: int) -> None:
    """Record that this transaction changed what a consultation's comment pages show."""
    db.session().info.setdefault(CHANGED, set()).add(consultation_id)


@cache
def _bump_statement(dialect: str):
    """INSERT the first revision or add one, only while the consultation exists."""
    table = CommentRevision.__table__
    consultation = Consultation.__table__
    insert = upsert_insert(table, dialect).from_select(
        ["consultation_id", "revision"],
        select(consultation.c.id, literal(1)).where(consultation.c.id == bindparam("id")))
    return insert.on_conflict_do_update(index_elements=[table.c.consultation_id],
                                        set_={"revision": table.c.revision + 1})


@event.listens_for(Session, "after_flush")
def _notice_changes(session: Session, _context) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, (Comment, Vote)) and instance.consultation_id is not None:
            session.info.setdefault(CHANGED, set()).add(instance.consultation_id)


@event.listens_for(Session, "before_commit")
def _bump_revisions(session: Session) -> None:
    session.flush()  # what is still to flush may change comments too (no-op when clean)
    changed = session.info.pop(CHANGED, None)
    if not changed:
        return
    connection = session.connection()
    statement = _bump_statement(connection.dialect.name)
    for consultation_id in sorted(changed):  # one order everywhere: no deadlock between two
        connection.execute(statement, {"id": consultation_id})


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(CHANGED, None)
