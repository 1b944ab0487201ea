"""Staff password policy: long enough and not one everybody tries first."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

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


def password_problems(password: str) -> list[str]:
    """Why a password would be refused, as translated messages (empty when it is fine)."""
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    problems = []
    if len(password) < minimum:
        problems.append(ngettext("Use at least %(num)d character.",
                                 "Use at least %(num)d characters.", minimum))
    if password.lower() in COMMON_LONG_PASSWORDS or len(set(password)) <= 2:
        problems.append(_("This password is too common; choose another."))
    return problems
