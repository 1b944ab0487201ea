"""Fixtures for browser tests: the real app under gunicorn on the demo data, and the Debian
Chromium driven by Playwright at a phone's size with JavaScript off.

Without /usr/bin/chromium the tests are skipped, unless CONSULT_REQUIRE_BROWSER=1 (CI), when
they fail. Playwright's own browser downloads are never used.
"""
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
PHONE = {"width": 360, "height": 740}
HOST = "127.0.0.1"


def _free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    """True when GET /ping on port says 200."""
    conn = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        conn.request("GET", "/ping")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Debian Chromium, or skip (fail when CONSULT_REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (Debian package `chromium`)"
        if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}, and CONSULT_REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of gunicorn (1 worker) serving a fresh SQLite database with the demo data."""
    instance = tmp_path_factory.mktemp("instance")
    port = _free_port()
    env = {**os.environ, "CONSULT_ENV": "development", "CONSULT_INSTANCE_PATH": str(instance),
           "DATABASE_URL": f"sqlite:///{instance / 'browser.sqlite3'}",
           "CONSULT_BIND": f"{HOST}:{port}", "CONSULT_WORKERS": "1"}
    env.pop("SESSION_COOKIE_SECURE", None)  # plain http: development turns it off
    for args in (["db", "upgrade"], ["consult", "demo"]):
        done = subprocess.run([str(BIN / "flask"), "--app", "consult", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    log = instance / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "consult:create_app()"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield f"http://{HOST}:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Headless Debian Chromium, for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A fresh page at 360x740 with JavaScript disabled, English locale, no cookies yet."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-US",
                                  base_url=live_server)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
