"""The test-message form of a consultation's channels page: what a participant would text."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, ValidationError

from consult.forms import Form

#: Messages one preview plays at most (a whole survey is about fifteen).
MAX_MESSAGES = 40


def message_lines(text: str | None) -> list[str]:
    """The messages typed, one a line, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PreviewForm(Form):
    """A language and the messages a participant would send, one per line."""

    language = SelectField(_l("Language the participant chooses"), choices=[])
    messages = TextAreaField(
        # Translators: on the SMS test form; the keyword and language choice are sent first.
        _l("Messages the participant sends after choosing the language, one per line"),
        validators=[Length(max=4000, message=_l("Keep the messages under %(max)d characters "
                                                "in all."))],
        render_kw={"rows": 6})

    def validate_messages(self, field) -> None:
        """At most MAX_MESSAGES messages."""
        if len(message_lines(field.data)) > MAX_MESSAGES:
            raise ValidationError(str(_l("Send at most %(max)d messages at a time.",
                                         max=MAX_MESSAGES)))
