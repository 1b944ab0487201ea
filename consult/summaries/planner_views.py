"""Staff pages for "you said, we did": write, translate, publish the planners' responses."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField

from consult.accounts.forms import EmptyForm
from consult.consultations.forms import TranslatedTextsMixin, options, with_text_fields
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.forms import Form
from consult.permissions import (
    can_manage,
    can_read_planner_report,
    can_see_staff_page,
    require,
    staff_required,
)
from consult.summaries import planner_responses as service
from consult.summaries.planner_responses import DECISION_LABELS, Decision, RevisionEvent
from consult.surveys.services import get_survey

blueprint = Blueprint("planner_responses", __name__, url_prefix="/manage")

#: How the staff history names each event.
EVENT_LABELS = {
    RevisionEvent.CREATED: _l("Written"),
    RevisionEvent.EDITED: _l("Changed"),
    RevisionEvent.PUBLISHED: _l("Published"),
    RevisionEvent.WITHDRAWN: _l("Withdrawn"),
    RevisionEvent.DELETED: _l("Deleted"),
}
#: How the staff history names the parts a version changed.
PART_LABELS = {"decision": _l("decision"), "topic": _l("topic"), "title": _l("title"),
               "body": _l("text")}

TEXT_FIELDS = (("title", _l("Title"), False, 200), ("body", _l("What we did and why"), True,
                                                     4000))


class PlannerResponseForm(TranslatedTextsMixin, Form):
    """A response: its topic, the decision and its texts in every offered language."""

    topic = SelectField(_l("About"))
    decision = SelectField(_l("Decision"), choices=options(
        (d.value, label) for d, label in DECISION_LABELS.items()))


def topic_choices(consultation) -> list[tuple[str, str]]:
    """The consultation as a whole, then each survey question (in the staff's language)."""
    choices = [("", _("The consultation as a whole"))]
    survey = get_survey(consultation)
    language = consultation.default_language
    for question in survey.questions if survey else []:
        if question.type.value != "note":
            choices.append((f"question:{question.key}", _("Question: %(label)s",
                                                           label=question.text("label",
                                                                               language))))
    return choices


def _consultation(slug: str):
    """The consultation, if this planner or host may write its responses."""
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    require(can_read_planner_report(current_user, consultation)
            or can_manage(current_user, consultation))
    return consultation


@blueprint.get("/consultations/<slug>/responses")
@staff_required
def index(slug: str):
    """The responses, drafts and published, with buttons to publish or withdraw them."""
    consultation = _consultation(slug)
    return render_template("manage/planner_responses.html", consultation=consultation,
                           responses=service.responses_of(consultation, published_only=False),
                           topics=dict(topic_choices(consultation)), labels=DECISION_LABELS,
                           form=EmptyForm())


@blueprint.route("/consultations/<slug>/responses/new", methods=["GET", "POST"],
                 defaults={"response_id": None})
@blueprint.route("/consultations/<slug>/responses/<int:response_id>/edit",
                 methods=["GET", "POST"])
@staff_required
def edit(slug: str, response_id: int | None):
    """Write or edit a response in every offered language side by side."""
    consultation = _consultation(slug)
    response = None
    if response_id is not None:
        response = service.get_response(consultation, response_id)
        require(response is not None, hide=True)
    form = with_text_fields(PlannerResponseForm, TEXT_FIELDS, consultation.languages)()
    form.topic.choices = options(topic_choices(consultation))
    if request.method == "GET" and response is not None:
        form.fill_texts(response)
        form.topic.data, form.decision.data = response.topic, response.decision.value
    if form.validate_on_submit() and form.require_title_in(consultation.default_language):
        service.save_response(consultation, response, form.topic.data,
                              Decision(form.decision.data), form.texts(), author=current_user)
        db.session.commit()
        flash(_("The response was saved."), "success")
        return redirect(url_for(".index", slug=slug))
    return render_template("manage/planner_response_form.html", consultation=consultation,
                           form=form, response=response), (422 if form.errors else 200)


@blueprint.post("/consultations/<slug>/responses/<int:response_id>/"
                "<any(publish, withdraw, delete):action>")
@staff_required
def change(slug: str, response_id: int, action: str):
    """Publish, withdraw or delete a response."""
    consultation = _consultation(slug)
    response = service.get_response(consultation, response_id)
    require(response is not None, hide=True)
    if EmptyForm().validate_on_submit():
        if action == "delete":
            service.delete_response(response, author=current_user)
        else:
            service.set_published(response, action == "publish", author=current_user)
        db.session.commit()
        flash({"publish": _("Published: participants see it on the consultation page and "
                            "with their receipt."),
               "withdraw": _("Withdrawn: only staff see it now."),
               "delete": _("The response was deleted.")}[action], "success")
    return redirect(url_for(".index", slug=slug))


@blueprint.get("/consultations/<slug>/responses/<int:response_id>/history")
@staff_required
def history(slug: str, response_id: int):
    """Every version of a response, with its texts in every language, and who did what."""
    consultation = _consultation(slug)
    response = service.get_response(consultation, response_id)
    require(response is not None, hide=True)
    return render_template("manage/planner_response_history.html", consultation=consultation,
                           response=response, revisions=service.revisions_of(response),
                           topics=dict(topic_choices(consultation)), labels=DECISION_LABELS,
                           event_labels=EVENT_LABELS,
                           part_names=lambda v: [PART_LABELS[p] for p in v.changed_parts],
                           versions=service.VERSIONS)
