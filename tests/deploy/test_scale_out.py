"""Consult past one machine (docs/deploy.md §7): two gunicorn nodes and two workers on one
PostgreSQL database and one Redis (queue in database 12, rate-limit counters in 11).

A storm of survey submissions, each sent two or three times with its Idempotency-Key to
alternating nodes at once, is stored and counted exactly once; one client's rate limit is
counted over both nodes; a staff session started on one node works on the other, and signing
out on one ends it on both; exports queued on one node are made once each by the two workers.
"""
import csv
import io
import os
import random
import socket
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.conftest import POSTGRES_URL
from tests.deploy.cluster import (
    QUEUE_URL,
    RATE_LIMITS_URL,
    Client,
    cluster,
    executions,
    served,
    settings,
)

pytestmark = pytest.mark.slow

SLUG, SURVEY_PATH = "safer-port-amani", "/api/v1/consultations/safer-port-amani/responses"
#: The demo consultation with results, whose responses the exports hold.
EXPORTED = "youth-jobs-harbour"
SUBMISSIONS = int(os.environ.get("SCALE_OUT_SUBMISSIONS", "400"))
THREADS = 16
ROLES = ["trader", "resident", "transport", "student"]
LANGUAGES = ["en", "fr", "es", "ar"]
#: Per client (instance config): the storm's clients send at most three times each.
CLIENT_LIMIT = 4
PASSWORD = "consult-demo-2026"  # consult.demo.DEMO_PASSWORD


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """The running cluster on a scratch database beside TEST_DATABASE_URL's, Redis databases
    11 and 12 emptied before and after, and an app of the test's own to read the database."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set: the app nodes need one PostgreSQL database")
    if not _redis_answers():
        message = "no Redis server on 127.0.0.1:6379 for the shared queue and rate limits"
        if os.environ.get("CONSULT_REQUIRE_REDIS") == "1":
            pytest.fail(message + " (CONSULT_REQUIRE_REDIS=1)")
        pytest.skip(message)
    import redis

    from bench.live_server import scratch_postgres
    from consult import create_app
    from tests.deploy.conftest import scratch_name

    stores = [redis.Redis.from_url(url) for url in (RATE_LIMITS_URL, QUEUE_URL)]
    for store in stores:
        store.flushdb()
    base = tmp_path_factory.mktemp("scale-out")
    try:
        with scratch_postgres(POSTGRES_URL, scratch_name("scaleout")) as url:
            shared = settings(url)
            with cluster(base, shared, dict(os.environ)) as running:
                app = create_app({"SECRET_KEY": shared["SECRET_KEY"], "DATABASE_URL": url,
                                  "QUEUE_URL": QUEUE_URL, "ANALYSIS_DELAY": 0,
                                  "RATELIMIT_STORAGE_URI": "memory://",
                                  "CELL_KEY_PERTURBATION": False, "MAIL_BACKEND": "console"})
                try:
                    yield running, app, stores
                finally:
                    with app.app_context():
                        from consult.extensions import db

                        db.session.remove()
                        db.engine.dispose()
    finally:
        for store in stores:
            store.flushdb()
            store.close()


def _body(number: int) -> dict:
    return {"language": LANGUAGES[number % 4],
            "answers": {"role": ROLES[number % 4], "support": str(number % 5 + 1),
                        "area": "market", "priorities": ["hotline", "liaison"][: number % 3],
                        "trust_hotline": number % 11}}


def _sign_in(client: Client, port: int, email: str) -> str:
    """Sign in with the form on the node at port; where it sends the browser."""
    token = client.request(port, "GET", "/manage/login").csrf_token()
    reply = client.request(port, "POST", "/manage/login",
                           form={"csrf_token": token, "email": email, "password": PASSWORD})
    assert reply.status == 302, reply.text[:2000]
    return reply.headers["Location"]


def _counts(app, prefix: str) -> dict:
    """Submitted responses of the survey: all, those whose key has prefix, their receipts,
    the role answers of all, and what the tallies and the planner summary count."""
    from consult.consultations.services import get_consultation
    from consult.extensions import db
    from consult.summaries import tallies_store
    from consult.summaries.services import summary_for
    from consult.surveys.models import Answer, Question, Response, ResponseState
    from consult.surveys.services import get_survey

    with app.app_context():
        consultation = get_consultation(SLUG)
        survey = get_survey(consultation)
        submitted = (Response.survey_id == survey.id, Response.state == ResponseState.SUBMITTED)
        ours = db.session.execute(select(Response.idempotency_key, Response.receipt).where(
            *submitted, Response.idempotency_key.startswith(prefix))).all()
        roles = dict(db.session.execute(
            select(Answer.option_key, func.count()).join(Response).join(Question)
            .where(*submitted, Question.key == "role").group_by(Answer.option_key)).all())
        summary, _ = summary_for(consultation, survey, planner=True)
        found = {"survey": survey.id, "all": db.session.scalar(
                     select(func.count()).select_from(Response).where(*submitted)),
                 "ours": {key: receipt for key, receipt in ours}, "roles": roles,
                 "waiting": tallies_store.waiting_count(survey.id),
                 "tallied": tallies_store.respondents(survey.id),
                 "summary": summary.respondents.count}
        db.session.remove()
        return found


def _folded(app, survey_id: int, limit: float = 60) -> None:
    """Queue folds of the survey's waiting responses (the workers do them) until none waits."""
    from consult.extensions import db
    from consult.summaries import tallies_store
    from consult.summaries.analysis_tasks import request_fold

    deadline = time.monotonic() + limit
    while True:
        with app.app_context():
            if tallies_store.waiting_count(survey_id) == 0:
                return
            request_fold(survey_id)  # nothing when a fold is queued or running already
            db.session.remove()
        assert time.monotonic() < deadline, "the workers did not fold the waiting responses"
        time.sleep(0.5)


