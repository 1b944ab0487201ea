"""Planners' edits of the computed themes: rename, merge, split (replayed by
consult.analysis.theme_edits). Each edit keeps the theme's key and terms when it was made, so
it can find its theme again after a recomputation. Operations flush, never commit.
"""
import datetime as dt
import enum

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User, enum_column
from consult.analysis.theme_edits import ThemeEdit as Replayable
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.translatable import TextRow, Translatable


class ThemeEditKind(enum.Enum):
    """What a planner did to a theme."""

    RENAME = "rename"
    MERGE = "merge"
    SPLIT = "split"


class ThemeEditText(TextRow, db.Model):
    """A renamed theme's name in one language."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("theme_edit.id", ondelete="CASCADE"), primary_key=True)


class ThemeEdit(Translatable, db.Model):
    """One planner edit of one theme of one source of free text."""

    TRANSLATED_FIELDS = ("name",)
    TEXT_MODEL = ThemeEditText

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    #: "question:KEY" or "comments".
    source: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ThemeEditKind] = mapped_column(enum_column(ThemeEditKind))
    theme_key: Mapped[str] = mapped_column(String(400))
    #: The theme's characteristic terms when the edit was made (a JSON list).
    terms: Mapped[list] = mapped_column(JSON)
    #: A merge's target theme, and its terms then.
    target_key: Mapped[str | None] = mapped_column(String(400))
    target_terms: Mapped[list | None] = mapped_column(JSON)
    # Staff actions keep who and when (participants' contributions never carry a time).
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=lambda: dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))

    consultation: Mapped[Consultation] = relationship()
    created_by: Mapped[User | None] = relationship(lazy="joined")
    texts: Mapped[list[ThemeEditText]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """Fallback language: the consultation's default."""
        return self.consultation.default_language

    def replayable(self) -> Replayable:
        """The edit as the pure replay reads it."""
        return Replayable(self.id, self.kind.value, self.theme_key, tuple(self.terms),
                          self.target_key, tuple(self.target_terms or ()),
                          self.texts_for("name"))


def edits_of(consultation: Consultation, source: str | None = None) -> list[ThemeEdit]:
    """The consultation's theme edits (of one source), oldest first."""
    query = db.select(ThemeEdit).filter_by(consultation_id=consultation.id)
    if source is not None:
        query = query.filter_by(source=source)
    return list(db.session.scalars(query.order_by(ThemeEdit.id)))


def edits_revision(consultation: Consultation) -> tuple:
    """Changes whenever an edit is made or undone (edits are never changed in place). The
    time is there because SQLite reuses the id of a deleted last row."""
    return tuple(db.session.execute(
        db.select(db.func.count(ThemeEdit.id), db.func.max(ThemeEdit.id),
                  db.func.max(ThemeEdit.created_at))
        .filter(ThemeEdit.consultation_id == consultation.id)).one())


def get_edit(consultation: Consultation, edit_id: int) -> ThemeEdit | None:
    """One of the consultation's edits."""
    found = db.session.get(ThemeEdit, edit_id)
    return found if found is not None and found.consultation_id == consultation.id else None


def add_edit(consultation: Consultation, source: str, kind: ThemeEditKind, key: str,
             terms, user: User, target=None, names: dict[str, str] | None = None) -> ThemeEdit:
    """Record an edit; target: (key, terms) of a merge's target."""
    edit = ThemeEdit(consultation=consultation, source=source, kind=kind, theme_key=key,
                     terms=list(terms), created_by=user,
                     target_key=target[0] if target else None,
                     target_terms=list(target[1]) if target else None)
    for language, name in (names or {}).items():
        edit.set_text("name", language, name)
    db.session.add(edit)
    db.session.flush()
    return edit


def undo_edit(edit: ThemeEdit) -> None:
    """Remove an edit; the themes are replayed without it."""
    db.session.delete(edit)
    db.session.flush()
