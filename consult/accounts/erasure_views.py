"""Staff erasing a participant's contribution on a lawful request: find it, see what will
go (never its words: hosts may not read unpublished comments), confirm, erase."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts import lawful_erasure
from consult.accounts.erasure_forms import GROUND_LABELS, ErasureForm
from consult.consultations.models import Consultation
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.moderation import labels as moderation_labels
from consult.permissions import can_manage, can_see_staff_page, require, staff_required
from consult.surveys import deletion

blueprint = Blueprint("erasure", __name__, url_prefix="/manage/consultations/<slug>/erasure")


def _managed(slug: str) -> Consultation:
    """The consultation, if this staff member may see it (else 404) and manage it (else 403):
    erasing answers for the consultation, as its hosts and admins do."""
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    require(can_manage(current_user, consultation))
    return consultation


@blueprint.route("", methods=["GET", "POST"])
@staff_required
def erase(slug: str):
    """Find a contribution, show what erasing it does, and erase it once confirmed."""
    consultation = _managed(slug)
    form = ErasureForm()
    target = None
    if form.validate_on_submit():
        target = lawful_erasure.find(consultation, form.kind.data, form.reference.data)
        if target is None:
            form.reference.errors.append(
                _("This consultation has no comment with that number.")
                if form.kind.data == lawful_erasure.COMMENT else
                _("This consultation has no counted response with that receipt."))
        elif lawful_erasure.already_erased(target):
            form.reference.errors.append(_("The words of this comment are already erased."))
            target = None
        elif form.confirmed.data == "1":
            try:
                lawful_erasure.erase(consultation, target, form.ground.data,
                                     current_user._get_current_object())
                db.session.commit()
            except deletion.ResponseGone:
                db.session.rollback()  # erased meanwhile: counted out once all the same
            flash(_("Erased. The audit log records it, without what was erased."), "success")
            return redirect(url_for(".erase", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render_template("manage/erasure.html", consultation=consultation, form=form,
                           target=target, kind=form.kind.data,
                           ground_label=GROUND_LABELS.get(form.ground.data),
                           labels=moderation_labels.STATE_LABELS), status
