"""Throughput of the demo consultation page against the trivial /ping, under gunicorn.

Builds a throw-away instance (SQLite, migrations, demo data), starts gunicorn as in
production (gunicorn.conf.py, 2 sync workers) on a free loopback port, then drives it from
a few client processes for a fixed time per URL. The page should serve at least TARGET of
the requests per second /ping does. Run with `make bench`; exits 0 even when the target is
missed (it prints TARGET MISSED then).
"""
import gzip
import http.client
import multiprocessing
import multiprocessing.pool
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import HOST, ServerError, fetch, gunicorn  # noqa: E402

SLUG = "safer-port-amani"
PAGE = f"/consultations/{SLUG}"
CSS = "/static/consult.css"
WORKERS = 2
CLIENTS = 4
DURATION = 8.0
WARMUP = 2.0
TARGET = 0.40


def client(port: int, path: str, duration: float) -> tuple[int, int, list[float]]:
    """One load generator: GET path in a loop for duration; (ok, errors, latencies in s)."""
    latencies: list[float] = []
    ok = errors = 0
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    stop = time.monotonic() + duration
    while time.monotonic() < stop:
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()  # reconnects on the next request
            errors += 1
            continue
        latencies.append(time.perf_counter() - start)
        if status == 200:
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


def report(rows: list[dict], page_bytes: bytes, css_bytes: bytes) -> None:
    """Print the table, the ratio against TARGET, and the page weight."""
    print(f"\n{'URL':<36} {'req/s':>9} {'median ms':>10} {'p99 ms':>8} {'requests':>9}"
          f" {'errors':>7}")
    for r in rows:
        print(f"{r['path']:<36} {r['rps']:>9.0f} {r['median_ms']:>10.2f} {r['p99_ms']:>8.2f}"
              f" {r['ok']:>9} {r['errors']:>7}")
    ratio = rows[1]["rps"] / rows[0]["rps"] if rows[0]["rps"] else 0.0
    print(f"\nconsultation page / ping: {ratio:.0%} (target >= {TARGET:.0%})")
    print(f"page HTML: {len(page_bytes)} bytes ({len(gzip.compress(page_bytes))} gzipped); "
          f"CSS: {len(css_bytes)} bytes ({len(gzip.compress(css_bytes))} gzipped)")
    if ratio < TARGET or any(r["errors"] for r in rows):
        print("TARGET MISSED" + (" (errors during the run)" if any(r["errors"] for r in rows)
                                 else ""))
    else:
        print("target met")


def main() -> None:
    """Set up, serve, measure, report; gunicorn is always stopped."""
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
        instance = Path(tmp)
        print(f"Preparing a demo database in {instance} ...", flush=True)
        try:
            with gunicorn(instance, workers=WORKERS,
                          extra_args=("--access-logfile", str(instance / "access.log"))) as port:
                run(port, cores)
        except ServerError as error:
            sys.exit(str(error))


def run(port: int, cores: int) -> None:
    """Measure /ping and the consultation page on a running server and print the report."""
    page_status, page_bytes = fetch(port, PAGE)
    css_status, css_bytes = fetch(port, CSS)
    if page_status != 200 or css_status != 200:
        sys.exit(f"GET {PAGE} -> {page_status}, GET {CSS} -> {css_status}")
    print(f"gunicorn: {WORKERS} sync workers on {HOST}:{port}; load: {CLIENTS} client "
          f"processes, {DURATION:.0f} s per URL after {WARMUP:.0f} s of warm-up.")
    print(f"Client and server share this machine ({cores} cores), so the figures are "
          "lower bounds and the ratio matters more than the absolute numbers.", flush=True)
    with multiprocessing.Pool(CLIENTS) as pool:
        for path in ("/ping", PAGE):
            measure(pool, port, path, WARMUP)
        rows = [measure(pool, port, path, DURATION) for path in ("/ping", PAGE)]
    report(rows, page_bytes, css_bytes)


if __name__ == "__main__":
    main()
