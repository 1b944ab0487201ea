"""The moderation queue and the review of one comment: decisions with reasons, bulk approve
and reject, appeals decided by another moderator. Plain forms; no JavaScript needed."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from consult.comments.models import Comment
from consult.comments.pseudonyms import pseudonym
from consult.consultations.models import Consultation
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.i18n import language_label
from consult.moderation import queue, services
from consult.moderation.forms import AppealDecisionForm, BulkForm, DecisionForm
from consult.moderation.labels import (
    ACTION_LABELS,
    ACTION_VERBS,
    OUTCOME_LABELS,
    REASON_LABELS,
    STATE_LABELS,
    reason_label,
)
from consult.moderation.models import Action, Appeal, AppealOutcome, Reason
from consult.moderation.review import review_of
from consult.permissions import (
    can_audit_moderation,
    can_moderate,
    can_see_staff_page,
    require,
    staff_required,
)

blueprint = Blueprint("moderation", __name__, url_prefix="/manage")
# Comment threads and the author's page name the reason a comment is held or hidden.
blueprint.add_app_template_global(reason_label, "reason_label")

#: Why a decision could not be taken, by ModerationError.kind.
REFUSALS = {
    "own": _l("You wrote this comment: another moderator decides on it."),
    "state": _l("That is not possible for a comment in its current state."),
    "spans": _l("Copy each passage to remove exactly as the comment has it."),
    "blocked": _l("The author is already blocked in this consultation."),
    "not_blocked": _l("The author is not blocked in this consultation."),
    "same_moderator": _l("You made the decision appealed against: another moderator decides "
                         "on the appeal."),
    "decided": _l("This appeal has already been decided."),
}
TAB_LABELS = {
    "pending": _l("Waiting for approval"),
    "reported": _l("Reported"),
    "held": _l("Held or flagged automatically"),
    "appeals": _l("Appeals"),
}


def moderated_consultation(slug: str) -> Consultation:
    """The consultation, if this staff member may moderate it (404 for staff of unrelated
    organisations, 403 for others who may see it)."""
    consultation = get_consultation(slug)
    require(consultation is not None and (can_see_staff_page(current_user, consultation)
                                          or can_moderate(current_user, consultation)),
            hide=True)
    require(can_moderate(current_user, consultation))
    return consultation


def _filters(consultation: Consultation) -> tuple[queue.Filters, dict]:
    """The queue filters from the query string, ignoring anything unknown."""
    args = request.args
    language = args.get("language") if args.get("language") in consultation.languages else None
    sections = {str(s.number): s for s in consultation.sections}
    section_arg = args.get("section", "")
    section_id = 0 if section_arg == "0" else (
        sections[section_arg].id if section_arg in sections else None)
    reason = next((r for r in Reason if r.value == args.get("reason")), None)
    shown = {"language": language or "", "reason": reason.value if reason else "",
             "section": section_arg if section_id is not None else ""}
    return queue.Filters(language=language, section_id=section_id, reason=reason), shown


@blueprint.route("/consultations/<slug>/moderation", methods=["GET", "POST"])
@staff_required
def index(slug: str):
    """The queue: a tab of items with filters; POST approves or rejects the ticked ones."""
    consultation = moderated_consultation(slug)
    tab = request.args.get("tab") if request.args.get("tab") in queue.TABS else "pending"
    filters, shown = _filters(consultation)
    form = BulkForm()
    if form.validate_on_submit():
        chosen = list(db.session.scalars(db.select(Comment).filter(
            Comment.id.in_(form.comments.data), Comment.consultation_id == consultation.id)))
        done, skipped = services.bulk_decide(chosen, Action(form.action.data),
                                             form.reason_code, current_user, form.note.data)
        db.session.commit()
        flash(ngettext("%(num)d comment decided.", "%(num)d comments decided.", done),
              "success")
        if skipped:
            flash(ngettext("%(num)d comment was left as it was: you wrote it, or its state "
                           "does not allow this.", "%(num)d comments were left as they were: "
                           "you wrote them, or their state does not allow this.", skipped),
                  "warning")
        return redirect(request.full_path.rstrip("?"), code=303)
    after = request.args.get("after", type=int)
    page = queue.load_page(consultation.id, tab, filters, after)
    names = {item.comment.id: pseudonym(item.comment.author_key, consultation.id)
             for item in page.items}
    return render_template(
        "moderation/queue.html", consultation=consultation, page=page, form=form,
        filters=shown, tab_labels=TAB_LABELS, names=names, reason_labels=REASON_LABELS,
        action_labels=ACTION_LABELS, sections={s.id: s for s in consultation.sections},
        may_audit=can_audit_moderation(current_user, consultation),
        language_label=language_label), 422 if form.errors else 200


def _comment_of(consultation: Consultation, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    require(comment is not None and comment.consultation_id == consultation.id, hide=True)
    return comment


def _render_review(consultation: Consultation, comment: Comment, form: DecisionForm,
                   appeal_form: AppealDecisionForm, status: int = 200):
    review = review_of(comment)
    actions = services.allowed_actions(comment, review.blocked)
    form.set_actions(actions)
    parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
    return render_template(
        "moderation/review.html", consultation=consultation, review=review, comment=comment,
        form=form, appeal_form=appeal_form, own=services.is_own(comment, current_user),
        name=pseudonym(comment.author_key, consultation.id), parent=parent,
        reason_labels=REASON_LABELS, action_labels=ACTION_LABELS, action_verbs=ACTION_VERBS,
        outcome_labels=OUTCOME_LABELS, state_labels=STATE_LABELS,
        may_redact=Action.REDACT in actions), status


@blueprint.route("/consultations/<slug>/moderation/comments/<int:comment_id>",
                 methods=["GET", "POST"])
@staff_required
def review(slug: str, comment_id: int):
    """One comment with its reports, flags and history; POST: a decision on it."""
    consultation = moderated_consultation(slug)
    comment = _comment_of(consultation, comment_id)
    form = DecisionForm()
    appeal_form = AppealDecisionForm(formdata=None)
    form.set_actions(services.allowed_actions(
        comment, services.active_block(consultation.id, comment.author_key) is not None))
    if form.validate_on_submit():
        try:
            decisions = services.decide(comment, Action(form.action.data), form.reason_code,
                                        current_user, form.note.data, form.span_list)
        except services.ModerationError as error:
            db.session.rollback()
            target = form.spans if error.kind == "spans" else form.action
            target.errors = [REFUSALS.get(error.kind, REFUSALS["state"])]
        else:
            db.session.commit()
            flash(_("Decision saved: %(action)s (%(reason)s).",
                    action=ACTION_LABELS[decisions[0].action],
                    reason=REASON_LABELS[decisions[0].reason]), "success")
            return redirect(url_for(".review", slug=slug, comment_id=comment.id), code=303)
    return _render_review(consultation, comment, form, appeal_form,
                          422 if form.errors else 200)


@blueprint.post("/consultations/<slug>/moderation/appeals/<int:appeal_id>")
@staff_required
def decide_appeal(slug: str, appeal_id: int):
    """Uphold or overturn an appeal (never by the moderator appealed against)."""
    consultation = moderated_consultation(slug)
    appeal = db.session.get(Appeal, appeal_id)
    require(appeal is not None and appeal.consultation_id == consultation.id, hide=True)
    comment = appeal.decision.comment
    form = AppealDecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_appeal(appeal, AppealOutcome(form.outcome.data), form.reason_code,
                                   current_user, form.note.data)
        except services.ModerationError as error:
            db.session.rollback()
            form.outcome.errors = [REFUSALS.get(error.kind, REFUSALS["state"])]
        else:
            db.session.commit()
            flash(_("The appeal was decided: %(outcome)s.",
                    outcome=OUTCOME_LABELS[appeal.outcome]), "success")
            return redirect(url_for(".review", slug=slug, comment_id=comment.id), code=303)
    if not form.errors:
        abort(400)
    return _render_review(consultation, comment, DecisionForm(formdata=None), form, 422)
