"""Consultations, their sections, partner organisations and translated texts."""
import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Organisation, enum_column
from consult.consultations.lifecycle import (
    ModerationMode,
    ParticipationMode,
    State,
    Visibility,
    allows,
    effective_state,
)
from consult.extensions import db
from consult.translatable import TextRow, Translatable

consultation_partner = Table(
    "consultation_partner",
    db.metadata,
    Column("consultation_id", ForeignKey("consultation.id", ondelete="CASCADE"),
           primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"),
           primary_key=True),
)

#: Partner organisations whose moderators the host lets moderate this consultation.
moderation_grant = Table(
    "moderation_grant",
    db.metadata,
    Column("consultation_id", ForeignKey("consultation.id", ondelete="CASCADE"),
           primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"),
           primary_key=True),
)


class ConsultationText(TextRow, db.Model):
    """One translated field of a consultation (title, summary, body)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True)


class SectionText(TextRow, db.Model):
    """One translated field of a section (title, body)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), primary_key=True)


class Consultation(Translatable, db.Model):
    """A proposed intervention put to the people it affects."""

    TRANSLATED_FIELDS = ("title", "summary", "body", "moderation_policy")
    TEXT_MODEL = ConsultationText

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable, readable identifier in every URL and the CLI; the same in every language.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    host_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id"), index=True)
    state: Mapped[State] = mapped_column(enum_column(State), default=State.DRAFT, index=True)
    opens_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The last day of participation, in time_zone: the day after, nothing new is taken.
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    #: IANA name of the time zone the consultation's days are counted in.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    moderation_mode: Mapped[ModerationMode] = mapped_column(
        enum_column(ModerationMode), default=ModerationMode.POST)
    participation_mode: Mapped[ParticipationMode] = mapped_column(
        enum_column(ParticipationMode), default=ParticipationMode.ANONYMOUS)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PUBLIC)
    #: Smallest count published in any aggregate of this consultation.
    min_cell_size: Mapped[int] = mapped_column(SmallInteger, default=10)
    #: The host publishes the themes of what people wrote on the public results (those of k
    #: answers or more; survey answers are never quoted there). Off until the host says so.
    publish_themes: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=sa_false())
    default_language: Mapped[str] = mapped_column(String(12))
    #: Offered languages, space-separated codes in the host's order (default first).
    language_codes: Mapped[str] = mapped_column(String(120))
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: The independent reviewer organisation that receives this consultation's grievances
    #: (consult/grievances); None: no grievance channel.
    reviewer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True)
    #: Months the raw data (answers, free text, participant keys) is kept once the results
    #: are published; then it is deleted, the published aggregates kept (retention.py).
    retention_months: Mapped[int] = mapped_column(SmallInteger, default=12, server_default="12")
    #: The licence of the published aggregates as open data (an SPDX id, consult/summaries/
    #: open_data.py lists the choices).
    data_licence: Mapped[str] = mapped_column(String(40), default="CC-BY-4.0",
                                              server_default="CC-BY-4.0")
    #: Bumped by every change, so cached renderings know they are stale.
    revision: Mapped[int] = mapped_column(Integer, default=1)

    host: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True,
                                              foreign_keys=[host_organisation_id])
    partners: Mapped[list[Organisation]] = relationship(
        secondary=consultation_partner, order_by=Organisation.name)
    #: Partners whose moderators may moderate here too (granted by the host).
    moderating_partners: Mapped[list[Organisation]] = relationship(
        secondary=moderation_grant, order_by=Organisation.name)
    texts: Mapped[list[ConsultationText]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")
    sections: Mapped[list["Section"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan",
        order_by="Section.position", lazy="selectin")

    @property
    def languages(self) -> list[str]:
        """Offered language codes, default first."""
        return self.language_codes.split()

    @property
    def content_default_language(self) -> str:
        """Fallback language for this consultation's texts."""
        return self.default_language

    @property
    def effective_state(self) -> State:
        """The state as participants meet it: closed once closes_on is over (lifecycle)."""
        return effective_state(self.state, self.closes_on, self.time_zone)

    def allows(self, activity: str) -> bool:
        """Whether the effective state allows activity (see lifecycle.ALLOWS)."""
        return allows(self.effective_state, activity)

    def missing_translations(self, language: str) -> bool:
        """Whether any text of the consultation or its sections is missing in language."""
        return any(item.missing_in(language) for item in (self, *self.sections))

    def organisation_ids(self) -> set[int]:
        """The host and every partner organisation."""
        return {self.host_organisation_id, *(p.id for p in self.partners)}


class Section(Translatable, db.Model):
    """An ordered part of a proposal that people read and comment on separately."""

    TRANSLATED_FIELDS = ("title", "body")
    TEXT_MODEL = SectionText
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    #: Number in the section's URL; never reused or changed, so shared links keep working.
    number: Mapped[int] = mapped_column(Integer)
    #: Order on the page (1 = first); changes when the host reorders.
    position: Mapped[int] = mapped_column(Integer)

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    texts: Mapped[list[SectionText]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """Fallback language: the consultation's default."""
        return self.consultation.default_language
