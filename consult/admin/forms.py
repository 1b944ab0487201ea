"""Forms for organisations, members and invitations."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from consult.accounts.models import OrganisationKind, Role
from consult.admin.labels import KIND_LABELS, ROLE_DESCRIPTIONS, ROLE_LABELS
from consult.consultations.forms import MultiCheckboxField, options
from consult.consultations.services import SLUG_PATTERN
from consult.forms import Form
from consult.i18n import language_label


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def role_choices(roles: set[Role]) -> list:
    """Choices for the roles given, in the usual order, each with its label."""
    return options((r.value, ROLE_LABELS[r]) for r in Role if r in roles)


class OrganisationForm(Form):
    """An organisation's name and kind (and, when new, its web address)."""

    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the organisation's name.")), Length(max=200)],
        filters=[_strip])
    kind = SelectField(_l("Kind"), choices=options((k.value, KIND_LABELS[k])
                                                   for k in OrganisationKind))


class NewOrganisationForm(OrganisationForm):
    """A new organisation: its web address is chosen once."""

    slug = StringField(
        _l("Web address"), description=_l(
            "Lower-case letters, digits and hyphens, e.g. amani-youth. It cannot change later."),
        validators=[DataRequired(_l("Enter a web address.")), Length(max=80),
                    Regexp(SLUG_PATTERN, message=_l(
                        "Use lower-case letters, digits and single hyphens only."))],
        filters=[_strip], render_kw={"dir": "ltr", "autocapitalize": "none"})


class InviteForm(Form):
    """Invite someone by e-mail into one role."""

    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter an e-mail address.")), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
               message=_l("Enter an e-mail address like name@example.org."))],
        filters=[_strip], render_kw={"autocomplete": "off", "dir": "ltr"})
    role = RadioField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])
    language = SelectField(_l("Language of the e-mail"))

    def limit_roles(self, roles: set[Role]) -> None:
        """Offer only the roles the inviter may grant (anything else is not a valid choice)."""
        self.role.choices = options((r.value, f"{ROLE_LABELS[r]} · {ROLE_DESCRIPTIONS[r]}")
                                    for r in Role if r in roles)
        self.language.choices = options((code, language_label(code))
                                        for code in current_app.config["LANGUAGES"])
        if self.language.data is None:
            self.language.data = current_app.config["BABEL_DEFAULT_LOCALE"]


class RolesForm(Form):
    """A member's roles in one organisation."""

    roles = MultiCheckboxField(_l("Roles"))

    def limit_roles(self, roles: set[Role]) -> None:
        """Offer only the roles the actor may grant or take away."""
        self.roles.choices = role_choices(roles)


class AcceptNewAccountForm(Form):
    """Accepting an invitation with a new account: a name and a password."""

    name = StringField(_l("Your name"), description=_l("Shown to the other staff."),
                       validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
                       filters=[_strip], render_kw={"autocomplete": "name"})
    password = PasswordField(_l("Choose a password"), validators=[
        DataRequired(_l("Choose a password.")), Length(max=256)],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("The same password again"), validators=[
        DataRequired(_l("Type the password again.")),
        EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})
