"""Serve a throw-away Consult instance with gunicorn, as in production, for benchmarks and
browser tests: fresh SQLite, migrations, demo data, a free loopback port."""
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The server could not be prepared or did not start; the message holds its output."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, bytes]:
    """(status, body) of one GET on its own connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def server_env(instance: Path, port: int, workers: int,
               database_url: str | None = None) -> dict[str, str]:
    """Environment for flask and gunicorn: development mode on the temporary instance."""
    env = {**os.environ, "CONSULT_ENV": "development", "CONSULT_INSTANCE_PATH": str(instance),
           "DATABASE_URL": database_url or f"sqlite:///{instance / 'consult.sqlite3'}",
           "CONSULT_BIND": f"{HOST}:{port}", "CONSULT_WORKERS": str(workers)}
    env.pop("SESSION_COOKIE_SECURE", None)  # plain http: development turns it off
    # Every request of a load test comes from 127.0.0.1: measure the app, not the rate limits
    # (tests/test_rate_limits.py tests those).
    env.setdefault("RATELIMIT_ENABLED", "false")
    # The browser journeys check the demo's exact figures (tests/summaries/test_cell_keys.py
    # and tests/moderation/test_cell_keys.py test the perturbation that is on by default).
    env.setdefault("CELL_KEY_PERTURBATION", "false")
    env.setdefault("MODERATION_STATISTICS_UNTIL_YESTERDAY", "false")
    return env


def prepare(env: dict[str, str], demo: bool = True, setup: str | None = None) -> None:
    """Migrate the empty database, load the demo data (by default), then run setup (Python
    code, with the same environment)."""
    commands = [[str(BIN / "flask"), "--app", "consult", "db", "upgrade"]]
    if demo:
        commands.append([str(BIN / "flask"), "--app", "consult", "consult", "demo"])
    if setup:
        commands.append([sys.executable, "-c", setup])
    for command in commands:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            raise ServerError(f"{' '.join(command[:5])} failed:\n{done.stdout}{done.stderr}")


@contextmanager
def scratch_postgres(server_url: str, name: str) -> Iterator[str]:
    """A new empty database on the PostgreSQL server of server_url; dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


def on_each_database(label: str, measure: Callable[[str, str | None, Path], bool]) -> bool:
    """measure(name, database_url, folder) on SQLite (database_url None) and, when
    BENCH_POSTGRES_URL names a server, on a scratch PostgreSQL database; whether every run
    passed (a run whose server fails to start counts as failed)."""
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    passed = True
    for name in ["SQLite"] + (["PostgreSQL"] if postgres else []):
        with tempfile.TemporaryDirectory(prefix=f"consult-bench-{label}-") as folder, (
                scratch_postgres(postgres, f"consult_bench_{label}") if name == "PostgreSQL"
                else nullcontext(None)) as database_url:
            try:
                passed &= measure(name, database_url, Path(folder))
            except ServerError as error:
                print(f"{label}_{name.lower()} failed: {error}")
                passed = False
    return passed


@contextmanager
def gunicorn(instance: Path, workers: int = 1, demo: bool = True,
             extra_args: tuple[str, ...] = (), limit: float = 30.0,
             database_url: str | None = None, setup: str | None = None) -> Iterator[int]:
    """Prepare instance, run gunicorn until /ping answers, yield its port; always stop it.

    The database is SQLite in instance/ unless database_url names an empty one. Its output
    goes to instance/gunicorn.log.
    """
    port = free_port()
    env = server_env(instance, port, workers, database_url)
    prepare(env, demo, setup)
    log = instance / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", *extra_args,
             "consult:create_app()"], cwd=ROOT, env=env, stdout=log_file,
            stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, server, log, limit)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(port: int, server: subprocess.Popen, log: Path, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerError(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            if fetch(port, "/ping")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise ServerError(f"gunicorn did not answer /ping within {limit:.0f} s:\n{log.read_text()}")
