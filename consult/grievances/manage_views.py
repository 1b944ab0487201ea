"""The hosts' side of grievances: naming the consultation's independent reviewer, and
reading what that reviewer chose to share (never the grievances themselves)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.models import Organisation
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.grievances import services
from consult.grievances.access import can_choose_reviewer, can_read_shared
from consult.grievances.forms import ReviewerChoiceForm
from consult.i18n import current_language
from consult.permissions import staff_required

blueprint = Blueprint("manage_grievances", __name__, url_prefix="/manage/consultations")


@blueprint.route("/<slug>/grievances", methods=["GET", "POST"])
@staff_required
def reviewer(slug: str):
    """The consultation's reviewer (hosts and site administrators choose it) and what the
    reviewer shared with the hosts."""
    consultation = get_consultation(slug)
    if consultation is None or not can_read_shared(current_user, consultation):
        abort(404)
    may_choose = can_choose_reviewer(current_user, consultation)
    choices = services.reviewers()
    form = ReviewerChoiceForm()
    form.reviewer.choices = [("", _("No grievance channel"))] + [
        (o.slug, o.name) for o in choices]
    if form.is_submitted() and not may_choose:
        abort(403)
    if may_choose and form.validate_on_submit():
        chosen = next((o for o in choices if o.slug == form.reviewer.data), None)
        services.set_reviewer(consultation, chosen, current_user._get_current_object())
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".reviewer", slug=slug), code=303)
    current = db.session.get(Organisation, consultation.reviewer_organisation_id) \
        if consultation.reviewer_organisation_id else None
    if not form.is_submitted():
        form.reviewer.data = current.slug if current else ""
    return render_template(
        "grievances/manage.html", consultation=consultation, form=form, may_choose=may_choose,
        current=current, ready=services.channel_of(consultation) is not None,
        shared=services.shared_with_hosts(consultation), language=current_language()), \
        422 if form.errors else 200
