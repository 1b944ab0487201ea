"""The roles of the permission matrix and the groups its expectations speak of."""

ROLES = ["anonymous", "participant", "host_own", "host_other", "partner_host", "moderator",
         "planner", "site_admin"]
SIGNED_OUT = {"anonymous", "participant"}
#: Members of the host organisation, of a partner organisation, and site admins.
STAFF_WHO_SEE = {"host_own", "partner_host", "moderator", "planner", "site_admin"}
MANAGERS = {"host_own", "site_admin"}
