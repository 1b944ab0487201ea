""""You said, we did": what planners decided about what people said, published per topic.

Each response is translated like other host-written text, names a topic (the consultation as
a whole, a survey question or a theme) and a decision. Drafts stay with staff until published.
Nothing is changed silently: every version, publication, withdrawal and deletion is appended
to the response's history (PlannerResponseRevision, append-only) and to the staff audit log;
what changed after the first publication is shown to everyone under the response.
Operations flush, never commit.
"""
import datetime as dt
import enum
from typing import NamedTuple, Sequence

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, undefer

from consult import audit
from consult.accounts.models import User, enum_column
from consult.append_only import guard
from consult.audit.changes import changed_settings, changed_texts, joined
from consult.consultations.models import Consultation
from consult.consultations.services import touch
from consult.extensions import db
from consult.i18n import LocalText, pick_text
from consult.translatable import TextRow, Translatable

#: Sent with a response when it is published (channels texts those who asked for it); in the
#: publishing transaction, so receivers queue their work after the commit.
response_published = Namespace().signal("planner-response-published")


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


class RevisionEvent(enum.Enum):
    """What happened to a response: a version written, or its publication changed."""

    CREATED = "created"
    EDITED = "edited"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    DELETED = "deleted"


#: Events that carry a new version of the response (its decision, topic and texts).
VERSIONS = (RevisionEvent.CREATED, RevisionEvent.EDITED)
#: The parts of a response a version may change, as PlannerResponseRevision.changed names them.
PARTS = ("decision", "topic", "title", "body")


class PlannerResponseRevision(db.Model):
    """One event in a response's history; a version keeps the whole response as written then.

    Append-only (consult.append_only): no code path, bulk statement or raw SQL rewrites it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No foreign key: the history outlives a deleted response.
    response_id: Mapped[int] = mapped_column(Integer, index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    event: Mapped[RevisionEvent] = mapped_column(enum_column(RevisionEvent))
    #: The day it happened (the staff audit log keeps the time).
    created_on: Mapped[dt.date] = mapped_column(Date)
    #: None for the system (the command line, a data migration).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    topic: Mapped[str] = mapped_column(String(100), default="")
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    #: A version's parts changed from the one before, comma-separated (see PARTS).
    changed: Mapped[str] = mapped_column(String(60), default="")
    #: A version's texts, {field: {language: text}}; {} for other events. Deferred: the
    #: public pages read only the events, decisions and dates.
    texts: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True)

    consultation: Mapped[Consultation] = relationship()
    author: Mapped[User | None] = relationship()

    def text(self, field: str, language: str) -> LocalText:
        """A field of this version in language, falling back to the consultation's default."""
        return pick_text(self.texts.get(field, {}), language,
                         self.consultation.default_language)

    @property
    def changed_parts(self) -> list[str]:
        """The parts this version changed (empty for the first version and other events)."""
        return [part for part in self.changed.split(",") if part]


guard(PlannerResponseRevision)


