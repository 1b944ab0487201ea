"""Invitations by e-mail: the link arrives over real SMTP, works once, expires, can be revoked
or renewed, and a GET (a link preview) never uses it up."""
import datetime as dt
import hashlib

import pytest

from consult.accounts.models import Role, User
from consult.accounts.services import authenticate, get_user_by_email
from consult.admin.models import Invitation
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.admin.helpers import (
    NEW_PASSWORD,
    accept_new,
    invite,
    link_in_mail,
    signed_in,
    token_of,
)


@pytest.fixture
def org(make_org):
    return make_org("host-org")


@pytest.fixture
def host(org, make_user):
    return make_user(org, Role.HOST, email="host@example.org")


def _invitation(email: str) -> Invitation:
    return db.session.scalar(db.select(Invitation).filter_by(email=email))


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_invitation_mail_arrives_over_smtp_and_its_link_makes_a_signed_in_member(
        app, org, host, smtp_server):
    hosting = signed_in(app, host)
    response = invite(hosting, "host-org", "Neema@Example.org", "moderator")
    assert response.status_code == 303
    [message] = smtp_server.to("neema@example.org")
    assert message["Subject"] == f"You are invited to join {org.name} on Consult"
    assert "as Moderator" in message.get_body(("plain",)).get_content()
    path = link_in_mail(smtp_server, "neema@example.org")
    assert path.replace("&", "&amp;") in message.get_body(("html",)).get_content()
    visitor = app.test_client()
    response = accept_new(visitor, path)
    assert response.status_code == 303 and response.headers["Location"] == "/manage/"
    user = get_user_by_email("neema@example.org")
    assert user.name == "Neema" and user.roles_in(org.id) == {Role.MODERATOR}
    # Signed in at once: the staff pages open.
    assert visitor.get("/manage/").status_code == 200
    assert authenticate("neema@example.org", NEW_PASSWORD) is not None
    assert _actions()[-2:] == ["invitation.sent", "invitation.accepted"]


