"""Two app nodes and two workers on one PostgreSQL database and one Redis, set up as
docs/deploy.md §7 adds nodes: the same settings in every process's environment, the commands
the systemd units run, a folder of its own per process. For tests/deploy/test_scale_out.py.

Clients talk to the nodes as the proxy in front would pass them on: the client's address in
X-Forwarded-For (TRUSTED_PROXIES=1), its cookies sent to whichever node a request names.
"""
import http.client
import json
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Iterator

from bench.live_server import HOST, free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RATE_LIMITS_URL = "redis://127.0.0.1:6379/11"
QUEUE_URL = "redis://127.0.0.1:6379/12"
#: instance/config.py of every process: the settings no environment variable sets.
INSTANCE_CONFIG = '''\
# Low enough to check across nodes, high enough for the storm (each of its clients sends a
# response at most three times).
SUBMISSION_RATE_LIMIT = "4 per hour"
CONSULTATION_SUBMISSION_RATE_LIMIT = "100000 per hour"
# Folds run as soon as they are queued, and every export is made by a worker.
ANALYSIS_DELAY = 0
EXPORT_INLINE_MAX_RESPONSES = 0
'''
_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


@dataclass
class Reply:
    """A node's answer."""

    status: int
    headers: http.client.HTTPMessage
    text: str

    def json(self):
        return json.loads(self.text)

    def csrf_token(self) -> str:
        """The form token of the page."""
        found = _CSRF_INPUT.search(self.text)
        assert found, f"no CSRF token in a {self.status} page"
        return _VALUE.search(found.group(0)).group(1)


@dataclass
class Client:
    """A browser or phone behind the proxy: its address, and the cookies the nodes set."""

    address: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, *, form: dict | None = None,
                body: dict | None = None, headers: dict | None = None) -> Reply:
        sent = {"X-Forwarded-For": self.address, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body)
            sent["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            self._keep(line)
        return Reply(response.status, response.headers, text)

    def _keep(self, set_cookie: str) -> None:
        for name, morsel in SimpleCookie(set_cookie).items():
            if morsel.value == "" or morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


@dataclass
class Cluster:
    """The running processes' ports, logs and shared settings."""

    nodes: list[int]
    worker_logs: list[Path]
    node_logs: list[Path]
    env: dict[str, str]
    started_in: float = 0.0


def settings(database_url: str) -> dict[str, str]:
    """The environment file every node and worker shares (deploy/consult.env.example's
    settings, for this machine)."""
    return {"CONSULT_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url, "QUEUE_URL": QUEUE_URL,
            "RATELIMIT_STORAGE_URI": RATE_LIMITS_URL, "RATELIMIT_ENABLED": "true",
            "TRUSTED_PROXIES": "1", "CONSULT_WORKERS": "2",
            # Plain http on 127.0.0.1 (the proxy's HTTPS is not what is tested here); exact
            # figures to compare; mail printed, never sent.
            "SESSION_COOKIE_SECURE": "false", "CELL_KEY_PERTURBATION": "false",
            "MAIL_BACKEND": "console"}


def _instance(base: Path, name: str) -> Path:
    folder = base / name
    folder.mkdir()
    (folder / "config.py").write_text(INSTANCE_CONFIG)
    return folder


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command[-2:])}:\n{done.stdout}{done.stderr}"


def _stop_all(processes: list[tuple[subprocess.Popen, int]]) -> None:
    """Signal every process (as systemctl stop would), then wait for all of them together;
    kill what is still running after 30 s."""
    for process, sig in processes:
        if process.poll() is None:
            process.send_signal(sig)
    deadline = time.monotonic() + 30
    for process, _ in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def cluster(base: Path, shared: dict[str, str], environ: dict[str, str]) -> Iterator[Cluster]:
    """Migrate the empty database, run two gunicorn nodes (two processes each) and two
    workers (the first also queues the scheduled tasks), load the demo data meanwhile; every
    process stopped after."""
    started = time.monotonic()
    env = {**environ, **shared}
    first = {**env, "CONSULT_INSTANCE_PATH": str(_instance(base, "setup"))}
    _run([str(BIN / "consult"), "db-upgrade"], first)
    with ExitStack() as stack:
        ports, node_logs, worker_logs, processes, signals = [], [], [], [], []
        stack.callback(_stop_all, signals)
        for name in ("node-a", "node-b"):
            port = free_port()
            log = base / f"{name}.log"
            with log.open("w") as output:
                server = subprocess.Popen(
                    [str(BIN / "gunicorn"), "--config", "python:consult.gunicorn_conf",
                     "consult:create_app()"], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                    env={**env, "CONSULT_INSTANCE_PATH": str(_instance(base, name)),
                         "CONSULT_BIND": f"{HOST}:{port}"})
            signals.append((server, signal.SIGTERM))  # what systemd sends consult-web.service
            ports.append(port)
            node_logs.append(log)
            processes.append((server, log))
        for name, options in (("worker-1", []), ("worker-2", ["--no-periodic"])):
            log = base / f"{name}.log"
            with log.open("w") as output:
                worker = subprocess.Popen(
                    [str(BIN / "consult"), "worker", "--workers", "2", *options], cwd=ROOT,
                    stdout=output, stderr=subprocess.STDOUT,
                    env={**env, "CONSULT_INSTANCE_PATH": str(_instance(base, name))})
            signals.append((worker, signal.SIGINT))  # KillSignal of consult-worker.service
            worker_logs.append(log)
            processes.append((worker, log))
        _run([str(BIN / "consult"), "demo"], first)  # while the nodes and workers start
        _wait_until_ready(ports, processes)
        yield Cluster(ports, worker_logs, node_logs, env, time.monotonic() - started)


def _wait_until_ready(ports: list[int], processes: list) -> None:
    deadline = time.monotonic() + 90
    waiting = set(ports)
    while True:
        for process, log in processes:
            assert process.poll() is None, f"{log.name} exited:\n{log.read_text()}"
        for port in list(waiting):
            try:
                if Client("127.0.0.1").request(port, "GET", "/healthz").status == 200:
                    waiting.discard(port)
            except OSError:
                pass
        workers_up = all("consumer started" in log.read_text().lower()
                         for process, log in processes if "worker" in log.name)
        if not waiting and workers_up:
            return
        assert time.monotonic() < deadline, "\n".join(
            f"{log.name}:\n{log.read_text()}" for _, log in processes)
        time.sleep(0.3)


def executions(logs: list[Path], task_name: str) -> list[str]:
    """The workers that ran task_name, once per run (the consumers' "Executing" lines)."""
    return [log.stem for log in logs for line in log.read_text().splitlines()
            if "Executing " in line and f"{task_name}: " in line]


def served(log: Path, request_line: str, status: int) -> int:
    """How many requests a node's access log shows with this "METHOD path" and status."""
    return log.read_text().count(f'"{request_line}" {status} ')
