"""Resetting a forgotten password by e-mail: one answer for every address, links that work
once and expire, throttling, and every session ending."""
import datetime as dt
import re

from consult.accounts import password_reset
from consult.accounts.models import PasswordResetToken, User
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"
_LINK = re.compile(r"https?://\S+/manage/password/reset\?token=[\w\-]+")


def _ask(client, email: str, **kwargs):
    return client.post_form("/manage/password/forgot", {"email": email}, **kwargs)


def _link(smtp_server, email: str) -> str:
    """The reset link of the last mail to email, read from its plain-text part."""
    message = smtp_server.to(email)[-1]
    return _LINK.search(message.get_body(("plain",)).get_content()).group(0)


def _path(link: str) -> str:
    return link.removeprefix("http://consult.example.org")


def _reset(client, link: str, password: str = NEW_PASSWORD):
    """Follow the link and send the form on it, as a browser would."""
    page = client.get(_path(link))
    assert page.status_code == 200
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    return client.post_form("/manage/password/reset",
                            {"token": token, "password": password, "confirm": password})


def test_sign_in_page_links_to_the_reset_page(client):
    html = client.get("/manage/login").get_data(as_text=True)
    assert 'href="/manage/password/forgot"' in html and "Forgot your password?" in html


def test_reset_mail_arrives_over_smtp_and_its_link_sets_the_password(
        app, client, auth, make_user, smtp_server):
    user = make_user(email="amina@example.org")
    response = _ask(client, "Amina@Example.org")
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    [message] = smtp_server.to("amina@example.org")
    assert message["Subject"] == "Choose a new password for Consult"
    html = message.get_body(("html",)).get_content()
    link = _link(smtp_server, "amina@example.org")
    assert link.startswith("http://consult.example.org/manage/password/reset?token=")
    assert link in html and "<script" not in html
    response = _reset(client, link)
    assert response.status_code == 303 and response.headers["Location"] == "/manage/login"
    assert auth.login(user, PASSWORD).status_code == 422
    assert auth.login(user, NEW_PASSWORD).status_code == 302
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "account.password_reset" in actions


def test_reset_link_works_only_once(app, client, make_user, smtp_server):
    make_user(email="amina@example.org")
    _ask(client, "amina@example.org")
    link = _link(smtp_server, "amina@example.org")
    page = client.get(_path(link))
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    assert _reset(client, link).status_code == 303
    assert client.get(_path(link)).status_code == 404
    replay = client.post_form("/manage/password/reset", {
        "token": token, "password": "another new passphrase",
        "confirm": "another new passphrase"})
    assert replay.status_code == 404 and "does not work" in replay.get_data(as_text=True)


def test_expired_reset_link_is_refused(app, client, make_user, smtp_server):
    make_user(email="amina@example.org")
    _ask(client, "amina@example.org")
    link = _link(smtp_server, "amina@example.org")
    row = db.session.scalar(db.select(PasswordResetToken))
    hours = app.config["PASSWORD_RESET_HOURS"]
    assert row.expires_at - dt.datetime.now(dt.UTC).replace(tzinfo=None) <= \
        dt.timedelta(hours=hours)
    row.expires_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    db.session.commit()
    assert client.get(_path(link)).status_code == 404


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, make_user,
                                                          smtp_server):
    make_user(email="known@example.org")
    known = _ask(client, "known@example.org")
    unknown = _ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'value="[^"]*"')  # CSRF tokens differ; nothing else may
    assert strip.sub("", known.get_data(as_text=True)) == \
        strip.sub("", unknown.get_data(as_text=True))
    assert smtp_server.to("nobody@example.org") == []
    assert len(smtp_server.messages) == 1


def test_deactivated_account_gets_no_reset_mail(app, client, make_user, smtp_server):
    user = make_user(email="gone@example.org")
    user.active = False
    db.session.commit()
    assert _ask(client, "gone@example.org").status_code == 200
    assert smtp_server.messages == []


def test_reset_requests_are_rate_limited_per_client(rate_limited, client, make_user,
                                                    smtp_server):
    statuses = [_ask(client, f"person{n}@example.org").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_one_address_is_rate_limited_whichever_client_asks(rate_limited, client, make_user,
                                                           smtp_server):
    make_user(email="amina@example.org")
    statuses = [_ask(client, "amina@example.org",
                     environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
                for n in range(6)]
    assert statuses == [200] * 5 + [429]
    assert len(smtp_server.to("amina@example.org")) == 5  # a mailbox cannot be flooded


def test_resetting_the_password_signs_out_every_session(app, make_user, smtp_server):
    user = make_user(email="amina@example.org")
    browsers = [app.test_client() for _ in range(2)]
    for browser in browsers:
        browser.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
        assert browser.get("/manage/").status_code == 200
    stranger = app.test_client()
    _ask(stranger, "amina@example.org")
    assert _reset(stranger, _link(smtp_server, "amina@example.org")).status_code == 303
    assert [b.get("/manage/").status_code for b in browsers] == [302, 302]


def test_weak_new_password_is_refused_and_the_link_still_works(app, client, make_user,
                                                               smtp_server):
    make_user(email="amina@example.org")
    _ask(client, "amina@example.org")
    link = _link(smtp_server, "amina@example.org")
    response = _reset(client, link, "short")
    assert response.status_code == 422 and 'id="password-error"' in response.get_data(
        as_text=True)
    response = _reset(client, link, "amina@example.org")
    assert "must not be your e-mail address" in response.get_data(as_text=True)
    assert _reset(client, link).status_code == 303


def test_reset_link_ignores_a_forged_host_header(app, client, make_user, smtp_server):
    """Reset poisoning: the link is built from BASE_URL, never from the request's Host."""
    make_user(email="amina@example.org")
    forged = {"Host": "evil.example"}
    page = client.get("/manage/password/forgot", headers=forged).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/manage/password/forgot", headers=forged,
                           data={"csrf_token": csrf, "email": "amina@example.org"})
    assert response.status_code == 200
    assert _link(smtp_server, "amina@example.org").startswith("http://consult.example.org/")


def test_only_a_hash_of_the_reset_token_is_stored(app, client, make_user, smtp_server):
    make_user(email="amina@example.org")
    _ask(client, "amina@example.org")
    token = _link(smtp_server, "amina@example.org").rpartition("token=")[2]
    row = db.session.scalar(db.select(PasswordResetToken))
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert password_reset.account_for_token(token) is not None
    assert password_reset.account_for_token(row.token_hash) is None


def test_reset_token_is_not_in_a_path_the_access_log_writes(app, client, make_user,
                                                            smtp_server):
    """The access log writes paths without query strings: the token travels in the query
    string on GET and in the form body on POST."""
    make_user(email="amina@example.org")
    _ask(client, "amina@example.org")
    link = _link(smtp_server, "amina@example.org")
    token = link.rpartition("token=")[2]
    html = client.get(_path(link)).get_data(as_text=True)
    assert re.search(r'<form[^>]+action="/manage/password/reset"', html)
    assert token not in link.partition("?")[0]


def test_changing_the_password_ends_open_reset_links(app, client, auth, make_user,
                                                     smtp_server):
    user = make_user(email="amina@example.org")
    _ask(app.test_client(), "amina@example.org")
    link = _link(smtp_server, "amina@example.org")
    auth.login(user)
    client.post_form("/manage/account/password", {
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert app.test_client().get(_path(link)).status_code == 404
    assert db.session.get(User, user.id) is not None
