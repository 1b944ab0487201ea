"""A participant answers the demo survey on a 360 px phone, with JavaScript off (the reference
flow) and on: skip logic, a dropped connection, the receipt, coming back with a receipt or a
codename on another phone."""
import re

import pytest

from tests.browser.flows import (
    CONSULTATION,
    DONE,
    SURVEY,
    answer_first_page,
    answer_last_page,
    answer_second_page,
    answer_survey,
    current_page_number,
    receipt_shown,
    submit,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role, asked_about_payments", [("trader", True), ("resident", False)])
def test_survey_with_skip_logic_ends_with_a_receipt(participant, role, asked_about_payments):
    """From the consultation to the receipt; the payments question is for traders only."""
    page = participant
    page.goto(CONSULTATION)
    with page.expect_navigation():
        page.locator(f"main a[href='{SURVEY}']").click()
    assert page.locator("main p.meta").first.inner_text() == "Page 1 of 3"
    answer_first_page(page, role=role)
    assert current_page_number(page) == 2
    assert page.locator("input[name=payments]").count() == (3 if asked_about_payments else 0)
    answer_second_page(page, payments="no" if asked_about_payments else None)
    assert current_page_number(page) == 3
    answer_last_page(page)
    assert page.url.endswith(DONE)
    receipt = receipt_shown(page)
    page.goto("/receipt")
    assert receipt in page.locator("main").inner_text()


def test_required_answers_are_asked_for_on_the_same_page(participant):
    """Sending page 1 empty: the page again, an error summary linking to the question."""
    page = participant
    page.goto(SURVEY)
    submit(page)
    assert current_page_number(page) == 1
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert summary.locator("a[href='#role']").count() == 1
    assert page.locator("#role").get_attribute("aria-describedby").split()[-1] == "role-error"


def test_a_dropped_connection_loses_no_answer(participant):
    """Offline, 'Save and continue' fails; back online, reloading resends the page: the
    survey goes on at the next page and every answer given so far is there."""
    page = participant
    page.goto(SURVEY)
    answer_first_page(page, role="trader", area="port")
    page.check("input[name=support][value='2']")
    page.check("input[name=payments][value=yes]")
    page.context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
    page.context.set_offline(False)
    page.reload()
    assert current_page_number(page) == 3
    # A phone that lost the page altogether comes back to the same place.
    other_tab = page.context.new_page()
    other_tab.goto(SURVEY)
    assert other_tab.locator("main p.meta").first.inner_text() == "Page 3 of 3"
    other_tab.goto(f"{SURVEY}?page=2")
    assert other_tab.is_checked("input[name=support][value='2']")
    assert other_tab.is_checked("input[name=payments][value=yes]")
    other_tab.goto(f"{SURVEY}?page=1")
    assert other_tab.is_checked("input[name=role][value=trader]")
    assert other_tab.is_checked("input[name=area][value=port]")
    answer_last_page(page)
    assert page.url.endswith(DONE)


def test_a_receipt_typed_on_another_phone_shows_the_answers(participant, new_context):
    receipt = answer_survey(participant)
    other = new_context(js=participant.javascript).new_page()
    other.goto("/receipt")
    other.fill("#receipt", receipt.lower().replace("-", " "))
    submit(other, "main form:has(#receipt)")
    main = other.locator("main")
    assert receipt in main.inner_text()
    assert main.locator(f"a[href='{DONE}']").count() == 1


def test_a_codename_brings_the_answers_back_after_the_cookies_are_gone(participant):
    page = participant
    page.goto("/codename")
    submit(page)
    codename = page.locator("main .codename").inner_text().strip()
    assert re.fullmatch(r"[a-z]+( [a-z]+){6}", codename), codename
    receipt = answer_survey(page)
    page.context.clear_cookies()
    page.goto("/receipt")
    assert receipt not in page.locator("main").inner_text()
    page.fill("#codename", codename.upper())
    submit(page, "main form:has(#codename)")
    main = page.locator("main")
    assert page.locator(".flash.success").count() == 1
    assert receipt in main.inner_text()
