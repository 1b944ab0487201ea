"""Operations on organisations, staff accounts and participants. They flush, never commit."""
from functools import lru_cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from consult.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Participant,
    Role,
    User,
)
from consult.accounts.passwords import password_problems
from consult.extensions import db
from consult.security import generate_codename, hash_codename, normalise_codename, random_token


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash checked when the e-mail is unknown, so both paths take the same time."""
    return generate_password_hash("not-a-real-password-0000", method=method)


class PolicyError(ValueError):
    """A value refused by a policy; args[0] is a list of translated messages."""


def get_organisation(slug: str) -> Organisation | None:
    """The organisation with this slug."""
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def create_organisation(slug: str, name: str, kind: OrganisationKind) -> Organisation:
    """A new organisation."""
    organisation = Organisation(slug=slug, name=name, kind=kind)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def get_user_by_email(email: str) -> User | None:
    """The staff user with this e-mail (case-insensitive)."""
    return db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))


def create_user(email: str, password: str, name: str, site_admin: bool = False) -> User:
    """A new staff account; raises PolicyError when the password is refused."""
    user = User(email=email.strip().lower(), name=name, is_site_admin=site_admin,
                session_token=random_token(32))
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Hash and set a password, signing the user out of every other session."""
    problems = password_problems(password, user.email)
    if problems:
        raise PolicyError(problems)
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"])
    user.session_token = random_token(32)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None, in constant-ish time."""
    user = get_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def load_user_by_session_token(token: str) -> User | None:
    """Flask-Login loader: the user whose current session token this is."""
    return db.session.scalar(db.select(User).filter_by(session_token=token))


def add_membership(user: User, organisation: Organisation, role: Role) -> Membership:
    """Give user a role in organisation (idempotent)."""
    existing = next((m for m in user.memberships
                     if m.organisation_id == organisation.id and m.role is role), None)
    if existing:
        return existing
    membership = Membership(user=user, organisation=organisation, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def create_codename_participant() -> tuple[Participant, str]:
    """A participant with a fresh codename; the plain codename is returned once, never stored."""
    codename = generate_codename()
    participant = Participant(key=random_token(32), codename_hash=hash_codename(codename))
    db.session.add(participant)
    db.session.flush()
    return participant, codename


def participant_by_codename(text: str) -> Participant | None:
    """The participant whose codename this is (tolerating case, spacing and typos after the
    fourth letter of each word), or None."""
    canonical = normalise_codename(text)
    if canonical is None:
        return None
    return db.session.scalar(
        db.select(Participant).filter_by(codename_hash=hash_codename(canonical)))


def participant_by_key(key: str) -> Participant | None:
    """The stored participant behind a session key, if one was ever stored."""
    return db.session.scalar(db.select(Participant).filter_by(key=key))
