"""The base of every form: Flask-WTF (CSRF), with WTForms' built-in messages translated by
our own catalogs, so no language falls back to English for them."""
from flask_babel import get_translations
from flask_wtf import FlaskForm


class _CatalogTranslations:
    """WTForms' translation interface, answered from Consult's catalogs."""

    def gettext(self, message: str) -> str:
        return get_translations().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """A CSRF-protected form whose every message is translated."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()


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
