"""Moderation as a participant lives it, on a 360 px phone with JavaScript off and on: report
a comment; see a moderator's decision on one's own comment, with its reason, and appeal it;
see the appeal's outcome. The moderators decide at a desktop's size, the appeal by another
moderator than the one appealed against."""
import secrets

import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.browser.decisions import (
    MODERATOR,
    NOTE,
    REVIEW,
    SECOND_MODERATOR,
    hide_comment,
    post_comment,
)
from tests.browser.flows import THREAD, submit

pytestmark = pytest.mark.browser

APPEALS = "/manage/consultations/safer-port-amani/moderation?tab=appeals"


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


def test_see_a_moderation_decision_appeal_it_and_see_the_outcome(participant, new_context):
    page = participant
    comment_id = post_comment(page)
    moderator = new_context(js=True, viewport=DESKTOP).new_page()
    sign_in(moderator, MODERATOR)
    hide_comment(moderator, comment_id)

    page.goto("/receipt")
    card = page.locator(f"#comment-{comment_id}")
    assert NOTE in card.inner_text()
    with page.expect_navigation():
        card.locator("a[href*='/appeal']").click()
    statement = f"It is about the reporting line itself ({secrets.token_hex(3)})."
    page.fill("main textarea[name=statement]", statement)
    submit(page)
    assert page.locator(".flash.success").count() == 1
    assert "You appealed on" in page.locator(f"#comment-{comment_id}").inner_text()

    # The moderator appealed against may not decide the appeal.
    moderator.goto(REVIEW.format(id=comment_id))
    assert moderator.locator("#appeal form").count() == 0
    assert moderator.locator("#appeal .note").count() == 1

    second = new_context(js=True, viewport=DESKTOP).new_page()
    sign_in(second, SECOND_MODERATOR)
    second.goto(APPEALS)
    item = second.locator("main ol.queue li", has_text=statement)
    with second.expect_navigation():
        item.locator("a[href$='#appeal']").click()
    assert statement in second.locator("#appeal blockquote.statement").inner_text()
    second.locator("#appeal input[name=outcome][value=overturned]").check()
    second.select_option("#appeal select[name=reason]", index=1)
    second.fill("#appeal textarea[name=note]", "It is on topic: the reporting line.")
    submit(second, "#appeal form")
    assert second.locator(".flash.success").count() == 1

    page.goto("/receipt")
    card = page.locator(f"#comment-{comment_id}")
    assert "The decision was overturned" in card.inner_text()
    page.goto(THREAD)  # overturning a hide publishes the comment again
    assert page.locator(f"article.comment#c{comment_id}").count() == 1
