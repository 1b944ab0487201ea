"""Host pages that build a survey without JavaScript: pages, questions and options, under
/manage/consultations/<slug>/survey. Every edit goes through builder.py, which enforces the
lifecycle and answer rules; these views only show, ask and commit once."""
from typing import Iterable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import audit
from consult.accounts.forms import EmptyForm
from consult.audit.changes import changed_settings, changed_texts, joined, texts_of
from consult.consultations.models import Consultation
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.i18n import current_language
from consult.permissions import can_manage, can_see_staff_page, require, staff_required
from consult.surveys import builder, builder_options
from consult.surveys.builder_forms import (
    fields_to_remove,
    option_form_class,
    page_form_class,
    question_form_class,
    remove_fields,
)
from consult.surveys.conditions_text import TYPE_LABELS, describe
from consult.surveys.models import CHOICE_TYPES, Question, QuestionType, Survey, SurveyPage
from consult.surveys.services import get_survey, has_responses

blueprint = Blueprint("manage_surveys", __name__,
                      url_prefix="/manage/consultations/<slug>/survey")


def managed_consultation(slug: str) -> Consultation:
    """The consultation, if this staff member may see it (else 404) and manage it (else 403)."""
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    require(can_manage(current_user, consultation))
    return consultation


def _survey(consultation: Consultation) -> Survey:
    survey = get_survey(consultation)
    require(survey is not None, hide=True)
    return survey


def _page(survey: Survey, key: str) -> SurveyPage:
    page = next((p for p in survey.pages if p.key == key), None)
    require(page is not None, hide=True)
    return page


def _question(survey: Survey, key: str) -> Question:
    question = next((q for q in survey.questions if q.key == key), None)
    require(question is not None, hide=True)
    return question


def _checked_post() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


def _record(consultation: Consultation, action: str, target: str, detail: str = "") -> None:
    """Audit a survey edit (target: a page or question key; detail: what changed)."""
    audit.record(current_user, action, consultation=consultation, target=target,
                 detail=detail)


def _attempt(operation, *args, success: str | None = None, log=None) -> bool:
    """Run a builder operation, then log (a callable auditing it), and commit; on a refusal
    roll back and say why."""
    try:
        operation(*args)
    except builder.BuilderRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    if log is not None:
        log()
    db.session.commit()
    if success:
        flash(success, "success")
    return True


def page_choices(survey: Survey, language: str) -> list[tuple[str, str]]:
    """(key, name) of each page, for selects and headings."""
    return [(p.key, p.text("title", language).text or _("Page %(number)s", number=n))
            for n, p in enumerate(survey.pages, start=1)]


@blueprint.get("")
@staff_required
def overview(slug: str):
    """The survey's pages and questions, with the buttons that change them."""
    consultation = managed_consultation(slug)
    survey = get_survey(consultation)
    return render_template(
        "manage/survey.html", consultation=consultation, survey=survey, form=EmptyForm(),
        structure=consultation.allows("edit_structure"),
        answered=survey is not None and has_responses(survey), type_labels=TYPE_LABELS,
        describe=describe, choice_types=CHOICE_TYPES)


@blueprint.post("/create")
@staff_required
def create(slug: str):
    """Start an empty survey (one page) for a draft consultation."""
    consultation = managed_consultation(slug)
    _checked_post()
    if get_survey(consultation) is None:
        _attempt(builder.create_survey, consultation, success=_("The survey was created."),
                 log=lambda: _record(consultation, "survey.created", consultation.slug))
    return redirect(url_for(".overview", slug=slug))


@blueprint.route("/pages/new", methods=["GET", "POST"], defaults={"page_key": None})
@blueprint.route("/pages/<page_key>/edit", methods=["GET", "POST"])
@staff_required
def edit_page(slug: str, page_key: str | None):
    """Add a page (drafts only) or edit a page's title, every language side by side."""
    consultation = managed_consultation(slug)
    survey = _survey(consultation)
    page = _page(survey, page_key) if page_key else None
    if page is None and not consultation.allows("edit_structure"):
        abort(409)
    form = page_form_class(consultation.languages)()
    if request.method == "GET" and page is not None:
        form.fill_texts(page)
    if form.validate_on_submit():
        if page is None:
            done = _attempt(builder.add_page, survey, form.texts(),
                            success=_("The page was added."),
                            log=lambda: _record(consultation, "survey.page_added",
                                                survey.pages[-1].key))
        else:
            texts = texts_of(page)
            done = _attempt(builder.set_texts, page, form.texts(),
                            success=_("The page was saved."),
                            log=lambda: _record_texts(consultation, "survey.page_changed",
                                                      page.key, texts, page))
        if done:
            return redirect(url_for(".overview", slug=slug))
    return render_template("manage/survey_page_form.html", form=form, consultation=consultation,
                           page=page), _status()


