"""How long a planner waits for the export of 1,000,000 responses now that a worker makes it:
from the request to the file ready for download, on SQLite (and PostgreSQL with
BENCH_POSTGRES_URL).

The data is bench/summary_data.py's (10 questions, 3 of them segments, bulk-loaded). A real
worker (`flask consult worker`, one task at a time) runs beside the measuring process, on the
queue `make run` uses (a SQLite file in the instance folder; BENCH_QUEUE_URL=redis://... for
Redis). The planner asks through the page's button (POST .../report/export), then the page is
polled as its refresh would, until the file is ready; the file is then downloaded and its rows
counted. Figures, one line each: the request's own time (it only queues), the wait until the
file is ready, the download, and the worker's peak memory. Set BENCH_EXPORT_RESPONSES for
another size. Run alone with `python bench/export_job.py`; `make bench` runs it too.
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

RESPONSES = int(os.environ.get("BENCH_EXPORT_RESPONSES", "1000000"))
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
    print(json.dumps({{"generate": time.perf_counter() - started}}))
"""

#: The planner's side: ask, poll the job's page until the file is ready, download it.
MEASURE = f"""
import json, re, time
from consult import create_app
app = create_app({{"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}})
client = app.test_client()
client.post("/manage/login", data={{"email": {PLANNER[0]!r}, "password": {PLANNER[1]!r}}})
started = time.perf_counter()
response = client.post("/manage/consultations/{SLUG}/report/export", data={{"format": "csv"}})
asked = time.perf_counter()
assert response.status_code == 303, response.status_code
page_url = response.headers["Location"]
polls = 0
while True:
    html = client.get(page_url).get_data(as_text=True)
    polls += 1
    if "Download the file" in html or "flash error" in html:
        break
    time.sleep(0.5)
ready = time.perf_counter()
assert "Download the file" in html, html
download = client.get(page_url + "/file")
size = rows = 0
for chunk in download.response:
    size += len(chunk)
    rows += chunk.count(b"\\r\\n")
downloaded = time.perf_counter()
print(json.dumps({{"request": asked - started, "ready": ready - started, "polls": polls,
                  "download": downloaded - ready, "bytes": size, "rows": rows - 1}}))
"""


def _run(code: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise ServerError(f"measurement failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _peak_mb(pid: int) -> float:
    """A running process's peak resident memory (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, database_url: str | None, instance: Path) -> bool:
    """Generate, run a worker, ask for the export and print the figures; True if complete."""
    env = server_env(instance, free_port(), 1, database_url)
    if os.environ.get("BENCH_QUEUE_URL"):
        env["QUEUE_URL"] = os.environ["BENCH_QUEUE_URL"]
    print(f"\n== Export job ({name}): generating {RESPONSES:,} responses x 10 questions ...",
          flush=True)
    prepare(env, demo=False)
    made = _run(SETUP, env)
    print(f"export_job_{name.lower()}_generate_s {made['generate']:.0f}", flush=True)
    log = instance / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "consult", "consult", "worker",
             "--workers", "1", "--no-periodic"], cwd=ROOT, env=env, stdout=output,
            stderr=subprocess.STDOUT)
    try:
        figures = _run(MEASURE, env)
        peak = _peak_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    key = f"export_job_{name.lower()}"
    print(f"{key}_request_ms {figures['request'] * 1000:.0f} (the request only queues the job)")
    print(f"{key}_ready_s {figures['ready']:.0f} (from the request to the file ready; "
          f"{figures['rows']:,} rows, {figures['bytes'] / 1e6:.0f} MB; the page polled "
          f"{figures['polls']} times)")
    print(f"{key}_download_s {figures['download']:.1f} (read back from the database in "
          f"1 MB chunks)")
    print(f"{key}_worker_peak_mb {peak:.0f}", flush=True)
    return figures["rows"] == RESPONSES


def main() -> bool:
    """Measure on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL names a server."""
    complete = on_each_database("export", measure)
    print("export job: every row exported" if complete else "export job: ROWS MISSING")
    return complete


if __name__ == "__main__":
    main()
