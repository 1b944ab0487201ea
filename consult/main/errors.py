"""Translated error pages for the errors a person can meet."""
from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from consult.extensions import db

#: Title and explanation per status code.
ERROR_TEXTS = {
    400: (_l("Something was wrong with that request"),
          _l("Please go back, check what you entered and try again.")),
    403: (_l("You cannot do that"),
          _l("Your account does not allow this. Ask an administrator of your organisation.")),
    404: (_l("Page not found"),
          _l("This page does not exist, or it is not available to you.")),
    405: (_l("That action is not available here"),
          _l("Please go back and use the buttons on the page.")),
    409: (_l("That is not possible at this stage"),
          _l("The consultation's current state does not allow this change.")),
    413: (_l("What you sent is too large"),
          _l("Please send less at once, or a smaller file.")),
    415: (_l("That kind of content is not accepted here"),
          _l("Please send the form from the page, or JSON to the API.")),
    422: (_l("Something you sent needs correcting"),
          _l("Please go back, check what you entered and try again.")),
    429: (_l("Too many attempts"),
          _l("Please wait a minute before trying again. Nothing you already sent is lost.")),
    500: (_l("Something went wrong on our side"),
          _l("Your last action may not have been saved. Please try again in a moment.")),
}


def handle_http_error(error: Exception):
    """Render the translated page for an HTTP error (any other exception counts as 500)."""
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    code = error.code if error.code in ERROR_TEXTS else 500
    if code == 500:
        db.session.rollback()  # nothing half-done is committed by a later step
    title, message = ERROR_TEXTS[code]
    # The boundary's refusals (e.g. JSON nested too deeply) say exactly what to change.
    message = getattr(error, "public_message", None) or message
    if request.path.startswith("/api/"):
        return jsonify({"error": str(title), "message": str(message)}), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_csrf_error(error: Exception):
    """A form whose security token is missing or expired: explain, keep the reader calm."""
    title = _l("This form has expired")
    message = _l("For your safety, forms expire. Please go back, reload the page and send it "
                 "again.")
    return render_template("errors/error.html", code=400, title=title, message=message), 400
