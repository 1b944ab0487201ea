"""The roles of the permission matrix and the groups its expectations speak of."""

ROLES = ["anonymous", "participant", "host_own", "host_other", "partner_host", "moderator",
         "planner", "site_admin"]
SIGNED_OUT = {"anonymous", "participant"}
#: Members of the host organisation, of a partner organisation, and site admins.
STAFF_WHO_SEE = {"host_own", "partner_host", "moderator", "planner", "site_admin"}
MANAGERS = {"host_own", "site_admin"}


def staff(ok: int):
    """A consultation's staff pages: signed-out people are sent to sign in (302), staff of
    other organisations get 404, everyone else ok."""
    def expect(role, state):
        if role in SIGNED_OUT:
            return 302
        return 404 if role == "host_other" else ok
    return expect
