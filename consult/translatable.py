"""Model mixins for host-written text stored per field and language, with fallback."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.i18n import LocalText, pick_text


class TextRow:
    """Columns of a translation row: one field of one object in one language."""

    #: Name of the translated field, e.g. "title".
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: Language code of this text, e.g. "fr".
    language: Mapped[str] = mapped_column(String(12), primary_key=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)


class Translatable:
    """An object whose fields in TRANSLATED_FIELDS are kept in a `texts` collection."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()
    #: The model class of this object's translation rows (set by each subclass).
    TEXT_MODEL: type

    @property
    def content_default_language(self) -> str:
        """The language whose text stands in when a translation is missing."""
        raise NotImplementedError

    def texts_for(self, field: str) -> dict[str, str]:
        """Every language's text of one field."""
        return {row.language: row.text for row in self.texts if row.field == field}

    def text(self, field: str, language: str) -> LocalText:
        """A field in language, falling back to the default language."""
        return pick_text(self.texts_for(field), language, self.content_default_language)

    def set_text(self, field: str, language: str, value: str | None) -> None:
        """Set (or clear, with an empty value) one field in one language."""
        if field not in self.TRANSLATED_FIELDS:
            raise KeyError(field)
        value = (value or "").strip()
        row = next((r for r in self.texts if r.field == field and r.language == language), None)
        if row is not None and not value:
            self.texts.remove(row)
        elif row is not None:
            row.text = value
        elif value:
            self.texts.append(self.TEXT_MODEL(field=field, language=language, text=value))

    def missing_in(self, language: str) -> bool:
        """Whether some field written in another language has no text in language."""
        present = {(r.field, r.language) for r in self.texts}
        return any((field, language) not in present for field, _ in present)

    def translated_count(self, language: str) -> int:
        """How many of this object's fields that have any text also have text in language."""
        present = {(r.field, r.language) for r in self.texts}
        fields = {f for f, _ in present}
        return sum((f, language) in present for f in fields)
