"""A staff member's own sessions: which browsers are signed in, and signing them out."""
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user

from consult.accounts import staff_sessions
from consult.extensions import db
from consult.permissions import staff_required

blueprint = Blueprint("staff_sessions", __name__, url_prefix="/manage/account")
blueprint.before_app_request(staff_sessions.note_last_seen)


@blueprint.get("/sessions")
@staff_required
def index():
    """Every browser signed in to this account, this one marked, each with a sign-out."""
    current = staff_sessions.find(current_user.id, session.get(staff_sessions.SESSION_ID_KEY))
    return render_template("accounts/sessions.html",
                           sessions=staff_sessions.sessions_of(current_user),
                           current_id=current.id if current else None)


@blueprint.post("/sessions/<int:session_id>/sign-out")
@staff_required
def sign_out(session_id: int):
    """Sign out one session of this account (this browser's too, if it is this one); CSRF
    is checked for every POST before any view runs (CSRFProtect)."""
    current = staff_sessions.find(current_user.id, session.get(staff_sessions.SESSION_ID_KEY))
    if not staff_sessions.sign_out(current_user, session_id):
        abort(404)
    db.session.commit()
    if current is not None and current.id == session_id:
        logout_user()
        session.clear()
        return redirect(url_for("main.home"), code=303)
    flash(_("That session is signed out."), "success")
    return redirect(url_for(".index"), code=303)


@blueprint.post("/sessions/others/sign-out")
@staff_required
def sign_out_others():
    """Sign out every other session of this account; this browser stays signed in."""
    ended = staff_sessions.sign_out_others(current_user,
                                           session.get(staff_sessions.SESSION_ID_KEY))
    db.session.commit()
    flash(ngettext("%(num)d other session is signed out.",
                   "%(num)d other sessions are signed out.", ended), "success")
    return redirect(url_for(".index"), code=303)
