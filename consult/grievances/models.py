"""Grievances: a reviewer organisation's keys and settings, its categories, the cases filed
with it (sealed), their append-only history, what it shares with hosts, and unlocked inboxes.

What is in the clear and why: a case's category, stage and days (the public statistics count
them, and the complainant reads them by case code without any key); everything a person
wrote, and the place, is sealed (sealing.py). See sealing.py for the keys.
"""
import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import enum_column
from consult.analysis.cell_key import new_key
from consult.extensions import db


class Stage(enum.Enum):
    """Where a case stands; the complainant reads each stage's message on the case page."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    UNDER_REVIEW = "under_review"
    REFERRED = "referred"
    RESOLVED = "resolved"
    NOT_ADMISSIBLE = "not_admissible"


#: Stages that close a case: its retention period runs from the day it reached one.
CLOSED_STAGES = frozenset({Stage.RESOLVED, Stage.NOT_ADMISSIBLE})


class ReviewerKeys(db.Model):
    """An independent reviewer's key pair and working settings (one row per organisation).

    The private key is stored only encrypted: under a key derived from the staff's
    passphrase (argon2id, with the parameters it was made with), and under a recovery key
    printed once. Neither the passphrase nor the recovery key is stored.
    """

    __tablename__ = "grievance_reviewer"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    #: Curve25519 public key (32 bytes): anyone files to it, nobody reads with it.
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    #: The private key in a SecretBox under the passphrase's derived key.
    passphrase_box: Mapped[bytes] = mapped_column(LargeBinary(128))
    salt: Mapped[bytes] = mapped_column(LargeBinary(16))
    opslimit: Mapped[int] = mapped_column(Integer)
    memlimit: Mapped[int] = mapped_column(Integer)
    #: The private key in a SecretBox under the printed recovery key.
    recovery_box: Mapped[bytes] = mapped_column(LargeBinary(128))
    #: Days to acknowledge and to resolve a case, counted from the day it was filed.
    acknowledge_days: Mapped[int] = mapped_column(SmallInteger, default=7)
    resolve_days: Mapped[int] = mapped_column(SmallInteger, default=60)
    #: Months a closed case is kept before the purge erases it (tasks.py).
    retention_months: Mapped[int] = mapped_column(SmallInteger, default=24)
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


class Category(db.Model):
    """One grievance category a reviewer offers, with its name per language."""

    __tablename__ = "grievance_category"
    __table_args__ = (UniqueConstraint("organisation_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    #: {language: name}; a built-in category (labels.DEFAULT_CATEGORIES) has its key here
    #: and no names until the reviewer writes some.
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    builtin: Mapped[str | None] = mapped_column(String(40))
    #: False once the reviewer removed it: cases filed under it keep it.
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Case(db.Model):
    """One grievance. Days only, no time, no address; the words are sealed.

    After the reviewer's retention period the purge erases what identifies or tells the
    case (its key, sealed texts, code, owner) and keeps the husk the statistics count.
    """

    __tablename__ = "grievance_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    #: Fixed when filed: naming another reviewer later hands it no earlier case.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("grievance_category.id"))
    #: Keyed hash of the case code (security.keyed_hash): the code itself is never stored.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Keyed hash of the filer's codename participant key, so their contributions page lists
    #: it; None for everyone else (an anonymous filer is linked to nothing).
    owner_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    #: The case's random data key, sealed to the organisation's public key.
    sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary(96))
    #: What happened, what they would like, and the place: JSON in a SecretBox (data key).
    sealed_text: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: They agree to be contacted through the case page (messages.py).
    contact_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Salt of the key derived from the case code that encrypts the case page's messages.
    reply_salt: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    #: Interface language when filed (the reviewer answers in it when they can).
    language: Mapped[str] = mapped_column(String(12))
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.RECEIVED)
    filed_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    acknowledge_by: Mapped[dt.date] = mapped_column(Date)
    resolve_by: Mapped[dt.date] = mapped_column(Date)
    acknowledged_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The day the purge erased it (None while it is kept).
    purged_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Random key for the published counts' cell-key perturbation (analysis/cell_key.py).
    cell_key: Mapped[int] = mapped_column(SmallInteger, default=new_key, server_default="0")

    category: Mapped[Category] = relationship(lazy="joined")


class CaseEvent(db.Model):
    """One entry of a case's history (append-only): a stage change or a reviewer's note.

    A note is sealed with the case's data key, so erasing that key (the purge) leaves the
    history unreadable without rewriting it.
    """

    __tablename__ = "grievance_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("grievance_case.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: None for the filing and for the system.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    #: The stage it moved to; None for a note alone.
    stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    sealed_note: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: True when a summary was shared with the hosts (its text is a CaseShare).
    shared: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseShare(db.Model):
    """What the reviewer chose to tell the consultation's hosts about a case (in the clear:
    the hosts read it without any key). Erased with the case by the purge."""

    __tablename__ = "grievance_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("grievance_case.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    summary: Mapped[str] = mapped_column(Text)


class Message(db.Model):
    """A message on the case page, between the reviewer and the complainant: encrypted under
    a key derived from the case code (which only the complainant keeps) and readable by the
    reviewer through the copy of that key inside the sealed words."""

    __tablename__ = "grievance_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("grievance_case.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    from_reviewer: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class Unlock(db.Model):
    """An inbox opened in one staff session: the private key, encrypted under a random key
    that only that session's cookie holds. Ends with the session row (sign-out) or at
    expires_at, whichever comes first."""

    __tablename__ = "grievance_unlock"
    __table_args__ = (UniqueConstraint("staff_session_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_session_id: Mapped[int] = mapped_column(
        ForeignKey("staff_session.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    box: Mapped[bytes] = mapped_column(LargeBinary(128))
    #: UTC, without time zone (staff only).
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
