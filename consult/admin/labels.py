"""Translated names of roles, organisation kinds and invitation states."""
from flask_babel import lazy_gettext as _l

from consult.accounts.models import OrganisationKind, Role

ROLE_LABELS = {
    # Translators: an organisation's role that runs consultations and invites staff.
    Role.HOST: _l("Host"),
    Role.MODERATOR: _l("Moderator"),
    Role.PLANNER: _l("Planner"),
    # Translators: an organisation's role with every right, granting the admin role included.
    Role.ADMIN: _l("Administrator"),
}

ROLE_DESCRIPTIONS = {
    Role.HOST: _l("Runs consultations, invites staff and manages members (not administrators)."),
    Role.MODERATOR: _l("Reviews contributions, reports and appeals."),
    Role.PLANNER: _l("Reads the planner report and answers \"you said, we did\"."),
    Role.ADMIN: _l("Everything a host, moderator and planner does, and grants the "
                   "administrator role."),
}

KIND_LABELS = {
    OrganisationKind.CIVIL_SOCIETY: _l("Civil society organisation"),
    OrganisationKind.LOCAL_COUNCIL: _l("Local council"),
    OrganisationKind.PLANNING_AGENCY: _l("Planning agency"),
    OrganisationKind.OTHER: _l("Other"),
    # Translators: an ombudsperson, human-rights commission or CSO that handles complaints.
    OrganisationKind.INDEPENDENT_REVIEWER: _l("Independent reviewer"),
}

INVITATION_STATE_LABELS = {
    "pending": _l("Waiting"),
    "expired": _l("Expired"),
    "accepted": _l("Accepted"),
    "revoked": _l("Revoked"),
}
