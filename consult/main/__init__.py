"""Pages that belong to no single feature: home, quick exit, errors, shared template helpers."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.main.health import blueprint as health
    from consult.main.views import blueprint as views

    return [views, health]
