"""Comment threads on consultations and sections, statement voting, Pol.is import."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.comments.translation_views import blueprint as translation_views
    from consult.comments.views import blueprint as views
    from consult.comments.voting_views import blueprint as voting_views

    return [views, voting_views, translation_views]
