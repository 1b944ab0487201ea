"""An organisation's members: who may see and change them, the last host, nobody raised above
their own rights, and deactivated accounts that end at once."""
import pytest

from consult.accounts.models import Role, StaffSession, User
from consult.admin.models import Invitation
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.admin.helpers import invite, signed_in
from tests.conftest import PASSWORD


@pytest.fixture
def org(make_org):
    return make_org("host-org")


@pytest.fixture
def people(org, make_org, make_user):
    """A host, a moderator, a planner and an admin of host-org; a host of other-org."""
    other = make_org("other-org")
    return {"host": make_user(org, Role.HOST), "moderator": make_user(org, Role.MODERATOR),
            "planner": make_user(org, Role.PLANNER), "admin": make_user(org, Role.ADMIN),
            "other_host": make_user(other, Role.HOST)}


def _user(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _roles(user: User, org) -> set[Role]:
    return {m.role for m in _user(user).memberships if m.organisation_id == org.id}


def _actions() -> list[str]:
    return [a for a in db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id))
            if not a.startswith("account.signed_in")]


def _member_url(user: User, action: str | None = None) -> str:
    url = f"/manage/organisations/host-org/members/{user.id}"
    return f"{url}/{action}" if action else url


def test_members_page_lists_roles_status_and_waiting_invitations(app, org, people,
                                                                 smtp_server):
    browser = signed_in(app, people["host"])
    invite(browser, "host-org", "waiting@example.org", "planner")
    people["planner"].active = False
    db.session.commit()
    html = browser.get("/manage/organisations/host-org/members").get_data(as_text=True)
    for key in ("host", "moderator", "planner", "admin"):
        assert people[key].email in html
    assert people["other_host"].email not in html
    assert "Deactivated" in html and "waiting@example.org" in html and "Moderator" in html


def test_host_of_another_organisation_cannot_see_invite_into_or_change_it(app, org, people,
                                                                          smtp_server):
    browser = signed_in(app, people["other_host"])
    base = "/manage/organisations/host-org"
    assert browser.get(f"{base}/members").status_code == 404
    assert browser.get(f"{base}/invitations/new").status_code == 404
    assert invite(browser, "host-org", "spy@example.org", "host").status_code == 404
    assert browser.post_form(_member_url(people["moderator"]),
                             {"roles": ["host"]}).status_code == 404
    assert browser.post_form(_member_url(people["host"], "remove")).status_code == 404
    assert browser.post_form(_member_url(people["moderator"], "deactivate")).status_code == 404
    assert smtp_server.to("spy@example.org") == []
    assert _roles(people["moderator"], org) == {Role.MODERATOR}
    assert _user(people["moderator"]).active


def test_moderator_may_not_manage_members(app, org, people, smtp_server):
    browser = signed_in(app, people["moderator"])
    assert browser.get("/manage/organisations/host-org/members").status_code == 403
    assert invite(browser, "host-org", "friend@example.org", "host").status_code == 403
    assert browser.post_form(_member_url(people["planner"]),
                             {"roles": ["host"]}).status_code == 403
    assert smtp_server.to("friend@example.org") == []
    assert _roles(people["planner"], org) == {Role.PLANNER}


def test_host_changes_a_members_roles(app, org, people):
    browser = signed_in(app, people["host"])
    response = browser.post_form(_member_url(people["planner"]),
                                 {"roles": ["planner", "moderator"]})
    assert response.status_code == 303
    assert _roles(people["planner"], org) == {Role.PLANNER, Role.MODERATOR}
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.detail) == ("member.roles_changed",
                                            "planner -> moderator, planner")


def test_host_cannot_grant_admin_by_invitation_or_by_role_change(app, org, people,
                                                                 smtp_server):
    browser = signed_in(app, people["host"])
    assert "Administrator" not in browser.get(
        "/manage/organisations/host-org/invitations/new").get_data(as_text=True)
    response = invite(browser, "host-org", "boss@example.org", "admin")
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
    assert smtp_server.to("boss@example.org") == []
    response = browser.post_form(_member_url(people["planner"]), {"roles": ["admin"]})
    assert response.status_code == 422
    assert _roles(people["planner"], org) == {Role.PLANNER}


def test_host_cannot_demote_remove_or_deactivate_an_admin(app, org, people):
    browser = signed_in(app, people["host"])
    assert browser.post_form(_member_url(people["admin"]),
                             {"roles": ["planner"]}).status_code == 403
    assert browser.post_form(_member_url(people["admin"], "remove")).status_code == 403
    assert browser.post_form(_member_url(people["admin"], "deactivate")).status_code == 403
    assert _roles(people["admin"], org) == {Role.ADMIN} and _user(people["admin"]).active


def test_organisation_admin_may_grant_admin(app, org, people, smtp_server):
    browser = signed_in(app, people["admin"])
    assert invite(browser, "host-org", "deputy@example.org", "admin").status_code == 303
    assert browser.post_form(_member_url(people["host"]),
                             {"roles": ["admin"]}).status_code == 303
    assert _roles(people["host"], org) == {Role.ADMIN}


