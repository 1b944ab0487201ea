"""An API submission stored with the fewest statements (surveys/response_store.py): every
answer kept as answered, one statement on PostgreSQL that commits itself, durable commits, a
receipt drawn twice drawn again, and one key sent many times at once counted once."""
import datetime as dt
import threading
from itertools import chain
from types import SimpleNamespace as Spec

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import responses, services
from consult.surveys.models import Answer, Channel, Response, ResponseState, Survey
from consult.surveys.response_store import AnswerRow, NewResponse, insert_response
from tests.surveys.specs import options, question

LONG_FRENCH = ("Il faudrait plus de lumière près de l'arrêt de bus et un endroit sûr pour "
               "attendre le soir, surtout pour les femmes qui rentrent du marché.")
ANSWERS = {"role": "other", "areas": ["market", "port"], "order": ["c", "a", "b"],
           "agree": "4", "age": 41, "share": 2.5, "score": 7, "since": "2024-02-29",
           "stall": "Fish 'n' chips — \"Chez Amani\" 🐟", "ideas": LONG_FRENCH + "\nMerci."}
#: The answers as stored and read back (saved_answers), with their "other" texts.
STORED = {"role": "other", "areas": ["market", "port"], "order": ["c", "a", "b"],
          "agree": "4", "age": 41, "share": 2.5, "score": 7, "since": "2024-02-29",
          "stall": ANSWERS["stall"], "ideas": ANSWERS["ideas"]}


@pytest.fixture
def consultation(make_consultation):
    """An open consultation with a survey of every kind of question."""
    consultation = make_consultation(state=State.DRAFT)
    services.replace_survey(consultation, [
        Spec(key="p1", labels={"en": "One"}, questions=[
            question("role", "single_choice", options=options("trader", "youth"),
                     allow_other=True),
            question("areas", "multiple_choice", options=options("port", "market")),
            question("order", "ranking", options=options("a", "b", "c")),
            question("agree", "likert", options=options("1", "2", "3", "4", "5")),
            question("intro", "note"),
        ]),
        Spec(key="p2", labels={"en": "Two"}, questions=[
            question("age", "number", integer=True), question("share", "number"),
            question("score", "scale"), question("since", "date"),
            question("stall", "short_text"), question("ideas", "long_text"),
        ]),
    ])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def _post(client, consultation, key="key-1", answers=None):
    slug = consultation if isinstance(consultation, str) else consultation.slug
    return client.post(f"/api/v1/consultations/{slug}/responses",
                       json={"language": "en", "answers": answers or ANSWERS,
                             "other": {"role": "Fisher"}},
                       headers={"Idempotency-Key": key})


def _survey(consultation) -> Survey:
    return db.session.scalars(db.select(Survey).filter_by(
        consultation_id=consultation.id)).one()


def test_every_kind_of_answer_is_stored_as_it_was_answered(client, consultation):
    sent = _post(client, consultation)
    assert sent.status_code == 201
    stored = db.session.scalars(db.select(Response)).one()
    assert stored.receipt == sent.get_json()["receipt"]
    assert (stored.state, stored.channel, stored.language) == \
        (ResponseState.SUBMITTED, Channel.API, "en")
    assert stored.submitted_on == stored.saved_on == dt.date.today()
    assert stored.current_page == 2 and stored.untallied == 0
    assert stored.idempotency_key == "key-1" and len(stored.payload_hash) == 64
    values, others = responses.saved_answers(stored, _survey(consultation))
    assert values == STORED and others == {"role": "Fisher"}
    by_key = {q.id: q.key for q in _survey(consultation).questions}
    rows = {(by_key[a.question_id], a.option_key): a for a in stored.answers}
    # Free text keeps the language it is written in; the ranking keeps its order.
    assert rows[("ideas", None)].language == "fr"
    assert [rows[("order", k)].rank for k in ("c", "a", "b")] == [1, 2, 3]
    assert rows[("role", "other")].text == "Fisher"
    assert len(stored.answers) == 13


def test_a_submission_of_no_answers_stores_the_response_alone(client, consultation):
    assert _post(client, consultation, answers={"intro": None}).status_code == 201
    stored = db.session.scalars(db.select(Response)).one()
    assert stored.answers == [] and stored.state is ResponseState.SUBMITTED


def test_each_submission_draws_its_own_cell_key_not_the_column_default(client, consultation):
    # A constant key (the column's server default, 0) would make every published count's
    # perturbation predictable: a reader could then take it back out.
    for n in range(24):
        assert _post(client, consultation, key=f"key-{n}").status_code == 201
    keys = db.session.scalars(db.select(Response.cell_key)).all()
    assert len(keys) == 24 and len(set(keys)) > 1


