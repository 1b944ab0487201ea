"""One visit of a page in a language, measured once for all the checks: axe-core's findings,
layout (width, tap targets, text at 200%, focus, headings, lang/dir, error messages) and what
the page downloaded. The tests in test_accessibility.py, test_layout.py and test_weight.py
read the same Audit, so each page is loaded once per language and JavaScript setting."""
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser.pages import DESKTOP, PHONE, RIGHT_TO_LEFT, Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAYOUT = Path(__file__).with_name("layout.js").read_text()
#: WCAG 2.1 levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
ZOOM_PERCENT = 200
#: Real Tab presses per page (header, language links, the first controls); the rest are
#: focused from script, which is much faster and shows the same focus styles.
TAB_STOPS = 4
#: Without JavaScript a page has no timers, but axe-core waits on setTimeout between rules;
#: within our evaluate calls a microtask stands in for the timer.
NO_TIMERS = """window.setTimeout = function (fn) {
  var args = [].slice.call(arguments, 2);
  Promise.resolve().then(function () { fn.apply(null, args); });
  return 0;
}; window.clearTimeout = function () {};"""
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " " + n.html.slice(0, 120))}));
}"""
PAGE_FACTS = """() => {
  const page = performance.getEntriesByType("navigation")[0];
  const html = document.documentElement;
  return {status: page.responseStatus, lang: html.getAttribute("lang") || "",
          dir: html.getAttribute("dir") || "",
          weight: {document: {size: page.decodedBodySize, sent: page.encodedBodySize},
                   resources: performance.getEntriesByType("resource").map(r => ({
                     url: r.name, type: r.initiatorType, size: r.decodedBodySize,
                     sent: r.encodedBodySize}))}};
}"""


@dataclass
class Audit:
    """What one visit found."""

    page: Page
    language: str
    js: bool
    url: str = ""
    status: int = 0
    lang: str = ""
    dir: str = ""
    violations: list[dict] = field(default_factory=list)
    width: dict = field(default_factory=dict)
    zoomed_width: dict = field(default_factory=dict)
    zoomed_clipped: list[str] = field(default_factory=list)
    small_targets: list[str] = field(default_factory=list)
    headings: list[dict] = field(default_factory=list)
    untied_errors: list[str] = field(default_factory=list)
    unfocused: list[str] = field(default_factory=list)
    focus_stops: int = 0
    requests: list[str] = field(default_factory=list)
    weight: dict = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.page.name} ({self.url}, {self.language}, " \
               f"JavaScript {'on' if self.js else 'off'})"

    @property
    def expected_dir(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"


def axe_source() -> str:
    """axe-core's script, installed from the npm registry by `make install-test`."""
    return AXE.read_text()


def axe_version() -> str:
    return json.loads((AXE.parent / "package.json").read_text())["version"]


def rules_checked(page) -> list[str]:
    """Ids of the axe-core rules run for AXE_TAGS (on a page where axe is loaded)."""
    return page.evaluate("(tags) => axe.getRules(tags).map(r => r.ruleId)", AXE_TAGS)


def address(page: Page, language: str, paths: dict[str, str]) -> str:
    path = page.path.format(**paths)
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


class Auditor:
    """Runs the visits, reusing one context and tab per (who, JavaScript setting): cookies
    are reset before each visit and the cache is off, so every visit starts as a newcomer
    (or as the respondent or the host) and downloads everything, as on a first visit."""

    def __init__(self, browser, live_server: str, states: dict, paths: dict[str, str],
                 axe: str) -> None:
        self.browser, self.live_server = browser, live_server
        self.states, self.paths, self.axe = states, paths, axe
        self.tabs: dict[tuple[str, bool], tuple] = {}
        self.requests: list[str] = []

    def tab(self, page: Page, js: bool):
        """(context, tab) for this kind of visit, opened on first use."""
        key = (page.who, js)
        if key not in self.tabs:
            from tests.browser.conftest import open_context

            context = open_context(self.browser, self.live_server, js,
                                   DESKTOP if page.staff else PHONE, bypass_csp=True)
            context.on("request", lambda request: self.requests.append(request.url))
            tab = context.new_page()
            cdp = context.new_cdp_session(tab)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            self.tabs[key] = (context, tab)
        return self.tabs[key]

    def close(self) -> None:
        for context, _ in self.tabs.values():
            context.close()

    def audit(self, page: Page, language: str, js: bool, want_rules: bool = False) -> Audit:
        """Open the page as its visitor, take its step, then measure everything."""
        js = True if page.staff else js
        context, tab = self.tab(page, js)
        context.clear_cookies()
        if page.who != "visitor":
            context.add_cookies(self.states[page.who]["cookies"])
        audit = Audit(page, language, js, url=address(page, language, self.paths))
        self.requests = audit.requests
        response = tab.goto(audit.url)
        if page.then is not None:
            page.then(tab)
        found = tab.evaluate(PAGE_FACTS)
        audit.status = found["status"] or (response.status if response else 0)
        audit.lang, audit.dir, audit.weight = found["lang"], found["dir"], found["weight"]
        if not js:
            tab.evaluate(NO_TIMERS)
        tab.evaluate(self.axe)
        audit.violations = tab.evaluate(RUN_AXE, AXE_TAGS)
        if want_rules:
            audit.rules = rules_checked(tab)
        tab.evaluate(LAYOUT)
        layout = tab.evaluate("consultLayout.measure()")
        audit.width, audit.headings = layout["width"], layout["headings"]
        audit.small_targets, audit.untied_errors = layout["smallTargets"], layout["untiedErrors"]
        check_focus(tab, audit, layout["focusable"])
        zoomed = tab.evaluate("(p) => consultLayout.zoomed(p)", ZOOM_PERCENT)
        audit.zoomed_width, audit.zoomed_clipped = zoomed["width"], zoomed["clipped"]
        return audit


def check_focus(tab, audit: Audit, total: int) -> None:
    """Tab through the first TAB_STOPS elements, then focus the rest from script: each one
    focused must look different from unfocused (outline, shadow, border or background)."""
    reached = []
    for _ in range(min(total, TAB_STOPS)):
        tab.keyboard.press("Tab")
        focused = tab.evaluate("consultLayout.focused()")
        if focused is None or focused["index"] in reached:
            break  # focus left the page or came round again
        reached.append(focused["index"])
        if focused["visible"] and not focused["changed"]:
            audit.unfocused.append(focused["name"])
    audit.focus_stops = total
    audit.unfocused += tab.evaluate("(reached) => consultLayout.focusRest(reached)", reached)


def same_origin(url: str, base: str) -> bool:
    ours = urlsplit(base)
    theirs = urlsplit(url)
    return theirs.scheme in ("data", "about") or (theirs.scheme, theirs.netloc) == (
        ours.scheme, ours.netloc)
