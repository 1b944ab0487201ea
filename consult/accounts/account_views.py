"""A staff member's own account: the account page, changing the password, and resetting a
forgotten one by e-mail."""
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from consult.accounts import account_log, password_reset, passwords, staff_sessions, two_factor
from consult.accounts.forms import ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm
from consult.accounts.tasks import send_password_reset
from consult.extensions import db, limiter
from consult.i18n import current_language
from consult.permissions import must_use_two_factor, public, staff_required
from consult.security import keyed_hash

blueprint = Blueprint("account", __name__)


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _password_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_key() -> str:
    """Rate-limit key for one e-mail address asked about: a keyed hash, never the address."""
    return keyed_hash(request.form.get("email", "").strip().lower(), "password-reset")[:32]


def _account_key() -> str:
    """Rate-limit key for the signed-in account, so a stolen session cannot guess on."""
    return keyed_hash(str(getattr(current_user, "id", "-")), "account-password")[:32]


@blueprint.get("/manage/account")
@staff_required
def index():
    """The account page: password, two-factor sign-in, sessions."""
    user = current_user
    return render_template(
        "accounts/account.html",
        codes_left=two_factor.recovery_codes_left(user) if user.has_two_factor else None,
        required=must_use_two_factor(user),
        sessions=len(staff_sessions.sessions_of(user)))


@blueprint.route("/manage/account/password", methods=["GET", "POST"])
@staff_required
@limiter.limit(_password_limit, methods=["POST"], key_func=_account_key)
def change_password():
    """Change the password (the current one first); the account's other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not passwords.is_current_password(user, form.current.data):
            form.current.errors.append(_("That is not your current password."))
        elif problems := passwords.change_password(user, form.password.data):
            form.password.errors.extend(problems)
        else:
            # The new session token made every cookie stale: sign this browser in again
            # with it, and end the others.
            login_user(user, remember=False)
            staff_sessions.sign_out_others(user, session.get(staff_sessions.SESSION_ID_KEY))
            account_log.record_for_account(user, account_log.PASSWORD_CHANGED)
            db.session.commit()
            flash(_("Your password is changed. Your other sessions are signed out."),
                  "success")
            return redirect(url_for(".index"), code=303)
    return render_template("accounts/change_password.html", form=form), \
        422 if form.errors else 200


@blueprint.route("/manage/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_reset_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_address_key)
def forgot_password():
    """Ask for a reset link. The answer is the same page, status and (queued) work whether
    or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        send_password_reset(form.email.data.lower(), current_language())
        return render_template("accounts/password_reset_sent.html",
                               hours=password_reset.reset_hours())
    return render_template("accounts/forgot_password.html", form=form), \
        422 if form.errors else 200


@blueprint.route("/manage/password/reset", methods=["GET", "POST"])
@public
@limiter.limit(_password_limit, methods=["POST"])
def reset_password():
    """Set a new password with an e-mailed link (?token=...): once, before it expires. Every
    session of the account ends; signing in (with its second factor) comes next."""
    form = ResetPasswordForm()
    token = request.form.get("token") if request.method == "POST" else \
        request.args.get("token")
    if request.method == "GET":
        form.token.data = token
    user = password_reset.account_for_token(token)
    if user is None:
        return render_template("accounts/password_reset_invalid.html"), 404
    if form.validate_on_submit():
        user, problems = password_reset.reset_password(form.token.data, form.password.data)
        if user is None:
            return render_template("accounts/password_reset_invalid.html"), 404
        if not problems:
            account_log.record_for_account(user, account_log.PASSWORD_RESET)
            db.session.commit()
            flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("accounts.login"), code=303)
        form.password.errors.extend(problems)
    return render_template("accounts/reset_password.html", form=form, email=user.email), \
        422 if form.errors else 200
