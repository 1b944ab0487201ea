"""The staff audit log: who among the staff did what, appended and never rewritten."""
from consult.audit.services import record


def blueprints() -> list:
    """This feature's blueprints: the audit log's pages (imported late)."""
    from consult.audit.views import blueprint

    return [blueprint]


__all__ = ["blueprints", "record"]
