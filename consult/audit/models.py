"""One entry of the staff audit log."""
import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db


class AuditEntry(db.Model):
    """A staff action: consultation edits, state changes, exports, roles, sign-ins...

    Staff act in their professional role, so the time is kept (to the second, UTC); no
    address or browser detail is. Participants never appear here, only staff.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    #: None for the system (a background job, the command line).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    #: The actor's name and e-mail when it happened, kept even if the account changes.
    actor_label: Mapped[str] = mapped_column(String(460), default="")
    #: The organisation whose hosts may read the entry (None: site administrators only).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                        index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"),
                                                        index=True)
    #: A code from consult/audit/labels.py ACTION_LABELS.
    action: Mapped[str] = mapped_column(String(48))
    #: What was acted on, in words staff recognise (a slug, an e-mail, a question key).
    target: Mapped[str] = mapped_column(String(300), default="")
    #: Before -> after, or the figures of the action; never a participant's words.
    detail: Mapped[str] = mapped_column(String(1000), default="")
