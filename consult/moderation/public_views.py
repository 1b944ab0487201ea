"""Participant-facing moderation: a consultation's public moderation page (its policy and
protected statistics), and reporting a comment to the moderators."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from consult import limits as rate_limits
from consult.accounts.participants import participant_key
from consult.comments.access import refusal, visible_consultation
from consult.comments.models import Comment, CommentState
from consult.comments.pseudonyms import pseudonym
from consult.extensions import db
from consult.i18n import current_language, offer_languages
from consult.moderation import services
from consult.moderation.forms import ReportForm
from consult.moderation.labels import ACTION_LABELS, OUTCOME_LABELS, REASON_LABELS
from consult.moderation.models import AppealOutcome, Reason
from consult.moderation.stats import public_statistics
from consult.permissions import public

blueprint = Blueprint("moderation_public", __name__, url_prefix="/consultations")


@blueprint.get("/<slug>/moderation")
@public
def policy(slug: str):
    """The consultation's moderation policy and what its moderators did, in aggregate."""
    consultation = visible_consultation(slug)
    offer_languages(consultation.languages, consultation.default_language)
    return render_template(
        "moderation/public.html", consultation=consultation, language=current_language(),
        stats=public_statistics(consultation), action_labels=ACTION_LABELS,
        reason_labels=REASON_LABELS, outcome_labels=OUTCOME_LABELS,
        outcomes=tuple(AppealOutcome),
        threshold=current_app.config["MODERATION_REPORTS_TO_HIDE"])


@blueprint.route("/<slug>/comments/<int:comment_id>/report", methods=["GET", "POST"])
@public
def report(slug: str, comment_id: int):
    """Tell the moderators what is wrong with a published comment (once per participant)."""
    consultation = visible_consultation(slug)
    offer_languages(consultation.languages, consultation.default_language)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.consultation_id != consultation.id \
            or comment.state is not CommentState.PUBLISHED:
        abort(404)
    back = url_for("comments.comment", slug=slug, comment_id=comment.id)
    gate = refusal(consultation.state, consultation.participation_mode, "vote")
    gate = None if gate == "closed" else gate  # reports are welcome after closing too
    form = ReportForm()
    if gate is None and form.validate_on_submit():
        key = participant_key()
        if key == comment.author_key:
            flash(_("This is your own comment: you can withdraw it instead."), "warning")
            return redirect(back, code=303)
        if not rate_limits.allow(rate_limits.REPORT, consultation.id):
            flash(rate_limits.message(), "error")  # the form again, reason and note kept
            return _report_page(consultation, comment, form, gate, back), 429
        made = services.report_comment(
            comment, key, Reason(form.reason.data), form.note.data or "",
            current_app.config["MODERATION_REPORTS_TO_HIDE"])
        db.session.commit()
        if made is None:
            flash(_("You have already reported this comment. The moderators will look at "
                    "it."), "success")
        else:
            flash(_("Thank you. The moderators will look at this comment."), "success")
        return redirect(back, code=303)
    return _report_page(consultation, comment, form, gate, back), \
        422 if form.errors else 200


def _report_page(consultation, comment, form, gate, back) -> str:
    """The report form for a comment."""
    return render_template("moderation/report.html", consultation=consultation,
                           comment=comment, form=form, gate=gate, back=back,
                           name=pseudonym(comment.author_key, consultation.id),
                           language=current_language(), here=request.path)
