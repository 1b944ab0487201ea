"""Invitations of staff into an organisation's roles, by e-mail."""
import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Organisation, Role, User, enum_column
from consult.extensions import db


class Invitation(db.Model):
    """An e-mailed, single-use, expiring link that makes its holder a member in one role.

    Only the SHA-256 of the link's random token is stored: a copy of this table opens nothing.
    Days, not times, as for staff sessions: expiry needs no finer grain.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    #: Stored lower-cased, like User.email.
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    #: The interface language of the mail (chosen by the inviter), reused when resending.
    language: Mapped[str] = mapped_column(String(16))
    #: SHA-256 (hex) of the token in the link; a new one on every resend.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: The last day the link works.
    expires_on: Mapped[dt.date] = mapped_column(Date)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def state(self, today: dt.date | None = None) -> str:
        """"accepted", "revoked", "expired" or "pending" (the only one that can be used)."""
        if self.accepted_on is not None:
            return "accepted"
        if self.revoked_on is not None:
            return "revoked"
        if (today or dt.date.today()) > self.expires_on:
            return "expired"
        return "pending"
