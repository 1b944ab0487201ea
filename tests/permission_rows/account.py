"""A staff member's own account (password, two-factor sign-in), password reset by e-mail, and
an organisation's two-factor requirement. Nobody in the matrix has two-factor sign-in on."""
from tests.permission_rows.roles import SIGNED_OUT


def everyone(status):
    return lambda role, state: status


def own_account(ok: int):
    """Any signed-in staff member, for their own account; others are sent to sign in."""
    return lambda role, state: 302 if role in SIGNED_OUT else ok


def organisation_security(ok: int):
    """The host organisation's hosts and site administrators; its other members 403; members
    of other organisations, partners included, 404."""
    def expect(role, state):
        if role in SIGNED_OUT:
            return 302
        if role in {"host_other", "partner_host"}:
            return 404
        return ok if role in {"host_own", "site_admin"} else 403
    return expect


SECURITY = "/manage/organisations/host-org/security"

ROUTES = [
    ("/manage/account", "GET", "/manage/account", own_account(200)),
    ("/manage/account/password", "GET", "/manage/account/password", own_account(200)),
    # The matrix posts no password: an error on the fields.
    ("/manage/account/password", "POST", "/manage/account/password", own_account(422)),
    ("/manage/account/two-factor", "GET", "/manage/account/two-factor", own_account(200)),
    ("/manage/account/two-factor", "POST", "/manage/account/two-factor", own_account(422)),
    # Nobody has two-factor sign-in on: nothing to regenerate or turn off (409).
    ("/manage/account/two-factor/recovery-codes", "POST",
     "/manage/account/two-factor/recovery-codes", own_account(409)),
    ("/manage/account/two-factor/disable", "POST", "/manage/account/two-factor/disable",
     own_account(409)),
    # Nobody is halfway through signing in: back to the sign-in page (or, staff, onwards).
    ("/manage/login/two-factor", "GET", "/manage/login/two-factor", everyone(302)),
    ("/manage/login/two-factor", "POST", "/manage/login/two-factor", everyone(302)),
    ("/manage/password/forgot", "GET", "/manage/password/forgot", everyone(200)),
    ("/manage/password/forgot", "POST", "/manage/password/forgot", everyone(422)),
    # No token: the link does not work, for anyone.
    ("/manage/password/reset", "GET", "/manage/password/reset", everyone(404)),
    ("/manage/password/reset", "POST", "/manage/password/reset", everyone(404)),
    ("/manage/organisations/<org_slug>/security", "GET", SECURITY, organisation_security(200)),
    ("/manage/organisations/<org_slug>/security", "POST", SECURITY,
     organisation_security(303)),
]
