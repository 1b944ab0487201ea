"""SMS and USSD: provider adapters, and conversations that answer surveys through the same
services as the web. Phone numbers are hashed or sealed, never stored or logged in clear."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.channels.manage_views import blueprint as manage
    from consult.channels.views import blueprint

    return [blueprint, manage]
