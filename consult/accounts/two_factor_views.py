"""Two-factor sign-in: setting it up, recovery codes, turning it off, the code step of signing
in, and an organisation's requirement."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.accounts import account_log, services, sign_in, two_factor
from consult.accounts.forms import (
    CodeForm,
    PasswordConfirmForm,
    SignInCodeForm,
    TwoFactorRequirementForm,
)
from consult.accounts.passwords import is_current_password
from consult.audit import record
from consult.extensions import db, limiter
from consult.permissions import (
    TWO_FACTOR_ROLES,
    can_set_two_factor_requirement,
    is_site_admin,
    is_staff,
    must_use_two_factor,
    public,
    require,
    staff_required,
    two_factor_setup_page,
)
from consult.security import keyed_hash, same_site_path

blueprint = Blueprint("two_factor", __name__)

#: Session key of the secret offered for setup, until a code confirms the app has it.
SETUP_SECRET_KEY = "_two_factor_setup"
#: Recovery codes left below which signing in with one suggests making new ones.
FEW_CODES_LEFT = 3


def _code_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def _password_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _pending_account_key() -> str:
    """Rate-limit key for the account halfway through signing in (never its e-mail)."""
    return keyed_hash(sign_in.pending_token() or "-", "two-factor-account")[:32]


def _account_key() -> str:
    """Rate-limit key for the signed-in account, so a stolen session cannot guess on."""
    return keyed_hash(str(getattr(current_user, "id", "-")), "account-password")[:32]


@blueprint.route("/manage/login/two-factor", methods=["GET", "POST"])
@public
@limiter.limit(_code_limit, methods=["POST"])
@limiter.limit(_code_limit, methods=["POST"], key_func=_pending_account_key)
def sign_in_code():
    """The second step of signing in: a code from the app or a recovery code."""
    if is_staff(current_user):
        return redirect(url_for("manage_consultations.index"))
    user = sign_in.pending_user()
    if user is None:
        sign_in.forget_pending()
        flash(_("Signing in took too long. Type your e-mail address and password again."),
              "error")
        return redirect(url_for("accounts.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        method = two_factor.verify(user, form.code.data)
        if method is not None:
            next_path = same_site_path(sign_in.pending_next())
            sign_in.complete(user, account_log.SIGNED_IN_RECOVERY_CODE if method == "recovery"
                             else account_log.SIGNED_IN_TWO_FACTOR)
            left = two_factor.recovery_codes_left(user) if method == "recovery" else None
            db.session.commit()
            if left is not None and left < FEW_CODES_LEFT:
                flash(ngettext("You have %(num)d recovery code left. Make new ones now.",
                               "You have %(num)d recovery codes left. Make new ones now.",
                               left), "error")
                return redirect(url_for(".setup"))
            return redirect(next_path or url_for("manage_consultations.index"))
        account_log.record_for_account(user, account_log.SECOND_FACTOR_REFUSED)
        db.session.commit()
        form.code.errors.append(_("That code does not work. Codes change every 30 seconds, "
                                  "and each one works once."))
    return render_template("accounts/two_factor_sign_in.html", form=form), \
        422 if form.errors else 200


def _setup_page(form: CodeForm, status: int = 200):
    """The setup page: the QR code and secret of this browser's offer, and the code form."""
    secret = session.get(SETUP_SECRET_KEY)
    if not secret:
        secret = session[SETUP_SECRET_KEY] = two_factor.new_secret()
    qr = two_factor.qr_svg(secret, current_user.email,
                           _("QR code for your authenticator app"))
    return render_template("accounts/two_factor_setup.html", form=form, qr=qr,
                           secret=two_factor.grouped_secret(secret),
                           required=must_use_two_factor(current_user)), status


@blueprint.get("/manage/account/two-factor")
@staff_required
@two_factor_setup_page
def setup():
    """Set up two-factor sign-in, or see it and its recovery codes once it is on."""
    if not current_user.has_two_factor:
        return _setup_page(CodeForm())
    return _status_page()


