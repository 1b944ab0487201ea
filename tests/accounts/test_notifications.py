"""The notification settings page: the language of one's mail and the daily digest, for
one's own account only, with CSRF and errors at their fields."""
import re

import pytest

from consult.accounts.models import Role, User
from consult.extensions import db

URL = "/manage/account/notifications"


@pytest.fixture
def moderator(make_org, make_user):
    return make_user(make_org("host-org"), Role.MODERATOR, email="mod@example.org")


def ticked(html: str, attribute: str) -> bool:
    """Whether the input with this attribute (e.g. 'value="fr"') is checked."""
    [tag] = [t for t in re.findall(r"<input[^>]*>", html) if attribute in t]
    return " checked" in tag


def fresh(user: User) -> User:
    """user as the database has it now (requests write in their own sessions)."""
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_digest_is_off_until_asked_for_and_mail_follows_the_site_language(
        client, auth, moderator):
    auth.login(moderator)
    page = client.get(f"{URL}?lang=fr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert not ticked(html, 'name="daily_digest"')
    assert ticked(html, 'value="fr"')  # the language they use the site in
    assert not ticked(html, 'value="en"')
    assert '<label for="language-' in html and 'lang="ar" dir="rtl"' in html
    assert fresh(moderator).daily_digest is False and fresh(moderator).mail_language is None


def test_a_staff_member_turns_the_digest_on_in_arabic_then_off(client, auth, moderator):
    auth.login(moderator)
    saved = client.post_form(URL, {"language": "ar", "daily_digest": "y"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith(URL)
    user = fresh(moderator)
    assert (user.mail_language, user.daily_digest) == ("ar", True)
    html = client.get(URL).get_data(as_text=True)
    assert ticked(html, 'name="daily_digest"') and ticked(html, 'value="ar"')
    client.post_form(URL, {"language": "ar"})  # an unticked box is not sent
    assert fresh(moderator).daily_digest is False


def test_an_unknown_language_is_refused_at_its_field(client, auth, moderator):
    auth.login(moderator)
    refused = client.post_form(URL, {"language": "xx", "daily_digest": "y"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="language-error"' in html and 'href="#language"' in html
    assert fresh(moderator).daily_digest is False


def test_no_language_is_refused_at_its_field(client, auth, moderator):
    auth.login(moderator)
    refused = client.post_form(URL, {})
    assert refused.status_code == 422
    assert "Choose the language of your e-mail." in refused.get_data(as_text=True)


def test_settings_cannot_be_changed_by_a_forged_form(app, client, auth, moderator):
    """Attack: another site posts the form in a signed-in moderator's browser (CSRF)."""
    auth.login(moderator)
    forged = client.post(URL, data={"language": "en", "daily_digest": "y"})
    assert forged.status_code == 400
    assert fresh(moderator).daily_digest is False


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.get(URL)
    assert answer.status_code == 302 and "/manage/login" in answer.headers["Location"]


def test_a_planner_is_told_the_digest_has_nothing_for_them(client, auth, make_org, make_user):
    planner = make_user(make_org(), Role.PLANNER)
    auth.login(planner)
    html = client.get(URL).get_data(as_text=True)
    assert "You moderate no consultation at the moment" in html


def test_the_site_language_is_written_only_when_it_changes(app, client, auth, moderator):
    auth.login(moderator)
    client.get(f"{URL}?lang=ar")
    assert fresh(moderator).last_language == "ar"
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        client.get(URL)  # the cookie remembers Arabic: nothing to write
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE STAFF_USER")]


def test_the_account_page_leads_to_the_notification_settings(client, auth, moderator):
    auth.login(moderator)
    html = client.get("/manage/account").get_data(as_text=True)
    assert f'href="{URL}"' in html and "Daily digest: off." in html
