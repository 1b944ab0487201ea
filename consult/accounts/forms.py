"""Forms for staff sign-in, passwords, two-factor sign-in and participant codenames."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from consult.forms import Form


class LoginForm(Form):
    """Staff sign-in."""

    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address.")),
        Regexp(r"^[^@\s]+@[^@\s]+$",
               message=_l("Enter an e-mail address like name@example.org."))],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"})


class CodenameForm(Form):
    """A participant coming back with their codename."""

    codename = StringField(
        _l("Your codename"),
        description=_l("The seven words you were given, separated by spaces."),
        validators=[DataRequired(_l("Enter your codename.")), Length(max=200)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})


class ReceiptForm(Form):
    """A participant coming back with the receipt of a survey response."""

    receipt = StringField(
        _l("Your receipt"),
        description=_l("Eight letters and numbers, like K7QM-4TXD."),
        validators=[DataRequired(_l("Enter your receipt.")), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                   "dir": "ltr"})


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that change something."""


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class ForgotPasswordForm(Form):
    """Asking for a password reset link by e-mail."""

    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+$",
               message=_l("Enter an e-mail address like name@example.org."))],
        filters=[_strip], render_kw={"autocomplete": "username"})


def _new_password():
    return PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password.")), Length(max=256)],
        render_kw={"autocomplete": "new-password"})


def _new_password_again():
    return PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password again.")),
        EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})


class ResetPasswordForm(Form):
    """A new password set through an e-mailed link; the token travels in a hidden field, so
    it never appears in a path the access log writes down."""

    token = HiddenField(validators=[DataRequired(), Length(max=100)])
    password = _new_password()
    confirm = _new_password_again()


class ChangePasswordForm(Form):
    """Changing one's password: the current one first."""

    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"})
    password = _new_password()
    confirm = _new_password_again()


class PasswordConfirmForm(Form):
    """An action on two-factor sign-in that needs the password again."""

    password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"})


def _code_field(description=None):
    return StringField(_l("Code"), description=description, validators=[
        DataRequired(_l("Enter the code.")), Length(max=40)], filters=[_strip],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none",
                   "spellcheck": "false", "dir": "ltr"})


class CodeForm(Form):
    """Confirming two-factor setup with a code from the authenticator app."""

    code = _code_field(_l("The six digits your authenticator app shows for Consult."))


class SignInCodeForm(Form):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = _code_field(_l("The six digits your authenticator app shows now, or one of your "
                          "recovery codes."))


class TwoFactorRequirementForm(Form):
    """An organisation's two-factor requirement."""

    required = BooleanField(_l("Require two-factor sign-in of this organisation's hosts, "
                               "moderators and admins"))
