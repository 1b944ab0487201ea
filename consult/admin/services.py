"""Organisations, their members and invitations: the writes, each with its audit entry.

They flush, never commit. Permission predicates (consult/permissions.py) decide who may
call them; the rules that hold whoever calls (the last host, single-use links) live here.
"""
import datetime as dt
import hashlib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult import audit
from consult.accounts import services as accounts
from consult.accounts import staff_sessions
from consult.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from consult.admin.models import Invitation
from consult.extensions import db
from consult.mail import send_mail
from consult.security import random_token

#: Rows per page of the organisation, account and member lists.
PAGE_SIZE = 50
#: Roles that run an organisation (invite, manage consultations): one must always remain.
RUNNING_ROLES = {Role.HOST, Role.ADMIN}


class AdminError(ValueError):
    """An action refused by a rule; args[0] is the translated reason."""


def _today() -> dt.date:
    return dt.date.today()


def page_of(query, page: int) -> tuple[list, bool]:
    """One page of query's rows (1-based), and whether another follows."""
    rows = list(db.session.scalars(query.offset((max(page, 1) - 1) * PAGE_SIZE)
                                   .limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


# Organisations

def organisations_page(page: int) -> tuple[list[Organisation], bool]:
    """Every organisation, by name, one page at a time."""
    return page_of(select(Organisation).order_by(Organisation.name, Organisation.id), page)


def create_organisation(actor: User, slug: str, name: str,
                        kind: OrganisationKind) -> Organisation:
    """A new organisation; AdminError when the slug is taken."""
    if accounts.get_organisation(slug) is not None:
        raise AdminError(_("Another organisation already uses this web address."))
    organisation = accounts.create_organisation(slug, name, kind)
    audit.record(actor, "organisation.created", organisation_id=organisation.id, target=slug,
                 detail=f"{name} ({kind.value})")
    return organisation


def rename_organisation(actor: User, organisation: Organisation, name: str,
                        kind: OrganisationKind) -> None:
    """A new name and kind (the slug stays: links and the command line use it)."""
    before = f"{organisation.name} ({organisation.kind.value})"
    after = f"{name} ({kind.value})"
    if before == after:
        return
    organisation.name, organisation.kind = name, kind
    audit.record(actor, "organisation.renamed", organisation_id=organisation.id,
                 target=organisation.slug, detail=f"{before} -> {after}")
    db.session.flush()


def set_organisation_active(actor: User, organisation: Organisation, active: bool) -> bool:
    """Deactivate or reactivate; False when it already was so (nothing recorded)."""
    if organisation.active == active:
        return False
    organisation.active = active
    audit.record(actor, "organisation.reactivated" if active else "organisation.deactivated",
                 organisation_id=organisation.id, target=organisation.slug)
    db.session.flush()
    return True


# Members

def roles_of(user: User, organisation_id: int) -> set[Role]:
    """The roles user holds in the organisation, whether or not it is active."""
    return {m.role for m in user.memberships if m.organisation_id == organisation_id}


def members_page(organisation: Organisation, page: int) -> tuple[list[tuple[User, list[Role]]],
                                                                  bool]:
    """The organisation's members by name, each with their roles there, one page at a time."""
    member_ids = select(Membership.user_id).filter_by(organisation_id=organisation.id)
    users, more = page_of(select(User).where(User.id.in_(member_ids))
                          .order_by(User.name, User.id), page)
    order = list(Role)
    return [(u, sorted(roles_of(u, organisation.id), key=order.index)) for u in users], more


def member(organisation: Organisation, user_id: int) -> User | None:
    """The member with this id, if they hold a role in the organisation."""
    user = db.session.get(User, user_id)
    return user if user is not None and roles_of(user, organisation.id) else None


def _running_members(organisation_id: int, without: int | None = None) -> int:
    """Active accounts holding a running role in the organisation, but `without`."""
    query = (select(func.count(func.distinct(Membership.user_id)))
             .join(User, User.id == Membership.user_id)
             .where(Membership.organisation_id == organisation_id,
                    Membership.role.in_(RUNNING_ROLES), User.active.is_(True)))
    if without is not None:
        query = query.where(Membership.user_id != without)
    return db.session.scalar(query) or 0


def _keeps_a_host(organisation_id: int, user: User, new_roles: set[Role]) -> bool:
    """Whether, with user's roles changed to new_roles, an active host or admin remains:
    without one nobody could invite staff or run consultations until a site administrator
    stepped in."""
    if new_roles & RUNNING_ROLES and user.active:
        return True
    return _running_members(organisation_id, without=user.id) > 0


def set_roles(actor: User, organisation: Organisation, user: User, roles: set[Role]) -> bool:
    """Make user's roles in the organisation exactly roles (at least one); False when
    nothing changed. AdminError when it would leave no host."""
    before = roles_of(user, organisation.id)
    if not roles:
        raise AdminError(_("Choose at least one role, or remove the member."))
    if roles == before:
        return False
    if not _keeps_a_host(organisation.id, user, roles):
        raise AdminError(_("An organisation needs at least one active host: make someone "
                           "else a host first."))
    for membership in [m for m in user.memberships if m.organisation_id == organisation.id]:
        if membership.role not in roles:
            user.memberships.remove(membership)
    for role in roles - before:
        accounts.add_membership(user, organisation, role)
    audit.record(actor, "member.roles_changed", organisation_id=organisation.id,
                 target=user.email, detail=f"{_codes(before)} -> {_codes(roles)}")
    db.session.flush()
    return True


def remove_member(actor: User, organisation: Organisation, user: User) -> None:
    """Take every role user holds in the organisation; AdminError for its last host."""
    before = roles_of(user, organisation.id)
    if not _keeps_a_host(organisation.id, user, set()):
        raise AdminError(_("This is the organisation's last active host: without one nobody "
                           "could invite staff or run its consultations. Make someone else a "
                           "host first."))
    for membership in [m for m in user.memberships if m.organisation_id == organisation.id]:
        user.memberships.remove(membership)
    audit.record(actor, "member.removed", organisation_id=organisation.id, target=user.email,
                 detail=_codes(before))
    db.session.flush()


def set_account_active(actor: User, user: User, active: bool,
                       organisation_id: int | None = None) -> bool:
    """Deactivate (signing the account out of every browser at once) or reactivate an
    account; False when it already was so."""
    if user.active == active:
        return False
    user.active = active
    if not active:
        staff_sessions.sign_out_everywhere(user)
    audit.record(actor, "account.reactivated" if active else "account.deactivated",
                 organisation_id=organisation_id, target=user.email)
    db.session.flush()
    return True


def accounts_page(page: int) -> tuple[list[User], bool]:
    """Every staff account, by name, one page at a time (site administrators)."""
    return page_of(select(User).order_by(User.name, User.id), page)


def _codes(roles: set[Role]) -> str:
    return ", ".join(sorted(r.value for r in roles)) or "-"


# Invitations

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """Invitations not yet accepted nor revoked (expired ones too: they can be resent)."""
    return list(db.session.scalars(
        select(Invitation).filter_by(organisation_id=organisation.id, accepted_on=None,
                                     revoked_on=None).order_by(Invitation.id)))


def invitation(organisation: Organisation, invitation_id: int) -> Invitation | None:
    """One of the organisation's invitations."""
    found = db.session.get(Invitation, invitation_id)
    return found if found is not None and found.organisation_id == organisation.id else None


def _send(invitation: Invitation, token: str, inviter: User) -> None:
    """Mail the link once the transaction commits (the token is never stored)."""
    send_mail(invitation.email, "invitation", invitation.language, token=token,
              organisation=invitation.organisation.name, role=invitation.role.value,
              inviter=inviter.name, days=current_app.config["INVITATION_DAYS"])


def _new_token(invitation: Invitation) -> str:
    token = random_token(32)
    invitation.token_hash = _hash(token)
    invitation.expires_on = _today() + dt.timedelta(days=current_app.config["INVITATION_DAYS"])
    return token


def invite(actor: User, organisation: Organisation, email: str, role: Role,
           language: str) -> Invitation:
    """Invite email into role and mail the link; AdminError when the organisation is
    inactive, the person already holds the role or an invitation is already waiting."""
    email = email.strip().lower()
    if not organisation.active:
        raise AdminError(_("This organisation is deactivated: it takes no new members."))
    existing = accounts.get_user_by_email(email)
    if existing is not None and role in roles_of(existing, organisation.id):
        raise AdminError(_("This person already has this role here."))
    waiting = db.session.scalar(select(Invitation).filter_by(
        organisation_id=organisation.id, email=email, accepted_on=None, revoked_on=None))
    if waiting is not None and waiting.state() == "pending":
        raise AdminError(_("This address already has an invitation waiting: resend or "
                           "revoke it."))
    invitation = Invitation(organisation=organisation, email=email, role=role,
                            language=language, invited_by_id=actor.id, created_on=_today())
    token = _new_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    _send(invitation, token, actor)
    audit.record(actor, "invitation.sent", organisation_id=organisation.id, target=email,
                 detail=role.value)
    return invitation


def resend(actor: User, invitation: Invitation) -> None:
    """A new link (the old one stops working) with a new expiry, mailed again."""
    if invitation.state() not in ("pending", "expired"):
        raise AdminError(_("This invitation was already used or revoked."))
    if not invitation.organisation.active:
        raise AdminError(_("This organisation is deactivated: it takes no new members."))
    token = _new_token(invitation)
    db.session.flush()
    _send(invitation, token, actor)
    audit.record(actor, "invitation.resent", organisation_id=invitation.organisation_id,
                 target=invitation.email, detail=invitation.role.value)


def revoke(actor: User, invitation: Invitation) -> None:
    """The link stops working for good."""
    if invitation.state() not in ("pending", "expired"):
        raise AdminError(_("This invitation was already used or revoked."))
    invitation.revoked_on = _today()
    audit.record(actor, "invitation.revoked", organisation_id=invitation.organisation_id,
                 target=invitation.email, detail=invitation.role.value)
    db.session.flush()


def invitation_by_token(token: str | None) -> Invitation | None:
    """The invitation whose link carries this token, in whatever state."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).filter_by(token_hash=_hash(token)))


def usable(invitation: Invitation | None) -> bool:
    """Whether the link may still be accepted (pending, and its organisation active)."""
    return invitation is not None and invitation.state() == "pending" and \
        invitation.organisation.active


def _consume(invitation: Invitation, user: User) -> bool:
    """Mark the invitation used, atomically: False when someone used it first."""
    result = db.session.execute(
        Invitation.__table__.update()
        .where(Invitation.id == invitation.id, Invitation.accepted_on.is_(None),
               Invitation.revoked_on.is_(None))
        .values(accepted_on=_today(), accepted_by_id=user.id))
    db.session.refresh(invitation)
    return result.rowcount == 1


def accept_as_new_account(invitation: Invitation, name: str, password: str) -> User:
    """Create the invited person's account with the membership; PolicyError for a refused
    password, AdminError when the link was used meanwhile or the address has an account."""
    if not usable(invitation):
        raise AdminError(_("This invitation can no longer be used."))
    if accounts.get_user_by_email(invitation.email) is not None:
        raise AdminError(_("This address already has an account: sign in to accept."))
    user = accounts.create_user(invitation.email, password, name)
    return _accept(invitation, user)


def accept_as(invitation: Invitation, user: User) -> User:
    """Give the signed-in account with the invited address its new role."""
    if user.email != invitation.email:
        raise AdminError(_("This invitation is for another e-mail address."))
    return _accept(invitation, user)


def _accept(invitation: Invitation, user: User) -> User:
    if not usable(invitation) or not _consume(invitation, user):
        raise AdminError(_("This invitation can no longer be used."))
    accounts.add_membership(user, invitation.organisation, invitation.role)
    audit.record(user, "invitation.accepted", organisation_id=invitation.organisation_id,
                 target=invitation.email, detail=invitation.role.value)
    return user