def test_a_receipt_drawn_twice_is_drawn_again_not_a_500(client, consultation, monkeypatch):
    drawn = chain(["ACDE-FGHJ", "ACDE-FGHJ", "KMNP-QRTU"], iter(responses.new_receipt, None))
    monkeypatch.setattr(responses, "new_receipt", lambda: next(drawn))
    assert _post(client, consultation, key="first").get_json()["receipt"] == "ACDE-FGHJ"
    second = _post(client, consultation, key="second")
    assert second.status_code == 201 and second.get_json()["receipt"] == "KMNP-QRTU"
    assert _post(client, consultation, key="second").get_json()["receipt"] == "KMNP-QRTU"
    stored = db.session.execute(db.select(Response.idempotency_key, Response.receipt)
                                .order_by(Response.id)).all()
    assert [tuple(row) for row in stored] == [("first", "ACDE-FGHJ"), ("second", "KMNP-QRTU")]
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 2 * 13


def test_a_submission_is_one_statement_on_postgresql_and_commits_itself(app, client,
                                                                         consultation):
    seen: list[tuple[str, bool | None]] = []  # (statement, autocommit) as the driver got them

    def record(conn, cursor, statement, *args):
        seen.append((" ".join(statement.split()), getattr(cursor.connection, "autocommit", None)))

    def trace(dbapi_connection, *_):
        # SQLite's inserts go to the driver's own cursor: SQLite's trace sees every statement
        # (BEGIN and COMMIT included; sqlite3 runs each row of an executemany on its own).
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(
                lambda statement: seen.append((" ".join(statement.split()), None)))

    def untrace(dbapi_connection, *_):
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(None)

    # The first submission reads the survey and the consultation; the process remembers them.
    assert _post(client, consultation, key="first").status_code == 201
    event.listen(db.engine, "before_cursor_execute", record)
    event.listen(db.engine, "checkout", trace)
    event.listen(db.engine, "checkin", untrace)
    try:
        assert _post(client, consultation).status_code == 201
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
        event.remove(db.engine, "checkout", trace)
        event.remove(db.engine, "checkin", untrace)
    if db.engine.dialect.name == "postgresql":
        # The response with all its answers, guarded by the consultation as checked; no
        # BEGIN or COMMIT to wait for: the insert is its own transaction, durable when it
        # returns.
        assert len(seen) == 1 and seen[0][0].startswith("WITH stored AS ( INSERT INTO response (")
        assert seen[0][1] is True
        # The next request's connection is transactional again.
        assert db.session.connection().connection.dbapi_connection.autocommit is False
    else:
        # Two statements: the response, then one executemany of its 13 answer rows.
        kinds = [statement.split(" (")[0] for statement, _ in seen]
        assert kinds == ["BEGIN", "INSERT INTO response"] + ["INSERT INTO answer"] * 13 \
            + ["COMMIT"], kinds
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 2 * 13


def test_a_failed_submission_leaves_nothing_half_saved(client, consultation):
    # An answer row the database refuses (a question id that does not exist) fails the
    # whole submission: no response without its answers, on either database.
    survey = _survey(consultation)
    today = dt.date.today()
    with pytest.raises(IntegrityError):
        insert_response(NewResponse(survey.id, "someone", "en", "api", "submitted", "k",
                                    "0" * 64, "ACDE-FGHJ", 2, today, today, 7),
                        [AnswerRow(survey.questions[0].id, option_key="trader"),
                         AnswerRow(2**31 - 1, text="nowhere")])
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 0


def test_an_acknowledged_submission_is_on_disk(app):
    # SQLite in WAL mode with synchronous=NORMAL syncs only at checkpoints: the last
    # submissions acknowledged could be lost to a power cut. FULL syncs every commit.
    if db.engine.dialect.name == "sqlite":
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA synchronous")) == 2  # FULL
    else:
        assert db.session.scalar(text("SHOW synchronous_commit")) != "off"
        assert db.session.scalar(text("SHOW fsync")) == "on"


def _at_once(app, consultation, bodies, key):
    """Send the bodies with the same key from as many threads, released together."""
    slug = consultation.slug  # read here: the test's session is not the threads' to use
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def send(answers):
        client = app.test_client()
        barrier.wait()
        answer = _post(client, slug, key=key, answers=answers)
        with lock:
            results.append((answer.status_code, answer.get_json()))

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_key_sent_many_times_at_once_is_counted_once(app, consultation):
    for round_ in range(4):
        results = _at_once(app, consultation, [ANSWERS] * 8, key=f"double-tap-{round_}")
        assert [status for status, _ in results] == [201] * 8, results
        assert len({body["receipt"] for _, body in results}) == 1
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 4
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 4 * 13


def test_one_key_sent_at_once_with_other_answers_keeps_only_the_first(app, consultation):
    other = {**ANSWERS, "score": 2}
    results = _at_once(app, consultation, [ANSWERS, other] * 4, key="contested")
    statuses = sorted(status for status, _ in results)
    # One of the two bodies was stored; the four sending it get its receipt, the four
    # sending the other are told the key was used for different answers.
    assert statuses == [201] * 4 + [422] * 4, results
    assert len({body["receipt"] for status, body in results if status == 201}) == 1
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 13
