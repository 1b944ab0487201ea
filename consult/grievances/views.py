"""Participant pages: filing a grievance (no account, no JavaScript), following it by case
code, and a consultation's public grievance statistics."""
from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import gettext as _

from consult import limits as rate_limits
from consult.accounts.participants import participant_key, participant_status
from consult.comments.access import visible_consultation
from consult.extensions import db, limiter
from consult.grievances import messages, services
from consult.grievances.forms import CaseCodeForm, GrievanceForm, ReplyForm
from consult.grievances.keys import categories, category_name
from consult.grievances.labels import STAGE_LABELS, STAGE_MESSAGES
from consult.grievances.stats import statistics
from consult.i18n import current_language, offer_languages
from consult.permissions import public

blueprint = Blueprint("grievances", __name__)


def _lookup_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blueprint.route("/consultations/<slug>/grievance", methods=["GET", "POST"])
@public
def file(slug: str):
    """Tell the consultation's independent reviewer what went wrong; get a case code."""
    consultation = visible_consultation(slug)
    offer_languages(consultation.languages, consultation.default_language)
    organisation = services.channel_of(consultation)
    if organisation is None and consultation.reviewer_organisation_id is None:
        abort(404)
    language = current_language()
    if organisation is None:  # named, but its passphrase is not set yet: nothing could be read
        return render_template("grievances/file.html", consultation=consultation,
                               organisation=None, form=None, language=language)
    offered = categories(organisation.id)
    places = services.areas(consultation)
    form = GrievanceForm()
    form.category.choices = [(str(c.id), category_name(c, language)) for c in offered]
    form.area.choices = [("", _("Prefer not to say"))] + [
        (key, str(option.text("label", language))) for key, option in places]
    if form.validate_on_submit():
        category = next(c for c in offered if str(c.id) == form.category.data)
        if not rate_limits.allow(rate_limits.REPORT, consultation.id):
            flash(rate_limits.message(), "error")  # the form again, their words kept
            return _form_page(consultation, organisation, form, places, language), 429
        owner = participant_key(create=False) if participant_status().has_codename else None
        case, code = services.file_case(
            consultation, organisation, category, form.happened.data.strip(),
            (form.wanted.data or "").strip(), form.area.data or "", form.contact_ok.data,
            language, owner)
        db.session.commit()
        return render_template("grievances/filed.html", consultation=consultation, code=code,
                               case=case, organisation=organisation, language=language,
                               codename=owner is not None)
    return _form_page(consultation, organisation, form, places, language), \
        422 if form.errors else 200


def _form_page(consultation, organisation, form, places, language) -> str:
    return render_template("grievances/file.html", consultation=consultation,
                           organisation=organisation, form=form, places=places,
                           language=language)


@blueprint.route("/grievances/case", methods=["GET", "POST"])
@public
@limiter.limit(_lookup_limit, methods=["POST"])
def case():
    """Follow a grievance: type the case code (sent in a form, never in the address); read
    the reviewer's messages and answer them."""
    form = CaseCodeForm()
    reply = ReplyForm(prefix="reply")
    found, code = None, None
    if "reply-code" in request.form:
        code = services.normalise_code(request.form["reply-code"])
        found = services.case_by_code(code or "")
        if found is None:
            abort(404)
        if reply.validate_on_submit() and found.contact_ok and not found.purged_on:
            messages.post(found, False, reply.body.data, messages.key_for_code(found, code))
            db.session.commit()
            flash(_("Your answer was sent to the reviewer."), "success")
            reply = ReplyForm(prefix="reply", formdata=None)
    elif form.validate_on_submit():
        code = services.normalise_code(form.code.data)
        found = services.case_by_code(form.code.data)
        if found is None:
            form.code.errors.append(_("We do not know that case code. Check each letter and "
                                      "try again."))
    language = current_language()
    key = messages.key_for_code(found, code) if found and found.contact_ok else None
    return render_template(
        "grievances/case.html", form=form, reply=reply, case=found, code=code,
        language=language, thread=messages.thread(found, key) if key else [],
        category=category_name(found.category, language) if found else None,
        history=[e for e in services.history(found) if e.stage] if found else [],
        labels=STAGE_LABELS, messages=STAGE_MESSAGES), \
        422 if form.errors or reply.errors else 200


@blueprint.get("/consultations/<slug>/grievances")
@public
def public_statistics(slug: str):
    """How many grievances, of what kind, where they stand, and the deadlines kept."""
    consultation = visible_consultation(slug)
    offer_languages(consultation.languages, consultation.default_language)
    if consultation.reviewer_organisation_id is None:
        abort(404)
    language = current_language()
    stats = statistics(consultation)
    return render_template(
        "grievances/statistics.html", consultation=consultation, stats=stats,
        language=language, stage_names=[STAGE_LABELS[s] for s in stats.stages],
        names=[category_name(c, language) for c in stats.categories],
        can_file=services.channel_of(consultation) is not None)


@blueprint.app_template_global()
def my_grievances() -> list:
    """A codename holder's cases, for their contributions page: (case, category name)."""
    if not participant_status().has_codename:
        return []
    key = participant_key(create=False)
    language = current_language()
    return [(c, category_name(c.category, language))
            for c in services.cases_of_owner(key)] if key else []


@blueprint.app_template_global()
def grievance_stage_label(stage) -> str:
    """A stage's name."""
    return str(STAGE_LABELS[stage])


@blueprint.app_template_global()
def grievance_stage_message(stage) -> str:
    """What the complainant reads at a stage."""
    return str(STAGE_MESSAGES[stage])
