"""Staff sign-in and sign-out; participant codenames and coming back with one."""
from urllib.parse import urlsplit

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
from flask_login import current_user, login_user, logout_user

from consult.accounts import services
from consult.accounts.forms import CodenameForm, EmptyForm, LoginForm
from consult.accounts.participants import sign_in_participant
from consult.extensions import db, limiter
from consult.permissions import is_staff, public
from consult.security import keyed_hash

blueprint = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    """Rate-limit key for one account: a keyed hash of the e-mail typed, never the e-mail."""
    return keyed_hash(request.form.get("email", "").strip().lower(), "login-account")[:32]


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("manage_consultations.index")


@blueprint.route("/manage/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key)
def login():
    """Sign in with e-mail and password; remember-me is never offered."""
    if is_staff(current_user):
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # no participant state carries over into a staff session
            login_user(user, remember=False)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("That e-mail address and password do not match."))
    return render_template("accounts/login.html", form=form)


@blueprint.post("/manage/logout")
@public
def logout():
    """Sign out and forget the whole session."""
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("main.home"))


@blueprint.route("/codename", methods=["GET", "POST"])
@public
def codename():
    """Explain codenames; on POST make one and show it exactly once."""
    form = EmptyForm()
    if form.validate_on_submit():
        participant, phrase = services.create_codename_participant()
        db.session.commit()
        sign_in_participant(participant)
        return render_template("accounts/codename_created.html", codename=phrase)
    return render_template("accounts/codename.html", form=form)


@blueprint.route("/receipt", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def receipt():
    """A participant's own page: come back with a codename (receipts arrive with surveys)."""
    form = CodenameForm()
    if form.validate_on_submit():
        participant = services.participant_by_codename(form.codename.data)
        if participant is not None:
            sign_in_participant(participant)
            flash(_("Welcome back. You are using your codename."), "success")
            return redirect(url_for("accounts.receipt"))
        form.codename.errors.append(
            _("We do not know that codename. Check each word and try again."))
    return render_template("accounts/receipt.html", form=form)
