"""Grievances: a channel from the people a consultation affects to an independent reviewer,
sealed so that neither the hosts nor a copy of the database can read it (sealing.py)."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.grievances.manage_views import blueprint as manage_views
    from consult.grievances.reviewer_views import blueprint as reviewer_views
    from consult.grievances.views import blueprint as views

    return [views, reviewer_views, manage_views]
