"""Who may read and take part in a consultation's comments, for the comment views and API."""

from flask import abort, request
from flask_login import current_user

from consult.accounts.participants import participant_status
from consult.consultations.lifecycle import ParticipationMode, State, allows
from consult.consultations.models import Consultation
from consult.consultations.services import (
    ConsultationFacts,
    consultation_revision,
    get_consultation,
)
from consult.permissions import can_view, is_publicly_readable, is_staff
from consult.security import same_site_path

#: A path on this site, with its query and fragment: no scheme, host, space or backslash.

#: Why someone may not comment or vote right now (None: they may).
CLOSED, NEEDS_CODENAME, NEEDS_ACCOUNT = "closed", "codename", "account"


def visible_consultation(slug: str) -> Consultation:
    """The consultation if this reader may see it; drafts are 404 to everyone else."""
    consultation = get_consultation(slug)
    if consultation is None or not can_view(current_user, consultation):
        abort(404)
    return consultation


def consultation_facts(slug: str) -> ConsultationFacts:
    """The facts of a consultation this reader may see (its effective state included), with
    one small query (voting must stay cheap); 404 otherwise."""
    found = consultation_revision(slug)
    if found is None or (not is_publicly_readable(found.state)
                         and not can_view(current_user, get_consultation(slug))):
        abort(404)
    return found


def refusal(state: State, mode: ParticipationMode, activity: str) -> str | None:
    """Why the current person may not do activity ("comment", "vote") now, or None."""
    if not allows(state, activity):
        return CLOSED
    if is_staff(current_user):  # a signed-in account takes part under its own key
        return None
    if mode is ParticipationMode.ACCOUNT:
        return NEEDS_ACCOUNT
    if mode is ParticipationMode.CODENAME and not participant_status().has_codename:
        return NEEDS_CODENAME
    return None


def safe_next(default: str) -> str:
    """The form's `next` (a path on this site) or default: never another site."""
    return same_site_path(request.form.get("next")) or default


def wants_json() -> bool:
    """Whether the request came from the voting script (which asks for JSON)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"
