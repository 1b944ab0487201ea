"""Staff password policy (long enough, not a common one, not the e-mail address) and changing
a password."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.security import check_password_hash

#: Common passwords of 12 characters or more (from public breach top lists); shorter ones
#: already fail the length rule.
COMMON_LONG_PASSWORDS = frozenset("""
123456789012 1234567890123 12345678901234 123456789012345 1234567890qwerty
qwertyuiopasdfgh qwertyuiop123 qwertyuiopasdfghjkl 1q2w3e4r5t6y 1q2w3e4r5t6y7u8i
passwordpassword password1234 password12345 password123456 password123! password@123
iloveyou1234 abcdefghijkl abc123abc123 aaaaaaaaaaaa 111111111111 000000000000
welcome12345 welcome123456 administrator administrator1 letmeinplease changeme1234
football1234 baseball1234 superman1234 qwerty123456 qwerty1234567 asdfghjkl123
zaq12wsxcde3 1qaz2wsx3edc 1qaz2wsx3edc4rfv trustno1trustno1 princess1234 sunshine1234
monkey123456 dragon123456 starwars1234 master123456 whatever1234 computer1234
correcthorsebatterystaple mypassword123 mypassword1234 password2024 password2025 password2026
""".split())


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Why a password would be refused, as translated messages (empty when it is fine)."""
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    problems = []
    if len(password) < minimum:
        problems.append(ngettext("Use at least %(num)d character.",
                                 "Use at least %(num)d characters.", minimum))
    if password.lower() in COMMON_LONG_PASSWORDS or len(set(password)) <= 2:
        problems.append(_("This password is too common; choose another."))
    if email and password.strip().lower() == email.strip().lower():
        problems.append(_("Your password must not be your e-mail address."))
    return problems


def is_current_password(user, password: str) -> bool:
    """Whether password is user's current one (asked before changing what protects the account)."""
    return check_password_hash(user.password_hash, password)


def change_password(user, new: str) -> list[str]:
    """Set user's password to new, or the translated problems with it (nothing set then).

    The account's session token changes, so every session's cookie goes stale: the caller
    keeps the browser it came from signed in and ends the others (account_views.py). Reset
    links not yet used stop working.
    """
    from consult.accounts import password_reset, services

    try:
        services.set_password(user, new)
    except services.PolicyError as error:
        return list(error.args[0])
    password_reset.forget_tokens(user)
    return []
