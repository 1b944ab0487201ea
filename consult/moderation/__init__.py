"""Moderation with due process: reports, screening, one queue, an append-only decision log,
appeals and public accountability."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.moderation.appeal_views import blueprint as appeal_views
    from consult.moderation.public_views import blueprint as public_views
    from consult.moderation.views import blueprint as views
    from consult.moderation.words_views import blueprint as words_views

    return [views, words_views, public_views, appeal_views]
