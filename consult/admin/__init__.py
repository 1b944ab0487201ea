"""Organisations, their staff and invitations, run in the browser."""
from consult.admin import models  # noqa: F401  (its tables belong to the metadata)


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.admin.views.invitations import blueprint as invitations
    from consult.admin.views.members import blueprint as members
    from consult.admin.views.organisations import blueprint as organisations

    return [organisations, members, invitations]