def test_last_host_cannot_be_removed_or_demoted(app, org, make_user):
    only_host = make_user(org, Role.HOST)
    planner = make_user(org, Role.PLANNER)
    browser = signed_in(app, only_host)
    response = browser.post_form(_member_url(only_host, "remove"), follow_redirects=True)
    assert "last active host" in response.get_data(as_text=True)
    assert _roles(only_host, org) == {Role.HOST}
    response = browser.post_form(_member_url(only_host), {"roles": ["planner"]})
    assert response.status_code == 422 and "at least one active host" in \
        response.get_data(as_text=True)
    assert _roles(only_host, org) == {Role.HOST}
    # Once someone else hosts, the first host may step down.
    browser.post_form(_member_url(planner), {"roles": ["host"]})
    assert browser.post_form(_member_url(only_host, "remove")).status_code == 303
    assert _roles(only_host, org) == set()
    assert _actions()[-2:] == ["member.roles_changed", "member.removed"]


def test_a_deactivated_host_does_not_count_as_the_organisations_host(app, org, make_user):
    active_host, idle_host = make_user(org, Role.HOST), make_user(org, Role.HOST)
    idle_host.active = False
    db.session.commit()
    signed_in(app, make_user(site_admin=True)).post_form(_member_url(active_host, "remove"))
    assert _roles(active_host, org) == {Role.HOST}


def test_host_removes_a_member(app, org, people):
    browser = signed_in(app, people["host"])
    assert browser.post_form(_member_url(people["moderator"], "remove")).status_code == 303
    assert _roles(people["moderator"], org) == set()
    assert browser.get(_member_url(people["moderator"])).status_code == 404


def test_deactivated_account_cannot_sign_in_and_its_open_sessions_end(app, org, people):
    moderator = people["moderator"]
    its_browser = signed_in(app, moderator)
    assert its_browser.get("/manage/").status_code == 200
    response = signed_in(app, people["host"]).post_form(_member_url(moderator, "deactivate"))
    assert response.status_code == 303
    assert not _user(moderator).active
    assert db.session.scalar(db.select(db.func.count(StaffSession.id)).filter_by(
        user_id=moderator.id)) == 0
    assert its_browser.get("/manage/").status_code == 302  # sent to sign in
    assert app.test_client().post_form("/manage/login", {
        "email": moderator.email, "password": PASSWORD}).status_code == 422
    assert _actions()[-1] == "account.deactivated"
    signed_in(app, people["host"]).post_form(_member_url(moderator, "reactivate"))
    assert signed_in(app, moderator).get("/manage/").status_code == 200


def test_host_cannot_deactivate_an_account_that_also_belongs_elsewhere(app, org, people,
                                                                       make_org):
    from consult.accounts.services import add_membership

    shared = people["planner"]
    add_membership(shared, make_org("elsewhere"), Role.PLANNER)
    db.session.commit()
    browser = signed_in(app, people["host"])
    assert browser.post_form(_member_url(shared, "deactivate")).status_code == 403
    assert _user(shared).active


def test_site_admin_deactivates_any_account_but_their_own(app, org, people, make_user):
    admin = make_user(site_admin=True)
    browser = signed_in(app, admin)
    shared = people["other_host"]
    assert browser.post_form(f"/manage/accounts/{shared.id}/deactivate").status_code == 303
    assert not _user(shared).active
    assert browser.post_form(f"/manage/accounts/{admin.id}/deactivate").status_code == 403
    assert _user(admin).active
    assert people["other_host"].email in browser.get("/manage/accounts").get_data(as_text=True)


def test_host_cannot_deactivate_themselves(app, org, people):
    host = people["host"]
    browser = signed_in(app, host)
    assert browser.post_form(_member_url(host, "deactivate")).status_code == 403
    assert _user(host).active


POSTS = [
    ("/manage/organisations/new", {"name": "X", "kind": "other", "slug": "x"}),
    ("/manage/organisations/host-org/edit", {"name": "X", "kind": "other"}),
    ("/manage/organisations/host-org/deactivate", {}),
    ("/manage/organisations/host-org/invitations/new",
     {"email": "x@example.org", "role": "host", "language": "en"}),
    ("/manage/organisations/host-org/invitations/{invitation}/revoke", {}),
    ("/manage/organisations/host-org/invitations/{invitation}/resend", {}),
    ("/manage/organisations/host-org/members/{member}", {"roles": ["host"]}),
    ("/manage/organisations/host-org/members/{member}/remove", {}),
    ("/manage/organisations/host-org/members/{member}/deactivate", {}),
    ("/manage/accounts/{member}/deactivate", {}),
    ("/invitations/accept", {"token": "{token}", "name": "X", "password": "x" * 20,
                             "confirm": "x" * 20}),
]


@pytest.mark.parametrize("url,data", POSTS, ids=[p[0] for p in POSTS])
def test_every_form_refuses_a_post_without_its_csrf_token(app, org, people, make_user, url,
                                                          data, smtp_server):
    from consult.admin import services

    admin = make_user(site_admin=True)
    invitation = services.invite(admin, org, "csrf@example.org", Role.PLANNER, "en")
    token = services._new_token(invitation)
    db.session.commit()
    values = {"invitation": invitation.id, "member": people["planner"].id, "token": token}
    browser = signed_in(app, admin)
    response = browser.post(url.format(**values),
                            data={k: (v.format(**values) if isinstance(v, str) else v)
                                  for k, v in data.items()})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 1
    assert _user(people["planner"]).active and _roles(people["planner"], org) == {Role.PLANNER}
