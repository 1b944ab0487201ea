"""deploy/'s systemd units: systemd-analyze accepts them, they keep their hardening, and the
commands they start work (run here as systemd would, pointed at a temporary folder)."""
import http.client
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest

from bench.live_server import HOST, free_port
from tests.deploy.guide import DEPLOY, command, environment_file, localise

BIN = os.path.dirname(sys.executable)
UNITS = ["consult-web.service", "consult-worker.service", "consult-backup.service",
         "consult-backup.timer"]
SERVICES = [unit for unit in UNITS if unit.endswith(".service")]
HARDENING = ["DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
             "PrivateTmp=yes", "UMask=0077", "CapabilityBoundingSet=",
             "EnvironmentFile=/etc/consult/consult.env"]


def directives(unit: str, name: str) -> list[str]:
    """The values of a directive in a unit, in order."""
    text = (DEPLOY / unit).read_text()
    return re.findall(rf"^{name}=(.*)$", text, re.MULTILINE)


def as_systemd_runs_it(line: str, env: dict[str, str]) -> list[str]:
    """An Exec line's arguments as systemd makes them (no shell): words split and unquoted,
    a lone $NAME replaced by that variable's words, $$ and %% unescaped; our paths."""
    argv = []
    for word in shlex.split(localise(line, {"/opt/consult/bin": BIN})):
        if re.fullmatch(r"\$[A-Z_]+", word):
            argv += env.get(word[1:], "").split()
        else:
            argv.append(word.replace("$$", "$").replace("%%", "%"))
    return argv


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (Debian package systemd)")
def test_units_pass_systemd_analyze_verify(tmp_path):
    """Pointed at this machine's installation and the example environment file, since
    verify also checks that each command exists."""
    for unit in UNITS:
        text = (DEPLOY / unit).read_text().replace("/opt/consult/bin", BIN).replace(
            "/etc/consult/consult.env", str(DEPLOY / "consult.env.example"))
        (tmp_path / unit).write_text(text)
    done = subprocess.run(["systemd-analyze", "verify", *UNITS], cwd=tmp_path,
                          capture_output=True, text=True)
    complaints = [line for line in (done.stdout + done.stderr).splitlines()
                  if "consult-" in line]
    assert done.returncode == 0 and complaints == [], done.stdout + done.stderr


@pytest.mark.parametrize("unit", SERVICES)
def test_services_run_unprivileged_and_hardened(unit):
    text = (DEPLOY / unit).read_text()
    assert [line for line in HARDENING if f"\n{line}\n" not in text] == []
    assert "User=consult" in text and "ProtectHome=yes" in text


def service_env(tmp_path, **overrides) -> dict[str, str]:
    """The example environment file with a SQLite database, migrated, in tmp_path."""
    database = f"sqlite:///{tmp_path}/consult.sqlite3"
    env = environment_file({"DATABASE_URL": database, "RATELIMIT_STORAGE_URI": "memory://",
                            "QUEUE_URL": f"sqlite:///{tmp_path}/queue.sqlite3",
                            "CONSULT_INSTANCE_PATH": str(tmp_path / "instance"),
                            "PATH": os.environ["PATH"],
                            "PYTHONPATH": os.environ.get("PYTHONPATH", ""), **overrides})
    done = subprocess.run([f"{BIN}/consult", "db-upgrade"], env=env, capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return env


@pytest.mark.slow
def test_web_unit_command_serves_healthz(tmp_path):
    port = free_port()
    env = service_env(tmp_path, CONSULT_BIND=f"{HOST}:{port}", CONSULT_WORKERS="1")
    start = as_systemd_runs_it(directives("consult-web.service", "ExecStart")[0], env)
    log = tmp_path / "web.log"
    with log.open("w") as output:
        server = subprocess.Popen(start, env=env, cwd=tmp_path,
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        body = _healthz(port, server, log)
        curl = localise(command("curl -fsS http://127.0.0.1:8000/healthz"), {"8000": str(port)})
        if shutil.which("curl"):
            body = subprocess.run(curl.split(), capture_output=True, text=True,
                                  check=True).stdout
    finally:
        server.send_signal(signal.SIGTERM)  # what systemctl stop sends
        server.wait(timeout=30)
    assert body.replace(" ", "") == '{"database":"ok","migrations":"ok","queue":"ok"}\n'


def _healthz(port: int, server: subprocess.Popen, log) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            if response.status == 200:
                return response.read().decode()
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(log.read_text())


@pytest.mark.slow
def test_worker_unit_command_starts_and_stops_when_systemd_says(tmp_path):
    env = service_env(tmp_path)
    start = as_systemd_runs_it(directives("consult-worker.service", "ExecStart")[0], env)
    assert directives("consult-worker.service", "KillSignal") == ["SIGINT"]
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(start, env=env, cwd=tmp_path,
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "consumer started" not in log.read_text().lower():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
    finally:
        worker.send_signal(signal.SIGINT)  # KillSignal=SIGINT: running jobs may finish
        assert worker.wait(timeout=30) == 0, log.read_text()


@pytest.mark.slow
def test_backup_unit_commands_make_a_private_dated_backup(tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    stale = backups / "consult-20200101T023000Z.dump"
    stale.write_text("a backup from long ago")
    os.utime(stale, (time.time() - 20 * 86400,) * 2)
    env = {**service_env(tmp_path), "STATE_DIRECTORY": str(backups)}  # set by systemd
    for name in ("ExecStart", "ExecStartPost"):
        argv = as_systemd_runs_it(directives("consult-backup.service", name)[0], env)
        done = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    made = [p for p in backups.iterdir()]
    assert len(made) == 1 and re.fullmatch(r"consult-\d{8}T\d{6}Z\.dump", made[0].name)
    assert stat.S_IMODE(made[0].stat().st_mode) == 0o600
    listing = subprocess.run(localise(command("ls -l /var/lib/consult-backups/"),
                                      {"/var/lib/consult-backups": backups}).split(),
                             capture_output=True, text=True, check=True).stdout
    assert made[0].name in listing
