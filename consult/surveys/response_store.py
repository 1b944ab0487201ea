"""Write one complete, checked response with as few statements as the database allows.

A submission is the busiest write of a consultation, and on PostgreSQL every statement is a
round trip the submission waits for (and a commit also waits for the disk). So:

- PostgreSQL: one statement stores the response and all its answers (an INSERT ... RETURNING
  in a CTE feeding an INSERT ... SELECT over the rows of one JSON parameter). Its text never
  changes, whatever the answers, so psycopg prepares it once per connection. Being a single
  statement it is atomic by itself: the API runs it in autocommit (api/submissions.py),
  where it is also the commit, flushed to disk before the 201 (synchronous_commit stays on).
- SQLite: an INSERT ... RETURNING then one executemany of the answers, inside the caller's
  transaction. SQLite has no round trips; what matters there is how long the write lock is
  held and how soon the next writer gets it: the rows are all built before the first INSERT
  takes it, both statements go straight to the driver's own cursor (SQLAlchemy's result
  objects cost more than the two inserts themselves, and nothing needs them), and
  submissions queue for it (sqlite_turn.py) rather than sleep.

Either way the unique idempotency key makes a replay fail the insert (IntegrityError) with
nothing stored, and the caller then looks up the first response. A guard (the consultation
row the submission was checked against) makes the insert store nothing unless the row is
still exactly that, in the same statement: the API then need not read it first.
"""
import datetime as dt
import json
import sqlite3
from typing import NamedTuple, Sequence

from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.surveys import sqlite_turn


class AnswerRow(NamedTuple):
    """One answer row of a response, as stored (without its response id)."""

    question_id: int
    option_key: str | None = None
    rank: int | None = None
    number: float | int | None = None
    text: str | None = None
    language: str | None = None


class NewResponse(NamedTuple):
    """The columns of a submitted response, as stored."""

    survey_id: int
    respondent_key: str
    language: str
    channel: str
    state: str
    idempotency_key: str
    payload_hash: str
    receipt: str
    current_page: int
    submitted_on: dt.date
    saved_on: dt.date
    cell_key: int


class Guard(NamedTuple):
    """The consultation row a submission was checked against (its columns as stored): the
    response is stored only if the row is still exactly this, checked by the insert itself
    (api/consultation_facts.py remembers rows between submissions)."""

    id: int
    slug: str
    revision: int
    state: str
    language_codes: str
    default_language: str
    participation_mode: str
    closes_on: dt.date | None
    time_zone: str


_RESPONSE_COLUMNS = ", ".join(NewResponse._fields)
_GUARD_POSTGRES = " AND ".join(
    f"consultation.{name} IS NOT DISTINCT FROM %(guard_{name})s::date" if name == "closes_on"
    else f"consultation.{name} = %(guard_{name})s" for name in Guard._fields)
_GUARD_SQLITE = " AND ".join(f"{name} IS ?" if name == "closes_on" else f"{name} = ?"
                             for name in Guard._fields)


def _postgres(guarded: bool) -> str:
    """The PostgreSQL statement: the response (with a guard: only if the consultation row is
    as checked), then its answers from one JSON array of rows (one string to send: cheaper for
    the driver than an array per column)."""
    values = ", ".join(f"%({name})s" for name in NewResponse._fields)
    source = (f"SELECT {values}, 0 FROM consultation WHERE {_GUARD_POSTGRES}" if guarded
              else f"VALUES ({values}, 0)")
    return f"""
WITH stored AS (
    INSERT INTO response ({_RESPONSE_COLUMNS}, untallied)
    {source}
    RETURNING id
), answers AS (
    INSERT INTO answer (response_id, question_id, option_key, rank, number, text, language)
    SELECT stored.id, given.question_id, given.option_key, given.rank, given.number,
           given.text, given.language
    FROM stored, json_to_recordset(%(answers)s::json) AS given (
        question_id integer, option_key varchar, rank integer, number numeric, text text,
        language varchar)
)
SELECT id FROM stored
"""


def _sqlite(guarded: bool) -> str:
    """The SQLite INSERT of the response (with a guard as in _postgres)."""
    values = ", ".join("?" * len(NewResponse._fields))
    source = (f"SELECT {values}, 0 FROM consultation WHERE {_GUARD_SQLITE}" if guarded
              else f"VALUES ({values}, 0)")
    return f"INSERT INTO response ({_RESPONSE_COLUMNS}, untallied) {source} RETURNING id"


#: Both databases' statements are written in their drivers' own form (psycopg's %(name)s,
#: sqlite3's ?) and sent as they are: nothing to compile or convert on the busiest write,
#: nor while SQLite's write lock is held (dates go in as the ISO text SQLAlchemy stores
#: them as there). Their texts never change, so each is prepared once per connection.
_POSTGRES = {guarded: _postgres(guarded) for guarded in (False, True)}
_SQLITE_RESPONSE = {guarded: _sqlite(guarded) for guarded in (False, True)}
_SQLITE_ANSWERS = ("INSERT INTO answer (response_id, question_id, option_key, rank, number, "
                   "text, language) VALUES (?, ?, ?, ?, ?, ?, ?)")


def insert_response(response: NewResponse, rows: Sequence[AnswerRow],
                    guard: Guard | None = None) -> int | None:
    """Store the response and its answer rows (flushes nothing else, never commits); its id,
    or None (nothing stored) when a guard is given and the consultation row no longer is it.

    Raises IntegrityError when the idempotency key (or, very rarely, the receipt) is taken.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        answers = json.dumps([row._asdict() for row in rows], separators=(",", ":"))
        parameters = {**response._asdict(), "answers": answers}
        if guard is not None:
            parameters.update((f"guard_{name}", value) for name, value in guard._asdict().items())
        return connection.exec_driver_sql(_POSTGRES[guard is not None],
                                          parameters).scalar_one_or_none()
    values = tuple(response._replace(submitted_on=response.submitted_on.isoformat(),
                                     saved_on=response.saved_on.isoformat()))
    if guard is not None:
        values += tuple(guard._replace(closes_on=guard.closes_on and guard.closes_on.isoformat()))
    sqlite_turn.take(db.session(), connection)  # given back when the transaction ends
    # The driver's cursor, in the transaction SQLAlchemy began (sqlite3 opens it before the
    # first INSERT, as for SQLAlchemy's own statements); the session's commit commits it.
    cursor = connection.connection.driver_connection.cursor()
    statement = _SQLITE_RESPONSE[guard is not None]
    try:
        stored = cursor.execute(statement, values).fetchall()
        response_id = stored[0][0] if stored else None
        if rows and response_id is not None:
            statement = _SQLITE_ANSWERS
            cursor.executemany(statement, [(response_id, *row) for row in rows])
    except sqlite3.IntegrityError as error:
        # As SQLAlchemy raises it (callers catch that), never quoting the values.
        raise IntegrityError(statement, None, error, hide_parameters=True) from error
    finally:
        cursor.close()
    return response_id
