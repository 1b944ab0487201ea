"""A reviewer organisation's keys, settings and categories (operations flush, never commit)."""
from flask import current_app
from sqlalchemy import select

from consult import audit
from consult.accounts.models import User
from consult.extensions import db
from consult.grievances import sealing
from consult.grievances.labels import DEFAULT_CATEGORIES
from consult.grievances.models import Category, ReviewerKeys
from consult.i18n import pick_text

#: Shortest passphrase accepted (characters): it is all that stands between a copy of the
#: database and every grievance.
MIN_PASSPHRASE_LENGTH = 16


def keys_of(organisation_id: int) -> ReviewerKeys | None:
    """The organisation's keys and settings, if its passphrase was set."""
    return db.session.get(ReviewerKeys, organisation_id)


def _cost() -> str:
    return current_app.config.get("GRIEVANCE_KDF_COST", "moderate")


def set_up(organisation_id: int, passphrase: str, actor: User) -> str:
    """A new key pair under this passphrase, the default categories; the recovery key (to
    print, shown once). Refused (ValueError) when the organisation already has keys: a new
    pair would leave every earlier case unreadable."""
    if keys_of(organisation_id) is not None:
        raise ValueError("keys already set")
    material = sealing.new_keys(passphrase, _cost())
    db.session.add(ReviewerKeys(
        organisation_id=organisation_id, public_key=material.public_key,
        passphrase_box=material.passphrase_box, salt=material.salt,
        opslimit=material.opslimit, memlimit=material.memlimit,
        recovery_box=material.recovery_box))
    if not categories(organisation_id, active_only=False):
        for position, key in enumerate(DEFAULT_CATEGORIES, start=1):
            db.session.add(Category(organisation_id=organisation_id, position=position,
                                    builtin=key, names={}))
    audit.record(actor, "grievances.keys_set", organisation_id=organisation_id)
    db.session.flush()
    return material.recovery_key


def open_private_key(keys: ReviewerKeys, passphrase: str) -> bytes:
    """The private key (sealing.WrongKey when the passphrase is wrong)."""
    return sealing.open_with_passphrase(passphrase, keys.passphrase_box, keys.salt,
                                        keys.opslimit, keys.memlimit)


def recover(keys: ReviewerKeys, recovery_key: str, new_passphrase: str, actor: User) -> str:
    """Open the private key with the recovery key and store it under a new passphrase and a
    new recovery key (returned, shown once); sealing.WrongKey when the key does not fit."""
    private_key = sealing.open_with_recovery_key(recovery_key, keys.recovery_box)
    material = sealing.wrap(private_key, new_passphrase, _cost())
    keys.passphrase_box, keys.salt = material.passphrase_box, material.salt
    keys.opslimit, keys.memlimit = material.opslimit, material.memlimit
    keys.recovery_box = material.recovery_box
    audit.record(actor, "grievances.passphrase_recovered", organisation_id=keys.organisation_id)
    db.session.flush()
    return material.recovery_key


def categories(organisation_id: int, active_only: bool = True) -> list[Category]:
    """The organisation's categories in order."""
    query = select(Category).filter_by(organisation_id=organisation_id).order_by(
        Category.position)
    if active_only:
        query = query.filter_by(active=True)
    return list(db.session.scalars(query))


def category_name(category: Category, language: str) -> str:
    """A category's name in language: the reviewer's own words (falling back to another
    language they wrote), else the built-in name from the catalog."""
    if category.names:
        fallback = next(iter(category.names))
        text = pick_text(category.names, language, fallback)
        if text:
            return str(text.text)
    return str(DEFAULT_CATEGORIES.get(category.builtin or "", category.builtin or "?"))


def set_categories(organisation_id: int, language: str, names: list[str]) -> None:
    """The categories' names in one language, one per line in order: line n renames the n-th
    category (cases filed under it keep it), a new line adds one, a missing line removes it
    from the form (cases keep it)."""
    existing = categories(organisation_id, active_only=False)
    for position, name in enumerate(names, start=1):
        row = existing[position - 1] if position <= len(existing) else None
        if row is None:
            row = Category(organisation_id=organisation_id, position=position, names={})
            db.session.add(row)
        row.names = {**(row.names or {}), language: name}
        row.active = True
    for row in existing[len(names):]:
        row.active = False
    db.session.flush()


def set_settings(keys: ReviewerKeys, acknowledge_days: int, resolve_days: int,
                 retention_months: int, actor: User) -> None:
    """Deadlines and retention period (they apply to cases filed from now on; retention to
    every closed case)."""
    before = (keys.acknowledge_days, keys.resolve_days, keys.retention_months)
    keys.acknowledge_days, keys.resolve_days = acknowledge_days, resolve_days
    keys.retention_months = retention_months
    audit.record(actor, "grievances.settings_changed", organisation_id=keys.organisation_id,
                 detail=f"{before} -> {(acknowledge_days, resolve_days, retention_months)}")
    db.session.flush()
