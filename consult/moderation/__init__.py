"""Moderation with due process: reports, screening, one queue, an append-only decision log,
appeals and public accountability."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    return []
