"""Participant pages: a consultation with its sections, and one section on its own."""
from flask import Blueprint, abort, render_template
from flask_login import current_user

from consult.consultations.services import get_consultation, get_section
from consult.i18n import current_language
from consult.permissions import can_view, public

blueprint = Blueprint("consultations", __name__, url_prefix="/consultations")


def _visible_consultation(slug: str):
    """The consultation if this reader may see it; drafts are 404 to everyone else."""
    consultation = get_consultation(slug)
    if consultation is None or not can_view(current_user, consultation):
        abort(404)
    return consultation


@blueprint.get("/<slug>")
@public
def show(slug: str):
    """The proposal and its sections, in the reader's language."""
    consultation = _visible_consultation(slug)
    return render_template("consultations/show.html", consultation=consultation,
                           language=current_language())


@blueprint.get("/<slug>/sections/<int:number>")
@public
def section(slug: str, number: int):
    """One section of the proposal on its own page (its comment thread lands here)."""
    consultation = _visible_consultation(slug)
    found = get_section(consultation, number)
    if found is None:
        abort(404)
    return render_template("consultations/section.html", consultation=consultation,
                           section=found, language=current_language())
