"""Page weight on a first visit to each participant page, in every language: HTML + CSS + JS
under 60 KB uncompressed, JavaScript under 15 KB, no web fonts, nothing from another site,
and HTML, CSS and JS served gzip-compressed. Measured from the same visits as the other
checks (tests/browser/audit.py: cache off, so everything is downloaded)."""
import re
from pathlib import Path

import pytest

from tests.browser.audit import same_origin
from tests.browser.pages import PARTICIPANT_PAGES, visit_id, visits

pytestmark = pytest.mark.browser

KB = 1000
PAGE_BUDGET = 60 * KB
SCRIPT_BUDGET = 15 * KB
#: Smaller bodies are not worth compressing (consult/compression.py MIN_SIZE).
COMPRESS_FROM = 1024
FONT = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|$)", re.IGNORECASE)
STATIC = Path(__file__).resolve().parents[2] / "consult" / "static"


def kinds(weight: dict) -> dict[str, list[dict]]:
    """The page's own downloads by kind: document, css, js, other."""
    found = {"document": [{"url": "(the page)", **weight["document"]}], "css": [], "js": [],
             "other": []}
    for resource in weight["resources"]:
        path = resource["url"].split("?")[0]
        kind = "css" if path.endswith(".css") else "js" if path.endswith(".js") else "other"
        found[kind].append(resource)
    return found


@pytest.mark.parametrize("visit", visits(PARTICIPANT_PAGES), ids=visit_id)
def test_page_weight_and_origins(audit, visit, live_server):
    found = audit(*visit)
    parts = kinds(found.weight)
    size = {kind: sum(r["size"] for r in items) for kind, items in parts.items()}
    total = size["document"] + size["css"] + size["js"]
    problems = []
    if total >= PAGE_BUDGET:
        problems.append(f"HTML + CSS + JS is {total} bytes ({size}), budget {PAGE_BUDGET}")
    if size["js"] >= SCRIPT_BUDGET:
        problems.append(f"JavaScript is {size['js']} bytes, budget {SCRIPT_BUDGET}")
    problems += [f"font downloaded: {url}" for url in found.requests if FONT.search(url)]
    problems += [f"request to another site: {url}" for url in found.requests
                 if not same_origin(url, live_server)]
    for kind in ("document", "css", "js"):
        problems += [f"{r['url']} ({r['size']} bytes) was not compressed"
                     for r in parts[kind] if r["size"] >= COMPRESS_FROM and r["sent"] >= r["size"]]
    assert not problems, f"{found.where}:\n  " + "\n  ".join(problems)


def test_the_stylesheets_declare_no_web_font():
    for sheet in STATIC.rglob("*.css"):
        text = sheet.read_text()
        assert "@font-face" not in text and "@import" not in text, sheet.name
        assert not re.search(r"url\((?!['\"]?data:)", text), f"{sheet.name} loads a file"
