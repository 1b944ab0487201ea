"""The public pages against the trivial /ping, driven by wrk, under gunicorn as in production;
then inbound SMS callbacks (bench/sms_inbound.py); then comment threads and votes at national
scale (bench/comments.py); then survey summaries of a
million responses (bench/bench_summaries.py); then the moderation queue with 100,000 comments
waiting (bench/moderation.py); opinion groups; themes over 100,000 answers; then how long a
planner waits for the export of a million responses made by a worker (bench/export_job.py).

The HTTP group ("core") builds a throw-away instance (SQLite, migrations, demo data, a
10-question survey), starts gunicorn with gunicorn.conf.py (2 sync workers) on a free loopback
port, and drives each URL with wrk (bench/wrk.py: 2 threads, 16 connections, 10 s after 2 s of
warm-up). Each page is reported as requests per second, p50 and p99 latency, and its ratio to
/ping measured in the same run, against the issue's targets; with BENCH_POSTGRES_URL the run
repeats on a scratch PostgreSQL database. Run with `make bench`; exits 0 even when a target is
missed (it prints TARGET MISSED then).

BENCH_PAGES picks some of the core group's pages by their short names (PAGE_NAMES:
consultation, thread, vote, results, question, submission); /ping is always measured, in the
same run. E.g. SQLite submissions alone against /ping:
`BENCH_ONLY=core BENCH_PAGES=submission .venv/bin/python bench/run.py`.
"""
import gzip
import json
import os
import sys
import tempfile
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
from bench.wrk import (  # noqa: E402
    CONNECTIONS,
    DURATION,
    THREADS,
    WARMUP,
    Measurement,
    WrkMissing,
    require_wrk,
    run_wrk,
)

SLUG = "safer-port-amani"
PAGE = f"/consultations/{SLUG}"
RESULTS = "/consultations/youth-jobs-harbour/results"
CSS = "/static/consult.css"
WORKERS = 2
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

#: (label, path, target ratio to /ping on SQLite, on PostgreSQL); the POST is a survey
#: submission with a fresh Idempotency-Key each time.
PAGES = (
    ("consultation page", PAGE, 0.45, 0.45),
    ("thread, first page", f"{PAGE}/comments", 0.30, 0.30),
    ("vote page", f"{PAGE}/vote", 0.30, 0.30),
    ("public results", RESULTS, 0.40, 0.40),
    ("a question's results", f"{RESULTS}/questions/support", 0.40, 0.40),
    ("POST survey response (10 answers)", SUBMIT_PATH, 0.30, 0.20),
)

#: Short names of PAGES for BENCH_PAGES, in the same order.
PAGE_NAMES = ("consultation", "thread", "vote", "results", "question", "submission")


def chosen_pages() -> tuple:
    """The PAGES that BENCH_PAGES names (all of them when it is unset or empty)."""
    names = [n.strip() for n in os.environ.get("BENCH_PAGES", "").split(",") if n.strip()]
    unknown = set(names) - set(PAGE_NAMES) - {"ping"}
    if unknown:
        sys.exit(f"BENCH_PAGES: unknown page(s) {sorted(unknown)}; known: ping, "
                 f"{', '.join(PAGE_NAMES)}")
    pages = [name for name in names if name != "ping"]
    if not pages:
        return PAGES if not names else ()
    return tuple(page for name, page in zip(PAGE_NAMES, PAGES) if name in pages)


def report(rows: list[tuple[Measurement, float | None]], ping: Measurement,
           page_bytes: bytes, css_bytes: bytes) -> bool:
    """Print the table of figures and ratios against their targets; True if all are met."""
    print(f"\n{'URL':<36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'/ping':>7} {'target':>7}")
    met = True
    for measured, target in [(ping, None)] + rows:
        ratio = measured.rps / ping.rps if ping.rps else 0.0
        ok = measured.errors == 0 and (target is None or ratio >= target)
        met &= ok
        goal = f">={target:.2f}" if target is not None else ""
        print(f"{measured.label:<36} {measured.rps:>8.0f} {measured.p50_ms:>8.2f} "
              f"{measured.p99_ms:>8.2f} {measured.errors:>7} {ratio:>7.2f} {goal:>7}"
              f"{'' if ok else '  MISSED'}")
    print(f"consultation page HTML: {len(page_bytes)} bytes ({len(gzip.compress(page_bytes))} "
          f"gzipped); CSS: {len(css_bytes)} bytes ({len(gzip.compress(css_bytes))} gzipped)")
    return met

