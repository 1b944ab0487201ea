"""Who may do what with grievances. Deny by default: hosts, planners and site administrators
read no grievance; only the staff of the reviewer organisation a case was filed with do."""
from consult.accounts.models import Organisation, OrganisationKind, Role
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.permissions import can_manage, can_see_staff_page, is_staff

#: Roles of a reviewer organisation that set its passphrase, deadlines and categories.
CONFIGURE_ROLES = frozenset({Role.ADMIN, Role.HOST})


def is_reviewer(organisation: Organisation | None) -> bool:
    """An active organisation of the independent-reviewer kind."""
    return organisation is not None and organisation.active and \
        organisation.kind is OrganisationKind.INDEPENDENT_REVIEWER


def _reviewer_roles(user, organisation_id: int) -> set[Role]:
    if not is_staff(user) or not is_reviewer(db.session.get(Organisation, organisation_id)):
        return set()
    return user.roles_in(organisation_id)


def can_work_cases(user, organisation_id: int) -> bool:
    """Open the inbox and work cases: members of the reviewer organisation, in any role.
    A site administrator who is not one of its members may not (they administer the site,
    not the complaints against its users)."""
    return bool(_reviewer_roles(user, organisation_id))


def can_configure(user, organisation_id: int) -> bool:
    """Set the passphrase, deadlines, retention and categories: the reviewer's admins and
    hosts."""
    return bool(_reviewer_roles(user, organisation_id) & CONFIGURE_ROLES)


def can_choose_reviewer(user, consultation: Consultation) -> bool:
    """Name the consultation's reviewer: its hosts and admins, and site administrators."""
    return can_manage(user, consultation)


def can_read_shared(user, consultation: Consultation) -> bool:
    """Read what the reviewer chose to share: the host's and partners' staff."""
    return can_see_staff_page(user, consultation)
