"""The wheel runs from a plain `pip install`, without the checkout: built, installed into a
fresh virtual environment outside the repository, it migrates a PostgreSQL database with its
own migrations, serves with gunicorn, and answers in Arabic from its compiled catalogs."""
import http.client
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bench.live_server import HOST, free_port, scratch_postgres
from tests.conftest import POSTGRES_URL
from tests.deploy.conftest import scratch_name

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: What a build must not copy: environments, build output, caches, local state.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "dist",
                                     "*.egg-info", "__pycache__", "*.pyc", "*.mo", "instance",
                                     ".hypothesis", ".pytest_cache", "bench", "tests", "tools")


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          **kwargs)
    assert done.returncode == 0, f"{command[:3]} failed:\n{done.stdout}\n{done.stderr}"
    return done


def build_wheel(tmp_path: Path) -> Path:
    """`pip wheel` of a copy of the sources (an old build/ in the checkout cannot leak in)."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT, sources, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", tmp_path / "dist",
         sources])
    return next((tmp_path / "dist").glob("consult-*.whl"))


def installed_environment(tmp_path: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed (no -e): its bin/ folder."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv])
    run([venv / "bin" / "pip", "install", "--quiet", wheel])
    return venv / "bin"


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def wait_for_health(port: int, server: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            status, body = get(port, "/healthz")
            if status == 200:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"/healthz never answered 200:\n{log.read_text()}")


def arabic(message: str) -> str:
    """message in the Arabic catalog of the checkout (the source the wheel compiled)."""
    with (ROOT / "translations" / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        text = read_po(handle, locale="ar")[message].string
    assert text and text != message
    return text


@pytest.mark.skipif(not POSTGRES_URL, reason="needs TEST_DATABASE_URL (a PostgreSQL server) "
                    "to migrate with the installed wheel")
def test_installed_wheel_migrates_postgresql_and_serves_arabic(tmp_path):
    wheel = build_wheel(tmp_path)
    bin_ = installed_environment(tmp_path, wheel)
    instance, port = tmp_path / "instance", free_port()
    with scratch_postgres(POSTGRES_URL, scratch_name("wheel")) as database_url:
        # Nothing of the checkout: another working directory, no PYTHONPATH, a production
        # configuration (only the secret and the database are given).
        env = {"PATH": f"{bin_}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
               "SECRET_KEY": "wheel-test-secret", "DATABASE_URL": database_url,
               "CONSULT_INSTANCE_PATH": str(instance), "CONSULT_BIND": f"{HOST}:{port}",
               "CONSULT_WORKERS": "1"}
        where = run([bin_ / "python", "-c", "import consult; print(consult.__file__)"],
                    cwd=tmp_path, env=env).stdout
        assert str(ROOT) not in where and str(bin_.parent) in where

        migrated = run([bin_ / "consult", "db-upgrade"], cwd=tmp_path, env=env)
        assert "The database is up to date." in migrated.stdout
        run([bin_ / "consult", "demo"], cwd=tmp_path, env=env)  # package data: demo.json

        log = tmp_path / "gunicorn.log"
        with log.open("w") as output:
            server = subprocess.Popen(
                [bin_ / "gunicorn", "--config", "python:consult.gunicorn_conf",
                 "consult:create_app()"], cwd=tmp_path, env=env, stdout=output,
                stderr=subprocess.STDOUT)
        try:
            health = wait_for_health(port, server, log)
            status, page = get(port, "/", {"Accept-Language": "ar"})
        finally:
            server.terminate()
            server.wait(timeout=30)
        backup = run([bin_ / "consult", "backup", tmp_path / "consult.dump"], cwd=tmp_path,
                     env={**env, "PATH": f"{env['PATH']}:{os.environ['PATH']}"})

    assert '"migrations":"ok"' in health.replace(" ", "")
    assert status == 200, page
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert arabic("Have your say") in page
    assert "Backed up to" in backup.stdout
