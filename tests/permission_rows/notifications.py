"""A staff member's own notification settings (language of their mail, the daily digest)."""
from tests.permission_rows.roles import SIGNED_OUT


def own_account(ok: int):
    """Any signed-in staff member, for their own settings; others are sent to sign in."""
    return lambda role, state: 302 if role in SIGNED_OUT else ok


ROUTES = [
    ("/manage/account/notifications", "GET", "/manage/account/notifications", own_account(200)),
    # The matrix posts no language: an error on the field.
    ("/manage/account/notifications", "POST", "/manage/account/notifications",
     own_account(422)),
]
