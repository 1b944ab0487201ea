"""The append-only decision log: writing entries, and refusing every update or delete.

Three guards, so that no code path can rewrite history: ORM events refuse a flush that changes
or deletes a loaded decision, a session event refuses bulk UPDATE/DELETE statements on the
table, and a database trigger (created with the table, and by migration 0006) refuses raw SQL.
"""
import datetime as dt

from sqlalchemy import DDL, event
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation.models import Action, ModerationDecision, Reason

TABLE = ModerationDecision.__tablename__
MESSAGE = "moderation_decision is append-only"

#: Triggers refusing UPDATE and DELETE, per database (the migration runs the same SQL).
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER moderation_decision_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for verb in ("UPDATE", "DELETE")]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION moderation_decision_append_only() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$",
    f"CREATE TRIGGER moderation_decision_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION moderation_decision_append_only()",
]


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete a logged decision."""


def record(comment: Comment, action: Action, reason: Reason, before: CommentState,
           moderator: User | None = None, note: str = "",
           block_id: int | None = None) -> ModerationDecision:
    """Log one decision on comment (its state is already the new one); flushes."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    decision = ModerationDecision(
        consultation_id=comment.consultation_id, comment_id=comment.id,
        moderator_id=moderator.id if moderator is not None else None, action=action,
        reason=reason, note=(note or "").strip(), from_state=before, to_state=comment.state,
        decided_on=now.date(), decided_at=now if moderator is not None else None,
        block_id=block_id)
    db.session.add(decision)
    db.session.flush()
    return decision


@event.listens_for(ModerationDecision, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AppendOnlyError(f"{MESSAGE}: decision {target.id} cannot be changed")


@event.listens_for(ModerationDecision, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AppendOnlyError(f"{MESSAGE}: decision {target.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == TABLE:
            raise AppendOnlyError(MESSAGE)


for _sql in SQLITE_TRIGGERS:
    event.listen(ModerationDecision.__table__, "after_create",
                 DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRESQL_TRIGGERS:
    event.listen(ModerationDecision.__table__, "after_create",
                 DDL(_sql).execute_if(dialect="postgresql"))
