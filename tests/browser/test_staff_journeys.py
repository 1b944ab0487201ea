"""Staff journeys at a desktop's size: the demo host signs in and builds a small survey for
the draft demo consultation, without JavaScript being needed for any step."""
import secrets

import pytest

from tests.browser.conftest import DESKTOP, sign_in
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
