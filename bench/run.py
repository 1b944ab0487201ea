"""Throughput of the demo consultation page against the trivial /ping, under gunicorn; then
comment threads and votes at national scale (bench/comments.py); then survey summaries of a
million responses (bench/bench_summaries.py); then the moderation queue with 100,000 comments
waiting (bench/moderation.py); then how long a planner waits for the export of a million
responses made by a worker (bench/export_job.py).

Builds a throw-away instance (SQLite, migrations, demo data), starts gunicorn as in
production (gunicorn.conf.py, 2 sync workers) on a free loopback port, then drives it from
a few client processes for a fixed time per URL. The page should serve at least TARGET of
the requests per second /ping does. Run with `make bench`; exits 0 even when the target is
missed (it prints TARGET MISSED then).
"""
import gzip
import http.client
import json
import multiprocessing
import multiprocessing.pool
import os
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import (  # noqa: E402
    HOST,
    ServerError,
    fetch,
    gunicorn,
    scratch_postgres,
)

SLUG = "safer-port-amani"
PAGE = f"/consultations/{SLUG}"
CSS = "/static/consult.css"
WORKERS = 2
CLIENTS = 4
DURATION = 8.0
WARMUP = 2.0
TARGET = 0.40
#: Survey submissions per second, against the trivial endpoint's rate.
SUBMIT_TARGET = 0.20
SURVEY_SLUG = "bench-survey"
SUBMIT_PATH = f"/api/v1/consultations/{SURVEY_SLUG}/responses"
#: A 10-question survey (one page per two questions), added beside the demo data.
SURVEY_SETUP = """
from consult import create_app
from consult.accounts.models import Organisation
from consult.consultations import services as c
from consult.extensions import db
from consult.surveys.services import page_specs, replace_survey
app = create_app()
with app.app_context():
    host = db.session.scalars(db.select(Organisation)).first()
    consultation = c.create_consultation(host, "bench-survey", "en", ["en", "fr"])
    c.set_texts(consultation, {("title", "en"): "Benchmark survey"})
    choice = [{"key": k, "labels": {"en": k}} for k in ("a", "b", "c", "d")]
    kinds = ["single_choice", "multiple_choice", "likert", "scale", "number", "short_text",
             "long_text", "single_choice", "number", "short_text"]
    questions = [{"key": f"q{n}", "type": kind, "labels": {"en": f"Question {n}"},
                  "options": choice if kind in ("single_choice", "multiple_choice", "likert")
                  else []} for n, kind in enumerate(kinds, start=1)]
    replace_survey(consultation, page_specs(
        [{"key": f"p{n}", "questions": questions[2 * n:2 * n + 2]} for n in range(5)]))
    c.change_state(consultation, "open")
    db.session.commit()
"""
#: One complete response to the benchmark survey.
ANSWERS = {"q1": "a", "q2": ["b", "c"], "q3": "d", "q4": 7, "q5": 42, "q6": "near the port",
           "q7": "More light and a safe place to wait for the bus.", "q8": "b", "q9": 3.5,
           "q10": "yes"}


def client(port: int, path: str, duration: float) -> tuple[int, int, list[float]]:
    """One load generator: GET path (or POST a new response to SUBMIT_PATH) in a loop for
    duration; (ok, errors, latencies in s)."""
    latencies: list[float] = []
    ok = errors = 0
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    stop = time.monotonic() + duration
    body = json.dumps({"language": "en", "answers": ANSWERS})
    prefix, sent = f"{os.getpid()}-{time.monotonic_ns()}", 0
    while time.monotonic() < stop:
        start = time.perf_counter()
        try:
            if path == SUBMIT_PATH:
                sent += 1
                conn.request("POST", path, body=body, headers={
                    "Content-Type": "application/json", "Idempotency-Key": f"{prefix}-{sent}"})
            else:
                conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()  # reconnects on the next request
            errors += 1
            continue
        latencies.append(time.perf_counter() - start)
        if status in (200, 201):
            ok += 1
        else:
            errors += 1
    conn.close()
    return ok, errors, latencies


