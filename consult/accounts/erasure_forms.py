"""The staff form for erasing a participant's contribution on a lawful request."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from consult.consultations.forms import options
from consult.forms import Form

#: Lawful grounds for an erasure: recorded in the audit log as these codes, never with words.
GROUNDS = (
    # Translators: why staff erase a contribution: its author asked (a data protection request).
    ("participant_request", _l("The participant asked for it to be erased")),
    # Translators: why staff erase a contribution: a court, regulator or other authority ordered it.
    ("legal_order", _l("An authority or court ordered it")),
)
GROUND_LABELS = dict(GROUNDS)


class ErasureForm(Form):
    """What to erase (a comment by number, a response by receipt), and on what ground."""

    kind = RadioField(_l("What to erase"), default="comment", choices=options([
        ("comment", _l("A comment (its words)")),
        ("response", _l("A survey response (all its answers)"))]),
        validators=[DataRequired(_l("Choose what to erase."))])
    reference = StringField(
        _l("Comment number or receipt"),
        description=_l("A comment's number is in its link (…/comments/123). A receipt looks "
                       "like K7QM-4TXD."),
        validators=[DataRequired(_l("Enter the comment number or the receipt.")),
                    Length(max=40)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"})
    ground = SelectField(_l("Lawful ground"), choices=options(GROUNDS),
                         validators=[DataRequired(_l("Choose the lawful ground."))])
    #: "1" once staff saw what will be erased and confirmed.
    confirmed = HiddenField()
