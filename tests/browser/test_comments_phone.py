"""Comment pages of the demo consultation on a 360 px phone: they fit in every language
without JavaScript, a vote without JavaScript reloads the page at the comment, and with
JavaScript it changes the counts without leaving the page."""
import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

SLUG = "safer-port-amani"
PAGES = [f"/consultations/{SLUG}/comments", f"/consultations/{SLUG}/comments?sort=agreed",
         f"/consultations/{SLUG}/sections/4", f"/consultations/{SLUG}/vote"]


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_comment_pages_fit_a_phone(phone, language):
    wide = {}
    for path in PAGES:
        phone.goto(f"{path}{'&' if '?' in path else '?'}lang={language}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    assert wide == {}, f"{language}: wider than {PHONE['width']} px: {wide}"


def test_a_vote_without_javascript_comes_back_to_the_comment(phone):
    phone.goto(f"/consultations/{SLUG}/comments?sort=agreed")
    form = phone.locator("form.vote").first
    comment_id = form.locator("xpath=ancestor::article[1]").get_attribute("id")
    form.locator("button[value=disagree]").click()
    phone.wait_for_load_state()
    assert phone.url.endswith(f"/comments?sort=agreed#{comment_id}")
    pressed = phone.locator(f"#{comment_id} > form.vote button[aria-pressed=true]")
    assert pressed.get_attribute("value") == "disagree"


def test_with_javascript_a_vote_changes_the_counts_in_place(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="en-US", base_url=live_server)
    try:
        page = context.new_page()
        page.goto(f"/consultations/{SLUG}/comments")
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        form = page.locator("form.vote").first
        before = int(form.locator("button[value=agree] b").inner_text())
        form.locator("button[value=agree]").click()
        page.wait_for_function(
            "([el, n]) => el.textContent === String(n)",
            arg=[form.locator("button[value=agree] b").element_handle(), before + 1])
        assert form.locator("button[value=agree]").get_attribute("aria-pressed") == "true"
        assert navigations == []
    finally:
        context.close()