def test_a_storm_of_replayed_submissions_over_both_nodes_is_counted_once(nodes, capsys):
    running, app, _ = nodes
    before = _counts(app, "storm-")
    logged = [served(log, f"POST {SURVEY_PATH}", 201) for log in running.node_logs]
    sends = [(number, attempt) for number in range(SUBMISSIONS)
             for attempt in range(2 + number % 2)]  # every other submission sent three times
    random.Random(13).shuffle(sends)  # replays may arrive before, with or after the first

    def send(item):
        number, attempt = item
        port = running.nodes[(number + attempt) % 2]  # each submission reaches both nodes
        phone = Client(f"10.77.{number // 250}.{number % 250}")  # one client a submission
        reply = phone.request(port, "POST", SURVEY_PATH, body=_body(number),
                              headers={"Idempotency-Key": f"storm-{number}"})
        return number, reply.status, reply.json()["receipt"] if reply.status == 201 else reply.text

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(send, sends))
    storm_seconds = time.monotonic() - started

    assert [r for r in results if r[1] != 201] == []
    expected = [sum(1 for number, attempt in sends if (number + attempt) % 2 == n)
                for n in (0, 1)]
    deadline = time.monotonic() + 10  # a node logs a request just after answering it
    while True:
        per_node = [served(log, f"POST {SURVEY_PATH}", 201) - logged[n]
                    for n, log in enumerate(running.node_logs)]
        if per_node == expected or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert per_node == expected
    receipts: dict[int, set] = {}
    for number, _, receipt in results:
        receipts.setdefault(number, set()).add(receipt)
    assert all(len(found) == 1 for found in receipts.values())  # a replay gets the first receipt
    after = _counts(app, "storm-")
    assert len(after["ours"]) == SUBMISSIONS
    assert sorted(after["ours"].values()) == sorted(r.pop() for r in receipts.values())
    assert after["all"] == before["all"] + SUBMISSIONS
    assert {role: after["roles"].get(role, 0) - before["roles"].get(role, 0)
            for role in ROLES} == Counter(ROLES[number % 4] for number in range(SUBMISSIONS))
    assert after["summary"] == after["all"]  # tallies plus the responses still waiting

    started = time.monotonic()
    _folded(app, after["survey"])
    fold_seconds = time.monotonic() - started
    folded = _counts(app, "storm-")
    assert folded["waiting"] == 0
    assert folded["tallied"] == folded["summary"] == folded["all"] == after["all"]
    folds = executions(running.worker_logs, "consult.summaries.analysis_tasks.fold_survey")
    figures = {"submissions": SUBMISSIONS, "sent": len(sends),
               "replays": len(sends) - SUBMISSIONS, "nodes": len(running.nodes),
               "served per node": "/".join(map(str, per_node)),
               "workers": len(running.worker_logs), "threads": THREADS,
               "stored": len(after["ours"]), "counted": folded["tallied"] - before["all"],
               "fold jobs": len(folds), "storm s": round(storm_seconds, 1),
               "last fold s": round(fold_seconds, 1), "cluster up s": round(running.started_in, 1)}
    with capsys.disabled():  # shown however pytest captures output, for the closing note
        print("\nscale-out: " + ", ".join(f"{name} {value}" for name, value in figures.items()))


