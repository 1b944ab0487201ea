"""Consultations, their sections, lifecycle and partner organisations."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.consultations.manage_views import blueprint as manage_views
    from consult.consultations.views import blueprint as views

    return [views, manage_views]
