"""Many phones voting at once, the same people changing their votes in parallel requests:
the counters on every comment equal its votes, one per participant and comment.

24 threads against a served app (gunicorn, 2 workers), 8 participant keys shared by 3 threads
each, 40 votes per thread on 5 comments; on SQLite and on PostgreSQL.
"""
import json
import random
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from bench.live_server import gunicorn

SETUP = """
from consult import create_app
from consult.comments.services import post_comment
from consult.consultations.services import get_consultation
from consult.extensions import db
app = create_app()
with app.app_context():
    consultation = get_consultation("safer-port-amani")
    for n in range(5):
        post_comment(consultation, "author", f"Statement {n}", "en")
    db.session.commit()
"""
PARTICIPANTS, THREADS_EACH, VOTES_EACH = 8, 3, 40
CHOICES = ("agree", "disagree", "pass")


def _vote(port: int, comment_id: int, key: str, choice: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/comments/{comment_id}/votes",
        data=json.dumps({"vote": choice}).encode(), method="POST",
        headers={"Content-Type": "application/json", "Participant-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_parallel_vote_changes_keep_counters_equal_to_votes(tmp_path, empty_database_url):
    statuses: list[int] = []
    lock = threading.Lock()
    with gunicorn(tmp_path, workers=2, database_url=empty_database_url, setup=SETUP) as port:
        engine = create_engine(empty_database_url.replace("postgresql://",
                                                          "postgresql+psycopg://", 1))
        with engine.connect() as connection:
            ids = [row[0] for row in connection.execute(text(
                "SELECT id FROM comment WHERE body LIKE 'Statement %'"))]

        def phone(key: str, seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(VOTES_EACH):
                status = _vote(port, rng.choice(ids), key, rng.choice(CHOICES))
                with lock:
                    statuses.append(status)

        threads = [threading.Thread(target=phone, args=(f"participant-key-{p:04d}-xyz", seed))
                   for seed, p in enumerate(p for p in range(PARTICIPANTS)
                                            for _ in range(THREADS_EACH))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [200] * PARTICIPANTS * THREADS_EACH * VOTES_EACH
    with engine.connect() as connection:
        counters = {row[0]: tuple(row[1:]) for row in connection.execute(text(
            "SELECT id, agree_count, disagree_count, pass_count FROM comment"))}
        tallies = {comment_id: [0, 0, 0] for comment_id in ids}
        mine = f"comment_id IN ({', '.join(map(str, ids))})"  # not the demo's own votes
        for comment_id, choice, n in connection.execute(text(
                f"SELECT comment_id, choice, count(*) FROM vote WHERE {mine} "
                "GROUP BY comment_id, choice")):
            tallies[comment_id][CHOICES.index(choice)] = n
        pairs = connection.execute(text("SELECT count(DISTINCT voter_key || ':' || comment_id),"
                                        f" count(*) FROM vote WHERE {mine}")).one()
    engine.dispose()
    assert {i: counters[i] for i in ids} == {i: tuple(t) for i, t in tallies.items()}
    assert pairs[0] == pairs[1] and sum(map(sum, tallies.values())) == pairs[1]
    assert pairs[1] <= PARTICIPANTS * len(ids)
