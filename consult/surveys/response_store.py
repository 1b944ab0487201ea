"""Write one complete, checked response with as few statements as the database allows.

A submission is the busiest write of a consultation, and on PostgreSQL every statement is a
round trip the submission waits for (and a commit also waits for the disk). So:

- PostgreSQL: one statement stores the response and all its answers (an INSERT ... RETURNING
  in a CTE feeding an INSERT ... SELECT over the rows of one JSON parameter). Its text never
  changes, whatever the answers, so psycopg prepares it once per connection. Being a single
  statement it is atomic by itself: the API runs it in autocommit (api/views.py), where it is
  also the commit, flushed to disk before the 201 (synchronous_commit stays on).
- SQLite: an INSERT ... RETURNING then one executemany of the answers, inside the caller's
  transaction. SQLite has no round trips; what matters there is how long the write lock is
  held and how soon the next writer gets it: the rows are all built before the first INSERT
  takes it, both statements go to the driver as they are, and submissions queue for it
  (sqlite_turn.py) rather than sleep.

Either way the unique idempotency key makes a replay fail the insert (IntegrityError) with
nothing stored, and the caller then looks up the first response.
"""
import datetime as dt
import json
from typing import NamedTuple, Sequence

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


_RESPONSE_COLUMNS = ", ".join(NewResponse._fields)

#: The PostgreSQL statement: the response, then its answers from one JSON array of rows (one
#: string to send: cheaper for the driver than an array per column).
_POSTGRES = f"""
WITH stored AS (
    INSERT INTO response ({_RESPONSE_COLUMNS}, untallied)
    VALUES ({", ".join(f"%({name})s" for name in NewResponse._fields)}, 0)
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

#: The SQLite statements. Both databases' statements are written in their drivers' own form
#: (psycopg's %(name)s, sqlite3's ?) and sent as they are: nothing to compile or convert on
#: the busiest write, nor while SQLite's write lock is held (dates go in as the ISO text
#: SQLAlchemy stores them as there).
_SQLITE_RESPONSE = (f"INSERT INTO response ({_RESPONSE_COLUMNS}, untallied) "
                    f"VALUES ({', '.join('?' * len(NewResponse._fields))}, 0) RETURNING id")
_SQLITE_ANSWERS = ("INSERT INTO answer (response_id, question_id, option_key, rank, number, "
                   "text, language) VALUES (?, ?, ?, ?, ?, ?, ?)")


def insert_response(response: NewResponse, rows: Sequence[AnswerRow]) -> int:
    """Store the response and its answer rows (flushes nothing else, never commits); its id.

    Raises IntegrityError when the idempotency key (or, very rarely, the receipt) is taken.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        answers = json.dumps([row._asdict() for row in rows], separators=(",", ":"))
        return connection.exec_driver_sql(
            _POSTGRES, {**response._asdict(), "answers": answers}).scalar_one()
    values = response._replace(submitted_on=response.submitted_on.isoformat(),
                               saved_on=response.saved_on.isoformat())
    sqlite_turn.take(db.session(), connection)  # given back when the transaction ends
    response_id = connection.exec_driver_sql(_SQLITE_RESPONSE, tuple(values)).scalar_one()
    if rows:
        connection.exec_driver_sql(_SQLITE_ANSWERS, [(response_id, *row) for row in rows])
    return response_id
