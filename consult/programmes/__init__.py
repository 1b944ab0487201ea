"""Programmes: consultations run as rounds over time, with indicators the community chose,
the providers' self-assessments, a public action plan of commitments, and open data."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    return []
