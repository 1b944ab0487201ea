"""Tables that only ever grow: history no code path can rewrite.

Three guards per table: ORM events refuse a flush that changes or deletes a loaded row, a
session event refuses bulk UPDATE/DELETE statements on the table, and a database trigger
(created with the table; migrations run `trigger_statements`) refuses raw SQL.
"""
from sqlalchemy import DDL, event
from sqlalchemy.orm import Session


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete a row of an append-only table."""


_GUARDED_TABLES: set[str] = set()


def trigger_statements(table: str, dialect: str) -> list[str]:
    """The SQL creating the triggers that refuse UPDATE and DELETE on table."""
    message = f"{table} is append-only"
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END" for verb in ("UPDATE", "DELETE")]
    return [
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END; $$",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
    ]


def guard(model) -> None:
    """Make model's table append-only in the ORM, in bulk statements and in the database."""
    table = model.__tablename__
    message = f"{table} is append-only"

    def refuse_update(_mapper, _connection, target) -> None:
        raise AppendOnlyError(f"{message}: row {target.id} cannot be changed")

    def refuse_delete(_mapper, _connection, target) -> None:
        raise AppendOnlyError(f"{message}: row {target.id} cannot be deleted")

    event.listen(model, "before_update", refuse_update)
    event.listen(model, "before_delete", refuse_delete)
    _GUARDED_TABLES.add(table)
    for dialect in ("sqlite", "postgresql"):
        for sql in trigger_statements(table, dialect):
            event.listen(model.__table__, "after_create", DDL(sql).execute_if(dialect=dialect))


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _GUARDED_TABLES:
            raise AppendOnlyError(f"{table.name} is append-only")