@blueprint.post("/pages/<page_key>/<any(up, down, delete):action>")
@staff_required
def change_page(slug: str, page_key: str, action: str):
    """Move a page up or down, or delete it, as the rules allow."""
    consultation = managed_consultation(slug)
    page = _page(_survey(consultation), page_key)
    _checked_post()
    if action == "delete":
        _attempt(builder.delete_page, page, success=_("The page was deleted."),
                 log=lambda: _record(consultation, "survey.page_removed", page_key))
    else:
        _attempt(builder.move_page, page, -1 if action == "up" else 1,
                 log=lambda: _record(consultation, "survey.page_changed", page_key,
                                     f"moved {action}"))
    return redirect(url_for(".overview", slug=slug, _anchor="pages"))


def _record_texts(consultation: Consultation, action: str, target: str, texts: dict,
                  edited, detail: Iterable[str] = ()) -> None:
    """Audit an edit of a page, question or option if its texts or detail changed."""
    changed = joined(detail, changed_texts(texts, texts_of(edited)))
    if changed:
        _record(consultation, action, target, changed)


def _earlier(survey: Survey, question: Question | None, page: SurveyPage) -> list[Question]:
    """Questions a condition may read: those before the question (a new one goes last on
    its page)."""
    ordered = survey.questions
    if question is not None:
        return ordered[:ordered.index(question)]
    last_page = survey.pages.index(page)
    return [q for p in survey.pages[:last_page + 1] for q in p.questions]


def _settings(form, question: Question | None) -> builder.QuestionSettings:
    """The settings the form asks for; what it does not show stays as it is."""
    current = builder.QuestionSettings.of(question) if question is not None else None

    def asked(name: str, default):
        if name in form:
            return form[name].data
        return getattr(current, name) if current is not None else default

    kind = QuestionType(form.type.data) if "type" in form else current.type
    integer = (form.number_kind.data == "integer") if "number_kind" in form else (
        current.integer if current is not None else None)
    return builder.QuestionSettings(
        key=(form.key.data or "").strip() if "key" in form else current.key, type=kind,
        required=asked("required", False), is_segment=form.is_segment.data, integer=integer,
        allow_other=asked("allow_other", False),
        show_if=form.condition(current.show_if if current else None),
        constraint=form.constraint(current.constraint if current else None, kind))


@blueprint.route("/pages/<page_key>/questions/new", methods=["GET", "POST"],
                 defaults={"key": None})
@blueprint.route("/questions/<key>/edit", methods=["GET", "POST"], defaults={"page_key": None})
@staff_required
def edit_question(slug: str, page_key: str | None, key: str | None):
    """Add a question to a page (drafts only) or edit one, as far as the rules allow."""
    consultation = managed_consultation(slug)
    survey = _survey(consultation)
    question = _question(survey, key) if key else None
    page = question.page if question is not None else _page(survey, page_key)
    structure = consultation.allows("edit_structure")
    if question is None and not structure:
        abort(409)
    answered = has_responses(survey)
    earlier = _earlier(survey, question, page)
    form = question_form_class(consultation.languages)()
    remove_fields(form, fields_to_remove(question, structure, answered,
                                         {q.key: q for q in earlier}))
    form.setup(question.key if question else None, earlier,
               page_choices(survey, current_language()))
    if request.method == "GET":
        if question is not None:
            form.fill(question)
        elif "page" in form:
            form.page.data = page.key
    if form.validate_on_submit() and form.require_label_in(consultation.default_language):
        saved = _save_question(form, survey, page, question)
        if saved is not None:
            flash(_("The question was saved."), "success")
            if saved.type in CHOICE_TYPES and not saved.options:
                return redirect(url_for(".edit_question", slug=slug, key=saved.key,
                                        _anchor="options"))
            return redirect(url_for(".overview", slug=slug, _anchor=f"q-{saved.key}"))
    return render_template(
        "manage/survey_question_form.html", form=form, consultation=consultation,
        survey=survey, question=question, page=page, structure=structure, answered=answered,
        type_labels=TYPE_LABELS, describe=describe, choice_types=CHOICE_TYPES,
        actions=EmptyForm()), _status()


def _save_question(form, survey: Survey, page: SurveyPage,
                   question: Question | None) -> Question | None:
    """Add or update the question and commit; None (with the reason shown) if refused."""
    settings = _settings(form, question)
    target = _page(survey, form.page.data) if "page" in form else page
    before = _question_facts(question) if question is not None else None
    texts = texts_of(question) if question is not None else {}
    try:
        if question is None:
            question = builder.add_question(target, settings, form.texts())
        else:
            builder.update_question(question, settings, form.texts())
            builder.move_question_to(question, target)
    except builder.KeyRefused as error:
        db.session.rollback()
        if "key" in form:
            form.key.errors = list(form.key.errors) + [str(error)]
        else:
            flash(str(error), "error")
        return None
    except builder.BuilderRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return None
    if before is None:
        _record(survey.consultation, "survey.question_added", question.key,
                f"type: {question.type.value}; page: {question.page.key}")
    else:
        _record_texts(survey.consultation, "survey.question_changed", question.key, texts,
                      question, changed_settings(before, _question_facts(question)))
    db.session.commit()
    return question


