"""Programmes: consultations run as rounds, the indicators the community chose and follows
round after round, the providers' self-assessments, and the commitments (the joint action
plan) with their append-only timelines.

What is kept and why: a programme, its rounds and indicators are host-written and public once
a round's results are published. Self-assessments are staff answers, kept per person so each
may correct their own, published only as aggregates. A commitment's current state is on its
row; every change is also a CommitmentUpdate (append-only, consult.append_only), so nothing
the public was told is ever overwritten silently.
"""
import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Organisation, User, enum_column
from consult.append_only import guard
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.i18n import LocalText, pick_text
from consult.translatable import TextRow, Translatable


class ProgrammeText(TextRow, db.Model):
    """One translated field of a programme (title, description)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True)


class Programme(Translatable, db.Model):
    """A series of consultations (rounds) following the same indicators over time."""

    TRANSLATED_FIELDS = ("title", "description")
    TEXT_MODEL = ProgrammeText

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable, readable identifier in every URL; the same in every language.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    host_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    default_language: Mapped[str] = mapped_column(String(12))
    #: Offered languages, space-separated, the default first.
    language_codes: Mapped[str] = mapped_column(String(120))
    #: SPDX id of the licence of the programme's open data (consult/summaries/open_data.py).
    data_licence: Mapped[str] = mapped_column(String(40), default="CC-BY-4.0")
    #: Whether the public programme page is listed (it is shown only once a round's results
    #: are published, whatever this says).
    listed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: Bumped by every change to the programme, its indicators, commitments or rounds, so kept
    #: renderings know they are stale (a round's own data moves its consultation's revision).
    revision: Mapped[int] = mapped_column(Integer, default=1)

    host: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    texts: Mapped[list[ProgrammeText]] = relationship(cascade="all, delete-orphan",
                                                      lazy="selectin")
    rounds: Mapped[list["ProgrammeRound"]] = relationship(
        back_populates="programme", order_by="ProgrammeRound.position",
        cascade="all, delete-orphan")
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="programme", order_by="Indicator.position",
        cascade="all, delete-orphan")
    statuses: Mapped[list["CommitmentStatus"]] = relationship(
        back_populates="programme", order_by="CommitmentStatus.position",
        cascade="all, delete-orphan")
    auditors: Mapped[list["ProgrammeAuditor"]] = relationship(cascade="all, delete-orphan")

    @property
    def content_default_language(self) -> str:
        """The language whose text stands in when a translation is missing."""
        return self.default_language

    @property
    def languages(self) -> list[str]:
        """Offered language codes, the default first."""
        return self.language_codes.split()


class ProgrammeRound(db.Model):
    """A consultation taken as one round of a programme, in order."""

    __table_args__ = (UniqueConstraint("programme_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    #: A consultation is a round of one programme at most.
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), unique=True)
    #: 1 for the first round.
    position: Mapped[int] = mapped_column(SmallInteger)

    programme: Mapped[Programme] = relationship(back_populates="rounds")
    consultation: Mapped[Consultation] = relationship(lazy="joined", innerjoin=True)


class IndicatorKind(enum.Enum):
    """The kind of question an indicator is scored with."""

    LIKERT = "likert"  # five ordered options; the top two are "agreeing"
    SCALE = "scale"  # a number from 0 to 10; the mean is followed
    CHOICE = "choice"  # one option of several; the favourable ones are counted


class Direction(enum.Enum):
    """Whether a higher score means things got better or worse."""

    HIGHER_IS_BETTER = "higher_better"
    HIGHER_IS_WORSE = "higher_worse"


class IndicatorText(TextRow, db.Model):
    """One translated field of an indicator (name: its short name)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)


class Indicator(Translatable, db.Model):
    """A question followed across a programme's rounds, by its stable key."""

    TRANSLATED_FIELDS = ("name",)
    TEXT_MODEL = IndicatorText
    __table_args__ = (UniqueConstraint("programme_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    #: The key of the question in every round's survey (rounds copy keys, so answers compare).
    question_key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[IndicatorKind] = mapped_column(enum_column(IndicatorKind))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction),
                                                 default=Direction.HIGHER_IS_BETTER)
    #: For a single choice: the option keys counted as favourable; [] otherwise.
    favourable: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(SmallInteger)
    adopted_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: The proposal it was adopted from, which names the community's words it came from;
    #: None when the host defined it directly (the page says so).
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_proposal.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship(back_populates="indicators")
    texts: Mapped[list[IndicatorText]] = relationship(cascade="all, delete-orphan",
                                                      lazy="selectin")
    proposal: Mapped["IndicatorProposal | None"] = relationship()

    @property
    def content_default_language(self) -> str:
        """The programme's default language."""
        return self.programme.default_language


class ProposalSource(enum.Enum):
    """Where a proposed indicator came from."""

    COMMENT = "comment"  # a published comment of a round
    THEME = "theme"  # a theme of a round's free text, as the planners named it
    HOST = "host"  # written by the host (shown as such)


class ProposalState(enum.Enum):
    """A proposal is put to the vote, then adopted or declined."""

    OPEN = "open"
    ADOPTED = "adopted"
    DECLINED = "declined"


