"""Watched words, managed by moderators in the browser, and the decision log for auditors."""
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from consult import audit
from consult.consultations.forms import options
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.i18n import language_label
from consult.moderation import services
from consult.moderation.forms import WatchedWordForm
from consult.moderation.labels import WORD_ACTION_LABELS
from consult.moderation.models import WatchedWord, WordAction
from consult.moderation.stats import decision_log_csv
from consult.moderation.views import moderated_consultation
from consult.permissions import can_audit_moderation, can_see_staff_page, require, staff_required

blueprint = Blueprint("moderation_words", __name__, url_prefix="/manage")

#: ModerationError kinds a new word can meet, with their message.
WORD_ERRORS = {
    "empty_word": lambda: _("Write at least one letter or digit."),
    "duplicate_word": lambda: _("This word is already watched in that language."),
    # Translators: ﷺ and ﬃ are single characters that stand for several letters.
    "long_word": lambda: _("This is too long once written out in full: some characters, "
                           "such as ﷺ or ﬃ, stand for several letters. Please shorten it."),
}


def _record(consultation, action: str, watched: WatchedWord) -> None:
    """Audit a watched word added or removed (the moderator's word, with its language)."""
    audit.record(current_user, action, consultation=consultation, target=watched.word,
                 detail=f"language: {watched.language}; action: {watched.action.value}")


@blueprint.route("/consultations/<slug>/moderation/words", methods=["GET", "POST"])
@staff_required
def words(slug: str):
    """The watched words of a consultation, and a form to add one."""
    consultation = moderated_consultation(slug)
    form = WatchedWordForm()
    form.language.choices = options(
        [("*", _("Every language"))] + [(c, language_label(c)) for c in consultation.languages])
    if form.validate_on_submit():
        try:
            watched = services.add_watched_word(consultation, form.word.data,
                                                form.language.data,
                                                WordAction(form.action.data), current_user)
        except services.ModerationError as error:
            db.session.rollback()
            form.word.errors = [WORD_ERRORS[error.kind]()]
        else:
            _record(consultation, "watched_word.added", watched)
            db.session.commit()
            flash(_("The word is watched in new comments."), "success")
            return redirect(url_for(".words", slug=slug), code=303)
    return render_template("moderation/words.html", consultation=consultation, form=form,
                           words=services.watched_words(consultation.id),
                           action_labels=WORD_ACTION_LABELS), 422 if form.errors else 200


@blueprint.post("/consultations/<slug>/moderation/words/<int:word_id>/delete")
@staff_required
def delete_word(slug: str, word_id: int):
    """Stop watching a word (comments already screened stay as they are)."""
    consultation = moderated_consultation(slug)
    watched = db.session.get(WatchedWord, word_id)
    if watched is None or watched.consultation_id != consultation.id:
        abort(404)
    _record(consultation, "watched_word.removed", watched)
    services.delete_watched_word(consultation.id, word_id)
    db.session.commit()
    flash(_("The word is no longer watched."), "success")
    return redirect(url_for(".words", slug=slug), code=303)


@blueprint.get("/consultations/<slug>/moderation/log.csv")
@staff_required
def decision_log(slug: str):
    """The decision log as CSV, streamed: for auditors (site admins and planners), with no
    participant data."""
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    require(can_audit_moderation(current_user, consultation))
    filename = f"moderation-log-{consultation.slug}.csv"
    return Response(stream_with_context(decision_log_csv(consultation)),
                    mimetype="text/csv", headers={
                        "Content-Disposition": f'attachment; filename="{filename}"',
                        "X-Content-Type-Options": "nosniff"})

