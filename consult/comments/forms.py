"""The comment form (new comments and replies share it)."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from consult.comments.text import MAX_LENGTH, normalise
from consult.forms import Form


class CommentForm(Form):
    """A comment or a reply: plain text, up to MAX_LENGTH characters."""

    body = TextAreaField(
        _l("Your comment"),
        description=_l("Plain text, up to %(max)s characters. Links are allowed. Others see it "
                       "under a pseudonym, never your name.", max=MAX_LENGTH),
        validators=[DataRequired(_l("Write your comment first.")),
                    Length(max=MAX_LENGTH, message=_l("Keep it to %(max)d characters or "
                                                      "fewer."))],
        filters=[lambda value: normalise(value) if value else value],
        render_kw={"rows": 5, "maxlength": MAX_LENGTH})
