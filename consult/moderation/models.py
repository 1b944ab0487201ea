"""Moderation records: reports, screening flags, the append-only decision log, appeals,
watched words, participant blocks and the restricted originals of redacted comments.

Nothing here stores a participant's address, agent or time of day. A decision made by a
moderator keeps its full time (staff activity); an automatic one keeps the day only, since its
time would be the time a participant posted or reported.
"""
import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User, enum_column
from consult.comments.models import Comment, CommentState
from consult.extensions import db


class Action(enum.Enum):
    """What a decision did."""

    APPROVE = "approve"
    REJECT = "reject"
    HIDE = "hide"
    RESTORE = "restore"
    REDACT = "redact"
    BLOCK = "block"
    UNBLOCK = "unblock"
    #: Automatic: screening held a new comment for review.
    HOLD = "hold"
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_OVERTURNED = "appeal_overturned"


class Reason(enum.Enum):
    """The coded reason every decision carries (shown to the author)."""

    SPAM = "spam"
    ABUSE = "abuse"
    THREAT = "threat"
    PERSONAL_INFORMATION = "personal_information"
    OFF_TOPIC = "off_topic"
    MISINFORMATION = "misinformation"
    DUPLICATE = "duplicate"
    OTHER = "other"
    #: Approvals, restorations and overturned decisions: nothing against the policy.
    WITHIN_POLICY = "within_policy"
    #: Automatic: hidden after reports from several participants, pending review.
    REPORTED = "reported"
    #: Automatic: held because it contains a watched word.
    WATCHED_WORD = "watched_word"


#: Reasons a moderator chooses from; REPORTED and WATCHED_WORD are the system's own.
MODERATOR_REASONS = tuple(r for r in Reason if r not in (Reason.REPORTED, Reason.WATCHED_WORD))
#: Reasons a participant may give when reporting a comment.
REPORT_REASONS = (Reason.SPAM, Reason.ABUSE, Reason.THREAT, Reason.PERSONAL_INFORMATION,
                  Reason.OFF_TOPIC, Reason.MISINFORMATION, Reason.OTHER)
#: Decisions against an author, which they may appeal once.
APPEALABLE = frozenset({Action.REJECT, Action.HIDE, Action.REDACT, Action.BLOCK})


class WordAction(enum.Enum):
    """What a watched word does to a new comment."""

    BLOCK = "block"  # refused, with a form error
    HOLD = "hold"  # pending, for a moderator to read first
    FLAG = "flag"  # published, and put in the queue


class AppealOutcome(enum.Enum):
    """How an appeal was decided."""

    UPHELD = "upheld"  # the decision stands
    OVERTURNED = "overturned"  # the decision is undone


class ParticipantBlock(db.Model):
    """A participant blocked from one consultation; lifting it keeps the row (active False)."""

    __table_args__ = (UniqueConstraint("consultation_id", "author_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    #: The blocked participant's opaque key (never shown, never exported).
    author_key: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ModerationDecision(db.Model):
    """One entry of the append-only decision log: who did what, when, why.

    Rows are never updated or deleted: ORM events refuse it (moderation/log.py) and so does a
    database trigger created with the table (and by migration 0006).
    """

    __table_args__ = (
        Index("ix_moderation_decision_comment", "comment_id", "id"),
        Index("ix_moderation_decision_consultation", "consultation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    #: The comment decided on (every decision is about one comment; a block writes one per
    #: comment it hides).
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"))
    #: The moderator; None for automatic decisions (reports, screening).
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    action: Mapped[Action] = mapped_column(enum_column(Action))
    reason: Mapped[Reason] = mapped_column(enum_column(Reason))
    #: Note to the author (shown to them on their own page); may be empty.
    note: Mapped[str] = mapped_column(Text, default="")
    #: The comment's state before and after.
    from_state: Mapped[CommentState] = mapped_column(enum_column(CommentState))
    to_state: Mapped[CommentState] = mapped_column(enum_column(CommentState))
    #: The day of the decision (every decision has one).
    decided_on: Mapped[dt.date] = mapped_column(Date)
    #: The full time of a moderator's decision (UTC); None for automatic ones.
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The block this decision made or lifted.
    block_id: Mapped[int | None] = mapped_column(ForeignKey("participant_block.id"))

    comment: Mapped[Comment] = relationship()
    moderator: Mapped[User | None] = relationship()

    @property
    def automatic(self) -> bool:
        """Made by the system (reports, screening), not by a moderator."""
        return self.moderator_id is None


class Appeal(db.Model):
    """An author's appeal against one decision (at most one per decision)."""

    __table_args__ = (Index("ix_appeal_consultation_open", "consultation_id", "outcome", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    #: The decision appealed against.
    decision_id: Mapped[int] = mapped_column(ForeignKey("moderation_decision.id"), unique=True)
    #: The author's short statement.
    statement: Mapped[str] = mapped_column(Text)
    #: The day only (the author's contribution).
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    outcome: Mapped[AppealOutcome | None] = mapped_column(enum_column(AppealOutcome))
    #: The decision that answered the appeal (a different moderator's).
    outcome_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_decision.id"))

    decision: Mapped[ModerationDecision] = relationship(foreign_keys=[decision_id])
    outcome_decision: Mapped[ModerationDecision | None] = relationship(
        foreign_keys=[outcome_decision_id])


class Report(db.Model):
    """A participant's report of a published comment (one per participant and comment)."""

    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_key"),
        Index("ix_report_queue", "consultation_id", "open", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    #: Opaque key of the reporter (one report each); never shown.
    reporter_key: Mapped[str] = mapped_column(String(64))
    reason: Mapped[Reason] = mapped_column(enum_column(Reason))
    #: Optional details from the reporter.
    note: Mapped[str] = mapped_column(Text, default="")
    #: Waiting for a moderator; closed by the next decision on the comment.
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


class ScreeningFlag(db.Model):
    """A new comment that screening held or flagged for a moderator to read."""

    __table_args__ = (Index("ix_screening_flag_queue", "consultation_id", "open", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    #: Reason.PERSONAL_INFORMATION or Reason.WATCHED_WORD.
    reason: Mapped[Reason] = mapped_column(enum_column(Reason))
    #: HOLD (pending) or FLAG (published).
    action: Mapped[WordAction] = mapped_column(enum_column(WordAction))
    #: The watched words found, for the moderator (never the personal data itself).
    words: Mapped[str] = mapped_column(Text, default="")
    open: Mapped[bool] = mapped_column(Boolean, default=True)


class WatchedWord(db.Model):
    """A word or phrase screened in new comments of one consultation, in one language."""

    __table_args__ = (UniqueConstraint("consultation_id", "language", "normalised"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    #: The word as the moderator typed it.
    word: Mapped[str] = mapped_column(String(100))
    #: Its matching form (analysis/screening.py: no case, accents or tatweel).
    normalised: Mapped[str] = mapped_column(String(200))
    #: Language code, or "*" for comments in every language.
    language: Mapped[str] = mapped_column(String(12))
    action: Mapped[WordAction] = mapped_column(enum_column(WordAction))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


class RedactionRecord(db.Model):
    """The original text of a redacted comment: restricted to moderators, never published."""

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"),
                                            index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("moderation_decision.id"))
    original: Mapped[str] = mapped_column(Text)
