"""Surveys: pages of questions in several languages, skip logic, XLSForm import."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.surveys import upload_views  # noqa: F401 - its routes join manage_views
    from consult.surveys.manage_views import blueprint as manage
    from consult.surveys.paper_views import blueprint as paper
    from consult.surveys.views import blueprint as views

    return [views, paper, manage]
