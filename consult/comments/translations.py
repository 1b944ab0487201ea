"""Reviewed translations of participants' comments, for staff who read other languages.

The original is never changed: a translation sits beside it, one per language, written or
reviewed by a named staff member (a machine draft is only saved once someone reviewed it).
"""
import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.accounts.models import User
from consult.comments.models import Comment
from consult.extensions import db

#: Longest translation accepted (a comment translated may run longer than its original).
MAX_TRANSLATION_LENGTH = 10000


class CommentTranslation(db.Model):
    """A staff member's reviewed translation of a comment into one language."""

    __table_args__ = (UniqueConstraint("comment_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"),
                                            index=True)
    language: Mapped[str] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Text)
    #: Started from a machine draft (then reviewed and corrected by the staff member).
    machine_assisted: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    reviewed_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


def translations_of(comment_ids: list[int]) -> dict[int, list[CommentTranslation]]:
    """The translations of these comments, by comment id, in language order."""
    found: dict[int, list[CommentTranslation]] = {i: [] for i in comment_ids}
    if comment_ids:
        query = db.select(CommentTranslation).filter(
            CommentTranslation.comment_id.in_(comment_ids)).order_by(
            CommentTranslation.comment_id, CommentTranslation.language)
        for translation in db.session.scalars(query):
            found[translation.comment_id].append(translation)
    return found


def save_translation(comment: Comment, language: str, body: str, reviewer: User,
                     machine_assisted: bool = False) -> CommentTranslation:
    """Add or replace the comment's translation into language (flushes, never commits)."""
    if language == comment.language:
        raise ValueError("a comment is not translated into its own language")
    translation = db.session.scalar(db.select(CommentTranslation).filter_by(
        comment_id=comment.id, language=language))
    if translation is None:
        translation = CommentTranslation(comment_id=comment.id, language=language)
        db.session.add(translation)
    translation.body = body.strip()
    translation.machine_assisted = machine_assisted
    translation.reviewed_by_id = reviewer.id
    translation.reviewed_on = dt.date.today()
    db.session.flush()
    return translation


def delete_translation(comment: Comment, language: str) -> None:
    """Remove the comment's translation into language, if any."""
    db.session.execute(db.delete(CommentTranslation).filter_by(comment_id=comment.id,
                                                               language=language))
