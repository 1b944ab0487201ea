"""An author appeals a moderation decision on their comment, once, from their own page."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from consult.accounts.participants import participant_key
from consult.extensions import db
from consult.moderation import services
from consult.moderation.forms import AppealForm
from consult.moderation.labels import ACTION_LABELS, REASON_LABELS
from consult.moderation.models import Appeal, ModerationDecision
from consult.permissions import public

blueprint = Blueprint("moderation_appeals", __name__)


@blueprint.route("/receipt/decisions/<int:decision_id>/appeal", methods=["GET", "POST"])
@public
def appeal(decision_id: int):
    """The appeal form for one decision; only the comment's author reaches it (404 else)."""
    key = participant_key(create=False)
    decision = db.session.get(ModerationDecision, decision_id)
    if decision is None or not key or decision.comment.author_key != key \
            or not services.may_appeal(decision):
        abort(404)
    back = url_for("accounts.receipt", _anchor=f"comment-{decision.comment_id}")
    if db.session.scalar(db.select(Appeal.id).filter_by(decision_id=decision.id)):
        flash(_("You have already appealed this decision."), "warning")
        return redirect(back, code=303)
    form = AppealForm()
    if form.validate_on_submit():
        services.appeal_decision(decision, key, form.statement.data)
        db.session.commit()
        flash(_("Your appeal was sent. Another moderator will decide; the outcome will "
                "show here."), "success")
        return redirect(back, code=303)
    return render_template("moderation/appeal.html", decision=decision, form=form,
                           comment=decision.comment, action_labels=ACTION_LABELS,
                           reason_labels=REASON_LABELS, back=back), \
        422 if form.errors else 200
