"""Shared steps of the admin tests: a signed-in client per person, invitation links."""
import re

from tests.conftest import PASSWORD

_LINK = re.compile(r"https?://\S+/invitations/accept\?token=[\w\-]+(?:&lang=\w+)?")
_TOKEN = re.compile(r'name="token" value="([^"]+)"')
BASE = "http://consult.example.org"
NEW_PASSWORD = "a brand new passphrase"


def signed_in(app, user):
    """A fresh browser signed in as user."""
    client = app.test_client()
    response = client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, "could not sign in"
    return client


def invite(client, org_slug: str, email: str, role: str = "moderator", language: str = "en"):
    """Send the invite form."""
    return client.post_form(f"/manage/organisations/{org_slug}/invitations/new",
                            {"email": email, "role": role, "language": language})


def link_in_mail(smtp_server, email: str) -> str:
    """The invitation link of the last mail to email, from its plain-text part, as a path."""
    message = smtp_server.to(email)[-1]
    link = _LINK.search(message.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(BASE)
    return link.removeprefix(BASE)


def accept_new(client, path: str, name: str = "Neema", password: str = NEW_PASSWORD):
    """Open the link and send the new-account form on its page, as a browser would."""
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    token = _TOKEN.search(page.get_data(as_text=True)).group(1)
    return client.post_form("/invitations/accept", {"token": token, "name": name,
                                                    "password": password, "confirm": password})


def token_of(path: str) -> str:
    """The token in an invitation path."""
    return re.search(r"token=([\w\-]+)", path).group(1)
