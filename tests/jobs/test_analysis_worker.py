"""A real worker process (`consult worker`) on a Redis queue recomputes the themes a page
queued, into the database every node reads."""
import os
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from consult import create_app
from consult.accounts import services as accounts
from consult.accounts.models import OrganisationKind
from consult.comments import services as comments
from consult.consultations import services as consultations
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.jobs import huey
from consult.summaries import qualitative
from consult.summaries.snapshots import THEMES, AnalysisSnapshot
from tests.analysis.test_themes import _corpus
from tests.conftest import base_config

QUEUE_URL = "redis://127.0.0.1:6379/8"
pytestmark = pytest.mark.slow


def _redis_or_skip():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    import redis

    return redis.Redis.from_url(QUEUE_URL)


@pytest.fixture
def worker_app(tmp_path):
    """An app on a SQLite file and the Redis queue (emptied), and a worker process on both;
    the queue goes back to immediate mode afterwards."""
    connection = _redis_or_skip()
    connection.flushdb()
    url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    config = {**base_config(url), "QUEUE_URL": QUEUE_URL, "ANALYSIS_DELAY": 0}
    app = create_app(config)
    with app.app_context():
        db.create_all()
    environment = {**os.environ, "DATABASE_URL": url, "QUEUE_URL": QUEUE_URL,
                   "SECRET_KEY": config["SECRET_KEY"], "CONSULT_INSTANCE_PATH": str(tmp_path)}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "consult", "consult", "worker",
         "--workers", "1", "--no-periodic"], env=environment, stdout=log,
        stderr=subprocess.STDOUT)
    try:
        with app.app_context():
            yield app
    finally:
        worker.terminate()
        worker.wait(20)
        log.close()
        huey.immediate = True  # back to the tests' immediate mode (the next app sets it too)
        connection.flushdb()


def test_a_real_worker_stores_the_themes_a_page_queued(worker_app):
    host = accounts.create_organisation("host", "Host", OrganisationKind.CIVIL_SOCIETY)
    consultation = consultations.create_consultation(host, "worker-themes", "en", ["en"],
                                                     publish_themes=True)
    consultation.state = State.RESULTS_PUBLISHED
    texts, _, _ = _corpus(["en"], per_topic=10, seed=4)
    for n, text in enumerate(texts):
        comments.post_comment(consultation, f"author-{n}", text, "en")
    db.session.commit()
    assert qualitative.analysis_for(consultation, None, planner=False).pending  # queued
    deadline = time.monotonic() + 90
    stored = None
    while stored is None and time.monotonic() < deadline:
        time.sleep(0.5)
        db.session.rollback()
        stored = db.session.scalar(select(AnalysisSnapshot).where(
            AnalysisSnapshot.consultation_id == consultation.id,
            AnalysisSnapshot.kind == THEMES))
    assert stored is not None, "the worker stored no themes within 90 s"
    assert stored.inputs == 30
    (themes,) = qualitative.theme_views(consultation, None, planner=False)
    assert themes.source == "comments" and len(themes.themes) >= 2
    assert themes.fresh is not None and not themes.fresh.stale
