"""Forms for staff sign-in and participant codenames."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

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