class ProposalText(TextRow, db.Model):
    """One translated field of a proposal (text: the indicator in words)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("indicator_proposal.id", ondelete="CASCADE"), primary_key=True)


class IndicatorProposal(Translatable, db.Model):
    """A proposed indicator, drawn from the community's words and put to the vote.

    It is voted on as a statement: the proposal is posted, as the host, as a published
    statement (`statement_id`) in a round's thread, so participants agree, disagree or pass
    on it with the same votes, limits and opinion groups as any other statement.
    """

    TRANSLATED_FIELDS = ("text",)
    TEXT_MODEL = ProposalText

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    source: Mapped[ProposalSource] = mapped_column(enum_column(ProposalSource))
    #: The round (consultation) the source belongs to.
    source_consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL"))
    #: The published comment it was promoted from.
    source_comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="SET NULL"))
    #: The theme's key and the planners' name for it, as shown when it was promoted.
    source_theme_key: Mapped[str | None] = mapped_column(String(400))
    source_theme_name: Mapped[str | None] = mapped_column(String(200))
    #: The statement participants vote on (a comment of the round it is put to).
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="SET NULL"), index=True)
    state: Mapped[ProposalState] = mapped_column(enum_column(ProposalState),
                                                 default=ProposalState.OPEN)
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    programme: Mapped[Programme] = relationship()
    texts: Mapped[list[ProposalText]] = relationship(cascade="all, delete-orphan",
                                                     lazy="selectin")
    source_consultation: Mapped[Consultation | None] = relationship(
        foreign_keys=[source_consultation_id])

    @property
    def content_default_language(self) -> str:
        """The programme's default language."""
        return self.programme.default_language


class SelfAssessment(db.Model):
    """One staff member's score of one indicator in one round (the providers' own form).

    Kept per person so each may correct their own score while the round is open; published
    only as the round's aggregate beside the community's.
    """

    __table_args__ = (UniqueConstraint("round_id", "indicator_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("programme_round.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    #: The organisation the person scored for (one of theirs).
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    #: Likert and single choice: the option chosen; scales: None.
    option_key: Mapped[str | None] = mapped_column(String(80))
    #: Scales: the number chosen; others: None.
    number: Mapped[float | None] = mapped_column(Float)
    scored_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)

    organisation: Mapped[Organisation] = relationship()


class StatusText(TextRow, db.Model):
    """One translated field of a commitment status (label)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("commitment_status.id", ondelete="CASCADE"), primary_key=True)


class CommitmentStatus(Translatable, db.Model):
    """One status of a programme's configurable list (planned, under way, done ...)."""

    TRANSLATED_FIELDS = ("label",)
    TEXT_MODEL = StatusText
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(SmallInteger)
    #: Whether a commitment in this status is finished (kept or dropped): not overdue.
    closed: Mapped[bool] = mapped_column(Boolean, default=False)

    programme: Mapped[Programme] = relationship(back_populates="statuses")
    texts: Mapped[list[StatusText]] = relationship(cascade="all, delete-orphan",
                                                   lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """The programme's default language."""
        return self.programme.default_language


class CommitmentText(TextRow, db.Model):
    """One translated field of a commitment (title, description)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True)


class Commitment(Translatable, db.Model):
    """A promise of the joint action plan: what, who, by when, how far along."""

    TRANSLATED_FIELDS = ("title", "description")
    TEXT_MODEL = CommitmentText

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    #: Who answers for it (an organisation, office or role, as the plan names it).
    responsible: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status_id: Mapped[int] = mapped_column(ForeignKey("commitment_status.id"))
    #: 0 to 100.
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)

    programme: Mapped[Programme] = relationship()
    status: Mapped[CommitmentStatus] = relationship(lazy="joined", innerjoin=True)
    texts: Mapped[list[CommitmentText]] = relationship(cascade="all, delete-orphan",
                                                       lazy="selectin")
    links: Mapped[list["CommitmentLink"]] = relationship(cascade="all, delete-orphan",
                                                         lazy="selectin")
    updates: Mapped[list["CommitmentUpdate"]] = relationship(
        order_by="CommitmentUpdate.id", viewonly=True)

    @property
    def content_default_language(self) -> str:
        """The programme's default language."""
        return self.programme.default_language


class LinkKind(enum.Enum):
    """What a commitment answers."""

    INDICATOR = "indicator"
    THEME = "theme"  # a theme of a round's free text, by its key
    STATEMENT = "statement"  # a published comment of a round
    QUESTION = "question"  # a question of a round's survey, by its key


class CommitmentLink(db.Model):
    """One thing a commitment answers: an indicator, or a round's theme, statement or question.

    Receipts find the commitments that answer what a participant said through these links.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column(LinkKind))
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    #: The round of a theme, statement or question.
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    #: A theme's or a question's key.
    key: Mapped[str | None] = mapped_column(String(400))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True)

    indicator: Mapped[Indicator | None] = relationship()


class CommitmentUpdate(db.Model):
    """One dated entry of a commitment's public timeline: the state it was left in, what
    changed, and the planners' translated note. Append-only: nothing is overwritten."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No foreign key cascade: the timeline outlives nothing, and is never rewritten.
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    #: The day it happened (the staff audit log keeps the time).
    created_on: Mapped[dt.date] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    status_key: Mapped[str] = mapped_column(String(40))
    progress: Mapped[int] = mapped_column(SmallInteger)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(String(200))
    #: The parts changed from the entry before, comma-separated ("" for the first entry):
    #: status, progress, due, responsible, title, description.
    changed: Mapped[str] = mapped_column(String(80), default="")
    #: {field: {language: text}}: the note of this entry, and the title and description as
    #: they were then.
    texts: Mapped[dict] = mapped_column(JSON, default=dict)

    author: Mapped[User | None] = relationship()

    def text(self, field: str, language: str, default_language: str) -> LocalText:
        """A field of this entry in language, falling back to default_language."""
        return pick_text(self.texts.get(field, {}), language, default_language)

    @property
    def changed_parts(self) -> list[str]:
        """The parts this entry changed (empty for the first)."""
        return [part for part in self.changed.split(",") if part]


guard(CommitmentUpdate)


class ProgrammeAuditor(db.Model):
    """A staff account given read-only audit of one programme: the planner reports of its
    rounds without participant text, the staff audit log and the moderation statistics."""

    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"),
                                         index=True)
    added_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
