"""Organisations, members and invitations (consult/admin). The pages are about host-org, the
people fixture's host organisation, whatever the consultation's state."""
from tests.permission_rows.roles import SIGNED_OUT

#: host-org's own staff, who learn it exists (its hosts manage its members).
MEMBERS = {"host_own", "moderator", "planner"}


def site_admin_only(ok: int):
    """Organisations and every account: site administrators; other staff 403."""
    def expect(role, state):
        if role in SIGNED_OUT:
            return 302
        return ok if role == "site_admin" else 403
    return expect


def administered_org(ok: int):
    """host-org's own settings: site administrators; its members 403; other staff 404."""
    def expect(role, state):
        if role in SIGNED_OUT:
            return 302
        if role == "site_admin":
            return ok
        return 403 if role in MEMBERS else 404
    return expect


def members_page(ok: int):
    """host-org's members: its hosts and site administrators; its moderators and planners
    403; other organisations' staff 404."""
    def expect(role, state):
        if role in SIGNED_OUT:
            return 302
        if role in {"host_own", "site_admin"}:
            return ok
        return 403 if role in MEMBERS else 404
    return expect


def staff(ok: int):
    return lambda role, state: 302 if role in SIGNED_OUT else ok


ROUTES = [
    ("/manage/organisations", "GET", "/manage/organisations", staff(200)),
    ("/manage/organisations/new", "GET", "/manage/organisations/new", site_admin_only(200)),
    # The matrix posts no name: 422, an error on the field.
    ("/manage/organisations/new", "POST", "/manage/organisations/new", site_admin_only(422)),
    ("/manage/organisations/<org_slug>/edit", "GET", "/manage/organisations/host-org/edit",
     administered_org(200)),
    ("/manage/organisations/<org_slug>/edit", "POST", "/manage/organisations/host-org/edit",
     administered_org(422)),
    # Reactivating an active organisation changes nothing: back to its page.
    ("/manage/organisations/<org_slug>/<any(deactivate, reactivate):action>", "POST",
     "/manage/organisations/host-org/reactivate", administered_org(303)),
    ("/manage/accounts", "GET", "/manage/accounts", site_admin_only(200)),
    ("/manage/accounts/<int:user_id>/<any(deactivate, reactivate):action>", "POST",
     "/manage/accounts/999999/deactivate", site_admin_only(404)),
    ("/manage/organisations/<org_slug>/members", "GET",
     "/manage/organisations/host-org/members", members_page(200)),
    ("/manage/organisations/<org_slug>/invitations/new", "GET",
     "/manage/organisations/host-org/invitations/new", members_page(200)),
    ("/manage/organisations/<org_slug>/invitations/new", "POST",
     "/manage/organisations/host-org/invitations/new", members_page(422)),
    # Invitation, member 999999 do not exist: 404 for those who may act.
    ("/manage/organisations/<org_slug>/invitations/<int:invitation_id>/"
     "<any(resend, revoke):action>", "POST",
     "/manage/organisations/host-org/invitations/999999/revoke", members_page(404)),
    ("/manage/organisations/<org_slug>/members/<int:user_id>", "GET",
     "/manage/organisations/host-org/members/999999", members_page(404)),
    ("/manage/organisations/<org_slug>/members/<int:user_id>", "POST",
     "/manage/organisations/host-org/members/999999", members_page(404)),
    ("/manage/organisations/<org_slug>/members/<int:user_id>/"
     "<any(remove, deactivate, reactivate):action>", "POST",
     "/manage/organisations/host-org/members/999999/remove", members_page(404)),
    # Without a token: nothing to accept, for anyone.
    ("/invitations/accept", "GET", "/invitations/accept", lambda role, state: 404),
    ("/invitations/accept", "POST", "/invitations/accept", lambda role, state: 404),
]
