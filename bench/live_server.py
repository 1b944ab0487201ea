"""Serve a throw-away Consult instance with gunicorn, as in production, for benchmarks and
browser tests: fresh SQLite, migrations, demo data, a free loopback port."""
import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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


def server_env(instance: Path, port: int, workers: int) -> dict[str, str]:
    """Environment for flask and gunicorn: development mode on the temporary instance."""
    env = {**os.environ, "CONSULT_ENV": "development", "CONSULT_INSTANCE_PATH": str(instance),
           "DATABASE_URL": f"sqlite:///{instance / 'consult.sqlite3'}",
           "CONSULT_BIND": f"{HOST}:{port}", "CONSULT_WORKERS": str(workers)}
    env.pop("SESSION_COOKIE_SECURE", None)  # plain http: development turns it off
    return env


def prepare(env: dict[str, str], demo: bool = True) -> None:
    """Migrate the empty database and (by default) load the demo data."""
    for args in (["db", "upgrade"], ["consult", "demo"])[:2 if demo else 1]:
        done = subprocess.run([str(BIN / "flask"), "--app", "consult", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        if done.returncode:
            raise ServerError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


@contextmanager
def gunicorn(instance: Path, workers: int = 1, demo: bool = True,
             extra_args: tuple[str, ...] = (), limit: float = 30.0) -> Iterator[int]:
    """Prepare instance, run gunicorn until /ping answers, yield its port; always stop it.

    Its output goes to instance/gunicorn.log.
    """
    port = free_port()
    env = server_env(instance, port, workers)
    prepare(env, demo)
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
