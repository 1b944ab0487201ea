"""How long the retention purge takes on a consultation of 1,000,000 responses, and its peak
memory, on SQLite (and PostgreSQL with BENCH_POSTGRES_URL).

The data is bench/summary_data.py's (10 questions, 3 of them segments, 1% drafts,
bulk-loaded and folded), plus 10,000 codename participants who answered, 20,000 comments
(a quarter of them hidden, so their texts go) and 100,000 votes; its results are published
and its retention period over. One process then runs the nightly job
(consultations/tasks.purge_expired): freeze the published figures, delete everything raw in
batches of purge.BATCH, each in its own transaction. Figures, one line each: the purge's
time, the process's peak resident memory above what it held before the purge, and whether
the public summary's fingerprint is the same after it. Set BENCH_PURGE_RESPONSES for
another size. Run alone with `python bench/purge.py`; `make bench` runs it too.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import (  # noqa: E402
    ROOT,
    ServerError,
    free_port,
    on_each_database,
    prepare,
    server_env,
)

RESPONSES = int(os.environ.get("BENCH_PURGE_RESPONSES", "1000000"))

SETUP = f"""
import datetime as dt, json, time
from sqlalchemy import insert
from consult import create_app
from consult.accounts.models import Participant
from consult.comments.models import Comment, CommentState, Vote
from consult.consultations import retention
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from bench.summary_data import build
app = create_app()
with app.app_context():
    started = time.perf_counter()
    consultation_id = build({RESPONSES})
    consultation = db.session.get(Consultation, consultation_id)
    first = db.session.scalar(db.text("SELECT min(id) FROM response"))
    db.session.execute(insert(Participant), [
        {{"key": f"bench-{{first + n}}", "codename_hash": f"{{n:064x}}"}} for n in range(10000)])
    states = [CommentState.PUBLISHED] * 3 + [CommentState.HIDDEN]
    db.session.execute(insert(Comment), [
        {{"consultation_id": consultation_id, "author_key": f"bench-{{first + n}}",
          "body": f"Comment {{n}} about the lights near the bus station", "language": "en",
          "state": states[n % 4], "created_on": dt.date.today(), "depth": 0}}
        for n in range(20000)])
    comments = db.session.scalars(db.select(Comment.id).where(
        Comment.consultation_id == consultation_id).limit(100)).all()
    db.session.execute(insert(Vote), [
        {{"comment_id": comments[n % 100], "consultation_id": consultation_id,
          "voter_key": f"bench-{{first + n // 100}}", "choice": "agree"}}
        for n in range(100000)])
    consultation.state = State.RESULTS_PUBLISHED
    retention.record_publication(consultation, retention.add_months(dt.date.today(), -13))
    db.session.commit()
    print(json.dumps({{"generate": time.perf_counter() - started}}))
"""

MEASURE = """
import json, resource, time
from consult import create_app
from consult.consultations.services import get_consultation
from consult.summaries.services import summary_for
from consult.surveys.services import get_survey
from bench.summary_data import SLUG
app = create_app()
with app.app_context(), app.test_request_context():
    consultation = get_consultation(SLUG)
    survey = get_survey(consultation)
    before = summary_for(consultation, survey, planner=False)[1].data_hash
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from consult.consultations import purge
    from consult.consultations.tasks import purge_expired
    steps = {}
    original = purge.purge
    def timed(*args):
        found = original(*args)
        steps.update(found.seconds)
        return found
    purge.purge = timed
    started = time.perf_counter()
    done = purge_expired()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    consultation = get_consultation(SLUG)
    after = summary_for(consultation, survey, planner=False)[1].data_hash
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024,
                      "above_mb": (peak - baseline) / 1024, "same": before == after,
                      "purged": done[0][1] if done else {}, "steps": steps}))
"""


def _run(code: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise ServerError(f"measurement failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(name: str, database_url: str | None, instance: Path) -> bool:
    """Generate, purge and print the figures; True if the published fingerprint stayed."""
    env = server_env(instance, free_port(), 1, database_url)
    print(f"\n== Retention purge ({name}): generating {RESPONSES:,} responses x 10 "
          "questions ...", flush=True)
    prepare(env, demo=False)
    made = _run(SETUP, env)
    print(f"purge_{name.lower()}_generate_s {made['generate']:.0f}", flush=True)
    figures = _run(MEASURE, env)
    key = f"purge_{name.lower()}"
    purged = figures["purged"]
    print(f"{key}_s {figures['seconds']:.1f} ({purged.get('responses', 0):,} responses, "
          f"{purged.get('answers', 0):,} answers, {purged.get('votes', 0):,} votes, "
          f"{purged.get('participants', 0):,} participants deleted)")
    print(f"{key}_steps_s " + ", ".join(f"{step} {t:.1f}" for step, t in
                                         figures["steps"].items()))
    print(f"{key}_peak_mb {figures['peak_mb']:.0f} ({figures['above_mb']:.0f} MB above the "
          "process before the purge)")
    print(f"{key}_fingerprint {'unchanged' if figures['same'] else 'CHANGED'}", flush=True)
    return figures["same"] and purged.get("responses", 0) >= RESPONSES


def main() -> bool:
    """Measure on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL names a server."""
    complete = on_each_database("purge", measure)
    print("purge: raw data deleted, results unchanged" if complete else "purge: FAILED")
    return complete


if __name__ == "__main__":
    main()
