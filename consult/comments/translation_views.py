"""Staff pages: participants' comments with their translations, and translating one."""
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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from consult.comments.models import Comment, CommentState
from consult.comments.translations import (
    MAX_TRANSLATION_LENGTH,
    save_translation,
    translations_of,
)
from consult.consultations.forms import options
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.forms import Form
from consult.i18n import language_label
from consult.machine_translation import MachineTranslationFailed, configured_translator, suggest
from consult.permissions import (
    can_manage,
    can_moderate,
    can_read_planner_report,
    can_read_unpublished_comments,
    can_see_staff_page,
    may_read_comment,
    require,
    staff_required,
)

blueprint = Blueprint("comment_translations", __name__, url_prefix="/manage")

PAGE_SIZE = 50

STATE_LABELS = {
    CommentState.PENDING: _l("Waiting for moderation"),
    CommentState.PUBLISHED: _l("Published"),
    CommentState.HIDDEN: _l("Hidden"),
    CommentState.REJECTED: _l("Rejected"),
    CommentState.WITHDRAWN: _l("Withdrawn by its author"),
}


class TranslationForm(Form):
    """A reviewed translation of one comment."""

    language = SelectField(_l("Translate into"))
    body = TextAreaField(_l("Translation"), description=_l(
        "Translate faithfully, including mistakes of fact; the original stays as it is."),
        validators=[DataRequired(_l("Write the translation.")),
                    Length(max=MAX_TRANSLATION_LENGTH,
                           message=_l("Keep it to %(max)d characters or fewer."))],
        render_kw={"rows": 8, "dir": "auto"})


def may_translate(user, consultation) -> bool:
    """Hosts, moderators and planners may add translations for their colleagues."""
    return can_manage(user, consultation) or can_moderate(user, consultation) \
        or can_read_planner_report(user, consultation)


def _consultation(slug: str):
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    return consultation


@blueprint.get("/consultations/<slug>/comments")
@staff_required
def comments(slug: str):
    """Comments newest first, each with its translations: of every state for moderators,
    published only for everyone else (the others may hold personal data)."""
    consultation = _consultation(slug)
    query = db.select(Comment).filter_by(consultation_id=consultation.id)
    if not can_read_unpublished_comments(current_user, consultation):
        query = query.filter_by(state=CommentState.PUBLISHED)
    language = request.args.get("language", "")
    if language:
        query = query.filter_by(language=language)
    before = request.args.get("before", type=int)
    if before:
        query = query.filter(Comment.id < before)
    found = list(db.session.scalars(query.order_by(Comment.id.desc()).limit(PAGE_SIZE + 1)))
    page, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    return render_template(
        "manage/comments.html", consultation=consultation, comments=page,
        translations=translations_of([c.id for c in page]), language=language,
        next_before=page[-1].id if more else None, state_labels=STATE_LABELS,
        may_translate=may_translate(current_user, consultation))


@blueprint.route("/consultations/<slug>/comments/<int:comment_id>/translation",
                 methods=["GET", "POST"])
@staff_required
def translate(slug: str, comment_id: int):
    """Write (or review a machine draft of) a comment's translation."""
    consultation = _consultation(slug)
    require(may_translate(current_user, consultation))
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.consultation_id != consultation.id or not may_read_comment(
            current_user, consultation, comment.state is CommentState.PUBLISHED):
        abort(404)
    form = TranslationForm()
    targets = [code for code in consultation.languages if code != comment.language] or \
        [code for code in current_app.config["LANGUAGES"] if code != comment.language]
    form.language.choices = options((code, language_label(code)) for code in targets)
    existing = translations_of([comment.id])[comment.id]
    translator = configured_translator()
    if request.method == "POST" and request.form.get("action") == "suggest" and translator:
        # CSRF was already checked for every post; a draft needs no other validation.
        language = request.form.get("language")
        if language in targets:
            try:
                form.body.data = suggest(comment.body, comment.language, language) or ""
                flash(_("A machine draft is below. Check it against the original before "
                        "saving."), "warning")
            except MachineTranslationFailed:
                flash(_("The machine translator did not answer. Write the translation "
                        "yourself."), "error")
        return _page(consultation, comment, form, existing, translator)
    if form.validate_on_submit():
        save_translation(comment, form.language.data, form.body.data, current_user,
                         machine_assisted=request.form.get("machine_assisted") == "1")
        db.session.commit()
        flash(_("Translation saved. Colleagues see it next to the original."), "success")
        return redirect(url_for(".comments", slug=slug))
    return _page(consultation, comment, form, existing, translator,
                 status=422 if form.errors else 200)


def _page(consultation, comment, form, existing, translator, status=200):
    return render_template("manage/comment_translation.html", consultation=consultation,
                           comment=comment, form=form, existing=existing,
                           translator=translator,
                           machine_draft=request.form.get("action") == "suggest"
                           or request.form.get("machine_assisted") == "1"), status
