"""The optional scripts on a 360 px phone: the survey draft saved while typing (autosave.js)
and the characters-left counters (counters.js). With JavaScript off neither shows anything and
the plain flow is the one the other journeys test."""
import pytest

from tests.browser.flows import (
    DONE,
    SURVEY,
    THREAD,
    answer_first_page,
    answer_second_page,
    submit,
)

pytestmark = pytest.mark.browser

IDEAS = "textarea[name=ideas]"
STATUS = "#autosave-status"
SAVED = "Draft saved."
LIMIT = 5000  # the long text answer's maxlength


def to_last_page(page) -> None:
    """Pages 1 and 2 answered the plain way: page 3 has the long text answer."""
    page.goto(SURVEY)
    answer_first_page(page)
    answer_second_page(page)
    assert page.locator(IDEAS).count() == 1


def wait_for_status(page, text: str) -> None:
    page.wait_for_function("([el, text]) => el.textContent === text",
                           arg=[page.locator(STATUS).element_handle(), text])


def test_typing_saves_the_draft_and_a_reload_shows_it(new_context):
    page = new_context(js=True).new_page()
    to_last_page(page)
    page.locator(IDEAS).press_sequentially("Lights at the ferry landing", delay=20)
    page.check("input[name=trust_hotline][value='6']")
    wait_for_status(page, SAVED)
    assert page.url.endswith("?page=3")  # saved, not moved on
    page.reload()
    assert page.locator(IDEAS).input_value() == "Lights at the ferry landing"
    assert page.is_checked("input[name=trust_hotline][value='6']")
    assert page.locator(STATUS).inner_text() == ""  # nothing said before anything changed
    submit(page)
    assert page.url.endswith(DONE)


def test_offline_the_status_says_so_and_the_answer_stays(new_context):
    page = new_context(js=True).new_page()
    to_last_page(page)
    page.check("input[name=trust_hotline][value='3']")
    wait_for_status(page, SAVED)
    page.context.set_offline(True)
    page.locator(IDEAS).press_sequentially("Written on the bus", delay=20)
    failed = page.locator(STATUS).get_attribute("data-failed")
    wait_for_status(page, failed)
    assert "could not be saved" in failed
    assert page.locator(IDEAS).input_value() == "Written on the bus"
    page.context.set_offline(False)
    wait_for_status(page, SAVED)  # saved again as soon as the phone is back online
    page.locator(IDEAS).press_sequentially("!")
    submit(page)  # the plain submit needs nothing from the script
    assert page.url.endswith(DONE)


def test_the_counter_counts_down_and_is_tied_to_its_field(new_context):
    page = new_context(js=True).new_page()
    to_last_page(page)
    field = page.locator(IDEAS)
    counter_id = f"{field.get_attribute('id')}-counter"
    assert counter_id in field.get_attribute("aria-describedby").split()
    counter = page.locator(f"#{counter_id}")
    assert counter.inner_text() == f"{LIMIT:,} characters left"  # grouped as Babel does
    field.press_sequentially("abc")
    assert counter.inner_text() == f"{LIMIT - 3:,} characters left"
    live = page.locator("#counter-status")
    assert live.get_attribute("aria-live") == "polite" and live.inner_text() == ""
    field.fill("x" * (LIMIT - 15))  # into the warning: said once, shown in the warning colour
    assert counter.inner_text() == "15 characters left"
    assert "warn" in counter.get_attribute("class").split()
    assert live.inner_text() == "15 characters left"
    field.press_sequentially("xxxx")  # still in the same band: not said again
    assert live.inner_text() == "15 characters left"
    field.press_sequentially("x" * 20)  # the maxlength stops at the limit
    assert field.input_value() == "x" * LIMIT
    assert counter.inner_text() == live.inner_text() == "0 characters left"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_comment_form_has_a_counter_too(new_context):
    page = new_context(js=True).new_page()
    page.goto(THREAD)
    body = page.locator("main form.comment-form textarea")
    limit = int(body.get_attribute("maxlength"))
    described = body.get_attribute("aria-describedby").split()
    assert described[-1] == f"{body.get_attribute('id')}-counter" and len(described) == 2
    body.press_sequentially("Hello")
    assert page.locator(f"#{described[-1]}").inner_text() == f"{limit - 5:,} characters left"


def test_the_counter_speaks_the_pages_language_with_its_number_format(new_context):
    page = new_context(js=True).new_page()
    page.goto(f"{THREAD}?lang=fr")
    body = page.locator("main form.comment-form textarea")
    limit = int(body.get_attribute("maxlength"))
    counter = page.locator(f"#{body.get_attribute('id')}-counter")
    grouped = f"{limit:,}".replace(",", "\u202f")  # French groups with a narrow space
    assert counter.inner_text() == f"Encore {grouped} caractères"


def test_without_javascript_nothing_of_the_scripts_shows(new_context):
    page = new_context(js=False).new_page()
    to_last_page(page)
    assert page.locator(".counter").count() == 0
    assert not page.locator("#counter-texts").is_visible()
    assert page.locator(STATUS).inner_text() == ""
    assert "counter" not in (page.locator(IDEAS).get_attribute("aria-describedby") or "")
    page.fill(IDEAS, "Plain and simple")
    submit(page)
    assert page.url.endswith(DONE)
