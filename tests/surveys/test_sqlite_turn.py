"""SQLite: submissions queue for their turn to write (sqlite_turn.py) rather than sleep, give
it back however their transaction ends, and never wait for it once they already write."""
import fcntl
import os
import threading
from types import SimpleNamespace as Spec

import pytest
from sqlalchemy.exc import IntegrityError

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import responses, services, sqlite_turn
from consult.surveys.models import Channel, Response, Survey
from tests.surveys.specs import options, question


@pytest.fixture
def survey(app, make_consultation):
    """An open one-question survey on SQLite (PostgreSQL takes no turns)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    consultation = make_consultation(state=State.DRAFT)
    services.replace_survey(consultation, [Spec(key="p1", labels={"en": "One"}, questions=[
        question("role", "single_choice", options=options("trader", "youth"))])])
    consultation.state = State.OPEN
    db.session.commit()
    return db.session.scalars(db.select(Survey)).one()


def _submit(survey, key: str) -> None:
    responses.submit_all(survey, {"role": "youth"}, {}, "en", key, "hash", Channel.API,
                         respondent_key=key)


class _Holder:
    """The turn, held from another open file (as another worker would hold it)."""

    def __init__(self) -> None:
        self.descriptor = os.open(sqlite_turn.lock_path(db.engine.url.database),
                                  os.O_RDWR | os.O_CREAT)

    def try_take(self) -> bool:
        try:
            fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def give_back(self) -> None:
        fcntl.flock(self.descriptor, fcntl.LOCK_UN)
        os.close(self.descriptor)


def _in_thread(app, work) -> threading.Thread:
    def run():
        with app.app_context():
            work()
            db.session.commit()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_the_turn_is_given_back_when_the_submission_commits_or_fails(app, survey):
    holder = _Holder()
    _submit(survey, "first")
    assert not holder.try_take()  # held while the transaction is open
    db.session.commit()
    assert holder.try_take()
    holder.give_back()
    holder = _Holder()
    with pytest.raises(IntegrityError):  # a replay: the key is taken
        _submit(survey, "first")
    db.session.rollback()
    assert holder.try_take()
    holder.give_back()


def test_a_submission_waits_for_the_turn_another_worker_holds(app, survey):
    holder = _Holder()
    assert holder.try_take()
    thread = _in_thread(app, lambda: _submit(survey, "waiting"))
    thread.join(0.5)
    assert thread.is_alive()  # queued, not failed and not sleeping its way past the turn
    holder.give_back()
    thread.join(10)
    assert not thread.is_alive()
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_a_transaction_already_writing_takes_no_turn_so_two_writers_cannot_deadlock(app, survey):
    # A worker holding SQLite's write lock that then waited for the turn could wait for the
    # turn's holder, itself waiting for SQLite's lock.
    holder = _Holder()
    assert holder.try_take()

    def write_then_submit():
        db.session.execute(db.update(Survey).values(id=Survey.id))  # holds the write lock
        _submit(survey, "already-writing")

    thread = _in_thread(app, write_then_submit)
    thread.join(10)
    assert not thread.is_alive()
    holder.give_back()
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
