"""The admin feature's pages; shared lookups."""
from flask import abort, request

from consult.accounts.models import Organisation
from consult.accounts.services import get_organisation


def organisation_or_404(slug: str) -> Organisation:
    """The organisation with this slug, or 404."""
    organisation = get_organisation(slug)
    if organisation is None:
        abort(404)
    return organisation


def page_number() -> int:
    """The ?page= of a list (1 when absent or not a small positive number)."""
    value = request.args.get("page", "1")
    if not (value.isascii() and value.isdigit() and 0 < len(value) < 7):
        return 1
    return max(int(value), 1)
