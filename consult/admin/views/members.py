"""An organisation's members and invitations, for its hosts and admins (and site
administrators): invite by e-mail, change roles, remove, deactivate accounts.

Other organisations' staff get 404 (they learn nothing of it); its moderators and planners
get 403. Nobody gives or takes a role above their own (permissions.grantable_roles).
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.forms import EmptyForm
from consult.accounts.models import Organisation, Role, User
from consult.admin import services
from consult.admin.forms import InviteForm, RolesForm
from consult.admin.labels import INVITATION_STATE_LABELS, ROLE_LABELS
from consult.admin.views import organisation_or_404, page_number
from consult.extensions import db
from consult.i18n import language_label
from consult.permissions import (
    belongs_to,
    can_change_member,
    can_manage_members,
    can_set_account_active,
    grantable_roles,
    require,
    staff_required,
)

blueprint = Blueprint("members", __name__, url_prefix="/manage/organisations/<org_slug>")


def _managed(org_slug: str) -> Organisation:
    """The organisation, for those who manage its members (404 outside it, 403 inside)."""
    organisation = organisation_or_404(org_slug)
    require(belongs_to(current_user, organisation.id), hide=True)
    require(can_manage_members(current_user, organisation.id))
    return organisation


def _member(organisation: Organisation, user_id: int) -> User:
    member = services.member(organisation, user_id)
    if member is None:
        abort(404)
    return member


@blueprint.get("/members")
@staff_required
def index(org_slug: str):
    """Members with their roles and status, and the invitations not yet used."""
    organisation = _managed(org_slug)
    members, more = services.members_page(organisation, page_number())
    actor = current_user._get_current_object()
    return render_template(
        "admin/members.html", organisation=organisation, members=members, more=more,
        page=page_number(), invitations=services.pending_invitations(organisation),
        role_labels=ROLE_LABELS, state_labels=INVITATION_STATE_LABELS,
        may_change={u.id for u, _ in members if can_change_member(actor, organisation.id, u)},
        may_activate={u.id for u, _ in members
                      if can_set_account_active(actor, u, organisation.id)},
        language_label=language_label)


@blueprint.route("/invitations/new", methods=["GET", "POST"])
@staff_required
def invite(org_slug: str):
    """Invite someone by e-mail into a role the inviter may grant."""
    organisation = _managed(org_slug)
    form = InviteForm()
    form.limit_roles(grantable_roles(current_user, organisation.id))
    if form.validate_on_submit():
        try:
            services.invite(current_user, organisation, form.email.data, Role(form.role.data),
                            form.language.data)
        except services.AdminError as error:
            form.email.errors.append(error.args[0])
        else:
            db.session.commit()
            flash(_("The invitation is sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for(".index", org_slug=organisation.slug), code=303)
    return render_template("admin/invite.html", organisation=organisation, form=form), \
        422 if form.errors else 200


@blueprint.post("/invitations/<int:invitation_id>/<any(resend, revoke):action>")
@staff_required
def invitation(org_slug: str, invitation_id: int, action: str):
    """Send an invitation again with a new link, or revoke it."""
    organisation = _managed(org_slug)
    found = services.invitation(organisation, invitation_id)
    if found is None:
        abort(404)
    # Whoever may not grant the role may not renew or end an invitation into it either.
    require(found.role in grantable_roles(current_user, organisation.id))
    if EmptyForm().validate_on_submit():
        try:
            (services.resend if action == "resend" else services.revoke)(current_user, found)
        except services.AdminError as error:
            flash(error.args[0], "error")
        else:
            db.session.commit()
            flash(_("The invitation is sent again with a new link.") if action == "resend"
                  else _("The invitation is revoked: its link no longer works."), "success")
    return redirect(url_for(".index", org_slug=organisation.slug), code=303)


@blueprint.route("/members/<int:user_id>", methods=["GET", "POST"])
@staff_required
def member(org_slug: str, user_id: int):
    """Change a member's roles."""
    organisation = _managed(org_slug)
    member = _member(organisation, user_id)
    require(can_change_member(current_user, organisation.id, member))
    form = RolesForm()
    form.limit_roles(grantable_roles(current_user, organisation.id))
    if request.method == "GET":
        form.roles.data = [r.value for r in services.roles_of(member, organisation.id)]
    if form.validate_on_submit():
        try:
            changed = services.set_roles(current_user, organisation, member,
                                         {Role(value) for value in form.roles.data})
        except services.AdminError as error:
            form.roles.errors.append(error.args[0])
        else:
            db.session.commit()
            if changed:
                flash(_("The roles of %(name)s are changed.", name=member.name), "success")
            return redirect(url_for(".index", org_slug=organisation.slug), code=303)
    return render_template("admin/member.html", organisation=organisation, member=member,
                           form=form,
                           may_activate=can_set_account_active(current_user, member,
                                                               organisation.id)), \
        422 if form.errors else 200


@blueprint.post("/members/<int:user_id>/<any(remove, deactivate, reactivate):action>")
@staff_required
def member_action(org_slug: str, user_id: int, action: str):
    """Remove a member from the organisation, or deactivate or reactivate their account."""
    organisation = _managed(org_slug)
    member = _member(organisation, user_id)
    if action == "remove":
        require(can_change_member(current_user, organisation.id, member))
    else:
        require(can_set_account_active(current_user, member, organisation.id))
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".index", org_slug=organisation.slug), code=303)
    try:
        if action == "remove":
            services.remove_member(current_user, organisation, member)
            message = _("%(name)s is no longer a member.", name=member.name)
        else:
            services.set_account_active(current_user, member, action == "reactivate",
                                        organisation_id=organisation.id)
            message = _("The account is reactivated.") if action == "reactivate" else \
                _("The account is deactivated and signed out everywhere.")
    except services.AdminError as error:
        flash(error.args[0], "error")
        return redirect(url_for(".member", org_slug=organisation.slug, user_id=member.id),
                        code=303)
    db.session.commit()
    flash(message, "success")
    if member.id == current_user.id:  # removed oneself: the list is no longer theirs to see
        return redirect(url_for("organisations.index"), code=303)
    return redirect(url_for(".index", org_slug=organisation.slug), code=303)
