"""Programmes: consultations run as rounds over time, with indicators the community chose,
the providers' self-assessments, a public action plan of commitments, and open data."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.programmes.audit_views import blueprint as audit_views
    from consult.programmes.manage_views import blueprint as manage_views
    from consult.programmes.views import blueprint as views

    return [views, manage_views, audit_views]
