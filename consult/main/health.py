"""`/healthz` for load balancers: database reachable, queue reachable, migrations current.

No cookie, no personal data, two or three small queries: a balancer may ask every few seconds.
A database without an alembic_version table was built from the models directly (`create_all`,
as the test suite does): it counts as current when every table of the models exists, and as
"not migrated" otherwise (an empty database nobody has run `consult db-upgrade` on).
"""
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import bindparam, inspect, text

from consult.permissions import public

blueprint = Blueprint("health", __name__)

OK = "ok"
VERSION_TABLE = "alembic_version"


@blueprint.get("/healthz")
@public
def healthz():
    """200 with every check "ok", else 503 with the failing checks named."""
    checks = run_checks()
    status = 200 if all(value == OK for value in checks.values()) else 503
    response = jsonify(checks)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def run_checks() -> dict[str, str]:
    """Each check's "ok" or a short word for what is wrong (never an exception's text)."""
    from consult.extensions import db

    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            migrations = migrations_status(connection)
        database = OK
    except Exception as error:  # noqa: BLE001 - any failure to talk to it means "down"
        _log_failure("database", error)
        database, migrations = "unreachable", "unknown"
    return {"database": database, "queue": queue_status(), "migrations": migrations}


def migrations_status(connection) -> str:
    """"ok" when the database is at the migration scripts' head(s); else what is wrong."""
    inspector = inspect(connection)
    if not inspector.has_table(VERSION_TABLE):
        return OK if _has_every_model_table(connection) else "not migrated"
    found = {row[0] for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}
    heads, known = script_revisions()
    if found == heads:
        return OK
    if not found:
        return "not migrated"
    return "behind" if found <= known else "unknown revision"


def _has_every_model_table(connection) -> bool:
    """One catalog query: does every table of the models exist?"""
    from consult.extensions import db

    names = [table.name for table in db.metadata.sorted_tables]
    if connection.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN :names"
    else:
        query = ("SELECT count(*) FROM information_schema.tables "
                 "WHERE table_schema = current_schema() AND table_name IN :names")
    statement = text(query).bindparams(bindparam("names", expanding=True))
    return connection.execute(statement, {"names": names}).scalar() == len(names)


def script_revisions() -> tuple[set[str], set[str]]:
    """(heads, every revision) of the migration scripts, read once per process."""
    cached = current_app.extensions.get("consult_migration_revisions")
    if cached is None:
        scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
        cached = (set(scripts.get_heads()),
                  {revision.revision for revision in scripts.walk_revisions()})
        current_app.extensions["consult_migration_revisions"] = cached
    return cached


def queue_status() -> str:
    """"ok" when the task queue's broker answers."""
    from consult.jobs import queue_reachable

    try:
        return OK if queue_reachable() else "unreachable"
    except Exception as error:  # noqa: BLE001 - any failure to reach it means "down"
        _log_failure("queue", error)
        return "unreachable"


def _log_failure(check: str, error: Exception) -> None:
    # The kind of error only: a driver's message may quote a URL with its password.
    current_app.logger.warning("healthz: %s check failed (%s)", check, type(error).__name__)
