"""Grievance forms: filing and following a case, and the reviewer's keys, settings and work."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from consult.forms import Form, one_kind_of_line_break
from consult.grievances.keys import MIN_PASSPHRASE_LENGTH
from consult.grievances.services import TEXT_LENGTH

#: Longest note and shared summary (characters).
NOTE_LENGTH = 2000


def _long_text(label, description, required: bool) -> TextAreaField:
    validators = [DataRequired(_l("Please write something here."))] if required else \
        [Optional()]
    return TextAreaField(label, description=description, filters=[one_kind_of_line_break],
                         validators=validators + [Length(max=TEXT_LENGTH, message=_l(
                             "Keep it to %(max)d characters or fewer.", max=TEXT_LENGTH))],
                         render_kw={"rows": 6, "dir": "auto", "maxlength": TEXT_LENGTH})


class GrievanceForm(Form):
    """A grievance: its category and place, what happened, what the person would like."""

    category = RadioField(_l("What is it about?"), coerce=str, validators=[
        InputRequired(_l("Choose what your grievance is about."))])
    area = SelectField(_l("Where did it happen? (optional)"), coerce=str, validators=[Optional()],
                       description=_l("Only the area, never an address."))
    happened = _long_text(_l("What happened?"), _l(
        "Do not write your name or anyone's phone number unless you want the reviewer to "
        "have them."), required=True)
    wanted = _long_text(_l("What would you like to happen? (optional)"), None, required=False)
    contact_ok = BooleanField(_l("The reviewer may ask me questions on my case page"))


class CaseCodeForm(Form):
    """A case code, to follow a grievance."""

    code = StringField(_l("Case code"), validators=[DataRequired(_l("Type your case code."))],
                       description=_l("Twelve letters and digits, like K7QM-4TXD-PW3C."),
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false"})


class ReplyForm(Form):
    """The complainant's answer on the case page (the code comes along, hidden)."""

    code = HiddenField(validators=[DataRequired()])
    body = TextAreaField(_l("Your answer to the reviewer"), filters=[one_kind_of_line_break],
                         validators=[DataRequired(_l("Please write something here.")),
                                     Length(max=NOTE_LENGTH)],
                         render_kw={"rows": 4, "dir": "auto", "maxlength": NOTE_LENGTH})


class MessageForm(Form):
    """The reviewer's message to the complainant, on their case page."""

    body = TextAreaField(_l("Message to the complainant"), description=_l(
        "They read it on their case page with their case code, the next time they look."),
        filters=[one_kind_of_line_break], validators=[
            DataRequired(_l("Please write something here.")), Length(max=NOTE_LENGTH)],
        render_kw={"rows": 4, "dir": "auto", "maxlength": NOTE_LENGTH})


def _passphrase(label) -> PasswordField:
    return PasswordField(label, validators=[DataRequired(_l("Type the passphrase.")), Length(
        min=MIN_PASSPHRASE_LENGTH, max=200, message=_l(
            "Use at least %(min)d characters: several words are easiest to remember.",
            min=MIN_PASSPHRASE_LENGTH))], render_kw={"autocomplete": "new-password"})


def _confirmation() -> PasswordField:
    return PasswordField(_l("The passphrase again"), validators=[
        EqualTo("passphrase", message=_l("The two passphrases differ."))],
        render_kw={"autocomplete": "new-password"})


class SetUpForm(Form):
    """The reviewer's first passphrase."""

    passphrase = _passphrase(_l("Passphrase"))
    confirm = _confirmation()
    understood = BooleanField(
        _l("I understand: if we lose both the passphrase and the recovery key, nobody can "
           "read our cases again."),
        validators=[DataRequired(_l("Tick this box once you have read the warning."))])


class UnlockForm(Form):
    """The passphrase that opens the inbox."""

    passphrase = PasswordField(_l("Passphrase"), validators=[
        DataRequired(_l("Type the passphrase."))], render_kw={"autocomplete": "off"})


class RecoverForm(Form):
    """A new passphrase, with the recovery key."""

    recovery_key = StringField(_l("Recovery key"), validators=[
        DataRequired(_l("Type the recovery key."))], render_kw={"autocomplete": "off"})
    passphrase = _passphrase(_l("New passphrase"))
    confirm = _confirmation()


class StageForm(Form):
    """Move a case on, with an optional note for the history."""

    stage = SelectField(_l("Stage"), coerce=str, validators=[DataRequired()])
    note = TextAreaField(_l("Note for the case history (optional)"), description=_l(
        "Only your organisation can read it."), filters=[one_kind_of_line_break],
        validators=[Optional(), Length(max=NOTE_LENGTH)], render_kw={"rows": 3, "dir": "auto"})


class ShareForm(Form):
    """A summary of a case for the consultation's hosts."""

    summary = TextAreaField(_l("Summary for the hosts"), description=_l(
        "The hosts and planners read exactly this, nothing else of the case. Leave out "
        "anything that could identify the person."), filters=[one_kind_of_line_break],
        validators=[DataRequired(_l("Write the summary to share.")),
                    Length(max=NOTE_LENGTH)], render_kw={"rows": 4, "dir": "auto"})


class SettingsForm(Form):
    """Deadlines and retention."""

    acknowledge_days = IntegerField(_l("Days to acknowledge a case"), validators=[
        InputRequired(), NumberRange(1, 365)])
    resolve_days = IntegerField(_l("Days to resolve a case"), validators=[
        InputRequired(), NumberRange(1, 3650)])
    retention_months = IntegerField(
        _l("Months a closed case is kept"), validators=[InputRequired(), NumberRange(1, 240)],
        description=_l("After this, the case's words and history are erased for good; its "
                       "category, stage and days stay in the statistics."))


class CategoriesForm(Form):
    """The categories' names in one language."""

    names = TextAreaField(_l("Categories, one per line"), filters=[one_kind_of_line_break],
                          validators=[DataRequired(_l("Give at least one category."))],
                          render_kw={"rows": 7, "dir": "auto"})


class ReviewerChoiceForm(Form):
    """The consultation's independent reviewer."""

    reviewer = SelectField(_l("Independent reviewer"), coerce=str, validators=[Optional()])
