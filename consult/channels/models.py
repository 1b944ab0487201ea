"""A consultation's messaging channels, the conversations held on them (keyed by a hash of the
number, never the number), the inbound messages already handled (for idempotency), and the few
numbers kept sealed because a later message is owed to them (a moderation notice, "you said,
we did"), each deleted once that message is sent or the consultation closes."""
import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import enum_column
from consult.consultations.models import Consultation
from consult.extensions import db


class Provider(enum.Enum):
    """The gateway a channel receives and sends through (credentials: configuration)."""

    RAPIDPRO = "rapidpro"
    AFRICASTALKING = "africastalking"
    TWILIO = "twilio"
    KANNEL = "kannel"


class Step(enum.Enum):
    """Where a conversation is."""

    LANGUAGE = "language"  # choosing a language
    QUESTION = "question"  # answering question_key
    DONE = "done"  # submitted: a receipt was given
    STOPPED = "stopped"  # the participant sent STOP; the keyword resumes


class CommentStep(enum.Enum):
    """Where a comment being written by SMS or USSD is (beside the survey's own step)."""

    MENU = "menu"  # USSD: answer the survey or comment?
    LANGUAGE = "language"  # choosing a language
    SECTION = "section"  # choosing the proposal as a whole or one of its sections
    TEXT = "text"  # the next message is the comment


class ChannelConnection(db.Model):
    """A number or shortcode on a provider, connected to one consultation by keyword(s)."""

    # Comments-only channels have no survey keywords: their comment keywords tell them apart
    # (a clash of keywords on one number is refused before this: services.keyword_clashes).
    __table_args__ = (UniqueConstraint("provider", "number", "keywords", "comment_keywords"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    provider: Mapped[Provider] = mapped_column(enum_column(Provider))
    #: The host's number or shortcode participants write to (public, not a participant's).
    number: Mapped[str] = mapped_column(String(32))
    #: Words that start the survey, space-separated, compared without case; empty on a
    #: comments-only channel (and allowed on USSD, where nobody types a keyword).
    keywords: Mapped[str] = mapped_column(String(200))
    survey_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Comments are taken here: by SMS after a comment keyword, by USSD from the first menu.
    comments_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Words that start a comment by SMS, space-separated, compared without case.
    comment_keywords: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Languages offered on this channel, space-separated, in order; empty: the consultation's.
    language_codes: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: A USSD service code (menus, sessions) rather than an SMS number.
    ussd: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    consultation: Mapped[Consultation] = relationship(lazy="joined", innerjoin=True)

    @property
    def keyword_list(self) -> list[str]:
        """The survey's keywords, upper-cased; none when the channel does not answer it."""
        return [k.upper() for k in self.keywords.split()] if self.survey_enabled else []

    @property
    def takes_survey(self) -> bool:
        """Whether the survey can be started here (SMS: it needs a survey keyword)."""
        return self.survey_enabled and (self.ussd or bool(self.keyword_list))

    @property
    def start_keyword(self) -> str:
        """The word a participant is told to send to begin: the survey's, else a comment's
        ("" on a USSD channel without keywords: nobody types one there)."""
        return next(iter([*self.keyword_list, *self.comment_keyword_list]), "")

    @property
    def comment_keyword_list(self) -> list[str]:
        """The comment keywords, upper-cased."""
        return [k.upper() for k in self.comment_keywords.split()]

    @property
    def takes_comments(self) -> bool:
        """Whether a comment can be started here (SMS: it needs a comment keyword)."""
        return self.comments_enabled and (self.ussd or bool(self.comment_keywords.strip()))

    @property
    def languages(self) -> list[str]:
        """Languages offered here: the channel's, among the consultation's, else all of them."""
        offered = self.consultation.languages
        chosen = [c for c in self.language_codes.split() if c in offered]
        return chosen or offered


class Conversation(db.Model):
    """One number's conversation on one channel: a keyed hash, never the number itself."""

    __table_args__ = (UniqueConstraint("connection_id", "number_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("channel_connection.id", ondelete="CASCADE"), index=True)
    #: HMAC-SHA256 of the number with CHANNEL_NUMBER_KEY (numbers.number_key).
    number_key: Mapped[str] = mapped_column(String(64))
    #: The participant's opaque respondent key (random; not derived from the number).
    respondent_key: Mapped[str] = mapped_column(String(64), unique=True)
    step: Mapped[Step] = mapped_column(enum_column(Step), default=Step.LANGUAGE)
    language: Mapped[str | None] = mapped_column(String(12))
    #: The question being asked (Step.QUESTION).
    question_key: Mapped[str | None] = mapped_column(String(80))
    #: USSD: the screen of the current question shown (its options paged to fit 182 characters).
    screen: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    #: Last day a message came (a day, never a time).
    seen_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: The comment being written, if one is (channels/comments.py); None otherwise.
    comment_step: Mapped[CommentStep | None] = mapped_column(enum_column(CommentStep))
    #: The section chosen for that comment; None: the proposal as a whole.
    comment_section_id: Mapped[int | None] = mapped_column(
        ForeignKey("section.id", ondelete="SET NULL"))
    #: The author key of this number's comments (random, not derived from the number; kept
    #: while the conversation lives, so blocks and new-participant limits hold).
    author_key: Mapped[str | None] = mapped_column(String(64))

    connection: Mapped[ChannelConnection] = relationship(lazy="joined", innerjoin=True)


class InboundMessage(db.Model):
    """An inbound message already handled: a gateway's retry gets the same reply, and
    nothing else happens. Holds no number and no text the participant sent."""

    __table_args__ = (UniqueConstraint("provider", "provider_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[Provider] = mapped_column(enum_column(Provider))
    provider_message_id: Mapped[str] = mapped_column(String(120))
    #: The reply given (sent once; returned again to a retry).
    reply: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


class ChannelComment(db.Model):
    """A comment that arrived by SMS or USSD: how to reach its author about it.

    sealed_number is set only while a message is owed (the first moderation decision, the
    outcome of an appeal sent by SMS) and emptied when it is sent; the row goes when the
    consultation closes. number_key lets the same number (and no other) appeal by reply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"),
                                            unique=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("channel_connection.id", ondelete="CASCADE"))
    #: HMAC of the author's number (numbers.number_key), as conversations are keyed.
    number_key: Mapped[str] = mapped_column(String(64), index=True)
    #: The number, sealed (numbers.seal: Fernet with no time in it); None when nothing is owed.
    sealed_number: Mapped[str | None] = mapped_column(Text)
    #: The language the author wrote in by SMS: notices use it.
    language: Mapped[str] = mapped_column(String(12))

    connection: Mapped[ChannelConnection] = relationship()


class ResultsFollowup(db.Model):
    """A number that asked, after answering the survey, to be sent "you said, we did" when it
    is published: sent once, then deleted; deleted unsent when the consultation closes. It
    names no response (the survey's answers stay unlinked from the number)."""

    __table_args__ = (UniqueConstraint("connection_id", "number_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("channel_connection.id", ondelete="CASCADE"))
    #: HMAC of the number, so a second YES keeps one row.
    number_key: Mapped[str] = mapped_column(String(64))
    #: The number, sealed (numbers.seal).
    sealed_number: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(12))

    connection: Mapped[ChannelConnection] = relationship()
