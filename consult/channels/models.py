"""A consultation's messaging channels, the conversations held on them (keyed by a hash of the
number, never the number) and the inbound messages already handled (for idempotency)."""
import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, SmallInteger, String, Text, UniqueConstraint
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


class ChannelConnection(db.Model):
    """A number or shortcode on a provider, connected to one consultation by keyword(s)."""

    __table_args__ = (UniqueConstraint("provider", "number", "keywords"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    provider: Mapped[Provider] = mapped_column(enum_column(Provider))
    #: The host's number or shortcode participants write to (public, not a participant's).
    number: Mapped[str] = mapped_column(String(32))
    #: Words that start a conversation, space-separated, compared without case.
    keywords: Mapped[str] = mapped_column(String(200))
    survey_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    comments_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Languages offered on this channel, space-separated, in order; empty: the consultation's.
    language_codes: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: A USSD service code (menus, sessions) rather than an SMS number.
    ussd: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    consultation: Mapped[Consultation] = relationship(lazy="joined", innerjoin=True)

    @property
    def keyword_list(self) -> list[str]:
        """The keywords, upper-cased."""
        return [k.upper() for k in self.keywords.split()]

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
