"""Fixtures for browser tests: the real app under gunicorn on the demo data, and the Debian
Chromium driven by Playwright at a phone's size with JavaScript off.

Without /usr/bin/chromium the tests are skipped, unless CONSULT_REQUIRE_BROWSER=1 (CI), when
they fail. Playwright's own browser downloads are never used.
"""
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.live_server import HOST, gunicorn

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
PHONE = {"width": 360, "height": 740}


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
    with gunicorn(tmp_path_factory.mktemp("instance"), workers=1) as port:
        yield f"http://{HOST}:{port}"


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
