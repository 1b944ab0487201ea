"""Staff sign-in and sign-out; participant codenames and coming back with one."""

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
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from consult.accounts import services, sign_in, staff_sessions
from consult.accounts.forms import CodenameForm, EmptyForm, LoginForm, ReceiptForm
from consult.accounts.participants import (
    ACCOUNT_PREFIX,
    adopt_key,
    participant_key,
    sign_in_participant,
)
from consult.extensions import db, limiter
from consult.moderation import labels as moderation_labels
from consult.moderation.author import my_comments
from consult.permissions import is_signed_in, is_staff, owes_two_factor_setup, public
from consult.programmes.receipts import commitments_for
from consult.security import keyed_hash, same_site_path
from consult.summaries.planner_responses import DECISION_LABELS, published_for
from consult.surveys import changes, deletion

blueprint = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    """Rate-limit key for one account: a keyed hash of the e-mail typed, never the e-mail."""
    return keyed_hash(request.form.get("email", "").strip().lower(), "login-account")[:32]


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect, no header split)."""
    return same_site_path(target) or url_for("manage_consultations.index")


@blueprint.route("/manage/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key)
def login():
    """Sign in with e-mail and password, then a second factor when the account has one;
    remember-me is never offered."""
    if is_staff(current_user):
        return redirect(_safe_next(request.args.get("next")))
    if is_signed_in(current_user):  # signed in, but owes two-factor setup
        return redirect(url_for("two_factor.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.has_two_factor:
            sign_in.begin_second_step(user, same_site_path(request.args.get("next")))
            return redirect(url_for("two_factor.sign_in_code"))
        if user is not None:
            sign_in.complete(user)
            db.session.commit()
            if owes_two_factor_setup(user):
                return redirect(url_for("two_factor.setup"))
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("That e-mail address and password do not match."))
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


@blueprint.post("/manage/logout")
@public
def logout():
    """Sign out and forget the whole session. The account's session token changes, so this
    cookie (and any copy of it, and the account's other browsers) no longer signs anyone in."""
    form = EmptyForm()
    if form.validate_on_submit():
        if is_signed_in(current_user):
            staff_sessions.sign_out_everywhere(current_user._get_current_object())
            db.session.commit()
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
    """A participant's own page: what they sent, reached again with a codename or a receipt."""
    codename_form = CodenameForm()
    receipt_form = ReceiptForm()
    if "receipt" in request.form:
        if receipt_form.validate_on_submit() and _come_back_with_receipt(receipt_form):
            return redirect(url_for("accounts.receipt"))
    elif codename_form.validate_on_submit():
        participant = services.participant_by_codename(codename_form.codename.data)
        if participant is not None:
            sign_in_participant(participant)
            flash(_("Welcome back. You are using your codename."), "success")
            return redirect(url_for("accounts.receipt"))
        codename_form.codename.errors.append(
            _("We do not know that codename. Check each word and try again."))
    key = participant_key(create=False)
    counted = changes.counted_responses(key) if key else []
    planner = published_for([consultation.id for _, consultation in counted])
    status = 422 if codename_form.errors or receipt_form.errors else 200
    return render_template("accounts/receipt.html", form=codename_form,
                           receipt_form=receipt_form, counted=counted, planner=planner,
                           deleted=deletion.deleted_for(key) if key else [],
                           decision_labels=DECISION_LABELS, my_comments=my_comments(key),
                           moderation=moderation_labels,
                           commitments=commitments_for(counted, key)), status


def _come_back_with_receipt(form: ReceiptForm) -> bool:
    """Let the session act as the participant behind a receipt; False with a field error."""
    response = changes.response_by_receipt(form.receipt.data)
    if response is None:
        note = deletion.deleted_by_receipt(form.receipt.data)
        form.receipt.errors.append(
            _("We do not know that receipt. Check each letter and try again.") if note is None
            else _("The response with this receipt was deleted on %(day)s.",
                   day=format_date(note.deleted_on, "long")))
        return False
    key = response.respondent_key
    owner = services.participant_by_key(key)
    if key.startswith(ACCOUNT_PREFIX):
        form.receipt.errors.append(_("This response was sent from an account: sign in to it."))
        return False
    if owner is not None and owner.codename_hash is not None:
        # A receipt is shorter than a codename: it must not open what a codename protects.
        form.receipt.errors.append(_("This response was sent with a codename: type the codename."))
        return False
    adopt_key(key)
    flash(_("Welcome back. This phone now shows what you sent with that receipt."), "success")
    return True
