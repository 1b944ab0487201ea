"""Answering a survey on any phone without JavaScript: a page at a time, saved as you go."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from consult import limits as rate_limits
from consult.accounts.forms import EmptyForm
from consult.accounts.participants import (
    participant_key,
    participant_status,
    signed_in_account,
)
from consult.analysis.conditions import evaluate, prune_hidden, referenced_keys
from consult.consultations.lifecycle import ParticipationMode
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.i18n import current_language, offer_languages
from consult.permissions import can_view, public
from consult.security import random_token
from consult.surveys import autosave, changes, responses
from consult.surveys.answers import check_page, first_incomplete_page, unanswered_required
from consult.surveys.models import QuestionType, ResponseState
from consult.surveys.services import get_survey

blueprint = Blueprint("surveys", __name__, url_prefix="/consultations")


def _survey_of(slug: str):
    """(consultation, survey) if this reader may see them, else 404."""
    consultation = get_consultation(slug)
    if consultation is None or not can_view(current_user, consultation):
        abort(404)
    survey = get_survey(consultation)
    if survey is None or not survey.pages:
        abort(404)
    offer_languages(consultation.languages, consultation.default_language)
    return consultation, survey


def _submitted(page, form) -> dict[str, list[str]]:
    """Form fields as lists of strings; ranking selects (KEY__rank__OPTION) become an order."""
    submitted = {name: form.getlist(name) for name in form}
    for question in page.questions:
        if question.type is QuestionType.RANKING:
            ranks = {o.key: form.get(f"{question.key}__rank__{o.key}", "") for o in
                     question.options}
            # Ties keep the options' own order: the participant meant both as equally important.
            chosen = sorted((int(r), n, k) for n, (k, r) in enumerate(ranks.items())
                            if r.isdigit())
            submitted[question.key] = [k for _, _, k in chosen]
    return submitted


def _typed_back(page, submitted, values, others, errors) -> tuple[dict, dict]:
    """The checked values plus what was typed in the fields to correct: nothing is lost."""
    values, others = dict(values), dict(others)
    for question in page.questions:
        raw = submitted.get(question.key) or []
        if question.key in errors and raw:
            multiple = question.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)
            values[question.key] = raw if multiple else raw[0]
        if question.key in errors and submitted.get(f"{question.key}__other"):
            others[question.key] = " ".join(submitted[f"{question.key}__other"])
    return values, others


#: The page shown instead of the survey, by the reason this person may not answer now.
REFUSAL_PAGES = {"closed": "surveys/closed.html", "account": "surveys/needs_account.html",
                 "codename": "surveys/needs_codename.html"}


def _refusal(consultation) -> str | None:
    """Why this person may not answer now (a key of REFUSAL_PAGES), or None."""
    if not consultation.allows("respond"):
        return "closed"
    mode = consultation.participation_mode
    if mode is ParticipationMode.ACCOUNT and signed_in_account() is None:
        return "account"
    if mode is ParticipationMode.CODENAME and signed_in_account() is None \
            and not participant_status().has_codename:
        return "codename"
    return None


@blueprint.route("/<slug>/survey", methods=["GET", "POST"])
@public
def answer(slug: str):
    """One page of the survey; every page sent is saved, the last one submits."""
    consultation, survey = _survey_of(slug)
    saving_draft = autosave.requested()
    reason = _refusal(consultation)
    if reason is not None:
        if saving_draft:
            return autosave.refused(reason)
        return render_template(REFUSAL_PAGES[reason], consultation=consultation)
    language = current_language()
    key = participant_key()
    response = responses.response_for(survey, key)
    change = None
    if response is not None and response.state is ResponseState.SUBMITTED:
        change = changes.change_for(survey, key)
        if change is None:
            if saving_draft:
                return autosave.refused("submitted", 409)
            return redirect(url_for(".done", slug=slug))
    working = change or response
    pages = survey.pages
    number = request.args.get("page", type=int) or (working.current_page if working else 1)
    number = min(max(number, 1), len(pages))
    page = pages[number - 1]
    saved, saved_others = responses.saved_answers(working, survey) if working else ({}, {})
    earlier_questions = [(q.key, q.show_if) for p in pages[:number - 1] for q in p.questions]
    earlier = prune_hidden(earlier_questions, saved)
    values, others, errors, limited = saved, saved_others, {}, False
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        submitted = _submitted(page, request.form)
        if saving_draft:
            return autosave.save(survey, key, language, page, number, submitted, earlier,
                                 changing=change is not None)
        values, others, errors = check_page(page.questions, submitted, earlier, language)
        if not errors:
            incomplete = first_incomplete_page(pages[:-1], {**earlier, **values}) \
                if number == len(pages) else None
            if number < len(pages) or incomplete is not None or change is not None \
                    or rate_limits.allow(rate_limits.SUBMISSION, consultation.id):
                return _save(survey, key, language, page, values, others, number, slug,
                             changing=response if change else None, back_to=incomplete)
            # Over a limit: the answers are kept as a draft and the page shown again (429).
            _keep_draft(survey, key, language, page, values, others, number)
            flash(rate_limits.message(), "error")
            limited = True
        values, others = _typed_back(page, submitted, values, others, errors)
    elif request.args.get("incomplete"):  # sent back from the last page: say what is missing
        errors = unanswered_required(page.questions, {**earlier, **values})
    # Without JavaScript a page cannot react: a question that depends on an answer on this
    # same page is shown, and dropped on submit if it ends up hidden.
    on_page = {q.key for q in page.questions}
    shown = [q for q in page.questions if evaluate(q.show_if, {**earlier, **values})
             or referenced_keys(q.show_if) & on_page]
    return render_template(
        "surveys/page.html", consultation=consultation, survey=survey, page=page,
        number=number, total=len(pages), questions=shown, values=values, others=others,
        errors=errors, language=language, idempotency_key=random_token(16),
        form=EmptyForm(), changing=change is not None), \
        (429 if limited else 422 if errors and request.method == "POST" else 200)


def _keep_draft(survey, key, language, page, values, others, number) -> None:
    """Save the last page's answers without submitting them (a refused submission)."""
    try:
        draft = responses.start_draft(survey, key, language)
        draft.language = language
        responses.save_page(draft, page.questions, values, others, number)
        db.session.commit()
    except (IntegrityError, responses.AlreadySubmitted):
        db.session.rollback()  # a parallel submission won: nothing to keep


