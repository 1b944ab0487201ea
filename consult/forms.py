"""The base of every form: Flask-WTF (CSRF), with WTForms' built-in messages translated by
our own catalogs, so no language falls back to English for them."""
from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import TextAreaField


class _CatalogTranslations:
    """WTForms' translation interface, answered from Consult's catalogs."""

    def gettext(self, message: str) -> str:
        return get_translations().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


def one_kind_of_line_break(text: str | None) -> str | None:
    """CR LF and CR as LF: browsers send CR LF but count a line break as one character for
    maxlength, so the server's length limits must count it the same way."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


class Form(FlaskForm):
    """A CSRF-protected form whose every message is translated."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()

        def bind_field(self, form, unbound_field, options):
            """Text areas get one kind of line break before any other filter or check."""
            if issubclass(unbound_field.field_class, TextAreaField):
                filters = unbound_field.kwargs.get("filters", ())
                options = {**options, "filters": (one_kind_of_line_break, *filters)}
            return unbound_field.bind(form=form, **options)


def _messages_for_the_catalog() -> None:  # pragma: no cover - never called
    """Marks the WTForms messages our forms can show, so `make i18n` extracts them."""
    from flask_babel import gettext, ngettext

    gettext("Not a valid choice.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 1)
    gettext("Not a valid date value.")
    gettext("Not a valid integer value.")
    gettext("This field is required.")
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1)
