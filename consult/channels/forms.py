"""The form that connects a number, shortcode or USSD code to a consultation."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from consult.channels.models import Provider
from consult.consultations.forms import options
from consult.forms import Form

PROVIDER_LABELS = {
    Provider.AFRICASTALKING: _l("Africa's Talking"),
    Provider.KANNEL: _l("Kannel (your own SMS gateway)"),
    # Translators: RapidPro and TextIt (a hosted RapidPro) are names of messaging platforms:
    # keep them as they are.
    Provider.RAPIDPRO: _l("RapidPro or TextIt"),
    # Translators: the name of an SMS company: usually kept as it is.
    Provider.TWILIO: _l("Twilio"),
}
#: Providers offered on the connect form (those whose adapters exist: all of them now).
AVAILABLE = (Provider.AFRICASTALKING, Provider.KANNEL, Provider.RAPIDPRO, Provider.TWILIO)


class ConnectForm(Form):
    """Connect a channel: provider, number or code, keywords, languages, what it answers."""

    provider = SelectField(_l("Provider"), choices=options(
        (p.value, PROVIDER_LABELS[p]) for p in AVAILABLE))
    number = StringField(_l("Number, shortcode or USSD code"), validators=[
        DataRequired(_l("Give the number people write to.")), Length(max=32),
        Regexp(r"^[0-9+*# ]+$", message=_l("Use digits, and + * # only."))])
    keywords = StringField(_l("Keywords (separated by spaces)"), validators=[
        DataRequired(_l("Give at least one keyword.")), Length(max=200),
        Regexp(r"^[\w ]+$", message=_l("Use letters and digits only."))])
    comment_keywords = StringField(
        _l("Comment keywords (separated by spaces; empty: no comments by text message)"),
        validators=[Length(max=200), Regexp(r"^[\w ]*$",
                                            message=_l("Use letters and digits only."))])
    languages = StringField(_l("Languages offered (codes, e.g. fr ar; empty: all of the "
                               "consultation's)"), validators=[Length(max=120)])
    ussd = BooleanField(_l("This is a USSD service code (menus), not an SMS number"))

    def validate_ussd(self, field) -> None:
        """Only Africa's Talking carries USSD sessions among the providers offered."""
        if field.data and self.provider.data != Provider.AFRICASTALKING.value:
            raise ValidationError(_l("Only Africa's Talking offers USSD here."))
