"""Staff audit entries about one account (sign-ins, passwords, two-factor sign-in)."""
from consult.accounts.models import User
from consult.audit import record

SIGNED_IN = "account.signed_in"
SIGNED_IN_TWO_FACTOR = "account.signed_in_two_factor"
SIGNED_IN_RECOVERY_CODE = "account.signed_in_recovery_code"
#: Someone had the password but not the second factor: the account's hosts should know.
SECOND_FACTOR_REFUSED = "account.second_factor_refused"
PASSWORD_CHANGED = "account.password_changed"
PASSWORD_RESET = "account.password_reset"
TWO_FACTOR_ENABLED = "account.two_factor_enabled"
TWO_FACTOR_DISABLED = "account.two_factor_disabled"
RECOVERY_CODES_REGENERATED = "account.recovery_codes_regenerated"
ORGANISATION_REQUIRES_TWO_FACTOR = "organisation.two_factor_required"
ORGANISATION_DROPS_TWO_FACTOR = "organisation.two_factor_not_required"


def record_for_account(user: User, action: str, *, by_system: bool = False) -> None:
    """One entry per organisation user belongs to, so each one's hosts read it (one for site
    administrators only when user belongs to none); the actor is user, or the system (the
    command line) when by_system. No address or browser is recorded."""
    organisation_ids = sorted({m.organisation_id for m in user.memberships}) or [None]
    for organisation_id in organisation_ids:
        record(None if by_system else user, action, organisation_id=organisation_id,
               target=user.email, detail="command line" if by_system else "")