def test_one_clients_rate_limit_is_counted_over_both_nodes(nodes):
    running, app, stores = nodes
    phone = Client("198.51.100.7")
    statuses, receipts = [], []
    for number in range(CLIENT_LIMIT + 2):
        reply = phone.request(running.nodes[number % 2], "POST", SURVEY_PATH,
                              body=_body(number), headers={"Idempotency-Key": f"limit-{number}"})
        statuses.append(reply.status)
        receipts.append(reply.json().get("receipt"))
    # Counted per node, each would have let CLIENT_LIMIT through.
    assert statuses == [201] * CLIENT_LIMIT + [429, 429]
    assert len(_counts(app, "limit-")["ours"]) == CLIENT_LIMIT
    # A retry of a stored response still gets its receipt (it adds nothing); another address
    # is not held back.
    again = phone.request(running.nodes[1], "POST", SURVEY_PATH, body=_body(0),
                          headers={"Idempotency-Key": "limit-0"})
    assert (again.status, again.json()["receipt"]) == (201, receipts[0])
    other = Client("198.51.100.8").request(running.nodes[0], "POST", SURVEY_PATH,
                                           body=_body(1), headers={"Idempotency-Key": "limit-x"})
    assert other.status == 201
    assert stores[0].dbsize() > 0  # the counters are in Redis, not in the nodes


def test_a_staff_session_works_on_both_nodes_and_ends_on_both(nodes):
    running, _, _ = nodes
    node_a, node_b = running.nodes
    browser = Client("192.0.2.30")
    landing = _sign_in(browser, node_a, "host@demo.example")
    copied = dict(browser.cookies)
    page = browser.request(node_b, "GET", landing)
    assert page.status == 200 and "/manage/logout" in page.text
    # The same browser (its address too: session protection) on the other node again.
    assert Client(browser.address, dict(copied)).request(node_a, "GET", landing).status == 200

    out = browser.request(node_b, "POST", "/manage/logout",
                          form={"csrf_token": page.csrf_token()})
    assert out.status == 302
    for port in (node_a, node_b):  # the copy of the signed-out cookie opens nothing anywhere
        refused = Client(browser.address, dict(copied)).request(port, "GET", landing)
        assert refused.status == 302 and "/manage/login" in refused.headers["Location"]


def test_exports_queued_on_one_node_are_made_once_by_two_workers(nodes, capsys):
    running, app, _ = nodes
    from consult.extensions import db
    from consult.jobs.files import StoredFile
    from consult.jobs.models import Job, JobState

    node_a, node_b = running.nodes
    planner = Client("192.0.2.40")
    _sign_in(planner, node_a, "admin@demo.example")
    report = f"/manage/consultations/{EXPORTED}/report"
    asked = [("csv", None), ("json", None), ("csv", "fr"), ("json", "ar")]
    jobs = []
    for kind, language in asked:
        query = f"?format={kind}" + (f"&labels={language}" if language else "")
        offer = planner.request(node_a, "GET", f"{report}/export{query}")
        assert offer.status == 200 and "Prepare the file" in offer.text
        form = {"csrf_token": offer.csrf_token(), "format": kind, **(
            {"labels": language} if language else {})}
        queued = planner.request(node_a, "POST", f"{report}/export", form=form)
        assert queued.status == 303, queued.text[:2000]
        jobs.append(int(queued.headers["Location"].rstrip("/").rsplit("/", 1)[1]))

    deadline = time.monotonic() + 60
    with app.app_context():
        while True:
            found = db.session.scalars(select(Job).where(Job.id.in_(jobs))).all()
            if all(job.state is JobState.DONE for job in found):
                break
            assert time.monotonic() < deadline, [(j.id, j.state, j.reason) for j in found]
            db.session.rollback()
            time.sleep(0.3)
        assert sorted((job.id, job.attempts) for job in found) == [(j, 1) for j in sorted(jobs)]
        stored = db.session.scalars(select(StoredFile).where(StoredFile.job_id.in_(jobs))).all()
        assert sorted(f.job_id for f in stored) == sorted(jobs) and all(f.complete for f in stored)
        rows = {f.job_id: f.rows for f in stored}
        db.session.remove()
    ran = executions(running.worker_logs, "consult.summaries.tasks.export_responses")
    assert len(ran) == len(jobs), ran

    downloads = {}
    for job_id in jobs:  # followed and downloaded on the other node
        assert planner.request(node_b, "GET", f"{report}/exports/{job_id}").status == 200
        download = planner.request(node_b, "GET", f"{report}/exports/{job_id}/file")
        assert download.status == 200 and rows[job_id] > 0
        downloads[job_id] = download.text
    lines = list(csv.reader(io.StringIO(downloads[jobs[0]].lstrip("\ufeff"))))
    assert len(lines) == rows[jobs[0]] + 1  # a header, then each response once
    with capsys.disabled():
        print(f"\nscale-out exports: {len(jobs)} queued on node A, each done once (attempts 1, "
              f"one file of {rows[jobs[0]]} responses) by "
              + ", ".join(f"{name} x{count}" for name, count in sorted(Counter(ran).items())))
