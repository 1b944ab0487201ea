"""Who may do what: named predicates, and the route markers that make access deny-by-default.

Every view is marked `@public` (anyone may reach it; the view then checks object-level
predicates) or `@staff_required` (signed-in staff only). A view with neither is refused
(see create_app), so a forgotten check fails closed.
"""
from functools import wraps
from typing import Callable

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from consult.accounts.models import Role, User
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation

#: Attribute set on view functions by the markers below.
ACCESS_ATTRIBUTE = "consult_access"

MANAGE_ROLES = {Role.HOST, Role.ADMIN}


def public(view: Callable) -> Callable:
    """Mark a view as reachable without signing in."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


#: Set on the views a member who owes two-factor setup may still reach (the setup itself).
TWO_FACTOR_SETUP_ATTRIBUTE = "consult_two_factor_setup"
#: The roles an organisation's, or the site's, two-factor requirement applies to: those who
#: read unpublished comments, and hosts, who choose who moderates and may switch an
#: organisation's requirement off (the requirement would be only as strong as them).
TWO_FACTOR_ROLES = frozenset({Role.HOST, Role.MODERATOR, Role.ADMIN})


def staff_required(view: Callable) -> Callable:
    """Mark a view as staff-only; anyone else is sent to the sign-in page.

    The one place two-factor requirements are enforced: a member who must use two-factor
    sign-in and has not set it up is sent to the setup page from every staff view but it
    (is_staff is false for them, so object predicates grant them nothing either).
    """
    setup_page = getattr(view, TWO_FACTOR_SETUP_ATTRIBUTE, False)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if is_staff(current_user) or (setup_page and is_signed_in(current_user)):
            return view(*args, **kwargs)
        if is_signed_in(current_user):
            return redirect(url_for("two_factor.setup"))
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    setattr(wrapper, ACCESS_ATTRIBUTE, "staff")
    return wrapper


def two_factor_setup_page(view: Callable) -> Callable:
    """Mark a staff view (under @staff_required) that a member owing two-factor setup may
    reach: the setup page and its confirmation, nothing else."""
    setattr(view, TWO_FACTOR_SETUP_ATTRIBUTE, True)
    return view


def is_signed_in(user) -> bool:
    """A signed-in, active staff account, whether or not it still owes two-factor setup."""
    return isinstance(user, User) and user.is_authenticated and user.is_active


def is_staff(user) -> bool:
    """A signed-in staff account (participants never are) that owes no two-factor setup."""
    return is_signed_in(user) and not owes_two_factor_setup(user)


def must_use_two_factor(user: User) -> bool:
    """Whether the site's settings or one of user's (active) organisations require two-factor
    sign-in of them."""
    config = current_app.config
    if user.is_site_admin and config["REQUIRE_TWO_FACTOR_FOR_SITE_ADMINS"]:
        return True
    # roles_in: a deactivated organisation's roles grant nothing, and require nothing.
    return any(m.role in TWO_FACTOR_ROLES and m.role in user.roles_in(m.organisation_id) and (
        config["REQUIRE_TWO_FACTOR_FOR_MODERATORS"] or m.organisation.require_two_factor)
        for m in user.memberships)


def owes_two_factor_setup(user: User) -> bool:
    """Required to use two-factor sign-in and not set up yet: granted nothing until it is."""
    return not user.has_two_factor and must_use_two_factor(user)


def _roles(user, organisation_id: int) -> set[Role]:
    return user.roles_in(organisation_id) if is_staff(user) else set()


def is_site_admin(user) -> bool:
    """Site administrators may act on every organisation."""
    return is_staff(user) and user.is_site_admin


def can_create_consultation(user, organisation_id: int) -> bool:
    """Hosts and admins of an organisation create consultations for it."""
    return is_site_admin(user) or bool(_roles(user, organisation_id) & MANAGE_ROLES)


def can_manage(user, consultation: Consultation) -> bool:
    """Edit texts, sections, partners and state: hosts and admins of the host organisation."""
    return can_create_consultation(user, consultation.host_organisation_id)


def can_see_staff_page(user, consultation: Consultation) -> bool:
    """See the consultation's staff dashboard: any member of the host or a partner."""
    if is_site_admin(user):
        return True
    return is_staff(user) and bool(user.organisation_ids & consultation.organisation_ids())


def is_publicly_readable(state: State) -> bool:
    """Whether anyone at all may read a consultation in this state (everything but drafts)."""
    return state is not State.DRAFT


def can_view(user, consultation: Consultation) -> bool:
    """Read the participant pages: anyone once it is out of draft; staff who may see drafts."""
    return is_publicly_readable(consultation.state) or can_see_staff_page(user, consultation)


def can_moderate(user, consultation: Consultation) -> bool:
    """Moderate contributions: moderators and admins of the host organisation, and of the
    partner organisations the host granted moderation to."""
    if is_site_admin(user):
        return True
    organisations = [consultation.host_organisation_id,
                     *(o.id for o in consultation.moderating_partners)]
    return any(_roles(user, org) & {Role.MODERATOR, Role.ADMIN} for org in organisations)


def can_read_unpublished_comments(user, consultation: Consultation) -> bool:
    """Read comments that are pending, held, hidden, rejected or withdrawn (they may carry
    phone numbers or worse): only those who moderate them. Everyone else, planners and
    partner hosts included, reads published comments only."""
    return can_moderate(user, consultation)


