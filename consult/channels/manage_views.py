"""A consultation's channels page: the channels connected, what a full survey costs in SMS
segments per language, the questions that do not suit SMS, what a participant receives first;
managers connect a channel here; any staff member plays a test conversation (nothing is
kept or sent)."""
from flask import Blueprint, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from consult.channels import costs, preview, services
from consult.channels.conversation import question_text
from consult.channels.forms import ConnectForm
from consult.channels.models import Provider
from consult.channels.preview_forms import PreviewForm, message_lines
from consult.consultations.forms import options
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.i18n import current_language, language_name
from consult.permissions import can_manage, can_see_staff_page, require, staff_required
from consult.surveys.models import QuestionType
from consult.surveys.services import get_survey

blueprint = Blueprint("manage_channels", __name__,
                      url_prefix="/manage/consultations/<slug>/channels")


def _consultation(slug: str):
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    return consultation


def _preview_form(consultation) -> PreviewForm:
    form = PreviewForm()
    form.language.choices = options((code, language_name(code))
                                    for code in consultation.languages)
    return form


def _page(consultation, form, status: int = 200, tester=None, exchanges=None):
    survey = get_survey(consultation)
    connections = services.connections_for(consultation)
    # The survey's costs and unsuited questions matter while a channel may still answer it:
    # none connected yet, or one that does; not when every channel takes comments only.
    if survey is not None and connections and not any(c.takes_survey for c in connections):
        survey = None
    questions = [q for q in survey.questions if q.type is not QuestionType.NOTE] if survey else []
    previews = {}
    if questions:
        for language in consultation.languages:
            with force_locale(language):
                previews[language] = question_text(questions[0], language)
    return render_template(
        "channels/index.html", consultation=consultation, form=form,
        connections=connections,
        costs=[costs.survey_cost(survey, code) for code in consultation.languages]
        if survey else [],
        not_suited=costs.not_suited(survey, current_language()) if survey else [],
        previews=previews, may_manage=can_manage(current_user, consultation),
        tester=tester or _preview_form(consultation), exchanges=exchanges), status


def _connect_form(consultation) -> ConnectForm:
    form = ConnectForm()
    survey = get_survey(consultation)
    form.has_survey = survey is not None and bool(survey.questions)
    if not form.has_survey and not form.takes.raw_data:
        form.takes.data = "comments"  # the only choice that can be made
    return form


@blueprint.get("")
@staff_required
def index(slug: str):
    """The consultation's channels and their costs."""
    consultation = _consultation(slug)
    return _page(consultation, _connect_form(consultation))


@blueprint.post("")
@staff_required
def connect(slug: str):
    """Connect a channel (managers only)."""
    consultation = _consultation(slug)
    require(can_manage(current_user, consultation))
    form = _connect_form(consultation)
    if not form.validate_on_submit() or _clashes(form):
        return _page(consultation, form, 422)
    # An absent field reads as None (a scripted post), not as "every language".
    languages = [c for c in (form.languages.data or "").split() if c in consultation.languages]
    services.connect(consultation, Provider(form.provider.data), form.number.data,
                     form.keywords.data or "", languages=languages, survey=form.survey,
                     comments=form.comments, ussd=form.ussd.data,
                     comment_keywords=form.comment_keywords.data or "")
    db.session.commit()
    return redirect(url_for(".index", slug=slug), 303)


def _clashes(form: ConnectForm) -> bool:
    """Whether another active channel already answers these keywords (or this USSD code) on
    the same number: the message would be routed to either. Tells the form which."""
    words = [*(form.keywords.data or "").split(), *(form.comment_keywords.data or "").split()]
    taken = services.keyword_clashes(Provider(form.provider.data), form.number.data,
                                     form.ussd.data, words)
    if not taken:
        return False
    if form.ussd.data:
        form.number.errors.append(_("Another channel already uses this USSD code."))
    else:
        survey_words = {w.upper() for w in (form.keywords.data or "").split()}
        field = form.keywords if set(taken) & survey_words else form.comment_keywords
        field.errors.append(_("Another channel on this number already answers to: "
                              "%(words)s.", words=" ".join(taken)))
    return True


@blueprint.post("/preview")
@staff_required
def test_message(slug: str):
    """Play what a participant would text and show the replies; nothing is kept or sent."""
    consultation = _consultation(slug)
    tester = _preview_form(consultation)
    if not tester.validate_on_submit():
        return _page(consultation, _connect_form(consultation), 422, tester=tester)
    try:
        exchanges = preview.play(consultation, services.connections_for(consultation),
                                 tester.language.data, message_lines(tester.messages.data))
    finally:
        db.session.rollback()  # the played conversation, its draft and receipt: all undone
    return _page(consultation, _connect_form(consultation), tester=tester, exchanges=exchanges)
