"""How long a planner waits for themes over 200,000 free-text answers, now that a background
job computes them (consult/summaries/analysis_tasks.py) and no page ever does.

A throw-away instance (SQLite, or PostgreSQL with BENCH_POSTGRES_URL) gets a published
consultation whose survey has one long-text question answered 200,000 times (generated
texts in four languages with copy-paste campaigns: bench/bench_themes.py), folded into the
summary tallies as submissions would have. Then gunicorn and `consult worker` start as in
production (queue: Redis DB 8 when a server answers on 127.0.0.1:6379, else the default
SQLite queue file), and the clock starts at the first view of the results page: that view
queues the job and must answer at once saying the themes are being computed; the page is
read every second until it shows them. Printed: the first view's time, the views' times
while the worker computes, the planner's wait (which includes the job's ANALYSIS_DELAY, 10 s
by default, that gathers bursts of new data), and the job's own time from the worker's log.
Set BENCH_THEMES_ANSWERS for another size. Run with `python bench/themes_job.py`.
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import (  # noqa: E402
    BIN,
    ROOT,
    ServerError,
    fetch,
    gunicorn,
    scratch_postgres,
    server_env,
)

ANSWERS = int(os.environ.get("BENCH_THEMES_ANSWERS", "200000"))
SLUG = "bench-themes"
REDIS_QUEUE = "redis://127.0.0.1:6379/8"
#: Longest wait before giving up.
LIMIT = 30 * 60
CHUNK = 50_000


def build(answers: int) -> None:
    """Create the consultation with `answers` submitted responses to one long-text question
    (run inside the instance's environment, after its migrations)."""
    import datetime as dt

    from bench.bench_themes import generate
    from consult import create_app
    from consult.accounts.models import OrganisationKind
    from consult.accounts.services import create_organisation
    from consult.consultations import services as consultations
    from consult.consultations.lifecycle import State
    from consult.extensions import db
    from consult.summaries import tallies_store
    from consult.surveys.services import page_specs, replace_survey

    app = create_app()
    with app.app_context():
        host = create_organisation("bench-host", "Bench host", OrganisationKind.CIVIL_SOCIETY)
        consultation = consultations.create_consultation(host, SLUG, "en", ["en", "fr", "ar"])
        consultations.set_texts(consultation, {("title", "en"): "Themes benchmark"})
        survey, _ = replace_survey(consultation, page_specs([{"key": "p1", "questions": [
            {"key": "ideas", "type": "long_text", "labels": {"en": "Your ideas"},
             "options": []}]}]))
        consultation.state, consultation.min_cell_size = State.RESULTS_PUBLISHED, 10
        db.session.commit()
        question = survey.questions[0].id
        texts, languages = generate(answers)
        today = dt.date.today().isoformat()
        connection = db.session.connection()
        for start in range(0, answers, CHUNK):
            ids = range(start + 1, min(answers, start + CHUNK) + 1)
            connection.execute(db.text(
                "INSERT INTO response (id, survey_id, respondent_key, language, channel, "
                "state, current_page, submitted_on, saved_on) VALUES (:id, :survey, :key, "
                ":language, 'web', 'submitted', 1, :today, :today)"),
                [{"id": i, "survey": survey.id, "key": f"bench-{i}", "today": today,
                  "language": languages[i - 1] if languages[i - 1] != "sw" else "en"}
                 for i in ids])
            connection.execute(db.text(
                "INSERT INTO answer (response_id, question_id, text, language) "
                "VALUES (:id, :question, :text, :language)"),
                [{"id": i, "question": question, "text": texts[i - 1],
                  "language": languages[i - 1]} for i in ids])
        if connection.dialect.name == "postgresql":
            connection.execute(db.text("SELECT setval(pg_get_serial_sequence('response', "
                                       "'id'), (SELECT max(id) FROM response))"))
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        tallies_store.fold(survey.id)  # as the submissions' folds would have, as they came
        db.session.commit()


def _queue_url() -> str | None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return None  # the default: a SQLite queue file in the instance
    import redis

    redis.Redis.from_url(REDIS_QUEUE).flushdb()
    return REDIS_QUEUE


def measure(name: str, database_url: str | None, instance: Path) -> None:
    """Generate, serve, work, and print the figures of one database."""
    queue = _queue_url()
    if queue:
        os.environ["QUEUE_URL"] = queue
    print(f"\n== Themes in a job ({name}): generating {ANSWERS:,} answers ...", flush=True)
    setup = f"from bench.themes_job import build; build({ANSWERS})"
    started = time.perf_counter()
    with gunicorn(instance, workers=2, demo=False, database_url=database_url, setup=setup,
                  limit=120) as port:
        print(f"themes_job_{name.lower()}_generate_s {time.perf_counter() - started:.0f}",
              flush=True)
        env = server_env(instance, port, 2, database_url)
        log = instance / "worker.log"
        with log.open("w") as log_file:
            worker = subprocess.Popen([str(BIN / "flask"), "--app", "consult", "consult",
                                       "worker", "--workers", "2", "--no-periodic"], cwd=ROOT,
                                      env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            _watch(name, port, log)
        finally:
            worker.terminate()
            worker.wait(30)


def _watch(name: str, port: int, log: Path) -> None:
    url = f"/consultations/{SLUG}/results?lang=en"
    for _ in range(4):  # warm both gunicorn workers (templates, the summary's cache)
        fetch(port, f"/consultations/{SLUG}/results/questions/ideas?lang=en")
    clock = time.perf_counter()
    status, body = fetch(port, url)
    first = time.perf_counter() - clock
    if status != 200 or b"being computed" not in body:
        raise ServerError(f"the first view answered {status} without 'being computed'")
    views = []
    while b"Themes in what people wrote" not in body:
        if time.perf_counter() - clock > LIMIT:
            raise ServerError(f"no themes after {LIMIT} s:\n{log.read_text()[-2000:]}")
        time.sleep(1)
        view = time.perf_counter()
        status, body = fetch(port, url)
        views.append(time.perf_counter() - view)
    waited = time.perf_counter() - clock
    job = re.search(r"themes of consultation \d+ computed in ([\d.]+) s", log.read_text())
    key = f"themes_job_{name.lower()}"
    print(f"{key}_first_view_s {first:.2f} (the view queues the job and says the themes are "
          f"being computed)")
    print(f"{key}_views_while_computing_s median {statistics.median(views):.2f}, slowest "
          f"{max(views):.2f} ({len(views)} views, the worker using the same CPUs)")
    print(f"{key}_planner_wait_s {waited:.0f} ({ANSWERS:,} answers, from the first view to "
          f"the page showing the themes; includes the job's queue delay)")
    print(f"{key}_job_s {job.group(1) if job else '?'} (the recomputation in the worker: "
          f"reading the answers, finding the themes, storing them)", flush=True)


def main() -> None:
    """Measure on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL names a server."""
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    for name in ["SQLite"] + (["PostgreSQL"] if postgres else []):
        with tempfile.TemporaryDirectory(prefix="consult-bench-themes-") as tmp, (
                scratch_postgres(postgres, "consult_bench_themes") if name == "PostgreSQL"
                else nullcontext(None)) as database_url:
            try:
                measure(name, database_url, Path(tmp))
            except ServerError as error:
                print(f"themes_job_{name.lower()} failed: {error}")


if __name__ == "__main__":
    main()