def may_read_comment(user, consultation: Consultation, published: bool) -> bool:
    """Read one comment's text on a staff page: published ones for anyone who sees the
    staff pages, the others only for its moderators."""
    if published:
        return can_see_staff_page(user, consultation) or can_moderate(user, consultation)
    return can_read_unpublished_comments(user, consultation)


def can_audit_moderation(user, consultation: Consultation) -> bool:
    """Download the moderation decision log: auditors, i.e. site admins and the planners
    (and admins) of the host or a partner organisation."""
    return can_read_planner_report(user, consultation)


def can_read_planner_report(user, consultation: Consultation) -> bool:
    """Read the planner report: planners and admins of the host or a partner organisation."""
    if is_site_admin(user):
        return True
    return any(_roles(user, org) & {Role.PLANNER, Role.ADMIN}
               for org in consultation.organisation_ids())


#: Roles each role may grant in its own organisation: nobody raises another above their own
#: rights, so only admins (and site administrators) make admins.
GRANTABLE_BY = {Role.ADMIN: frozenset(Role),
                Role.HOST: frozenset({Role.HOST, Role.MODERATOR, Role.PLANNER})}


def can_administer_organisations(user) -> bool:
    """Create, rename, deactivate and reactivate organisations: site administrators."""
    return is_site_admin(user)


def belongs_to(user, organisation_id: int) -> bool:
    """A member of this (active) organisation in any role, or a site administrator; anyone
    else is told nothing about it (404)."""
    return is_site_admin(user) or (is_staff(user) and organisation_id in user.organisation_ids)


def can_manage_members(user, organisation_id: int) -> bool:
    """List members, invite, change roles, remove: the organisation's hosts and admins."""
    return is_site_admin(user) or bool(_roles(user, organisation_id) & MANAGE_ROLES)


def grantable_roles(user, organisation_id: int) -> set[Role]:
    """The roles user may give (or take away) in this organisation."""
    if is_site_admin(user):
        return set(Role)
    return {granted for role in _roles(user, organisation_id)
            for granted in GRANTABLE_BY.get(role, ())}


def can_change_member(user, organisation_id: int, member: User) -> bool:
    """Change or remove a member's roles: managers whose own rights cover every role the
    member holds there (a host cannot demote or remove an admin)."""
    held = {m.role for m in member.memberships if m.organisation_id == organisation_id}
    return can_manage_members(user, organisation_id) and held <= grantable_roles(
        user, organisation_id)


def can_set_account_active(user, account: User, organisation_id: int | None = None) -> bool:
    """Deactivate or reactivate an account (never one's own): site administrators any; an
    organisation's managers only one that belongs to that organisation alone and holds no
    role above theirs."""
    if not is_staff(user) or account.id == user.id:
        return False
    if is_site_admin(user):
        return True
    if organisation_id is None or account.is_site_admin or not account.memberships:
        return False
    return all(m.organisation_id == organisation_id for m in account.memberships) and \
        can_change_member(user, organisation_id, account)


def can_set_two_factor_requirement(user, organisation_id: int) -> bool:
    """Require two-factor sign-in of an organisation's members: its hosts and admins, and
    site administrators."""
    return is_site_admin(user) or bool(_roles(user, organisation_id) & MANAGE_ROLES)


def can_read_audit_log(user, organisation_id: int) -> bool:
    """Read (and download) an organisation's staff audit log: its hosts and admins, who answer
    for its staff, and site administrators. Moderators and planners do not: the log names
    every colleague's actions and sign-ins, and their own work has its own logs."""
    return is_site_admin(user) or bool(_roles(user, organisation_id) & MANAGE_ROLES)


def can_read_some_audit_log(user) -> bool:
    """Whether any of the audit log is for user to read (the staff index links to it)."""
    return is_site_admin(user) or (is_staff(user) and any(
        can_read_audit_log(user, o) for o in user.organisation_ids))


def can_manage_programme(user, programme) -> bool:
    """Edit a programme, its rounds, indicators and auditors: hosts and admins of its host
    organisation, and site administrators."""
    return can_create_consultation(user, programme.host_organisation_id)


def can_plan_programme(user, programme) -> bool:
    """Record and update the programme's commitments (the action plan): planners, hosts and
    admins of its host organisation, and site administrators."""
    return is_site_admin(user) or bool(
        _roles(user, programme.host_organisation_id) & {Role.PLANNER, Role.HOST, Role.ADMIN})


def can_self_assess(user, consultation: Consultation) -> bool:
    """Score a round's indicators on the providers' own form: staff of the round's host or of
    a partner organisation (the service providers), whatever their role."""
    return is_staff(user) and bool(user.organisation_ids & consultation.organisation_ids())


def is_programme_auditor(user, programme) -> bool:
    """Whether user was given read-only audit of this programme."""
    return is_staff(user) and any(a.user_id == user.id for a in programme.auditors)


def can_audit_programme(user, programme) -> bool:
    """Read a programme's audit pages (planner reports of its rounds without participant
    text, the staff audit log of its rounds, moderation statistics): its auditors, the
    planners and admins of its host, and site administrators."""
    return is_site_admin(user) or is_programme_auditor(user, programme) or bool(
        _roles(user, programme.host_organisation_id) & {Role.PLANNER, Role.ADMIN})


def require(allowed: bool, hide: bool = False) -> None:
    """Abort 404 when hide (the object must not be revealed), else 403, unless allowed."""
    if not allowed:
        abort(404 if hide else 403)