def _save(survey, key, language, page, values, others, number, slug, changing=None,
          back_to=None):
    """Save the page; on the last page submit, exactly once even when the post is repeated.

    changing: the counted response whose change is in progress; pages then go to the change
    draft, and the last one replaces the counted answers. back_to: an earlier page with a
    required question unanswered; the last page is then saved, not submitted, and the
    participant is sent there.
    """
    last = number == len(survey.pages) and back_to is None
    following = back_to or number + 1
    idempotency_key = request.form.get("idempotency_key", "")[:80] or random_token(16)
    try:
        if changing is not None:
            draft = changes.change_for(survey, key)
            if draft is None:
                raise changes.ChangeAlreadyApplied(changing.receipt)
        else:
            draft = responses.start_draft(survey, key, language)
        draft.language = language
        responses.save_page(draft, page.questions, values, others,
                            number if last else following)
        if last and changing is not None:
            changes.apply_change(survey, changing, draft, idempotency_key)
        elif last:
            responses.submit(draft, survey, idempotency_key)
        db.session.commit()
    except (IntegrityError, responses.AlreadySubmitted, changes.ChangeAlreadyApplied):
        # A parallel post (double tap) won the race or it was already counted: nothing is
        # lost or counted twice; show what exists.
        db.session.rollback()
        if changing is not None:
            return redirect(url_for(".done", slug=slug))
    if last:
        return redirect(url_for(".done", slug=slug))
    if back_to is not None:
        return redirect(url_for(".answer", slug=slug, page=back_to, incomplete=1))
    return redirect(url_for(".answer", slug=slug, page=following))


@blueprint.post("/<slug>/survey/change")
@public
def change(slug: str):
    """Start changing a counted response (while the survey is open), or give up the change."""
    consultation, survey = _survey_of(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    refusal = _refusal(consultation)
    key = participant_key(create=False)
    counted = responses.response_for(survey, key) if key else None
    if refusal is not None or counted is None or counted.state is not ResponseState.SUBMITTED:
        return redirect(url_for(".done", slug=slug))
    if request.form.get("action") == "cancel":
        changes.cancel_change(survey, key)
        db.session.commit()
        return redirect(url_for(".done", slug=slug))
    changes.start_change(survey, counted)
    db.session.commit()
    return redirect(url_for(".answer", slug=slug, page=1))


@blueprint.get("/<slug>/survey/done")
@public
def done(slug: str):
    """The receipt of a counted response."""
    consultation, survey = _survey_of(slug)
    key = participant_key(create=False)
    response = responses.response_for(survey, key) if key else None
    if response is None or response.state is not ResponseState.SUBMITTED:
        return redirect(url_for(".answer", slug=slug))
    return render_template(
        "surveys/done.html", consultation=consultation, response=response, form=EmptyForm(),
        may_change=_refusal(consultation) is None,
        changing=changes.change_for(survey, key) is not None)
