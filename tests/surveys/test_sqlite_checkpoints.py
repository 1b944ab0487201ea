"""SQLite durability around submissions: every connection commits with a disk sync
(synchronous=FULL, the checkpoint connection too), the WAL file is never truncated, and the
WAL is copied back by a checkpoint every CHECKPOINT_EVERY turns, after the API's response
is sent, holding the turn (sqlite_turn.py)."""
import datetime as dt
import threading
from types import SimpleNamespace as Spec

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from consult import WAL_AUTOCHECKPOINT
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import responses, services, sqlite_turn
from consult.surveys.models import Channel, Response, Survey
from consult.surveys.response_store import AnswerRow, NewResponse, insert_response
from tests.surveys.specs import options, question
from tests.surveys.test_sqlite_turn import _Holder

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


@pytest.fixture
def consultation(app, make_consultation):
    """An open one-question survey on SQLite (PostgreSQL has neither WAL nor turns)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    consultation = make_consultation(state=State.DRAFT, languages=("en",))
    services.replace_survey(consultation, [Spec(key="p1", labels={"en": "One"}, questions=[
        question("role", "single_choice", options=options("trader", "youth"))])])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


@pytest.fixture
def every_turn(monkeypatch):
    """A checkpoint due after every turn; none owed by earlier tests."""
    monkeypatch.setattr(sqlite_turn, "CHECKPOINT_EVERY", 1)
    sqlite_turn._due.clear()
    yield
    sqlite_turn._due.clear()


def _survey() -> Survey:
    return db.session.scalars(db.select(Survey)).one()


def _submit(key: str) -> None:
    responses.submit_all(_survey(), {"role": "youth"}, {}, "en", key, "hash", Channel.API,
                         respondent_key=key)
    db.session.commit()


def _wal_frames() -> int:
    """Frames in the WAL since it last restarted (probing copies them back, too)."""
    with db.engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()[1]


#: Frames of one small submission, well under the hundreds the schema's creation left.
ONE_SUBMISSION = 40


def test_every_sqlite_connection_syncs_each_commit_and_keeps_its_wal_file(consultation):
    # WAL with synchronous=NORMAL syncs only at checkpoints: acknowledged submissions could
    # be lost to a power cut. FULL syncs the WAL on every commit.
    with db.engine.connect() as first, db.engine.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() >= FULL
            # Never truncated: a commit overwrites blocks the WAL already has.
            assert connection.exec_driver_sql("PRAGMA journal_size_limit").scalar() == -1
            # SQLite's own checkpoint, inside a commit, is only the backstop of ours: the WAL
            # (at most ~30 pages a submission) restarts before it is that long.
            pages = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
            assert pages == WAL_AUTOCHECKPOINT >= 30 * sqlite_turn.CHECKPOINT_EVERY * 2
    checkpointer = sqlite_turn.checkpointer(db.engine.url.database)
    assert checkpointer.execute("PRAGMA synchronous").fetchone()[0] >= FULL


def test_a_checkpoint_is_due_every_so_many_turns_and_copies_the_whole_wal(consultation,
                                                                          monkeypatch):
    monkeypatch.setattr(sqlite_turn, "CHECKPOINT_EVERY", 2)
    sqlite_turn._due.clear()
    _submit("one")
    assert not sqlite_turn.checkpoint_due()
    _submit("two")
    assert sqlite_turn.checkpoint_due()
    sqlite_turn.run_due_checkpoints()
    assert not sqlite_turn.checkpoint_due()
    # All of it was copied back, so the next commit restarts the WAL from its beginning.
    _submit("three")
    assert _wal_frames() < ONE_SUBMISSION
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 3


def test_the_checkpoint_waits_for_the_turn_another_worker_holds(consultation, every_turn):
    _submit("one")
    holder = _Holder()
    assert holder.try_take()
    thread = threading.Thread(target=sqlite_turn.run_due_checkpoints, daemon=True)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive()  # no submission adds to the WAL while it is copied
    holder.give_back()
    thread.join(10)
    assert not thread.is_alive() and not sqlite_turn.checkpoint_due()
    sqlite_turn._due.clear()
    _submit("two")
    assert _wal_frames() < ONE_SUBMISSION


def test_the_api_checkpoints_once_its_response_is_sent(app, client, consultation,
                                                       every_turn, monkeypatch):
    ran: list[bool] = []
    monkeypatch.setattr(sqlite_turn, "run_due_checkpoints", lambda: ran.append(True))
    response = client.post(f"/api/v1/consultations/{consultation.slug}/responses",
                           json={"language": "en", "answers": {"role": "youth"}},
                           headers={"Idempotency-Key": "sent-first"})
    assert response.status_code == 201
    response.close()  # what the server does once the body is sent
    assert ran == [True]
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_a_refused_insert_raises_without_quoting_what_was_sent(consultation):
    survey = _survey()
    day = dt.date.today()
    row = NewResponse(survey.id, "someone", "en", "api", "submitted", "secret-key-123",
                      "0" * 64, "ACDE-FGHJ", 1, day, day, 7)
    insert_response(row, [AnswerRow(survey.questions[0].id, option_key="youth")])
    db.session.commit()
    with pytest.raises(IntegrityError) as refused:
        insert_response(row._replace(respondent_key="another"), [])
    db.session.rollback()
    assert "secret-key-123" not in str(refused.value)
    assert db.session.scalar(text("SELECT count(*) FROM response")) == 1
