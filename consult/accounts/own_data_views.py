"""A participant's own data, from their contributions page: download everything they sent,
withdraw a comment (its words erased), delete a survey response while the consultation is
open. Each acts on the session's participant only (the key a receipt or codename gave it),
so no URL names anything another person could use."""
import json

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
from sqlalchemy import select

from consult.accounts import own_data
from consult.accounts.forms import EmptyForm
from consult.accounts.participants import participant_key
from consult.comments import services as comments
from consult.comments.models import Comment, CommentState
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.moderation import labels as moderation_labels
from consult.permissions import public
from consult.surveys import deletion
from consult.surveys.models import ResponseState
from consult.surveys.responses import response_for
from consult.surveys.services import get_survey

blueprint = Blueprint("own_data", __name__, url_prefix="/receipt")

#: The participant's comments listed per page.
PAGE_SIZE = 50


def _key() -> str:
    """The session's participant key; without one there is nothing of theirs (404)."""
    key = participant_key(create=False)
    if not key:
        abort(404)
    return key


@blueprint.get("/download")
@public
def download():
    """Everything the participant contributed, as a JSON attachment that no cache keeps."""
    document = own_data.contributions(_key())
    response = current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-contributions.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/comments")
@public
def my_comments():
    """All the participant's comments, newest first, each with a way to withdraw it."""
    key = _key()
    before = request.args.get("before", type=int)
    query = select(Comment).where(Comment.author_key == key)
    if before:
        query = query.where(Comment.id < before)
    found = list(db.session.scalars(query.order_by(Comment.id.desc()).limit(PAGE_SIZE + 1)))
    return render_template("accounts/own_comments.html", comments=found[:PAGE_SIZE],
                           more=found[PAGE_SIZE - 1].id if len(found) > PAGE_SIZE else None,
                           labels=moderation_labels.STATE_LABELS)


def _own_comment(comment_id: int, key: str) -> Comment:
    """The participant's own comment; anyone else's is 404 (its existence is not told)."""
    comment = comments.get_comment(comment_id)
    if comment is None or comment.author_key != key:
        abort(404)
    return comment


@blueprint.route("/comments/<int:comment_id>/withdraw", methods=["GET", "POST"])
@public
def withdraw_comment(comment_id: int):
    """Confirm, then withdraw one's comment: its words are erased for good."""
    key = _key()
    comment = _own_comment(comment_id, key)
    form = EmptyForm()
    if comment.state is CommentState.WITHDRAWN:
        flash(_("This comment is withdrawn and its words are erased."), "success")
        return redirect(url_for(".my_comments"), code=303)
    if form.validate_on_submit():
        comments.withdraw(comment, key)
        db.session.commit()
        flash(_("Your comment is withdrawn and its words are erased. Replies to it stay."),
              "success")
        return redirect(url_for(".my_comments"), code=303)
    return render_template("accounts/withdraw_comment.html", comment=comment, form=form,
                           labels=moderation_labels.STATE_LABELS)


@blueprint.route("/responses/<slug>/delete", methods=["GET", "POST"])
@public
def delete_response(slug: str):
    """Confirm, then delete one's survey response (while the consultation takes answers)."""
    key = _key()
    consultation = get_consultation(slug)
    survey = get_survey(consultation) if consultation is not None else None
    response = response_for(survey, key) if survey is not None else None
    if response is None or response.state is not ResponseState.SUBMITTED:
        if survey is not None and any(c.id == consultation.id
                                      for _, c in deletion.deleted_for(key)):
            # Already deleted: a repeated post or a retry is told so, and nothing is undone.
            flash(_("Your response to this consultation is already deleted."), "success")
            return redirect(url_for("accounts.receipt"), code=303)
        abort(404)
    form = EmptyForm()
    open_ = deletion.may_delete(consultation)
    if open_ and form.validate_on_submit():
        try:
            deletion.delete_response(consultation, survey, response)
            db.session.commit()
        except deletion.ResponseGone:
            db.session.rollback()  # a parallel post deleted it first: counted out once
        flash(_("Your response is deleted: its answers are gone and no longer counted."),
              "success")
        return redirect(url_for("accounts.receipt"), code=303)
    status = 409 if request.method == "POST" and not open_ else 200
    return render_template("accounts/delete_response.html", consultation=consultation,
                           response=response, form=form, may_delete=open_), status