def measure(pool: multiprocessing.pool.Pool, port: int, path: str, duration: float) -> dict:
    """Run CLIENTS clients on path at once; requests/s, errors and latency percentiles."""
    started = time.monotonic()
    results = pool.starmap(client, [(port, path, duration)] * CLIENTS)
    elapsed = time.monotonic() - started
    ok = sum(r[0] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    return {
        "path": path, "ok": ok, "errors": sum(r[1] for r in results), "rps": ok / elapsed,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000 if latencies else float("nan"),
    }


def report(rows: list[dict], page_bytes: bytes, css_bytes: bytes, page_target: bool) -> None:
    """Print the table, the ratios against their targets, and the page weight.

    The page target is set for SQLite (the default set-up); on PostgreSQL the page ratio is
    printed for information and only the submission target applies.
    """
    print(f"\n{'URL':<44} {'req/s':>9} {'median ms':>10} {'p99 ms':>8} {'requests':>9}"
          f" {'errors':>7}")
    for r in rows:
        label = ("POST " if r["path"] == SUBMIT_PATH else "GET ") + r["path"]
        print(f"{label:<44} {r['rps']:>9.0f} {r['median_ms']:>10.2f} {r['p99_ms']:>8.2f}"
              f" {r['ok']:>9} {r['errors']:>7}")
    ping = rows[0]["rps"] or float("inf")
    missed = any(r["errors"] for r in rows)
    for row, target, what in ((rows[1], TARGET if page_target else None, "consultation page"),
                              (rows[2], SUBMIT_TARGET, "survey submissions (10 questions)")):
        ratio = row["rps"] / ping
        missed |= target is not None and ratio < target
        goal = f"target >= {target:.0%}" if target is not None else "no target here"
        print(f"{what} / ping: {ratio:.1%} ({goal})")
    print(f"page HTML: {len(page_bytes)} bytes ({len(gzip.compress(page_bytes))} gzipped); "
          f"CSS: {len(css_bytes)} bytes ({len(gzip.compress(css_bytes))} gzipped)")
    print("TARGET MISSED" if missed else "targets met")


#: Benchmark groups, in the order `make bench` runs them; BENCH_ONLY=core,opinions picks some.
GROUPS = ("core", "comments", "summaries", "moderation", "opinions", "themes", "exports")


def main() -> None:
    """Set up, serve, measure, report on SQLite (and PostgreSQL with BENCH_POSTGRES_URL)."""
    chosen = [g for g in os.environ.get("BENCH_ONLY", ",".join(GROUPS)).split(",") if g]
    unknown = set(chosen) - set(GROUPS)
    if unknown:
        sys.exit(f"BENCH_ONLY: unknown group(s) {sorted(unknown)}; known: {', '.join(GROUPS)}")
    if "core" in chosen:
        run_core()
    if "comments" in chosen:
        from bench.comments import run_comments_bench

        run_comments_bench()
    if "summaries" in chosen:
        from bench.bench_summaries import main as run_summaries_bench

        run_summaries_bench()
    if "moderation" in chosen:
        from bench.moderation import main as run_moderation_bench

        run_moderation_bench()
    if "opinions" in chosen:
        # Its own process: it pins NumPy's BLAS to one thread before NumPy loads.
        import subprocess

        subprocess.run([sys.executable, str(Path(__file__).with_name(
            "bench_opinion_groups.py"))], check=True)
    if "themes" in chosen:
        from bench.bench_themes import main as run_themes_bench

        run_themes_bench()
    if "exports" in chosen:
        from bench.export_job import main as run_export_job_bench

        run_export_job_bench()


def run_core() -> None:
    """The consultation page and survey submissions against /ping, SQLite then PostgreSQL."""
    cores = os.cpu_count() or 1
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    for name in ["SQLite"] + (["PostgreSQL"] if postgres else []):
        with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp, (
                scratch_postgres(postgres, "consult_bench") if name == "PostgreSQL"
                else nullcontext(None)) as database_url:
            instance = Path(tmp)
            print(f"\n== {name}: preparing a demo database ...", flush=True)
            try:
                with gunicorn(instance, workers=WORKERS, database_url=database_url,
                              setup=SURVEY_SETUP, extra_args=(
                                  "--access-logfile", str(instance / "access.log"))) as port:
                    run(port, cores, page_target=name == "SQLite")
            except ServerError as error:
                sys.exit(str(error))


def run(port: int, cores: int, page_target: bool) -> None:
    """Measure /ping, the consultation page and survey submissions; print the report."""
    page_status, page_bytes = fetch(port, PAGE)
    css_status, css_bytes = fetch(port, CSS)
    if page_status != 200 or css_status != 200:
        sys.exit(f"GET {PAGE} -> {page_status}, GET {CSS} -> {css_status}")
    print(f"gunicorn: {WORKERS} sync workers on {HOST}:{port}; load: {CLIENTS} client "
          f"processes, {DURATION:.0f} s per URL after {WARMUP:.0f} s of warm-up.")
    print(f"Client and server share this machine ({cores} cores), so the figures are "
          "lower bounds and the ratios matter more than the absolute numbers.", flush=True)
    paths = ("/ping", PAGE, SUBMIT_PATH)
    with multiprocessing.Pool(CLIENTS) as pool:
        for path in paths:
            measure(pool, port, path, WARMUP)
        rows = [measure(pool, port, path, DURATION) for path in paths]
    report(rows, page_bytes, css_bytes, page_target)


if __name__ == "__main__":
    main()
