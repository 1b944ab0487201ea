"""Organisations (site administrators create, rename and deactivate them) and every staff
account (site administrators deactivate and reactivate them)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.forms import EmptyForm
from consult.accounts.models import Organisation, OrganisationKind, User
from consult.admin import services
from consult.admin.forms import NewOrganisationForm, OrganisationForm
from consult.admin.labels import KIND_LABELS, ROLE_LABELS
from consult.admin.views import organisation_or_404, page_number
from consult.extensions import db
from consult.permissions import (
    belongs_to,
    can_administer_organisations,
    can_manage_members,
    can_set_account_active,
    require,
    staff_required,
)

blueprint = Blueprint("organisations", __name__, url_prefix="/manage")


@blueprint.get("/organisations")
@staff_required
def index():
    """Every organisation for a site administrator; one's own for other staff."""
    user = current_user._get_current_object()
    if can_administer_organisations(user):
        organisations, more = services.organisations_page(page_number())
    else:
        organisations = sorted({m.organisation for m in user.memberships
                                if m.organisation.active}, key=lambda o: (o.name, o.id))
        more = False
    return render_template("admin/organisations.html", organisations=organisations,
                           more=more, page=page_number(), kind_labels=KIND_LABELS,
                           may_administer=can_administer_organisations(user),
                           may_manage={o.id for o in organisations
                                       if can_manage_members(user, o.id)})


@blueprint.route("/organisations/new", methods=["GET", "POST"])
@staff_required
def create():
    """A new organisation (site administrators)."""
    require(can_administer_organisations(current_user))
    form = NewOrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(
                current_user, form.slug.data, form.name.data, OrganisationKind(form.kind.data))
        except services.AdminError as error:
            form.slug.errors.append(error.args[0])
        else:
            db.session.commit()
            flash(_("The organisation is created. Invite its first host."), "success")
            return redirect(url_for("members.invite", org_slug=organisation.slug), code=303)
    return render_template("admin/organisation_form.html", form=form, organisation=None), \
        422 if form.errors else 200


def _administered(org_slug: str) -> Organisation:
    """The organisation, for a site administrator (its members get 403, others 404)."""
    organisation = organisation_or_404(org_slug)
    require(can_administer_organisations(current_user),
            hide=not belongs_to(current_user, organisation.id))
    return organisation


@blueprint.route("/organisations/<org_slug>/edit", methods=["GET", "POST"])
@staff_required
def edit(org_slug: str):
    """Rename an organisation or change its kind; deactivate or reactivate it."""
    organisation = _administered(org_slug)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.kind.data = organisation.kind.value
    if form.validate_on_submit():
        services.rename_organisation(current_user, organisation, form.name.data,
                                     OrganisationKind(form.kind.data))
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".edit", org_slug=organisation.slug), code=303)
    return render_template("admin/organisation_form.html", form=form,
                           organisation=organisation), 422 if form.errors else 200


@blueprint.post("/organisations/<org_slug>/<any(deactivate, reactivate):action>")
@staff_required
def set_active(org_slug: str, action: str):
    """Deactivate an organisation (its roles grant nothing) or reactivate it."""
    organisation = _administered(org_slug)
    if EmptyForm().validate_on_submit():
        if services.set_organisation_active(current_user, organisation, action == "reactivate"):
            db.session.commit()
            flash(_("The organisation is reactivated.") if action == "reactivate" else
                  _("The organisation is deactivated: its members' roles grant nothing until "
                    "it is reactivated."), "success")
    return redirect(url_for(".edit", org_slug=organisation.slug), code=303)


@blueprint.get("/accounts")
@staff_required
def accounts():
    """Every staff account with its organisations and status (site administrators)."""
    require(can_administer_organisations(current_user))
    users, more = services.accounts_page(page_number())
    return render_template("admin/accounts.html", users=users, more=more, page=page_number(),
                           role_labels=ROLE_LABELS)


@blueprint.post("/accounts/<int:user_id>/<any(deactivate, reactivate):action>")
@staff_required
def set_account_active(user_id: int, action: str):
    """Deactivate an account (signed out everywhere at once) or reactivate it."""
    require(can_administer_organisations(current_user))
    account = db.session.get(User, user_id)
    if account is None:
        abort(404)
    require(can_set_account_active(current_user, account))
    if EmptyForm().validate_on_submit() and services.set_account_active(
            current_user, account, action == "reactivate"):
        db.session.commit()
        flash(_("The account is reactivated.") if action == "reactivate" else
              _("The account is deactivated and signed out everywhere."), "success")
    return redirect(url_for(".accounts"), code=303)
