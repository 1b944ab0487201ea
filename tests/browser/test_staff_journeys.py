"""Staff journeys at a desktop's size: the demo host signs in and builds a small survey for
the draft demo consultation, without JavaScript being needed for any step; the demo planner
reads the planner report of the consultation with published results."""
import json
import secrets

import pytest

from consult.summaries.demo import DEMO_RESULTS, RESPONSES
from tests.browser.conftest import DESKTOP, PLANNER_EMAIL, sign_in
from tests.browser.flows import submit

pytestmark = pytest.mark.browser

DRAFT = "/manage/consultations/border-market-lighting"


def test_host_builds_a_survey_in_the_builder(new_context):
    page = new_context(js=True, viewport=DESKTOP).new_page()
    sign_in(page)
    page.goto(f"{DRAFT}/survey")
    start = page.locator("main form[action$='/survey/create']")
    if start.count():  # the draft has no survey yet
        submit(page, "main form[action$='/survey/create']")
    add_question = page.locator("main a[href$='/questions/new']").last
    with page.expect_navigation():
        add_question.click()
    key = f"street_{secrets.token_hex(2)}"
    page.fill("#key", key)
    page.select_option("#type", "single_choice")
    page.fill("#label__en", "Which street needs light first?")
    page.fill("#label__es", "¿Qué calle necesita luz primero?")
    submit(page, "main form:has(#key)")
    assert page.url.endswith(f"/survey/questions/{key}/edit#options"), page.url
    with page.expect_navigation():
        page.locator("main a[href$='/options/new']").click()
    page.fill("#label__en", "Market street")
    page.fill("#label__es", "Calle del mercado")
    submit(page, "main form:has(#label__en)")
    assert page.locator("main ol.options li", has_text="Market street").count() == 1
    page.goto(f"{DRAFT}/survey")
    question = page.locator(f"#q-{key}")
    assert question.locator(".question-label").inner_text() == "Which street needs light first?"
    assert "1 option" in question.inner_text()


def test_planner_reads_the_report_of_the_consultation_with_data(new_context):
    """From the staff home to the report: figures, a breakdown by the segment question, the
    free text quoted for planners only, opinion groups and themes, the methods box."""
    demo = json.loads(DEMO_RESULTS.read_text(encoding="utf-8"))
    page = new_context(js=True, viewport=DESKTOP).new_page()
    sign_in(page, PLANNER_EMAIL)
    page.goto("/manage/")
    with page.expect_navigation():
        page.locator(f"main a[href$='/consultations/{demo['slug']}']").click()
    with page.expect_navigation():
        page.locator("main a[href$='/report']").click()
    assert page.url.endswith(f"/manage/consultations/{demo['slug']}/report")
    assert f"{RESPONSES} responses counted" in page.locator("#who + p.lead").inner_text()

    support = page.locator("#q-support")
    assert support.locator("svg.chart[role=img]").count() == 1
    breakdown = support.locator("table.breakdown").filter(has_text="A young person aged 16 to 24")
    assert breakdown.count() == 1
    assert breakdown.locator("tbody th[scope=row]").count() >= 4
    assert page.locator("#q-support .hidden-count", has_text="fewer than 10").count() >= 1

    quotes = page.locator("#q-ideas ul.quotes blockquote")
    assert quotes.count() >= 1
    written = {answer for answers in demo["ideas"].values() for answer in answers}
    assert quotes.first.inner_text().strip() in written
    assert page.locator("#opinions-title").count() == 1
    assert page.locator("main h3", has_text="Group 1").count() == 1
    assert page.locator("#themes-title").count() == 1

    methods = page.locator("section.methods")
    assert "Smallest number published" in methods.inner_text()
    # The keyed data fingerprint, and the plain SHA-256 of the open data package.
    hashes = methods.locator("code.hash")
    assert hashes.count() == 2 and all(h.strip() for h in hashes.all_inner_texts())
    assert page.locator("main a[href*='/report/export?format=csv']").count() >= 1
