"""Moderation steps shared by the journeys and the page checks: a participant's comment, a
moderator's decision on it, and the appeal form it opens on the participant's own page."""
import secrets

from tests.browser.flows import THREAD, submit

MODERATOR = "moderator@demo.example"
#: Decides appeals: never the moderator appealed against.
SECOND_MODERATOR = "moderator2@demo.example"
REVIEW = "/manage/consultations/safer-port-amani/moderation/comments/{id}"
NOTE = "Please keep to the proposal."


def post_comment(page) -> str:
    """Publish a comment on the demo thread (post-moderated); returns its id."""
    page.goto(THREAD)
    words = f"The reporting line should also take text messages {secrets.token_hex(3)}."
    page.fill("main form.comment-form textarea", words)
    submit(page, "main form.comment-form")
    return page.locator("article.comment", has_text=words).get_attribute("id")[1:]


def hide_comment(moderator, comment_id: str, note: str = NOTE) -> None:
    """The (signed-in) moderator hides the comment with a reason and a note."""
    moderator.goto(REVIEW.format(id=comment_id))
    moderator.locator("main input[name=action][value=hide]").check()
    moderator.select_option("main select[name=reason]", index=1)
    moderator.fill("main textarea[name=note]", note)
    submit(moderator, "main form:has(input[name=action])")


def appeal_path(page, comment_id: str) -> str:
    """Path of the appeal form linked from the comment's card on the participant's page."""
    page.goto("/receipt")
    link = page.locator(f"#comment-{comment_id} a[href*='/appeal']")
    return link.get_attribute("href").split("?")[0]
