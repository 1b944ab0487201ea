""""You said, we did": what planners decided about what people said, published per topic.

Each response is translated like other host-written text, names a topic (the consultation as
a whole, a survey question or a theme) and a decision. Drafts stay with staff until published.
Operations flush, never commit.
"""
import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import enum_column
from consult.consultations.models import Consultation
from consult.consultations.services import touch
from consult.extensions import db
from consult.translatable import TextRow, Translatable


class Decision(enum.Enum):
    """What the planners decided."""

    ADOPTED = "adopted"
    ADAPTED = "adapted"
    NOT_ADOPTED = "not_adopted"
    UNDER_STUDY = "under_study"


DECISION_LABELS = {
    Decision.ADOPTED: _l("Adopted"),
    Decision.ADAPTED: _l("Adopted with changes"),
    Decision.NOT_ADOPTED: _l("Not adopted"),
    Decision.UNDER_STUDY: _l("Under study"),
}


class PlannerResponseText(TextRow, db.Model):
    """One translated field of a planner response (title, body)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("planner_response.id", ondelete="CASCADE"), primary_key=True)


class PlannerResponse(Translatable, db.Model):
    """The planners' answer on one topic of a consultation."""

    TRANSLATED_FIELDS = ("title", "body")
    TEXT_MODEL = PlannerResponseText

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    #: "" for the consultation as a whole, "question:KEY" or "theme:KEY".
    topic: Mapped[str] = mapped_column(String(100), default="")
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The day it was published; None while it is a draft only staff see.
    published_on: Mapped[dt.date | None] = mapped_column(Date)

    consultation: Mapped[Consultation] = relationship()
    texts: Mapped[list[PlannerResponseText]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """Fallback language: the consultation's default."""
        return self.consultation.default_language


def responses_of(consultation: Consultation, published_only: bool) -> list[PlannerResponse]:
    """The consultation's responses in their order (only published ones for the public)."""
    query = db.select(PlannerResponse).filter_by(consultation_id=consultation.id)
    if published_only:
        query = query.filter(PlannerResponse.published_on.is_not(None))
    return list(db.session.scalars(query.order_by(PlannerResponse.position,
                                                  PlannerResponse.id)))


def get_response(consultation: Consultation, response_id: int) -> PlannerResponse | None:
    """One of the consultation's responses."""
    found = db.session.get(PlannerResponse, response_id)
    return found if found is not None and found.consultation_id == consultation.id else None


def save_response(consultation: Consultation, response: PlannerResponse | None, topic: str,
                  decision: Decision, texts: dict[tuple[str, str], str]) -> PlannerResponse:
    """Create or update a response and its texts."""
    if response is None:
        last = db.session.scalar(db.select(db.func.max(PlannerResponse.position))
                                 .filter_by(consultation_id=consultation.id)) or 0
        response = PlannerResponse(consultation=consultation, position=last + 1)
        db.session.add(response)
    response.topic = topic
    response.decision = decision
    for (field, language), text in texts.items():
        response.set_text(field, language, text)
    if response.published_on is not None:
        touch(consultation)  # the public page shows it
    db.session.flush()
    return response


def set_published(response: PlannerResponse, published: bool) -> None:
    """Publish a response (it appears on the consultation page and receipts) or withdraw it."""
    response.published_on = dt.date.today() if published else None
    touch(response.consultation)
    db.session.flush()


def delete_response(response: PlannerResponse) -> None:
    """Delete a response."""
    touch(response.consultation)
    db.session.delete(response)
    db.session.flush()


def published_for(consultation_ids: list[int]) -> dict[int, list[PlannerResponse]]:
    """Published responses of several consultations (for a participant's own page)."""
    found: dict[int, list[PlannerResponse]] = {i: [] for i in consultation_ids}
    if consultation_ids:
        query = db.select(PlannerResponse).filter(
            PlannerResponse.consultation_id.in_(consultation_ids),
            PlannerResponse.published_on.is_not(None)).order_by(PlannerResponse.position)
        for response in db.session.scalars(query):
            found[response.consultation_id].append(response)
    return found
