"""Two-factor sign-in: setup with a server-rendered QR code, the code step, replayed codes,
recovery codes, turning it off."""
import re

import pyotp
import pytest

from consult.accounts import two_factor
from consult.accounts.models import RecoveryCode, User
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.conftest import PASSWORD

_SECRET = re.compile(r'<bdi>([A-Z2-7 ]{39})</bdi>')
_CODES = re.compile(r"<li><bdi>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</bdi></li>")


def code_at(secret: str, offset: int = 0) -> str:
    """The code of the time step offset steps from now."""
    return pyotp.TOTP(secret).generate_otp(two_factor.current_step() + offset)


def turn_on(user: User) -> tuple[str, list[str]]:
    """Two-factor sign-in on for user (through the service); its secret and recovery codes.
    The confirming code used this step: signing in takes the next one."""
    secret = two_factor.new_secret()
    codes = two_factor.enable(db.session.get(User, user.id), secret, code_at(secret))
    db.session.commit()
    return secret, codes


def password_step(client, user, next_path: str = ""):
    return client.post_form("/manage/login" + next_path,
                            {"email": user.email, "password": PASSWORD})


def code_step(client, code: str):
    return client.post_form("/manage/login/two-factor", {"code": code},)


def actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_setup_shows_a_qr_code_as_inline_svg_without_script(client, auth, make_user):
    auth.login(make_user())
    response = client.get("/manage/account/two-factor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<path" in svg and "<title>" in svg
    for forbidden in ("<script", "javascript:", "onload", "href", "<image", "<foreign"):
        assert forbidden not in svg.lower()
    assert _SECRET.search(html)  # the key for typing by hand


def test_setup_needs_a_code_from_the_app_before_it_is_on(client, auth, make_user):
    user = make_user()
    auth.login(user)
    html = client.get("/manage/account/two-factor").get_data(as_text=True)
    secret = _SECRET.search(html).group(1).replace(" ", "")
    wrong = client.post_form("/manage/account/two-factor", {"code": "000000"
                             if code_at(secret) != "000000" else "111111"})
    assert wrong.status_code == 422 and 'id="code-error"' in wrong.get_data(as_text=True)
    assert db.session.get(User, user.id).totp_secret is None
    # The same secret is offered again after a mistake: the app already holds it.
    assert secret == _SECRET.search(wrong.get_data(as_text=True)).group(1).replace(" ", "")
    done = client.post_form("/manage/account/two-factor", {"code": code_at(secret)})
    codes = _CODES.findall(done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)
    assert "account.two_factor_enabled" in actions()


def test_sign_in_with_two_factor_asks_for_a_code_after_the_password(app, client, make_user):
    user = make_user()
    secret, _ = turn_on(user)
    response = password_step(client, user, "?next=/manage/consultations/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/login/two-factor"
    response = code_step(client, code_at(secret, 1))
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/consultations/new"
    assert client.get("/manage/").status_code == 200
    assert actions()[-1] == "account.signed_in_two_factor"


def test_half_signed_in_session_cannot_reach_staff_pages(app, client, make_user, make_org,
                                                         make_consultation):
    from consult.accounts.models import Role
    from consult.consultations.lifecycle import State

    organisation = make_org()
    user = make_user(organisation, Role.HOST)
    consultation = make_consultation(host=organisation, state=State.DRAFT)
    turn_on(user)
    password_step(client, user)
    for path in ("/manage/", "/manage/account", "/manage/account/sessions",
                 f"/manage/consultations/{consultation.slug}"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith(
            "/manage/login"), path
    # A draft's participant pages are for staff who may see it: not for the half-signed-in.
    assert client.get(f"/consultations/{consultation.slug}").status_code == 404


def test_half_signed_in_state_expires(app, client, make_user, monkeypatch):
    from consult.accounts import sign_in

    user = make_user()
    secret, _ = turn_on(user)
    password_step(client, user)
    monkeypatch.setattr(sign_in, "PENDING_SECONDS", -1)
    password_step(client, user)  # this one is already out of date
    response = code_step(client, code_at(secret, 1))
    assert response.headers["Location"] == "/manage/login"
    assert client.get("/manage/").status_code == 302


def test_totp_code_cannot_be_replayed(app, make_user):
    user = make_user()
    secret, _ = turn_on(user)
    code = code_at(secret, 1)
    first = app.test_client()
    password_step(first, user)
    assert code_step(first, code).headers["Location"] == "/manage/"
    thief = app.test_client()  # saw the code over a shoulder, knows the password
    password_step(thief, user)
    response = code_step(thief, code)
    assert response.status_code == 422 and "each one works once" in response.get_data(
        as_text=True)
    assert thief.get("/manage/").status_code == 302
    assert actions()[-1] == "account.second_factor_refused"


def test_a_code_older_than_the_last_one_used_is_refused(app, make_user):
    user = make_user()
    secret = two_factor.new_secret()
    fresh = db.session.get(User, user.id)
    two_factor.enable(fresh, secret, code_at(secret, 1))  # confirmed with the next step's
    db.session.commit()
    assert not two_factor.use_totp(fresh, code_at(secret, 0))
    assert not two_factor.use_totp(fresh, code_at(secret, -1))


def test_a_clock_one_step_off_still_signs_in_but_two_steps_do_not(app, make_user):
    user = make_user()
    secret = two_factor.new_secret()
    fresh = db.session.get(User, user.id)
    two_factor.enable(fresh, secret, code_at(secret, -1))
    now = two_factor.current_step() * two_factor.STEP_SECONDS + 1
    assert not two_factor.use_totp(fresh, pyotp.TOTP(secret).at(now + 60), now=now)
    assert two_factor.use_totp(fresh, pyotp.TOTP(secret).at(now + 30), now=now)


def test_recovery_code_works_once(app, make_user):
    user = make_user()
    _, codes = turn_on(user)
    first = app.test_client()
    password_step(first, user)
    response = code_step(first, codes[3].upper().replace("-", " "))
    assert response.status_code == 302 and first.get("/manage/").status_code == 200
    assert actions()[-1] == "account.signed_in_recovery_code"
    second = app.test_client()
    password_step(second, user)
    assert code_step(second, codes[3]).status_code == 422
    assert second.get("/manage/").status_code == 302
    assert two_factor.recovery_codes_left(user) == 9


def test_signing_in_with_the_last_recovery_codes_suggests_new_ones(app, make_user):
    user = make_user()
    _, codes = turn_on(user)
    db.session.execute(db.delete(RecoveryCode).where(
        RecoveryCode.code_hash != two_factor._hash_recovery(codes[0].replace("-", ""))))
    db.session.commit()
    client = app.test_client()
    password_step(client, user)
    response = code_step(client, codes[0])
    assert response.headers["Location"] == "/manage/account/two-factor"
    assert "0 recovery codes left" in client.get("/manage/account/two-factor").get_data(
        as_text=True)


def test_second_factor_codes_are_rate_limited(rate_limited, app, make_user):
    user = make_user()
    secret, _ = turn_on(user)
    client = app.test_client()
    password_step(client, user)
    wrong = "000000" if code_at(secret, 1) != "000000" else "111111"
    statuses = [code_step(client, wrong).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    # The account stays throttled from another address (a new half-signed-in session).
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    password_step(other, user)
    assert code_step(other, code_at(secret, 1)).status_code == 429


def test_regenerating_recovery_codes_needs_the_password_and_ends_the_old_ones(
        app, client, make_user):
    user = make_user()
    secret, old = turn_on(user)
    password_step(client, user)
    code_step(client, code_at(secret, 1))
    token = client.csrf_token("/manage/account/two-factor")
    refused = client.post("/manage/account/two-factor/recovery-codes", data={
        "regenerate-csrf_token": token, "regenerate-password": "not my password at all"})
    assert refused.status_code == 422
    response = client.post("/manage/account/two-factor/recovery-codes", data={
        "regenerate-csrf_token": token, "regenerate-password": PASSWORD})
    new = _CODES.findall(response.get_data(as_text=True))
    assert response.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    fresh = db.session.get(User, user.id)
    assert not two_factor.use_recovery_code(fresh, old[0])
    assert two_factor.use_recovery_code(fresh, new[0])
    assert "account.recovery_codes_regenerated" in actions()


def test_turning_two_factor_off_needs_the_password(app, client, make_user):
    user = make_user()
    secret, _ = turn_on(user)
    password_step(client, user)
    code_step(client, code_at(secret, 1))
    token = client.csrf_token("/manage/account/two-factor")
    refused = client.post("/manage/account/two-factor/disable", data={
        "disable-csrf_token": token, "disable-password": "not my password at all"})
    assert refused.status_code == 422
    assert 'id="disable-password-error"' in refused.get_data(as_text=True)
    response = client.post("/manage/account/two-factor/disable", data={
        "disable-csrf_token": token, "disable-password": PASSWORD})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert db.session.scalar(db.select(db.func.count(RecoveryCode.id))) == 0
    assert "account.two_factor_disabled" in actions()
    assert password_step(app.test_client(), user).headers["Location"] == "/manage/"


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcd-efgh", "x" * 41])
def test_malformed_codes_are_refused_without_an_error_page(app, client, make_user, code):
    user = make_user()
    turn_on(user)
    password_step(client, user)
    assert code_step(client, code).status_code == 422


def test_account_page_links_password_two_factor_and_sessions(client, auth, make_user):
    auth.login(make_user())
    html = client.get("/manage/account").get_data(as_text=True)
    for href in ("/manage/account/password", "/manage/account/two-factor",
                 "/manage/account/sessions"):
        assert f'href="{href}"' in html
    assert 'href="/manage/account"' in client.get("/manage/").get_data(as_text=True)


def test_site_administrator_turns_off_a_lost_phones_two_factor_from_the_command_line(
        app, make_user):
    user = make_user()
    secret, _ = turn_on(user)
    browser = app.test_client()
    password_step(browser, user)
    code_step(browser, code_at(secret, 1))
    result = app.test_cli_runner().invoke(args=["consult", "disable-two-factor", user.email])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert browser.get("/manage/").status_code == 302  # signed out everywhere
    entry = db.session.scalars(db.select(AuditEntry).filter_by(
        action="account.two_factor_disabled")).one()
    assert entry.actor_id is None and entry.target == user.email
    assert password_step(app.test_client(), user).headers["Location"] == "/manage/"
