"""A participant comments on the demo consultation, replies to a comment and votes on
statements one at a time, on a 360 px phone with JavaScript off and on. (Votes on the thread
itself, with and without reload, are in test_comments_phone.py.)"""
import re
import secrets

import pytest

from tests.browser.flows import THREAD, submit

pytestmark = pytest.mark.browser

COMMENT_FORM = "main form.comment-form"


def test_comment_then_reply_to_it(participant):
    page = participant
    page.goto(THREAD)
    words = f"Keep the market lights on until the last bus {secrets.token_hex(3)}."
    page.fill(f"{COMMENT_FORM} textarea", words)
    submit(page, COMMENT_FORM)
    assert page.locator(".flash.success").count() == 1
    mine = page.locator("article.comment", has_text=words)
    assert mine.count() == 1
    assert "(you)" in mine.locator(".meta").first.inner_text()
    comment_id = mine.get_attribute("id")
    assert re.search(rf"#{comment_id}$", page.url)
    with page.expect_navigation():
        mine.locator(".comment-links a").click()
    reply = f"And the ferry landing too {secrets.token_hex(3)}."
    page.fill(f"{COMMENT_FORM} textarea", reply)
    submit(page, COMMENT_FORM)
    replies = page.locator("#replies article.comment", has_text=reply)
    assert replies.count() == 1
    assert page.locator("h1").inner_text().startswith("Comment by")


def test_an_empty_comment_is_asked_for_again(participant):
    page = participant
    page.goto(THREAD)
    submit(page, COMMENT_FORM)
    body = page.locator(f"{COMMENT_FORM} textarea")
    assert body.get_attribute("aria-invalid") == "true"
    assert "body-error" in body.get_attribute("aria-describedby").split()


def test_vote_on_statements_one_at_a_time(participant):
    """Agree with the first statement shown: counted, and the next one is another."""
    page = participant
    page.goto(f"{THREAD.rsplit('/', 1)[0]}/vote")
    first = page.locator("article.statement").get_attribute("id")
    with page.expect_navigation():
        page.locator("form.vote.big button[value=agree]").click()
    assert page.locator(".flash.success").count() == 1
    assert "You have voted on 1 statement." in page.locator("main").inner_text()
    statement = page.locator("article.statement")
    assert statement.count() == 0 or statement.get_attribute("id") != first
