"""Fixtures for browser tests: the real app under gunicorn on the demo data, and the Debian
Chromium driven by Playwright, at a phone's size (JavaScript off, or on) or a desktop's.

Without /usr/bin/chromium (or axe-core for the accessibility checks) the tests are skipped,
unless CONSULT_REQUIRE_BROWSER=1 (CI), when they fail. Playwright's own browser downloads are
never used. One gunicorn and one browser serve the whole session; every test gets fresh
browser contexts (no cookies, no cache) that are closed after it.
"""
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.live_server import HOST, gunicorn
from consult.demo import DEMO_PASSWORD
from tests.browser.pages import DESKTOP, PHONE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
HOST_EMAIL = "host@demo.example"
#: Reads the planner report of the consultation with results (a partner's planner).
PLANNER_EMAIL = "planner@demo.example"
ADMIN_EMAIL = "admin@demo.example"
#: JavaScript off (the reference flow) and on (the enhancements), for parametrize.
JS_MODES = [pytest.param(False, id="no-js"), pytest.param(True, id="js")]
REQUIRED = os.environ.get("CONSULT_REQUIRE_BROWSER") == "1"

#: The live server's instance/config.py. The browser suite signs in and posts receipts far
#: more often than a person would; the limits themselves are tested in tests/accounts.
INSTANCE_CONFIG = "RATELIMIT_ENABLED = False\n"


def missing(message: str) -> None:
    """Skip, or fail when CONSULT_REQUIRE_BROWSER=1 requires the browser tests."""
    if REQUIRED:
        pytest.fail(f"{message}, and CONSULT_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Debian Chromium, or skip (fail when CONSULT_REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing (Debian package `chromium`)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of gunicorn (1 worker) serving a fresh SQLite database with the demo data."""
    instance = tmp_path_factory.mktemp("instance")
    (instance / "config.py").write_text(INSTANCE_CONFIG)
    with gunicorn(instance, workers=1) as port:
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


def open_context(browser, live_server: str, js: bool = False, viewport: dict = PHONE,
                 **options):
    """A new browser context: its own cookies and cache, English unless told otherwise."""
    options.setdefault("locale", "en-US")
    context = browser.new_context(viewport=viewport, java_script_enabled=js,
                                  base_url=live_server, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable]:
    """Factory of browser contexts (open_context's arguments), all closed after the test."""
    contexts = []

    def make(js: bool = False, viewport: dict = PHONE, **options):
        contexts.append(open_context(browser, live_server, js, viewport, **options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_context):
    """A fresh page at 360x740 with JavaScript disabled, English locale, no cookies yet."""
    return new_context().new_page()


@pytest.fixture(params=JS_MODES)
def participant(request, new_context):
    """A fresh page at 360x740, once with JavaScript off and once with it on."""
    page = new_context(js=request.param).new_page()
    page.javascript = request.param  # for assertions that differ between the two
    return page


def sign_in(page, email: str = HOST_EMAIL, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form; ends on the page the form leads to."""
    page.goto("/manage/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/manage/login" not in page.url, "the demo host could not sign in"


@pytest.fixture(scope="session")
def staff_state(browser, live_server) -> dict:
    """Cookies of a signed-in demo host (host@demo.example), for desktop staff pages."""
    context = open_context(browser, live_server, viewport=DESKTOP)
    try:
        sign_in(context.new_page())
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def staff(new_context, staff_state):
    """A page at 1280x900 signed in as the demo host."""
    return new_context(js=True, viewport=DESKTOP, storage_state=staff_state).new_page()


@pytest.fixture(scope="session")
def planner_state(browser, live_server) -> dict:
    """Cookies of the signed-in demo planner, for the planner report with data."""
    context = open_context(browser, live_server, viewport=DESKTOP)
    try:
        sign_in(context.new_page(), PLANNER_EMAIL)
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture(scope="session")
def admin_state(browser, live_server) -> dict:
    """Cookies of the signed-in demo site administrator, for the organisation pages."""
    context = open_context(browser, live_server, viewport=DESKTOP)
    try:
        sign_in(context.new_page(), ADMIN_EMAIL)
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture(scope="session")
def author_state(browser, live_server) -> tuple[dict, str]:
    """Cookies of a participant whose comment a moderator hid (with a reason and a note),
    and the path of the appeal form that decision opens."""
    from tests.browser.decisions import MODERATOR, appeal_path, hide_comment, post_comment

    author = open_context(browser, live_server)
    moderator = open_context(browser, live_server, viewport=DESKTOP)
    try:
        page = author.new_page()
        comment_id = post_comment(page)
        staff_page = moderator.new_page()
        sign_in(staff_page, MODERATOR)
        hide_comment(staff_page, comment_id)
        return author.storage_state(), appeal_path(page, comment_id)
    finally:
        author.close()
        moderator.close()


@pytest.fixture(scope="session")
def respondent_state(browser, live_server) -> dict:
    """Cookies of a participant who has answered the demo survey (receipt pages)."""
    from tests.browser.flows import answer_survey

    context = open_context(browser, live_server)
    try:
        answer_survey(context.new_page())
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture(scope="session")
def demo_paths(browser, live_server) -> dict[str, str]:
    """Paths the page list cannot know in advance: {comment}, a demo comment with replies."""
    from tests.browser.flows import first_comment_with_replies

    context = open_context(browser, live_server)
    try:
        return {"comment": first_comment_with_replies(context.new_page())}
    finally:
        context.close()


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core from node_modules (npm ci in `make install-test`), or skip/fail."""
    from tests.browser.audit import AXE, axe_source

    if not AXE.exists():
        missing(f"{AXE.relative_to(AXE.parents[2])} is missing (run `make install-test`)")
    return axe_source()


AXE_RULES = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def audit(request, browser, live_server, axe_script, respondent_state, staff_state,
          planner_state, admin_state, author_state, demo_paths) -> Iterator[Callable]:
    """audit(page, language, js) -> tests.browser.audit.Audit, measured once per session."""
    from tests.browser.audit import Auditor

    states = {"respondent": respondent_state, "staff": staff_state,
              "planner": planner_state, "admin": admin_state, "author": author_state[0]}
    auditor = Auditor(browser, live_server, states,
                      {**demo_paths, "appeal": author_state[1]}, axe_script)
    done = {}

    def measure(page, language: str, js: bool):
        key = (page.name, language, js)
        if key not in done:
            want_rules = AXE_RULES not in request.config.stash
            done[key] = auditor.audit(page, language, js, want_rules)
            if want_rules:
                request.config.stash[AXE_RULES] = done[key].rules
        return done[key]

    yield measure
    auditor.close()


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Name the axe-core rules the accessibility checks ran, once, at the end of the run."""
    rules = config.stash.get(AXE_RULES, None)
    if rules:
        from tests.browser.audit import AXE_TAGS, axe_version

        terminalreporter.write_sep("-", f"axe-core {axe_version()}: {len(rules)} rules checked "
                                        f"({', '.join(AXE_TAGS)})")
        terminalreporter.write_line(" ".join(sorted(rules)))
