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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
SLUG = "safer-port-amani"
PAGE = f"/consultations/{SLUG}"
CSS = "/static/consult.css"
WORKERS = 2
CLIENTS = 4
DURATION = 8.0
WARMUP = 2.0
TARGET = 0.40


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(instance: Path, port: int) -> dict[str, str]:
    """Environment for flask and gunicorn: development mode on the temporary instance."""
    return {**os.environ, "CONSULT_ENV": "development", "CONSULT_INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}",
            "CONSULT_BIND": f"{HOST}:{port}", "CONSULT_WORKERS": str(WORKERS)}


def prepare(env: dict[str, str]) -> None:
    """Migrate the empty database and load the demo data; stop loudly on failure."""
    for args in (["db", "upgrade"], ["consult", "demo"]):
        done = subprocess.run([str(BIN / "flask"), "--app", "consult", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def fetch(port: int, path: str) -> tuple[int, bytes]:
    """(status, body) of one GET on its own connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(port: int, server: subprocess.Popen, log: Path, limit: float = 30.0) -> None:
    """Return once /ping answers 200; exit with the server log if it dies or takes too long."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            if fetch(port, "/ping")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer /ping within {limit:.0f} s:\n{log.read_text()}")


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
    print(f"\n{'URL':<36} {'req/s':>9} {'median ms':>10} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
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
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
        instance = Path(tmp)
        env = server_env(instance, port)
        print(f"Preparing a demo database in {instance} ...", flush=True)
        prepare(env)
        log = instance / "gunicorn.log"
        with log.open("w") as log_file:
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
                 "--access-logfile", str(instance / "access.log"), "consult:create_app()"],
                cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_up(port, server, log)
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
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
