"""Staff sign-in: passwords, throttling, remember-me off, sessions that can be revoked."""
import pytest

from consult.accounts import services
from consult.accounts.models import Role
from consult.extensions import db
from tests.conftest import PASSWORD, translated


def test_staff_signs_in_and_out(client, auth, make_user, make_org):
    user = make_user(make_org(), Role.HOST)
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200
    auth.logout()
    assert client.get("/manage/").status_code == 302


def test_email_is_case_insensitive(client, auth, make_user):
    make_user(email="Amina@Example.org")
    assert auth.login("  AMINA@example.ORG ").status_code == 302


def test_wrong_password_shows_an_error_tied_to_the_field(client, auth, make_user):
    user = make_user()
    response = auth.login(user, "wrong password here")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-error"' in html and 'aria-describedby="password-error"' in html
    assert 'aria-invalid="true"' in html


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, auth, make_user):
    make_user(email="known@example.org")
    known = auth.login("known@example.org", "wrong password here").get_data(as_text=True)
    unknown = auth.login("nobody@example.org", "wrong password here").get_data(as_text=True)
    assert "do not match" in known and "do not match" in unknown


def test_passwords_are_hashed(app, make_user):
    user = make_user()
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("pbkdf2:")


def test_production_hashes_with_scrypt(app):
    assert app.config["PASSWORD_HASH_METHOD"] != "scrypt"  # tests use a cheap method ...
    from consult import config

    assert config.PASSWORD_HASH_METHOD == "scrypt"  # ... production does not


@pytest.mark.parametrize("password", ["short pass", "password1234", "aaaaaaaaaaaaaaa"])
def test_short_or_common_passwords_are_refused(app, password):
    with pytest.raises(services.PolicyError):
        services.create_user("x@example.org", password, "X")


def test_remember_me_is_never_set(client, auth, make_user):
    response = auth.login(make_user())
    assert "remember_token" not in response.headers.get("Set-Cookie", "")


def test_changing_the_password_signs_out_other_sessions(app, client, auth, make_user):
    user = make_user()
    auth.login(user)
    assert client.get("/manage/").status_code == 200
    services.set_password(db.session.get(type(user), user.id), "a brand new passphrase")
    db.session.commit()
    assert client.get("/manage/").status_code == 302


def test_deactivated_account_cannot_sign_in(client, auth, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    assert auth.login(user).status_code == 422


def test_sign_in_does_not_redirect_off_site(client, make_user):
    user = make_user()
    response = client.post_form("/manage/login?next=//evil.example/x",
                                {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/manage/"


def test_sign_in_returns_to_the_page_asked_for(client, make_user):
    user = make_user()
    response = client.post_form("/manage/login?next=/manage/consultations/new",
                                {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/manage/consultations/new"


def test_login_attempts_are_throttled_with_a_translated_429(rate_limited, client, make_user):
    user = make_user()
    statuses = [client.post_form("/manage/login", {"email": user.email,
                                                   "password": "wrong password here"},
                                 headers={"Accept-Language": "fr"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
    response = client.post_form("/manage/login", {"email": user.email, "password": PASSWORD},
                                headers={"Accept-Language": "fr"})
    assert response.status_code == 429
    assert translated("fr", "Too many attempts") in response.get_data(as_text=True)


def test_one_account_is_throttled_whichever_address_tries_it(rate_limited, client, make_user):
    user = make_user()
    statuses = []
    for n in range(11):
        statuses.append(client.post_form(
            "/manage/login", {"email": user.email, "password": "wrong password here"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code)
    assert statuses[-1] == 429


def test_staff_session_ends_when_taken_to_another_browser(client, auth, make_user):
    auth.login(make_user())
    assert client.get("/manage/").status_code == 200
    stolen = client.get("/manage/", headers={"User-Agent": "Another browser/1.0"})
    assert stolen.status_code == 302


def test_staff_cookie_holds_no_plain_hash_of_the_address(app, client, auth, make_user):
    import hashlib

    auth.login(make_user())
    with client.session_transaction() as session:
        fingerprint = session["_id"]
    plain = hashlib.sha512("127.0.0.1|Werkzeug/".encode()).hexdigest()
    assert fingerprint != plain and len(fingerprint) == 64
