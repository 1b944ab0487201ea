"""Survey summaries at national scale: 1,000,000 responses to 10 questions (3 of them
segments), bench/summary_data.py, on SQLite (and PostgreSQL with BENCH_POSTGRES_URL).

Figures, one line each: the summary computed in a cold process (budget: 5 s on SQLite, 3 s on
PostgreSQL), a repeat view of the planner report (served from the per-process cache keyed by
the data's fingerprint; budget 200 ms), and the CSV export's peak memory (budget 300 MB) with
its rows.

The data is bulk-loaded, then folded into the summary tallies (consult/summaries/
tallies_store.py) by the app's own fold, as submissions would have done it as they came in;
that fold is counted in the generation time (printed apart), not in the summary's. The cold
summary then reads the tallies: a fresh process, nothing cached, nothing waiting.
Set BENCH_SUMMARY_RESPONSES for another size. Run alone with
`python bench/bench_summaries.py`; `make bench` runs it after bench/run.py's measurements.
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
from bench.summary_data import SLUG  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_SUMMARY_RESPONSES", "1000000"))
BUDGETS = {"SQLite": 5.0, "PostgreSQL": 3.0}
REPEAT_BUDGET_MS = 200.0
EXPORT_BUDGET_MB = 300.0
PLANNER = ("planner@bench.example", "bench planner password")

SETUP = f"""
import json, time
from consult import create_app
from consult.accounts import services as accounts
from consult.accounts.models import Role
from consult.extensions import db
from bench.summary_data import build
app = create_app()
with app.app_context():
    started = time.perf_counter()
    consultation_id = build({RESPONSES})
    from consult.consultations.models import Consultation
    consultation = db.session.get(Consultation, consultation_id)
    user = accounts.create_user({PLANNER[0]!r}, {PLANNER[1]!r}, "Bench planner")
    accounts.add_membership(user, consultation.host, Role.PLANNER)
    db.session.commit()
    from bench import summary_data
    print(json.dumps({{"generate": time.perf_counter() - started,
                      "fold": summary_data.fold_seconds}}))
"""

#: In a fresh process: the summary with nothing cached, then the report page twice.
MEASURE = f"""
import json, time
started = time.perf_counter()
from consult import create_app
app = create_app({{"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}})
with app.app_context():
    from consult.consultations.services import get_consultation
    from consult.summaries.services import summary_for
    from consult.surveys.services import get_survey
    ready = time.perf_counter()
    consultation = get_consultation({SLUG!r})
    summary_for(consultation, get_survey(consultation), planner=False)
    done = time.perf_counter()
client = app.test_client()
client.post("/manage/login", data={{"email": {PLANNER[0]!r}, "password": {PLANNER[1]!r}}})
url = "/manage/consultations/{SLUG}/report"
first = time.perf_counter()
size = len(client.get(url).data)
first_view = time.perf_counter() - first
views = []
for _ in range(5):
    view = time.perf_counter()
    status = client.get(url).status_code
    views.append(time.perf_counter() - view)
print(json.dumps({{"start": ready - started, "cold": done - ready, "first_view": first_view,
                  "repeat": sorted(views)[2], "status": status, "bytes": size}}))
"""

#: In a fresh process: `consult export SLUG --format csv --out FILE`, then its peak memory.
EXPORT = f"""
import json, resource, sys, time
from consult.cli import build_console_group
started = time.perf_counter()
build_console_group().main(["export", {SLUG!r}, "--format", "csv", "--out", sys.argv[1]],
                           standalone_mode=False)
print(json.dumps({{"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _run(code: str, env: dict, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise ServerError(f"measurement failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _verdict(value: float, budget: float) -> str:
    return "ok" if value <= budget else "OVER BUDGET"


def measure(name: str, database_url: str | None, instance: Path) -> bool:
    """Generate, then print the figures of one database; True when every budget holds."""
    env = server_env(instance, free_port(), 1, database_url)
    print(f"\n== Summaries ({name}): generating {RESPONSES:,} responses x 10 questions ...",
          flush=True)
    prepare(env, demo=False)
    made = _run(SETUP, env)
    print(f"summary_{name.lower()}_generate_s {made['generate']:.0f} (of which "
          f"{made['fold']:.1f} s folding every response into the summary tallies, as "
          f"submissions would have as they came)", flush=True)
    views = _run(MEASURE, env)
    budget = BUDGETS[name]
    key = f"summary_{name.lower()}"
    print(f"{key}_cold_s {views['cold']:.2f} (budget {budget:.0f} s: "
          f"{_verdict(views['cold'], budget)}; process start {views['start']:.2f} s)")
    print(f"{key}_first_report_view_s {views['first_view']:.2f} (planner variant from the "
          f"cached counts, {views['bytes']:,} bytes of HTML)")
    repeat_ms = views["repeat"] * 1000
    print(f"{key}_repeat_view_ms {repeat_ms:.0f} (median of 5, budget {REPEAT_BUDGET_MS:.0f} "
          f"ms: {_verdict(repeat_ms, REPEAT_BUDGET_MS)}; status {views['status']})")
    target = instance / "export.csv"
    export = _run(EXPORT, env, str(target))
    with target.open("rb") as handle:
        rows = sum(1 for _ in handle) - 1
    print(f"{key}_export_peak_mb {export['peak_mb']:.0f} (budget {EXPORT_BUDGET_MB:.0f} MB: "
          f"{_verdict(export['peak_mb'], EXPORT_BUDGET_MB)}; {rows:,} rows in "
          f"{export['seconds']:.0f} s, {target.stat().st_size / 1e6:.0f} MB)", flush=True)
    return (views["cold"] <= budget and repeat_ms <= REPEAT_BUDGET_MS
            and export["peak_mb"] <= EXPORT_BUDGET_MB and rows == RESPONSES)


def main() -> bool:
    """Measure on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL names a server."""
    met = on_each_database("summaries", measure)
    print("summaries: budgets met" if met else "summaries: BUDGET MISSED")
    return met


if __name__ == "__main__":
    main()
