"""Staff accounts, organisations, memberships and codename participants."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.accounts.account_views import blueprint as account
    from consult.accounts.erasure_views import blueprint as erasure
    from consult.accounts.notification_views import blueprint as notifications
    from consult.accounts.own_data_views import blueprint as own_data
    from consult.accounts.session_views import blueprint as sessions
    from consult.accounts.two_factor_views import blueprint as two_factor
    from consult.accounts.views import blueprint as views

    return [views, sessions, notifications, account, two_factor, own_data, erasure]