@blueprint.post("/manage/account/two-factor")
@staff_required
@two_factor_setup_page
def confirm():
    """Turn two-factor sign-in on once a code shows the app holds the secret; the recovery
    codes are shown this once."""
    if current_user.has_two_factor:
        return redirect(url_for(".setup"), code=303)
    form = CodeForm()
    secret = session.get(SETUP_SECRET_KEY)
    if form.validate_on_submit() and secret:
        user = current_user._get_current_object()
        codes = two_factor.enable(user, secret, form.code.data)
        if codes is not None:
            account_log.record_for_account(user, account_log.TWO_FACTOR_ENABLED)
            db.session.commit()
            session.pop(SETUP_SECRET_KEY, None)
            return render_template("accounts/recovery_codes.html", codes=codes, new=True)
        form.code.errors.append(_("That code does not match. Check the app shows a code for "
                                  "Consult and type the six digits it shows now."))
    return _setup_page(form, 422)


def _password_checked(form: PasswordConfirmForm) -> bool:
    """Whether the form carries the signed-in account's password (a field error if not)."""
    if not form.validate_on_submit():
        return False
    if not is_current_password(current_user, form.password.data):
        form.password.errors.append(_("That is not your password."))
        return False
    return True


def _status_page(regenerate_form: PasswordConfirmForm | None = None,
                 disable_form: PasswordConfirmForm | None = None):
    """The page of an account with two-factor sign-in on (422 with a form's errors)."""
    status = 422 if regenerate_form or disable_form else 200
    return render_template(
        "accounts/two_factor.html", left=two_factor.recovery_codes_left(current_user),
        required=must_use_two_factor(current_user),
        regenerate_form=regenerate_form or PasswordConfirmForm(prefix="regenerate"),
        disable_form=disable_form or PasswordConfirmForm(prefix="disable")), status


@blueprint.post("/manage/account/two-factor/recovery-codes")
@staff_required
@limiter.limit(_password_limit, key_func=_account_key)
def regenerate():
    """New recovery codes (the old ones stop working), shown this once; needs the password."""
    if not current_user.has_two_factor:
        abort(409)
    form = PasswordConfirmForm(prefix="regenerate")
    if not _password_checked(form):
        return _status_page(regenerate_form=form)
    user = current_user._get_current_object()
    codes = two_factor.regenerate_recovery_codes(user)
    account_log.record_for_account(user, account_log.RECOVERY_CODES_REGENERATED)
    db.session.commit()
    return render_template("accounts/recovery_codes.html", codes=codes, new=False)


@blueprint.post("/manage/account/two-factor/disable")
@staff_required
@limiter.limit(_password_limit, key_func=_account_key)
def disable():
    """Turn two-factor sign-in off (needs the password; refused when it is required)."""
    if not current_user.has_two_factor:
        abort(409)
    require(not must_use_two_factor(current_user))
    form = PasswordConfirmForm(prefix="disable")
    if not _password_checked(form):
        return _status_page(disable_form=form)
    user = current_user._get_current_object()
    two_factor.disable(user)
    account_log.record_for_account(user, account_log.TWO_FACTOR_DISABLED)
    db.session.commit()
    flash(_("Two-factor sign-in is off. Your password alone now signs in to your account."),
          "success")
    return redirect(url_for("account.index"), code=303)


@blueprint.route("/manage/organisations/<org_slug>/security", methods=["GET", "POST"])
@staff_required
def organisation(org_slug: str):
    """Require two-factor sign-in of an organisation's hosts, moderators and admins."""
    org = services.get_organisation(org_slug)
    require(org is not None and (is_site_admin(current_user)
                                 or org.id in current_user.organisation_ids), hide=True)
    require(can_set_two_factor_requirement(current_user, org.id))
    form = TwoFactorRequirementForm(data={"required": org.require_two_factor})
    if form.validate_on_submit():
        if form.required.data != org.require_two_factor:
            org.require_two_factor = form.required.data
            record(current_user, account_log.ORGANISATION_REQUIRES_TWO_FACTOR
                   if org.require_two_factor else account_log.ORGANISATION_DROPS_TWO_FACTOR,
                   organisation_id=org.id, target=org.slug)
            db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".organisation", org_slug=org.slug), code=303)
    members = sorted({m.user for m in org.memberships if m.role in TWO_FACTOR_ROLES},
                     key=lambda u: (u.name.lower(), u.id))
    return render_template("accounts/organisation_security.html", organisation=org,
                           form=form, members=members,
                           site_requires=current_app.config[
                               "REQUIRE_TWO_FACTOR_FOR_MODERATORS"]), \
        422 if form.errors else 200