#: Benchmark groups, in the order `make bench` runs them; BENCH_ONLY=core,opinions picks some.
GROUPS = ("core", "sms", "comments", "summaries", "moderation", "opinions", "themes",
          "exports", "purge", "programme")


def main() -> None:
    """Set up, serve, measure, report on SQLite (and PostgreSQL with BENCH_POSTGRES_URL)."""
    chosen = [g for g in os.environ.get("BENCH_ONLY", ",".join(GROUPS)).split(",") if g]
    unknown = set(chosen) - set(GROUPS)
    if unknown:
        sys.exit(f"BENCH_ONLY: unknown group(s) {sorted(unknown)}; known: {', '.join(GROUPS)}")
    if "core" in chosen:
        run_core()
    if "sms" in chosen:
        from bench.sms_inbound import run_sms_inbound_bench

        run_sms_inbound_bench()
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
    if "purge" in chosen:  # the retention purge of a million responses (bench/purge.py)
        __import__("bench.purge").purge.main()
    if "programme" in chosen:  # the programme page, 12 rounds x 100,000 (bench/programme.py)
        from bench.programme import main as run_programme_bench

        run_programme_bench()


def run_core() -> None:
    """The public pages and survey submissions against /ping, SQLite then PostgreSQL."""
    try:
        require_wrk()
    except WrkMissing as missing:
        sys.exit(str(missing))
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    for name in ["SQLite"] + (["PostgreSQL"] if postgres else []):
        with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp, (
                scratch_postgres(postgres, "consult_bench") if name == "PostgreSQL"
                else nullcontext(None)) as database_url:
            instance = Path(tmp)
            print(f"\n== {name}: preparing a demo database ...", flush=True)
            try:
                with gunicorn(instance, workers=WORKERS, database_url=database_url,
                              setup=SURVEY_SETUP) as port:
                    run(port, instance, postgres=name == "PostgreSQL")
            except ServerError as error:
                sys.exit(str(error))


def run(port: int, instance: Path, postgres: bool) -> None:
    """Measure /ping and every page with wrk in one run; print the report."""
    pages = chosen_pages()
    for _, path, _, _ in pages:
        if path == SUBMIT_PATH:
            continue
        status, _ = fetch(port, path)
        if status != 200:
            sys.exit(f"GET {path} -> {status}")
    page_bytes, css_bytes = fetch(port, PAGE)[1], fetch(port, CSS)[1]
    print(f"gunicorn: {WORKERS} sync workers (gunicorn.conf.py) on {HOST}:{port}; wrk: "
          f"{THREADS} threads, {CONNECTIONS} connections, {DURATION} s per URL after {WARMUP} s "
          f"of warm-up; {os.cpu_count()} cores shared by wrk and the server.", flush=True)
    body = json.dumps({"language": "en", "answers": ANSWERS}).encode()
    base = f"http://{HOST}:{port}"

    def measure(label: str, path: str, duration: float) -> Measurement:
        post = body if path == SUBMIT_PATH else None
        return run_wrk(base + path, label, instance, duration, post, run_id=f"{duration}")

    measure("/ping", "/ping", WARMUP)
    ping = measure("/ping", "/ping", DURATION)
    rows = []
    for label, path, sqlite_target, postgres_target in pages:
        measure(label, path, WARMUP)
        rows.append((measure(label, path, DURATION),
                     postgres_target if postgres else sqlite_target))
    print("targets met" if report(rows, ping, page_bytes, css_bytes) else "TARGET MISSED")


if __name__ == "__main__":
    main()
