"""Accepting an invitation: the link shows a page (a GET changes nothing, so a link preview
cannot use it up); a POST from that page accepts.

The token travels in the query string (the log policy strips query strings) and in the
form's hidden field, never in a path. An unknown token answers 404; a used, revoked or expired
one (or one into a deactivated organisation) 410; neither changes anything.
"""
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts import services as accounts
from consult.accounts import sign_in
from consult.accounts.forms import EmptyForm
from consult.accounts.models import User
from consult.admin import services
from consult.admin.forms import AcceptNewAccountForm
from consult.admin.labels import ROLE_LABELS
from consult.admin.models import Invitation
from consult.extensions import db, limiter
from consult.permissions import is_staff, public

blueprint = Blueprint("invitations", __name__)


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _gone(invitation: Invitation | None):
    """The translated page for a link that cannot be used, and why."""
    if invitation is None:
        return render_template("admin/invitation_gone.html", reason="unknown"), 404
    state = invitation.state()
    reason = "inactive" if state == "pending" else state
    return render_template("admin/invitation_gone.html", reason=reason), 410


@blueprint.route("/invitations/accept", methods=["GET", "POST"])
@public
@limiter.limit(_limit, methods=["POST"])
def accept():
    """Show the invitation and, on POST, accept it: with a new account (name and password)
    or, for an address that has one, as that account once signed in."""
    token = request.form.get("token") if request.method == "POST" else request.args.get("token")
    invitation = services.invitation_by_token(token)
    if not services.usable(invitation):
        return _gone(invitation)
    existing = accounts.get_user_by_email(invitation.email)
    signed_in = current_user._get_current_object() if is_staff(current_user) else None
    if existing is not None or (signed_in is not None and signed_in.email != invitation.email):
        return _accept_existing(invitation, token, existing, signed_in)
    form = AcceptNewAccountForm()
    if form.validate_on_submit():
        try:
            user = services.accept_as_new_account(invitation, form.name.data,
                                                  form.password.data)
        except accounts.PolicyError as error:
            form.password.errors.extend(error.args[0])
        except services.AdminError as error:
            db.session.rollback()
            flash(error.args[0], "error")
            return redirect(url_for(".accept", token=token), code=303)
        else:
            sign_in.complete(user, action=None)  # the acceptance is what the log records
            db.session.commit()
            flash(_("Welcome. You are now %(role)s of %(organisation)s.",
                    role=ROLE_LABELS[invitation.role], organisation=invitation.organisation.name),
                  "success")
            return redirect(url_for("manage_consultations.index"), code=303)
    db.session.rollback()  # a refused password leaves no half-made account behind
    return render_template("admin/invitation.html", invitation=invitation, token=token,
                           form=form, role_labels=ROLE_LABELS, mode="new"), \
        422 if form.errors else 200


def _accept_existing(invitation: Invitation, token: str, existing: User | None,
                     signed_in: User | None):
    """The address has an account (or someone else is signed in): accept as that account."""
    form = EmptyForm()
    if signed_in is not None and signed_in.email == invitation.email:
        if form.validate_on_submit():
            try:
                services.accept_as(invitation, signed_in)
            except services.AdminError as error:
                db.session.rollback()
                flash(error.args[0], "error")
                return redirect(url_for(".accept", token=token), code=303)
            db.session.commit()
            flash(_("You are now %(role)s of %(organisation)s.",
                    role=ROLE_LABELS[invitation.role], organisation=invitation.organisation.name),
                  "success")
            return redirect(url_for("manage_consultations.index"), code=303)
        mode = "confirm"
    else:
        mode = "other_account" if signed_in is not None else "sign_in"
    return render_template("admin/invitation.html", invitation=invitation, token=token,
                           form=form, role_labels=ROLE_LABELS, mode=mode,
                           login_url=url_for("accounts.login",
                                             next=url_for(".accept", token=token))), \
        409 if request.method == "POST" else 200