def test_invitation_works_only_once(app, org, host, smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org")
    path = link_in_mail(smtp_server, "neema@example.org")
    assert accept_new(app.test_client(), path).status_code == 303
    again = app.test_client()
    page = again.get(path)
    assert page.status_code == 410
    assert "already been accepted" in page.get_data(as_text=True)
    response = again.post_form("/invitations/accept", {
        "token": token_of(path), "name": "Intruder", "password": "another long passphrase",
        "confirm": "another long passphrase"})
    assert response.status_code == 410
    assert db.session.scalar(db.select(db.func.count(User.id)).where(
        User.name == "Intruder")) == 0


def test_opening_the_link_changes_nothing_so_a_preview_bot_cannot_use_it(
        app, org, host, smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org")
    path = link_in_mail(smtp_server, "neema@example.org")
    for _ in range(3):
        assert app.test_client().get(path).status_code == 200
    assert _invitation("neema@example.org").state() == "pending"
    assert get_user_by_email("neema@example.org") is None


def test_expired_invitation_is_refused_and_changes_nothing(app, org, host, smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org")
    path = link_in_mail(smtp_server, "neema@example.org")
    invitation = _invitation("neema@example.org")
    invitation.expires_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 410 and "It has expired." in page.get_data(as_text=True)
    response = visitor.post_form("/invitations/accept", {
        "token": token_of(path), "name": "Late", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert get_user_by_email("neema@example.org") is None


def test_invitation_expires_after_invitation_days(app, org, host, smtp_server):
    app.config["INVITATION_DAYS"] = 3
    invite(signed_in(app, host), "host-org", "neema@example.org")
    invitation = _invitation("neema@example.org")
    assert invitation.expires_on == dt.date.today() + dt.timedelta(days=3)
    assert invitation.state(dt.date.today() + dt.timedelta(days=3)) == "pending"
    assert invitation.state(dt.date.today() + dt.timedelta(days=4)) == "expired"


def test_revoked_invitation_is_refused(app, org, host, smtp_server):
    hosting = signed_in(app, host)
    invite(hosting, "host-org", "neema@example.org")
    path = link_in_mail(smtp_server, "neema@example.org")
    invitation = _invitation("neema@example.org")
    response = hosting.post_form(
        f"/manage/organisations/host-org/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    page = app.test_client().get(path)
    assert page.status_code == 410 and "revoked" in page.get_data(as_text=True)
    assert _actions()[-1] == "invitation.revoked"


def test_resending_mails_a_new_link_and_the_old_one_stops_working(app, org, host, smtp_server):
    hosting = signed_in(app, host)
    invite(hosting, "host-org", "neema@example.org")
    old = link_in_mail(smtp_server, "neema@example.org")
    invitation = _invitation("neema@example.org")
    response = hosting.post_form(
        f"/manage/organisations/host-org/invitations/{invitation.id}/resend")
    assert response.status_code == 303
    assert len(smtp_server.to("neema@example.org")) == 2
    new = link_in_mail(smtp_server, "neema@example.org")
    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert accept_new(app.test_client(), new).status_code == 303


def test_only_a_hash_of_the_token_is_stored(app, org, host, smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org")
    token = token_of(link_in_mail(smtp_server, "neema@example.org"))
    stored = _invitation("neema@example.org").token_hash
    assert token not in stored and stored == hashlib.sha256(token.encode()).hexdigest()


def test_unknown_token_answers_404_with_its_own_page_in_the_readers_language(app, client):
    page = client.get("/invitations/accept?token=not-a-real-token&lang=fr")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert '<html lang="fr"' in html and "invitation" in html.lower()


def test_mail_and_page_are_in_the_language_the_inviter_chose(app, org, host, smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org", language="fr")
    [message] = smtp_server.to("neema@example.org")
    assert message["Content-Language"] == "fr"
    assert 'lang="fr"' in message.get_body(("html",)).get_content()
    path = link_in_mail(smtp_server, "neema@example.org")
    assert "lang=fr" in path
    page = app.test_client().get(path).get_data(as_text=True)
    assert 'lang="fr"' in page


def test_weak_password_is_refused_and_leaves_no_account(app, org, host, smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org")
    path = link_in_mail(smtp_server, "neema@example.org")
    response = accept_new(app.test_client(), path, password="short")
    assert response.status_code == 422 and "at least 12" in response.get_data(as_text=True)
    assert get_user_by_email("neema@example.org") is None
    assert _invitation("neema@example.org").state() == "pending"


def test_existing_account_signs_in_first_then_accepts(app, org, host, make_user, make_org,
                                                      smtp_server):
    elsewhere = make_user(make_org(), Role.PLANNER, email="amina@example.org")
    invite(signed_in(app, host), "host-org", "amina@example.org", "planner")
    path = link_in_mail(smtp_server, "amina@example.org")
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Sign in to accept" in page.get_data(as_text=True)
    token = token_of(path)
    # Without signing in, a POST accepts nothing (and creates no second account).
    assert visitor.post_form("/invitations/accept", {
        "token": token, "name": "X", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD}).status_code == 409
    assert elsewhere.roles_in(org.id) == set()
    member = signed_in(app, elsewhere)
    assert "Accept the invitation" in member.get(path).get_data(as_text=True)
    assert member.post_form("/invitations/accept", {"token": token}).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, elsewhere.id).roles_in(org.id) == {Role.PLANNER}
    assert member.get(path).status_code == 410


def test_someone_else_signed_in_cannot_take_an_invitation(app, org, host, smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org")
    path = link_in_mail(smtp_server, "neema@example.org")
    hosting = signed_in(app, host)
    page = hosting.get(path)
    assert page.status_code == 200 and "signed in with another account" in \
        page.get_data(as_text=True)
    response = hosting.post_form("/invitations/accept", {"token": token_of(path)})
    assert response.status_code == 409
    assert _invitation("neema@example.org").state() == "pending"


def test_invitation_into_a_deactivated_organisation_cannot_be_accepted(app, org, host,
                                                                       smtp_server):
    invite(signed_in(app, host), "host-org", "neema@example.org")
    path = link_in_mail(smtp_server, "neema@example.org")
    org.active = False
    db.session.commit()
    page = app.test_client().get(path)
    assert page.status_code == 410 and "not taking new members" in page.get_data(as_text=True)
    assert get_user_by_email("neema@example.org") is None


def test_a_second_invitation_to_a_waiting_address_is_refused(app, org, host, smtp_server):
    hosting = signed_in(app, host)
    assert invite(hosting, "host-org", "neema@example.org").status_code == 303
    response = invite(hosting, "host-org", "neema@example.org", "planner")
    assert response.status_code == 422 and "already has an invitation" in \
        response.get_data(as_text=True)
    assert len(smtp_server.to("neema@example.org")) == 1


def test_a_rolled_back_invitation_sends_no_mail(app, org, host, smtp_server):
    from consult.admin import services

    services.invite(host, org, "ghost@example.org", Role.PLANNER, "en")
    db.session.rollback()
    assert smtp_server.to("ghost@example.org") == []