def _question_facts(question: Question) -> dict:
    """A question's settings and page, compared before and after an edit."""
    return {**vars(builder.QuestionSettings.of(question)), "page": question.page.key}


@blueprint.post("/questions/<key>/<any(up, down, delete):action>")
@staff_required
def change_question(slug: str, key: str, action: str):
    """Move a question up or down (across pages at the edges), or delete it."""
    consultation = managed_consultation(slug)
    question = _question(_survey(consultation), key)
    _checked_post()
    if action == "delete":
        _attempt(builder.delete_question, question, success=_("The question was deleted."),
                 log=lambda: _record(consultation, "survey.question_removed", key))
        return redirect(url_for(".overview", slug=slug, _anchor="pages"))
    _attempt(builder.move_question, question, -1 if action == "up" else 1,
             log=lambda: _record(consultation, "survey.question_changed", key,
                                 f"moved {action}"))
    return redirect(url_for(".overview", slug=slug, _anchor=f"q-{key}"))


def _choice_question(slug: str, key: str):
    consultation = managed_consultation(slug)
    question = _question(_survey(consultation), key)
    require(question.type in CHOICE_TYPES, hide=True)
    return consultation, question


@blueprint.route("/questions/<key>/options/new", methods=["GET", "POST"],
                 defaults={"option_key": None})
@blueprint.route("/questions/<key>/options/<option_key>/edit", methods=["GET", "POST"])
@staff_required
def edit_option(slug: str, key: str, option_key: str | None):
    """Add an option (drafts only) or edit one's label, and its key while unanswered."""
    consultation, question = _choice_question(slug, key)
    option = None
    if option_key is not None:
        option = next((o for o in question.options if o.key == option_key), None)
        require(option is not None, hide=True)
    structure = consultation.allows("edit_structure")
    if option is None and not structure:
        abort(409)
    form = option_form_class(consultation.languages)()
    form.original_key = option.key if option is not None else None
    if option is not None and (not structure or has_responses(question.survey)):
        remove_fields(form, ["key"])
    if request.method == "GET":
        if option is not None:
            form.fill_texts(option)
            if "key" in form:
                form.key.data = option.key
        else:
            form.key.data = _next_option_key(question)
    if form.validate_on_submit() and form.require_label_in(consultation.default_language):
        new_key = (form.key.data or "").strip() if "key" in form else option.key
        old_key, texts = (option.key, texts_of(option)) if option is not None else (None, {})
        try:
            if option is None:
                option = builder_options.add_option(question, new_key, form.texts())
            else:
                builder_options.update_option(option, new_key, form.texts())
        except builder.BuilderRefused as error:
            db.session.rollback()
            if isinstance(error, builder.KeyRefused) and "key" in form:
                form.key.errors = list(form.key.errors) + [str(error)]
            else:
                flash(str(error), "error")
        else:
            _record_texts(consultation, "survey.question_changed", key, texts, option, [
                f"option {new_key} added" if old_key is None else
                f"option key: {old_key} -> {new_key}" if old_key != new_key else ""])
            db.session.commit()
            flash(_("The option was saved."), "success")
            return redirect(url_for(".edit_question", slug=slug, key=key, _anchor="options"))
    return render_template("manage/survey_option_form.html", form=form,
                           consultation=consultation, question=question, option=option), _status()


def _status() -> int:
    """422 for a form page sent back (a POST that saved would have redirected), else 200."""
    return 422 if request.method == "POST" else 200


def _next_option_key(question: Question) -> str:
    """A proposed key for a new option: the next free number."""
    used = {o.key for o in question.options}
    number = len(question.options) + 1
    while str(number) in used:
        number += 1
    return str(number)


@blueprint.post("/questions/<key>/options/<option_key>/<any(up, down, delete):action>")
@staff_required
def change_option(slug: str, key: str, option_key: str, action: str):
    """Move an option up or down, or delete it."""
    consultation, question = _choice_question(slug, key)
    option = next((o for o in question.options if o.key == option_key), None)
    require(option is not None, hide=True)
    _checked_post()

    def log() -> None:
        done = "removed" if action == "delete" else f"moved {action}"
        _record(consultation, "survey.question_changed", key, f"option {option_key} {done}")

    if action == "delete":
        _attempt(builder_options.delete_option, option, success=_("The option was deleted."),
                 log=log)
    else:
        _attempt(builder_options.move_option, option, -1 if action == "up" else 1, log=log)
    return redirect(url_for(".edit_question", slug=slug, key=key, _anchor="options"))
