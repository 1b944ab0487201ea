"""Migration 0011 on a database with data (SQLite): existing responses and comments get
random keys, and the tallies counted without key sums are dropped and counted again."""
import datetime as dt

from flask_migrate import upgrade
from sqlalchemy import Boolean, Date, Float, Integer, Numeric, inspect, text

from consult import create_app
from consult.extensions import db
from tests.conftest import base_config

ROWS = 300
#: Values that must be valid for the enumerations (stored as text).
FIXED = {"state": {"response": "submitted", "comment": "published"}, "channel": "web"}


def _value(table: str, column: dict, n: int):
    """A value for a NOT NULL column without a default."""
    name, kind = column["name"], column["type"]
    fixed = FIXED.get(name)
    if fixed is not None:
        return fixed[table] if isinstance(fixed, dict) else fixed
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, (Integer, Float, Numeric)):
        return 1
    if isinstance(kind, Date):
        return dt.date.today()
    return f"{name}-{n}"


def _insert(connection, table: str, rows: int) -> None:
    """rows rows with every required column filled (foreign keys are off)."""
    columns = [c for c in inspect(connection).get_columns(table)
               if not c["nullable"] and c["default"] is None and c["name"] != "id"]
    names = ", ".join(c["name"] for c in columns)
    marks = ", ".join(f":{c['name']}" for c in columns)
    connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"),
                       [{c["name"]: _value(table, c, n) for c in columns}
                        for n in range(rows)])


def test_existing_records_get_random_keys_and_the_tallies_are_recounted(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'migrate.sqlite3'}"))
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys = OFF"))
            _insert(connection, "response", ROWS)
            _insert(connection, "comment", ROWS)
            connection.execute(text("UPDATE response SET untallied = NULL"))
            connection.execute(text(
                "INSERT INTO survey_tally_state (survey_id, shape, revision, appended) "
                "VALUES (1, ';', 3, 1)"))
            connection.execute(text("INSERT INTO survey_tally (survey_id, kind, n) "
                                    "VALUES (1, 'h', 300)"))
        upgrade(revision="0011")
        with db.engine.connect() as connection:
            for table in ("response", "comment"):
                keys = connection.execute(text(f"SELECT cell_key FROM {table}")).scalars().all()
                assert len(keys) == ROWS and all(0 <= key < 256 for key in keys)
                assert len(set(keys)) > 150  # random draws, not a constant
            assert connection.execute(text("SELECT count(*) FROM survey_tally")).scalar() == 0
            assert connection.execute(text(
                "SELECT count(*) FROM response WHERE untallied = 0")).scalar() == ROWS
        db.engine.dispose()
