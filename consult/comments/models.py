"""Comments (every one also a statement people vote on) and their votes.

Counters on a comment (votes, replies) are kept by the services in the same transaction as
the change they count, so a thread page reads them instead of aggregating a million votes.
"""
import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import enum_column
from consult.analysis.cell_key import new_key
from consult.consultations.models import Consultation, Section
from consult.extensions import db
from consult.surveys.models import Channel


class CommentState(enum.Enum):
    """Where a comment is in moderation; only published ones are shown with their text."""

    PENDING = "pending"
    PUBLISHED = "published"
    HIDDEN = "hidden"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class VoteChoice(enum.Enum):
    """A participant's reaction to a statement."""

    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"


#: The counter column of each choice.
COUNTER = {VoteChoice.AGREE: "agree_count", VoteChoice.DISAGREE: "disagree_count",
           VoteChoice.PASS: "pass_count"}


class Comment(db.Model):
    """A comment on a consultation or one of its sections, perhaps a reply to another.

    Deliberately no time of day (only the day) and no author identity beyond an opaque key.
    """

    __table_args__ = (
        # One index per thread order, so the first page of any sort reads about 20 rows.
        Index("ix_comment_thread_newest", "consultation_id", "section_id", "parent_id", "id"),
        Index("ix_comment_thread_agreed", "consultation_id", "section_id", "parent_id",
              "agree_count", "id"),
        Index("ix_comment_thread_discussed", "consultation_id", "section_id", "parent_id",
              "reply_count", "id"),
        Index("ix_comment_thread_priority", "consultation_id", "section_id", "parent_id",
              "priority", "id"),
        # The "vote on statements" page: every top-level statement, highest priority first.
        Index("ix_comment_consultation_priority", "consultation_id", "priority", "id"),
        Index("ix_comment_parent_id", "parent_id", "id"),
        # A participant's own comments (pending ones in a thread, their receipt page): with
        # every thread column, so no planner prefers a thread index and scans the thread.
        Index("ix_comment_author", "author_key", "consultation_id", "section_id", "parent_id",
              "state"),
        # Counts by state (the consultation page, the moderation queue) from the index alone.
        Index("ix_comment_consultation_id_state", "consultation_id", "state"),
        # The moderation queue: pending comments apart from those held by screening.
        Index("ix_comment_moderation_queue", "consultation_id", "state", "moderation_reason",
              "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    #: The section commented on; None for the consultation as a whole.
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    #: The comment this one replies to; None for a top-level comment.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    #: 0 for top-level comments, parent's depth + 1 for replies.
    depth: Mapped[int] = mapped_column(Integer, default=0)
    #: Opaque participant key of the author (recognises them; never shown). Imported
    #: comments keep their source's author id here, e.g. "polis:17".
    author_key: Mapped[str] = mapped_column(String(64))
    #: Plain text as typed (never HTML); rendered escaped, with links and line breaks.
    body: Mapped[str] = mapped_column(Text)
    #: Language code of the body (comments/language.py).
    language: Mapped[str] = mapped_column(String(12))
    state: Mapped[CommentState] = mapped_column(enum_column(CommentState))
    #: The day only: a precise time could link a comment to a person.
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: How it arrived, where recorded (SMS, USSD); None: the web, the API or an import.
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel))
    #: A statement about the conversation itself (Pol.is "meta"); routed and analysed apart.
    is_meta: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The id the comment had where it was imported from (e.g. a Pol.is comment-id).
    external_id: Mapped[str | None] = mapped_column(String(40))
    #: Random key sent with the form: a repeated post (double tap) finds the first comment.
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    agree_count: Mapped[int] = mapped_column(Integer, default=0)
    disagree_count: Mapped[int] = mapped_column(Integer, default=0)
    pass_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Published direct replies.
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Routing priority (analysis/routing.py) from the counters; a hint, refreshed on each vote.
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    #: How far the statement's own projection lies from the centre of the opinion space, from
    #: the last opinion-group computation (0 until then); it raises the routing priority of
    #: statements that tell the groups apart.
    extremity: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    #: Reason code (moderation.models.Reason) of the moderation that last changed how the
    #: comment is shown: why it is held, hidden or rejected, or what a redaction removed.
    moderation_reason: Mapped[str | None] = mapped_column(String(24))
    #: Parts of the body were replaced by a marker; the original is in a restricted record.
    redacted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Random cell key (0..255) fixed when written, for the perturbation of the public
    #: moderation statistics (analysis/cell_key.py); never derived from the author.
    cell_key: Mapped[int] = mapped_column(SmallInteger, default=new_key, server_default="0")

    consultation: Mapped[Consultation] = relationship()
    section: Mapped[Section | None] = relationship()

    @property
    def vote_count(self) -> int:
        """Votes of every kind."""
        return self.agree_count + self.disagree_count + self.pass_count


class Vote(db.Model):
    """One participant's latest vote on one statement (a changed vote replaces the row)."""

    __table_args__ = (
        UniqueConstraint("comment_id", "voter_key"),
        Index("ix_vote_consultation_id_voter_key", "consultation_id", "voter_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    #: The comment's consultation, so a consultation's votes are read without a join.
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    #: Opaque participant key (imported votes: e.g. "polis:17").
    voter_key: Mapped[str] = mapped_column(String(64))
    choice: Mapped[VoteChoice] = mapped_column(enum_column(VoteChoice))
    #: The choice this vote replaced, written by the same upsert, so the counters can be
    #: corrected exactly even when two votes of one person race.
    previous: Mapped[VoteChoice | None] = mapped_column(enum_column(VoteChoice))