class PublicChange(NamedTuple):
    """A line of a response's public history: a change after its first publication."""

    event: RevisionEvent
    day: dt.date
    #: For a changed decision, the one before (else None).
    decision_before: "Decision | None" = None
    decision: "Decision | None" = None
    #: Whether the texts or the topic changed too.
    reworded: bool = False


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
    #: Its events, oldest first, without their texts (one query for all loaded responses).
    history: Mapped[list[PlannerResponseRevision]] = relationship(
        primaryjoin="PlannerResponse.id == foreign(PlannerResponseRevision.response_id)",
        order_by=PlannerResponseRevision.id, viewonly=True, lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """Fallback language: the consultation's default."""
        return self.consultation.default_language

    @property
    def first_published_on(self) -> dt.date | None:
        """The day it was first published (published_on is the latest publication)."""
        return next((r.created_on for r in self.history
                     if r.event is RevisionEvent.PUBLISHED), self.published_on)

    @property
    def public_changes(self) -> list[PublicChange]:
        """What happened since its first publication, oldest first: shown to everyone.

        Drafts before it was first published stay with staff; later versions are listed even
        when written while it was withdrawn, since readers saw the version before.
        """
        changes: list[PublicChange] = []
        seen_published, previous = False, None
        for revision in self.history:
            if revision.event in VERSIONS:
                if seen_published and previous is not None:
                    parts = set(revision.changed_parts)
                    changes.append(PublicChange(
                        revision.event, revision.created_on,
                        previous.decision if "decision" in parts else None,
                        revision.decision, bool(parts - {"decision"})))
                previous = revision
            elif revision.event is RevisionEvent.PUBLISHED:
                if seen_published:
                    changes.append(PublicChange(revision.event, revision.created_on))
                seen_published = True
            elif revision.event is RevisionEvent.WITHDRAWN and seen_published:
                changes.append(PublicChange(revision.event, revision.created_on))
        return changes


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


def revisions_of(response: PlannerResponse) -> list[PlannerResponseRevision]:
    """A response's whole history with its texts, newest first (for staff)."""
    return list(db.session.scalars(
        db.select(PlannerResponseRevision).options(undefer(PlannerResponseRevision.texts))
        .filter_by(response_id=response.id).order_by(PlannerResponseRevision.id.desc())))


def _facts(response: PlannerResponse) -> dict:
    """What a version is made of: decision, topic and {(field, language): text}."""
    return {"decision": response.decision, "topic": response.topic,
            "texts": {(row.field, row.language): row.text for row in response.texts}}


def _append(response: PlannerResponse, event: RevisionEvent, author: User | None,
            changed: Sequence[str] = (), texts: dict | None = None) -> None:
    """Append an event to the response's history."""
    versions: dict[str, dict[str, str]] = {}
    for (field, language), text in (texts or {}).items():
        versions.setdefault(field, {})[language] = text
    db.session.add(PlannerResponseRevision(
        response_id=response.id, consultation_id=response.consultation_id, event=event,
        created_on=dt.date.today(), author_id=author.id if author is not None else None,
        topic=response.topic, decision=response.decision, changed=",".join(changed),
        texts=versions))
    db.session.expire(response, ["history"])  # viewonly: reload it with this event


def _audit(response: PlannerResponse, action: str, author: User | None,
           detail: str = "") -> None:
    title = response.text("title", response.consultation.default_language).text
    audit.record(author, action, consultation=response.consultation,
                 target=f"{response.id}: {title[:200]}", detail=detail)


def save_response(consultation: Consultation, response: PlannerResponse | None, topic: str,
                  decision: Decision, texts: dict[tuple[str, str], str], *,
                  author: User | None = None) -> PlannerResponse:
    """Create or update a response and its texts; a version that changes something is kept."""
    before = _facts(response) if response is not None else None
    if response is None:
        last = db.session.scalar(db.select(db.func.max(PlannerResponse.position))
                                 .filter_by(consultation_id=consultation.id)) or 0
        response = PlannerResponse(consultation=consultation, position=last + 1)
        db.session.add(response)
    response.topic = topic
    response.decision = decision
    for (field, language), text in texts.items():
        response.set_text(field, language, text)
    db.session.flush()
    after = _facts(response)
    if before is None:
        _append(response, RevisionEvent.CREATED, author, texts=after["texts"])
        _audit(response, "planner_response.saved", author,
               f"new; decision: {decision.value}; topic: {topic or '-'}")
    else:
        edited = {field for field, language in before["texts"].keys() | after["texts"].keys()
                  if before["texts"].get((field, language)) != after["texts"].get(
                      (field, language))}
        edited |= {name for name in ("decision", "topic") if before[name] != after[name]}
        parts = [part for part in PARTS if part in edited]
        if not parts:
            return response  # nothing changed: no version, no entry
        _append(response, RevisionEvent.EDITED, author, parts, after["texts"])
        _audit(response, "planner_response.saved", author, joined(
            changed_settings(before, after, ("decision", "topic")),
            changed_texts(before["texts"], after["texts"])))
    if response.published_on is not None:
        touch(consultation)  # the public page shows it
    db.session.flush()
    return response


def set_published(response: PlannerResponse, published: bool, *,
                  author: User | None = None) -> None:
    """Publish a response (it appears on the consultation page and receipts) or withdraw it;
    publishing a published one changes nothing."""
    if published == (response.published_on is not None):
        return
    response.published_on = dt.date.today() if published else None
    _append(response, RevisionEvent.PUBLISHED if published else RevisionEvent.WITHDRAWN, author)
    _audit(response, "planner_response.published" if published
           else "planner_response.withdrawn", author)
    touch(response.consultation)
    db.session.flush()
    if published:
        response_published.send(response)


def delete_response(response: PlannerResponse, *, author: User | None = None) -> None:
    """Delete a response; its history stays (for the staff audit)."""
    _append(response, RevisionEvent.DELETED, author)
    _audit(response, "planner_response.deleted", author)
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
