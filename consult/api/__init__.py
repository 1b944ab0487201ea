"""The JSON API under /api/v1, documented by /api/v1/openapi.json."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    import consult.api.comments  # noqa: F401  (adds the comment endpoints to the blueprint)
    import consult.api.submissions  # noqa: F401  (adds the survey submission endpoint)
    import consult.api.summaries  # noqa: F401  (adds the summary endpoint to the blueprint)
    from consult.api.views import blueprint as views

    return [views]
