"""Many phones submitting at once, some retrying: every response counted exactly once.

50 threads x 20 submissions through the API of a served app (gunicorn, 2 workers), 10% of
them replays of a key already sent; on SQLite and on PostgreSQL.
"""
import json
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from bench.live_server import gunicorn

THREADS, PER_THREAD, REPLAY_EVERY = 50, 20, 10
BODY = {"language": "en", "answers": {"role": "resident", "area": "port", "support": "4",
                                      "priorities": ["hotline"], "trust_hotline": 7,
                                      "ideas": "More light at the bus station"}}
ANSWER_ROWS = 6


def _submit(port: int, key: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/consultations/safer-port-amani/responses",
        data=json.dumps(BODY).encode(), method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())["receipt"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow
def test_parallel_submissions_and_replays_are_counted_exactly_once(tmp_path,
                                                                   empty_database_url):
    database_url = empty_database_url
    results: list[tuple[str, int, str]] = []
    lock = threading.Lock()

    def phone(number: int, port: int) -> None:
        sent: list[str] = []
        for n in range(PER_THREAD):
            replay = n % REPLAY_EVERY == REPLAY_EVERY - 1
            key = sent[-1] if replay else f"phone-{number}-{n}"
            status, receipt = _submit(port, key)
            sent.append(key)
            with lock:
                results.append((key, status, receipt))

    with gunicorn(tmp_path, workers=2, database_url=database_url) as port:
        threads = [threading.Thread(target=phone, args=(n, port)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    failures = [r for r in results if r[1] != 201]
    assert failures == [], failures[:3]
    unique_keys = {key for key, _, _ in results}
    receipts_per_key = {}
    for key, _, receipt in results:
        receipts_per_key.setdefault(key, set()).add(receipt)
    assert all(len(r) == 1 for r in receipts_per_key.values())  # a replay gets the same receipt
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        # Only this consultation's survey: the demo data holds responses to another one.
        survey = text("SELECT survey.id FROM survey JOIN consultation ON consultation.id = "
                      "survey.consultation_id WHERE consultation.slug = 'safer-port-amani'")
        responses = connection.execute(text(
            f"SELECT count(*) FROM response WHERE survey_id = ({survey.text})")).scalar()
        answers = connection.execute(text(
            "SELECT count(*) FROM answer JOIN response ON response.id = answer.response_id "
            f"WHERE response.survey_id = ({survey.text})")).scalar()
    engine.dispose()
    assert len(unique_keys) == THREADS * (PER_THREAD - PER_THREAD // REPLAY_EVERY)
    assert responses == len(unique_keys) and answers == responses * ANSWER_ROWS


@pytest.mark.slow
def test_one_key_sent_by_many_phones_at_the_same_moment_is_counted_once(tmp_path,
                                                                        empty_database_url):
    # A double tap on a flaky connection, multiplied: the same key arrives at both workers at
    # once, over and over. Each key is stored once, and every sender gets its receipt.
    senders, keys = 16, 10
    results: dict[str, list[tuple[int, str]]] = {}
    lock = threading.Lock()
    with gunicorn(tmp_path, workers=2, database_url=empty_database_url) as port:
        for n in range(keys):
            barrier = threading.Barrier(senders)

            def send(key: str) -> None:
                barrier.wait()
                answer = _submit(port, key)
                with lock:
                    results.setdefault(key, []).append(answer)

            threads = [threading.Thread(target=send, args=(f"tap-{n}",)) for _ in range(senders)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    assert all(status == 201 for sent in results.values() for status, _ in sent), results
    assert all(len({receipt for _, receipt in sent}) == 1 for sent in results.values())
    engine = create_engine(empty_database_url.replace("postgresql://", "postgresql+psycopg://",
                                                      1))
    with engine.connect() as connection:
        stored = connection.execute(text(
            "SELECT count(*), count(DISTINCT idempotency_key) FROM response "
            "WHERE idempotency_key LIKE 'tap-%'")).one()
        answers = connection.execute(text(
            "SELECT count(*) FROM answer JOIN response ON response.id = answer.response_id "
            "WHERE idempotency_key LIKE 'tap-%'")).scalar()
    engine.dispose()
    assert tuple(stored) == (keys, keys) and answers == keys * ANSWER_ROWS
