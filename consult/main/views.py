"""Home page, the trivial health endpoint, and the quick exit."""
from flask import Blueprint, Response, current_app, redirect, render_template

from consult.accounts.participants import forget_participant
from consult.consultations.lifecycle import State
from consult.consultations.services import listed_consultations
from consult.i18n import current_language
from consult.permissions import public

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
@public
def home():
    """Open consultations first, then finished ones, in the reader's language."""
    return render_template(
        "main/home.html",
        open_consultations=listed_consultations((State.OPEN,)),
        past_consultations=listed_consultations((State.CLOSED, State.RESULTS_PUBLISHED)),
        language=current_language(),
    )


@blueprint.get("/ping")
@public
def ping():
    """A trivial endpoint for load balancers and as the benchmark's baseline."""
    return Response("ok\n", mimetype="text/plain")


@blueprint.get("/exit")
@public
def quick_exit():
    """Forget the session and leave for a neutral site, without a trace in this browser."""
    forget_participant()
    response = redirect(current_app.config["QUICK_EXIT_URL"])
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
