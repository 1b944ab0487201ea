"""Changing one's password: the current one first, the policy, this browser kept and the
others signed out."""
from consult.accounts.models import User
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.conftest import PASSWORD

NEW = "a brand new passphrase"


def _change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post_form("/manage/account/password", {
        "current": current, "password": new, "confirm": confirm or new})


def _signed_in(app, user):
    client = app.test_client()
    client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    return client


def test_changing_the_password_keeps_this_browser_and_signs_out_the_others(app, make_user):
    user = make_user()
    here, elsewhere = _signed_in(app, user), _signed_in(app, user)
    response = _change(here)
    assert response.status_code == 303 and response.headers["Location"] == "/manage/account"
    assert "Your password is changed" in here.get("/manage/account").get_data(as_text=True)
    assert here.get("/manage/").status_code == 200
    assert elsewhere.get("/manage/").status_code == 302
    assert _signed_in(app, user).get("/manage/").status_code == 302  # old password
    fresh = app.test_client()
    fresh.post_form("/manage/login", {"email": user.email, "password": NEW})
    assert fresh.get("/manage/").status_code == 200
    entry = db.session.scalars(db.select(AuditEntry).filter_by(
        action="account.password_changed")).one()
    assert entry.actor_id == user.id and NEW not in entry.detail + entry.target


def test_a_stolen_session_cannot_change_the_password_without_the_current_one(app, make_user):
    user = make_user()
    client = _signed_in(app, user)
    response = _change(client, current="a guessed password")
    assert response.status_code == 422 and 'id="current-error"' in response.get_data(
        as_text=True)
    assert _signed_in(app, user).get("/manage/").status_code == 200  # unchanged


def test_new_password_follows_the_policy(app, make_user):
    user = make_user(email="amina@example.org")
    client = _signed_in(app, user)
    for new, message in (("short one", "Use at least 12 characters"),
                         ("password1234", "too common"),
                         ("Amina@Example.org", "must not be your e-mail address")):
        response = _change(client, new=new)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    mismatch = _change(client, confirm="another passphrase")
    assert mismatch.status_code == 422 and 'id="confirm-error"' in mismatch.get_data(
        as_text=True)
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_current_password_guesses_are_rate_limited(rate_limited, app, make_user):
    user = make_user()
    client = _signed_in(app, user)
    statuses = [_change(client, current=f"guess number {n}").status_code for n in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_password_equal_to_the_email_is_refused_everywhere(app):
    import pytest

    from consult.accounts import services

    with pytest.raises(services.PolicyError):
        services.create_user("long.address@example.org", "long.address@example.org", "X")
