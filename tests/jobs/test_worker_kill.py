"""A real worker killed in the middle of a large export: the job is given to a new worker, which
writes the file again from the start, so there is one complete file with every response once.

The worker is `flask --app consult consult worker` in its own process, on a Redis queue
(database 7, emptied first) and the test's database (a SQLite file, and a scratch PostgreSQL
database with TEST_DATABASE_URL), configured through the environment as in production.
"""
import csv
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consult import create_app
from consult.extensions import db
from consult.jobs import files
from consult.jobs.models import Job, JobState
from consult.jobs.tracking import requeue_stalled
from tests.conftest import BACKENDS, POSTGRES_URL, base_config

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
QUEUE_URL = "redis://127.0.0.1:6379/7"
#: Enough responses for the export to run several seconds (it reports progress each second).
RESPONSES = int(os.environ.get("WORKER_KILL_RESPONSES", "30000"))
STALLED_AFTER = dt.timedelta(seconds=3)


@pytest.fixture
def redis_queue():
    """Redis database 7, empty before and after."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(QUEUE_URL)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {QUEUE_URL} for the worker's queue")
    yield
    client.flushdb()
    client.close()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A SQLite file, or a scratch PostgreSQL database both processes share."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        return
    from bench.live_server import scratch_postgres

    with scratch_postgres(POSTGRES_URL, "consult_h4_worker") as url:
        yield url


@pytest.fixture
def worker_app(database_url, redis_queue, tmp_path):
    """The app of the test process, on the worker's database and queue."""
    app = create_app({**base_config(database_url), "QUEUE_URL": QUEUE_URL,
                      "JOB_STALLED_AFTER": STALLED_AFTER})
    env = {**os.environ, "CONSULT_ENV": "production", "DATABASE_URL": database_url,
           "QUEUE_URL": QUEUE_URL, "SECRET_KEY": app.config["SECRET_KEY"],
           "CONSULT_INSTANCE_PATH": str(tmp_path / "instance")}
    with app.app_context():
        db.create_all()
        yield app, env
        db.session.remove()
        db.engine.dispose()


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "consult", "consult", "worker",
             "--workers", "1", "--no-periodic"], cwd=ROOT, env=env, stdout=output,
            stderr=subprocess.STDOUT)


def _job(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _wait(condition, limit: float, log: Path, what: str):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} within {limit} s; worker log:\n{log.read_text()}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_a_worker_killed_mid_export_leaves_one_complete_file_made_once(worker_app, tmp_path):
    app, env = worker_app
    from bench.summary_data import build
    from consult.consultations.models import Consultation
    from consult.summaries.export_jobs import start_export

    consultation = db.session.get(Consultation, build(RESPONSES))
    job_id = start_export(consultation, "csv", None, None).id
    db.session.commit()  # queued on Redis
    log = tmp_path / "worker.log"
    first = _start_worker(env, log)
    try:
        _wait(lambda: _job(job_id).state is JobState.RUNNING and _job(job_id).progress > 0,
              120, log, "the first worker did not start the export")
        first.send_signal(signal.SIGKILL)  # no chance to clean up or to say anything
        first.wait()
    finally:
        _stop(first)
    killed = _job(job_id)
    assert killed.state is JobState.RUNNING and 0 < killed.progress < 100
    assert [f.complete for f in db.session.scalars(db.select(files.StoredFile))] == [False]

    second = _start_worker(env, log)
    try:
        # No sign of life for JOB_STALLED_AFTER: the job is queued again, for the new worker.
        _wait(lambda: requeue_stalled() == 1, 30, log, "the killed job was not found stalled")
        done = _wait(lambda: _job(job_id).state in (JobState.DONE, JobState.FAILED) and
                     _job(job_id), 600, log, "the second worker did not finish the export")
    finally:
        _stop(second)
    assert (done.state, done.attempts, done.reason, done.progress) == (
        JobState.DONE, 2, "stalled", 100)
    (made,) = db.session.scalars(db.select(files.StoredFile)).all()
    assert made.complete and made.rows == RESPONSES and done.result == str(made.id)
    body = b"".join(files.iter_chunks(db.engine, made.id)).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    ids = [row[0] for row in rows[1:]]
    assert rows[0][0] == "response" and len(ids) == RESPONSES == len(set(ids))
    assert len(body.encode()) == made.size
