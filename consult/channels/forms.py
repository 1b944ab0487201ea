"""The form that connects a number, shortcode or USSD code to a consultation."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField
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
#: What a channel takes: the survey, comments, or both.
TAKES = (("survey", _l("Answers the survey")),
         ("comments", _l("Takes comments only")),
         ("both", _l("Answers the survey and takes comments")))


class ConnectForm(Form):
    """Connect a channel: provider, number or code, what it takes (the survey and/or
    comments, each started by its keywords on SMS), languages."""

    provider = SelectField(_l("Provider"), choices=options(
        (p.value, PROVIDER_LABELS[p]) for p in AVAILABLE))
    number = StringField(_l("Number, shortcode or USSD code"), validators=[
        DataRequired(_l("Give the number people write to.")), Length(max=32),
        Regexp(r"^[0-9+*# ]+$", message=_l("Use digits, and + * # only."))])
    # An absent field (a scripted post) reads as the default: the survey, as before.
    takes = RadioField(_l("This channel"), choices=options(TAKES), default="survey")
    # Either may be empty (checked together below): no Optional(), which would skip that.
    keywords = StringField(_l("Survey keywords (separated by spaces)"), validators=[
        Length(max=200), Regexp(r"^[\w ]*$", message=_l("Use letters and digits only."))])
    comment_keywords = StringField(
        _l("Comment keywords (separated by spaces)"),
        validators=[Length(max=200),
                    Regexp(r"^[\w ]*$", message=_l("Use letters and digits only."))])
    languages = StringField(_l("Languages offered (codes, e.g. fr ar; empty: all of the "
                               "consultation's)"), validators=[Length(max=120)])
    ussd = BooleanField(_l("This is a USSD service code (menus), not an SMS number"))

    #: Whether the consultation has a survey to answer (set by the view).
    has_survey = True

    @property
    def survey(self) -> bool:
        """Whether the channel answers the survey."""
        return self.takes.data in ("survey", "both")

    @property
    def comments(self) -> bool:
        """Whether the channel takes comments."""
        return self.takes.data in ("comments", "both")

    def validate_takes(self, field) -> None:
        """A consultation without a survey can open a comments channel only."""
        if self.survey and not self.has_survey:
            raise ValidationError(_l("This consultation has no survey: choose “Takes "
                                     "comments only”."))

    def _neither(self) -> bool:
        """An SMS channel given no keyword at all (USSD needs none: it has menus)."""
        return not self.ussd.data and not (self.keywords.data or "").split() and \
            not (self.comment_keywords.data or "").split()

    def validate_keywords(self, field) -> None:
        """SMS needs a word to start the survey; a comments-only channel has none."""
        words = (field.data or "").split()
        if words and not self.survey:
            raise ValidationError(_l("This channel does not answer the survey: leave its "
                                     "keywords empty, or choose that it answers the survey."))
        if self._neither() and self.takes.data != "comments":
            raise ValidationError(_l("Give survey keywords, comment keywords, or both."))
        if self.survey and not words and not self.ussd.data and not self._neither():
            raise ValidationError(_l("Give at least one keyword that starts the survey."))

    def validate_comment_keywords(self, field) -> None:
        """Comment keywords belong to a channel taking comments, and differ from the
        survey's."""
        words = {w.upper() for w in (field.data or "").split()}
        if self.comments and not words and not self.ussd.data and \
                (self.takes.data == "comments" or not self._neither()):
            raise ValidationError(_l("Give at least one keyword that starts a comment."))
        if words and not self.comments:
            raise ValidationError(_l("This channel takes no comments: leave its keywords "
                                     "empty, or choose that it takes comments."))
        if words & {w.upper() for w in (self.keywords.data or "").split()}:
            raise ValidationError(_l("A word cannot start both the survey and a comment."))

    def validate_ussd(self, field) -> None:
        """Only Africa's Talking carries USSD sessions among the providers offered."""
        if field.data and self.provider.data != Provider.AFRICASTALKING.value:
            raise ValidationError(_l("Only Africa's Talking offers USSD here."))
