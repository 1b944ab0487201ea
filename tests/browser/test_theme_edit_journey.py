"""The demo planner renames a theme on the planner report from a phone, JavaScript off, sees
the error of an empty name tied to its field, and undoes the rename (leaving the demo as it
was for the other browser tests)."""
import pytest

from tests.browser.audit import AXE_TAGS, BLOCKING, NO_TIMERS, RUN_AXE, axe_source
from tests.browser.conftest import PLANNER_EMAIL, sign_in
from tests.browser.pages import MANAGE_RESULTS

pytestmark = pytest.mark.browser

FIRST_THEME = "#themes-title ~ ol.cards > li"


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _axe(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now (forms open)."""
    page.evaluate(NO_TIMERS)
    page.evaluate(axe_source())
    return [v for v in page.evaluate(RUN_AXE, AXE_TAGS) if v["impact"] in BLOCKING]


def _open_forms(page):
    card = page.locator(FIRST_THEME).first
    card.locator("details > summary").click()
    return card


@pytest.mark.parametrize("language", ["en", "ar"])
def test_planner_renames_and_undoes_a_theme_on_a_phone(new_context, language):
    phone = new_context(bypass_csp=True).new_page()  # bypass: axe-core is injected
    sign_in(phone, PLANNER_EMAIL)
    phone.goto(f"{MANAGE_RESULTS}/report?lang={language}")
    card = _open_forms(phone)
    assert _width(phone) <= 360, f"the report with a theme's forms open is too wide ({language})"
    assert _axe(phone) == []
    card_id = card.get_attribute("id")
    names = card.locator("form[action$='/rename'] input[type=text]")
    for n in range(names.count()):
        field = names.nth(n)
        assert phone.locator(f"label[for='{field.get_attribute('id')}']").count() == 1
        field.fill("")
    with phone.expect_navigation():
        card.locator("form[action$='/rename'] button[type=submit]").click()
    error = phone.locator("main p.error").first
    assert error.is_visible() and _width(phone) <= 360
    described = phone.locator(f"#{error.get_attribute('id')[:-len('-error')]}")
    assert described.get_attribute("aria-describedby") == error.get_attribute("id")
    assert _axe(phone) == []

    phone.goto(f"{MANAGE_RESULTS}/report?lang={language}")
    card = _open_forms(phone)
    names = card.locator("form[action$='/rename'] input[type=text]")
    for n in range(names.count()):
        names.nth(n).fill("Phone theme name")
    with phone.expect_navigation():
        card.locator("form[action$='/rename'] button[type=submit]").click()
    assert phone.url.endswith(f"#{card_id}")
    renamed = phone.locator(f"#{card_id}")
    assert "Phone theme name" in renamed.locator("p strong").first.inner_text()
    assert _width(phone) <= 360
    with phone.expect_navigation():
        renamed.locator("form[action$='/undo'] button[type=submit]").first.click()
    assert phone.locator("main", has_text="Phone theme name").count() == 0
