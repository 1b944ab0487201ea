"""The demo consultation on a small phone without JavaScript: switching to Arabic gives a
right-to-left page, and no language makes the page wider than the screen."""
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SLUG = "safer-port-amani"
PAGE = f"/consultations/{SLUG}"
LANGUAGES = ["en", "fr", "es", "ar"]
PHONE_WIDTH = 360
SCREENSHOT = Path("/tmp/consult-ar-phone.png")
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
LATIN_LETTERS = re.compile(r"[A-Za-z]")


def switch_to_arabic(page) -> None:
    """From the home page, open the demo consultation and pick Arabic in the switcher."""
    page.goto("/")
    page.locator(f'main a[href="{PAGE}"]').first.click()
    page.wait_for_url(f"**{PAGE}")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("nav.langs").get_by_role("link", name="العربية", exact=True).click()
    page.wait_for_url(f"**{PAGE}?lang=ar")


def test_switching_to_arabic_gives_a_right_to_left_page(phone):
    """Home -> consultation -> "العربية": Arabic text laid out right to left."""
    switch_to_arabic(phone)
    html = phone.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    heading = phone.locator("main h1").inner_text()
    assert ARABIC_LETTERS.search(heading) and not LATIN_LETTERS.search(heading), heading
    assert phone.title().startswith(heading)
    assert phone.evaluate("getComputedStyle(document.body).direction") == "rtl"


def test_chosen_language_is_remembered_without_javascript(phone):
    """After choosing Arabic, a page opened without ?lang= is still in Arabic (cookie)."""
    switch_to_arabic(phone)
    phone.locator("header.site a.brand").click()
    phone.wait_for_url(re.compile(r"/$"))
    assert phone.locator("html").get_attribute("lang") == "ar"
    assert phone.locator("html").get_attribute("dir") == "rtl"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_horizontal_scrolling_on_a_phone(phone, language):
    """The consultation page fits a 360 px wide screen in every language it is offered in."""
    phone.goto(f"{PAGE}?lang={language}")
    assert phone.locator("html").get_attribute("lang") == language
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{language}: page is {width} px wide on a {PHONE_WIDTH} px screen"


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "ar", "sw"])
def test_participant_pages_fit_a_phone_in_every_interface_language(phone, language):
    """Home, codename, receipt, sign-in and error pages: no horizontal scrolling, right dir."""
    wide = {}
    for path in ("/", "/codename", "/receipt", "/manage/login", "/no-such-page"):
        phone.goto(f"{path}?lang={language}")
        assert phone.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            wide[path] = width
    assert wide == {}, f"{language}: pages wider than {PHONE_WIDTH} px: {wide}"


def test_screenshot_of_the_arabic_page(phone):
    """A full-page screenshot of the Arabic consultation, for a person to look at."""
    switch_to_arabic(phone)
    SCREENSHOT.unlink(missing_ok=True)
    phone.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
