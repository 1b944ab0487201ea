"""Organisations, staff users with their roles, and participants."""
import datetime as dt
import enum

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db


def enum_column(enum_class: type[enum.Enum], **kwargs) -> Enum:
    """A portable enum column: VARCHAR holding the member values, no native DB type."""
    return Enum(enum_class, native_enum=False, length=24, validate_strings=True,
                values_callable=lambda members: [m.value for m in members], **kwargs)


class OrganisationKind(enum.Enum):
    """What sort of body an organisation is."""

    CIVIL_SOCIETY = "civil_society"
    LOCAL_COUNCIL = "local_council"
    PLANNING_AGENCY = "planning_agency"
    OTHER = "other"
    #: An ombudsperson, human-rights commission or CSO that receives grievances
    #: (consult/grievances): independent of the hosts and planners.
    INDEPENDENT_REVIEWER = "independent_reviewer"


class Role(enum.Enum):
    """What a member may do for their organisation's consultations."""

    HOST = "host"
    MODERATOR = "moderator"
    PLANNER = "planner"
    ADMIN = "admin"


class Organisation(db.Model):
    """A civil society organisation, council or agency that hosts or partners consultations."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier used in URLs and the CLI.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    #: False while deactivated by a site administrator: its members' roles grant nothing
    #: (roles_in, organisation_ids), it hosts no new consultation and takes no new member;
    #: its consultations' public pages stay readable.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    #: Its hosts, moderators and admins must sign in with a second factor (two_factor.py).
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=sa_false())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan")


class User(UserMixin, db.Model):
    """A staff account: e-mail and password. Participants never have one of these."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; the sign-in name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Random value in the session cookie; changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), unique=True)
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    #: False blocks sign-in without deleting the account.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: Language of the mail Consult sends them (one of LANGUAGES); None: the one they last
    #: used the site in (accounts/notifications.py).
    mail_language: Mapped[str | None] = mapped_column(String(12))
    #: Interface language of their latest staff page; written only when it changes.
    last_language: Mapped[str | None] = mapped_column(String(12))
    #: Asked for the daily digest of their moderation queues (off until they ask).
    daily_digest: Mapped[bool] = mapped_column(Boolean, default=False,
                                               server_default=sa_false())
    #: The last day (UTC) their digest was made, sent or with nothing to tell: a retried or
    #: repeated run never sends two the same day.
    digest_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Base32 TOTP secret once two-factor sign-in is confirmed; None while it is off. Kept in
    #: the clear like the secret in the phone: checking a code needs it (see two_factor.py).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The last TOTP time step accepted: a code of that step or an earlier one is refused,
    #: so an overheard code cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    #: The day two-factor sign-in was turned on.
    two_factor_since: Mapped[dt.date | None] = mapped_column(Date)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    @property
    def is_active(self) -> bool:
        """Flask-Login: inactive users cannot sign in."""
        return self.active

    def get_id(self) -> str:
        """Flask-Login: the session holds the rotating token, not the database id."""
        return self.session_token

    @property
    def has_two_factor(self) -> bool:
        """Whether signing in asks for a code from an authenticator app."""
        return self.totp_secret is not None

    def roles_in(self, organisation_id: int) -> set[Role]:
        """This user's roles in one organisation; none while it is deactivated."""
        return {m.role for m in self.memberships
                if m.organisation_id == organisation_id and m.organisation.active}

    @property
    def organisation_ids(self) -> set[int]:
        """Every active organisation this user belongs to, in any role."""
        return {m.organisation_id for m in self.memberships if m.organisation.active}


class Membership(db.Model):
    """One role a user holds in one organisation."""

    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))

    user: Mapped[User] = relationship(back_populates="memberships")
    #: Loaded with the membership: every permission check reads its `active`.
    organisation: Mapped[Organisation] = relationship(back_populates="memberships",
                                                      lazy="selectin")


class Participant(db.Model):
    """Someone taking part without a staff account: an opaque key, perhaps a codename.

    Deliberately nothing else: no e-mail, phone, IP address, user agent or time of day.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Opaque random key; the session holds it.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 of the canonical codename, when the participant chose to have one.
    codename_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The day only: a precise time could link a contribution to a person.
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


class StaffSession(db.Model):
    """One signed-in staff browser, so its owner can see it and sign it out.

    Deliberately coarse: days, not times; a browser family, not the user agent; no address.
    The signed session cookie holds a random id whose SHA-256 is stored here: deleting the
    row ends that browser's session, even for a copy of its cookie.
    """

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the random id kept in the session cookie.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: E.g. "Firefox"; "Other" when unrecognised (accounts/staff_sessions.py).
    browser: Mapped[str] = mapped_column(String(24))
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: The last day a request came with this session (written at most once a day).
    last_seen_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


class RecoveryCode(db.Model):
    """One of a staff member's one-time recovery codes (signing in without their phone).

    Only the SHA-256 of the code is kept (80 random bits: a hash cannot be searched back);
    a code is deleted as it is used.
    """

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)


class PasswordResetToken(db.Model):
    """An e-mailed link that sets a new password: single use, expiring after
    PASSWORD_RESET_HOURS. Only the SHA-256 of the link's random token is stored."""

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: UTC, without time zone; staff only (participants' records keep days, never times).
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
