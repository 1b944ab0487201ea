"""Moderation as a participant lives it, on a 360 px phone with JavaScript off and on: report
a comment; see a moderator's decision on one's own comment, with its reason, and appeal it.
The moderator decides at a desktop's size."""
import secrets

import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.browser.flows import THREAD, submit

pytestmark = pytest.mark.browser

MODERATOR = "moderator@demo.example"
REVIEW = "/manage/consultations/safer-port-amani/moderation/comments/{id}"


def post_comment(page) -> str:
    """Publish a comment on the demo thread (post-moderated); returns its id."""
    page.goto(THREAD)
    words = f"The reporting line should also take text messages {secrets.token_hex(3)}."
    page.fill("main form.comment-form textarea", words)
    submit(page, "main form.comment-form")
    return page.locator("article.comment", has_text=words).get_attribute("id")[1:]


def test_report_a_comment(participant):
    """From the thread (its last comment, not one the page checks read), back to the comment
    with a thank-you."""
    page = participant
    page.goto(THREAD)
    link = page.locator("article.comment a[href$='/report']").last
    comment = link.get_attribute("href").removesuffix("/report")
    with page.expect_navigation():
        link.click()
    page.locator("main input[name=reason]").first.check()
    submit(page)
    assert page.url.split("#")[0].endswith(comment)
    assert page.locator(".flash.success").count() == 1


def test_see_a_moderation_decision_and_appeal_it(participant, new_context):
    page = participant
    comment_id = post_comment(page)
    moderator = new_context(js=True, viewport=DESKTOP).new_page()
    sign_in(moderator, MODERATOR)
    moderator.goto(REVIEW.format(id=comment_id))
    moderator.locator("main input[name=action][value=hide]").check()
    moderator.select_option("main select[name=reason]", index=1)
    moderator.fill("main textarea[name=note]", "Please keep to the proposal.")
    submit(moderator, "main form:has(input[name=action])")

    page.goto("/receipt")
    card = page.locator(f"#comment-{comment_id}")
    assert "Please keep to the proposal." in card.inner_text()
    with page.expect_navigation():
        card.locator("a[href*='/appeal']").click()
    page.fill("main textarea[name=statement]", "It is about the reporting line itself.")
    submit(page)
    assert page.locator(".flash.success").count() == 1
    assert "You appealed on" in page.locator(f"#comment-{comment_id}").inner_text()
