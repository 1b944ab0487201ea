"""Host pages under /manage: list, create, edit, sections, partners, lifecycle."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import audit
from consult.accounts.forms import EmptyForm
from consult.accounts.models import Organisation
from consult.audit.changes import changed_settings, changed_texts, joined, shown, texts_of
from consult.consultations import services
from consult.consultations.forms import (
    PartnersForm,
    consultation_form_class,
    options,
    refused_k_message,
    section_form_class,
)
from consult.consultations.lifecycle import ACTION_LABELS, STATE_LABELS, State, actions_from
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.permissions import (
    can_create_consultation,
    can_manage,
    can_see_staff_page,
    is_site_admin,
    require,
    staff_required,
)
from consult.summaries.planner_responses import responses_of
from consult.surveys.services import get_survey, survey_parts

blueprint = Blueprint("manage_consultations", __name__, url_prefix="/manage")


def _staff_consultation(slug: str, manage: bool = True) -> Consultation:
    """The consultation, if this staff member may see it (else 404) and manage it (else 403)."""
    consultation = services.get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    if manage:
        require(can_manage(current_user, consultation))
    return consultation


#: Settings recorded as "consultation.edited"; k and moderation have entries of their own.
EDITED_SETTINGS = ("slug", "default_language", "languages", "opens_on", "closes_on",
                   "time_zone", "participation_mode", "visibility")
#: Settings whose every change is an audit action of its own (old -> new).
OWN_ACTIONS = {"min_cell_size": "consultation.min_cell_size_changed",
               "moderation_mode": "consultation.moderation_changed",
               "publish_themes": "consultation.themes_publication_changed",
               "retention_months": "consultation.retention_changed",
               "data_licence": "consultation.data_licence_changed"}


def _settings_of(consultation: Consultation) -> dict:
    """The settings the audit log compares before and after an edit."""
    return {name: getattr(consultation, name) for name in (*EDITED_SETTINGS, *OWN_ACTIONS)}


def _record_edit(consultation: Consultation, settings: dict, texts: dict) -> None:
    """Audit what an edit changed: which settings (old -> new) and texts (fields only)."""
    now = _settings_of(consultation)
    edited = joined(changed_settings(settings, now, EDITED_SETTINGS),
                    changed_texts(texts, texts_of(consultation)))
    if edited:
        audit.record(current_user, "consultation.edited", consultation=consultation,
                     target=consultation.slug, detail=edited)
    for name, action in OWN_ACTIONS.items():
        if settings[name] != now[name]:
            audit.record(current_user, action, consultation=consultation,
                         target=consultation.slug,
                         detail=f"{shown(settings[name])} -> {shown(now[name])}")


def _record_section(consultation: Consultation, action: str, number: int,
                    detail: str = "") -> None:
    audit.record(current_user, action, consultation=consultation,
                 target=f"section {number}", detail=detail)


def _creatable_organisations() -> list[Organisation]:
    """Organisations the current user may create consultations for."""
    query = db.select(Organisation).filter_by(active=True).order_by(Organisation.name)
    return [o for o in db.session.scalars(query) if can_create_consultation(current_user, o.id)]


@blueprint.get("/")
@staff_required
def index():
    """Consultations of my organisations (all of them for a site admin)."""
    scope = None if is_site_admin(current_user) else current_user.organisation_ids
    return render_template("manage/index.html", consultations=services.consultations_of(scope),
                           can_create=bool(_creatable_organisations()),
                           state_labels=STATE_LABELS)


@blueprint.route("/consultations/new", methods=["GET", "POST"])
@staff_required
def create():
    """A new draft consultation, every content language side by side."""
    organisations = _creatable_organisations()
    require(bool(organisations))
    languages = current_app.config["CONTENT_LANGUAGES"]
    form = consultation_form_class(languages)()
    form.host.choices = options((o.id, o.name) for o in organisations)
    if request.method == "GET":
        form.languages.data = [current_app.config["BABEL_DEFAULT_LOCALE"]]
        form.default_language.data = current_app.config["BABEL_DEFAULT_LOCALE"]
    if form.validate_on_submit() and form.require_title_in(form.default_language.data):
        host = db.session.get(Organisation, form.host.data)
        title = form[f"title__{form.default_language.data}"].data
        slug = form.slug.data or services.unique_slug(title)
        if services.get_consultation(slug) is not None:
            form.slug.errors.append(_("Another consultation already uses this web address."))
        else:
            consultation = services.create_consultation(
                host, slug, form.default_language.data, form.languages.data, **form.settings())
            services.set_texts(consultation, {k: v for k, v in form.texts().items()
                                              if k[1] in consultation.languages})
            audit.record(current_user, "consultation.created", consultation=consultation,
                         target=consultation.slug, detail=joined(changed_settings(
                             {}, _settings_of(consultation), ("languages", *OWN_ACTIONS))))
            db.session.commit()
            flash(_("The consultation was created as a draft."), "success")
            return redirect(url_for(".dashboard", slug=consultation.slug))
    return render_template("manage/consultation_form.html", form=form,
                           consultation=None), 422 if form.errors else 200


@blueprint.get("/consultations/<slug>")
@staff_required
def dashboard(slug: str):
    """State, sections, partners, survey, translation progress and the lifecycle buttons."""
    consultation = _staff_consultation(slug, manage=False)
    survey = get_survey(consultation)
    parts = survey_parts(survey)
    return render_template(
        "manage/dashboard.html", consultation=consultation, form=EmptyForm(),
        progress=services.translation_progress(
            consultation, [*parts, *responses_of(consultation, published_only=False)]),
        survey_progress=services.progress_of(parts, consultation.languages),
        actions=[(a, ACTION_LABELS[a]) for a, _ in actions_from(consultation.effective_state)],
        state_labels=STATE_LABELS, may_manage=can_manage(current_user, consultation),
        survey=survey)


@blueprint.route("/consultations/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit(slug: str):
    """Settings and texts of a consultation, its languages side by side."""
    consultation = _staff_consultation(slug)
    before = _settings_of(consultation), texts_of(consultation)
    # Columns for the offered languages, plus any just ticked, so their texts can be written.
    languages = services.ordered_languages(
        request.form.get("default_language", consultation.default_language),
        consultation.languages + [c for c in request.form.getlist("languages")
                                  if c in current_app.config["CONTENT_LANGUAGES"]])
    form = consultation_form_class(languages)(obj=consultation if request.method == "GET" else None)
    form.host.choices = options([(consultation.host.id, consultation.host.name)])
    form.host.data = consultation.host.id
    if consultation.state is not State.DRAFT:
        form.lowest_min_cell_size = consultation.min_cell_size
    if request.method == "GET":
        form.languages.data = consultation.languages
        form.slug.data = consultation.slug
        for name in ("moderation_mode", "participation_mode", "visibility"):
            form[name].data = getattr(consultation, name).value
        form.fill_texts(consultation)
    if form.validate_on_submit() and form.require_title_in(form.default_language.data) \
            and _slug_change_allowed(form, consultation) and _save_settings(form, consultation):
        if consultation.allows("edit_structure") and form.slug.data:
            consultation.slug = form.slug.data
        services.set_texts(consultation, form.texts())
        _record_edit(consultation, *before)
        db.session.commit()
        flash(_("Your changes were saved."), "success")
        return redirect(url_for(".dashboard", slug=consultation.slug))
    return render_template("manage/consultation_form.html", form=form,
                           consultation=consultation), 422 if form.errors else 200


def _save_settings(form, consultation: Consultation) -> bool:
    """Apply the form's settings; a change the service refuses is shown at its field."""
    try:
        services.update_settings(consultation, form.default_language.data,
                                 form.languages.data, **form.settings())
    except services.SettingRefused as refused:
        db.session.rollback()
        form[refused.field].errors = [*form[refused.field].errors,
                                      refused_k_message(consultation.min_cell_size)]
        return False
    return True


def _slug_change_allowed(form, consultation: Consultation) -> bool:
    """A draft may take a new web address if no other consultation has it."""
    wanted = form.slug.data
    if not wanted or wanted == consultation.slug or not consultation.allows("edit_structure"):
        return True
    if services.get_consultation(wanted) is None:
        return True
    form.slug.errors.append(_("Another consultation already uses this web address."))
    return False


@blueprint.route("/consultations/<slug>/sections/new", methods=["GET", "POST"],
                 defaults={"number": None})
@blueprint.route("/consultations/<slug>/sections/<int:number>/edit", methods=["GET", "POST"])
@staff_required
def edit_section(slug: str, number: int | None):
    """Add a section (drafts only) or edit one's texts, every offered language side by side."""
    consultation = _staff_consultation(slug)
    section = None
    if number is not None:
        section = services.get_section(consultation, number)
        require(section is not None, hide=True)
    elif not consultation.allows("edit_structure"):
        abort(409)
    form = section_form_class(consultation.languages)()
    if request.method == "GET" and section is not None:
        form.fill_texts(section)
    if form.validate_on_submit() and form.require_title_in(consultation.default_language):
        if section is None:
            section = services.add_section(consultation, form.texts())
            _record_section(consultation, "section.added", section.number)
        else:
            texts = texts_of(section)
            services.set_texts(section, form.texts())
            edited = joined(changed_texts(texts, texts_of(section)))
            if edited:
                _record_section(consultation, "section.edited", section.number, edited)
        db.session.commit()
        flash(_("The section was saved."), "success")
        return redirect(url_for(".dashboard", slug=slug))
    return render_template("manage/section_form.html", form=form, consultation=consultation,
                           section=section), 422 if form.errors else 200


@blueprint.post("/consultations/<slug>/sections/<int:number>/<any(up, down, delete):action>")
@staff_required
def change_section(slug: str, number: int, action: str):
    """Reorder or delete a section; only while the consultation is a draft."""
    consultation = _staff_consultation(slug)
    section = services.get_section(consultation, number)
    require(section is not None, hide=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not consultation.allows("edit_structure"):
        flash(_("Sections can only be reordered or deleted while the consultation is a draft."),
              "error")
        return redirect(url_for(".dashboard", slug=slug))
    if action == "delete":
        services.delete_section(section)
        flash(_("The section was deleted."), "success")
    else:
        services.move_section(section, -1 if action == "up" else 1)
    _record_section(consultation, "section.deleted" if action == "delete" else "section.moved",
                    number, "" if action == "delete" else action)
    db.session.commit()
    return redirect(url_for(".dashboard", slug=slug, _anchor="sections"))


@blueprint.route("/consultations/<slug>/partners", methods=["GET", "POST"])
@staff_required
def partners(slug: str):
    """Choose the partner organisations that co-host this consultation."""
    consultation = _staff_consultation(slug)
    others = list(db.session.scalars(db.select(Organisation).filter(
        Organisation.id != consultation.host_organisation_id).order_by(Organisation.name)))
    form = PartnersForm()
    form.partners.choices = options((o.id, o.name) for o in others)
    form.moderators.choices = options((o.id, o.name) for o in others)
    if request.method == "GET":
        form.partners.data = [o.id for o in consultation.partners]
        form.moderators.data = [o.id for o in consultation.moderating_partners]
    if form.validate_on_submit():
        chosen = set(form.partners.data or [])
        granted = chosen & set(form.moderators.data or [])
        before = _partner_names(consultation)
        services.set_partners(consultation, [o for o in others if o.id in chosen],
                              [o for o in others if o.id in granted])
        detail = joined(changed_settings(before, _partner_names(consultation)))
        if detail:
            audit.record(current_user, "consultation.partners_changed",
                         consultation=consultation, target=consultation.slug, detail=detail)
        db.session.commit()
        flash(_("Partner organisations were saved."), "success")
        return redirect(url_for(".dashboard", slug=slug))
    return render_template("manage/partners.html", form=form,
                           consultation=consultation), 422 if form.errors else 200


def _partner_names(consultation: Consultation) -> dict[str, list[str]]:
    return {"partners": [o.name for o in consultation.partners],
            "moderating": [o.name for o in consultation.moderating_partners]}


@blueprint.post("/consultations/<slug>/state")
@staff_required
def change_state(slug: str):
    """Open, close, reopen or publish results, as the lifecycle table allows."""
    consultation = _staff_consultation(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    if action == "open" and not consultation.sections and get_survey(consultation) is None:
        flash(_("Add at least one section or a survey before opening the consultation."),
              "error")
        return redirect(url_for(".dashboard", slug=slug))
    before = consultation.effective_state
    try:
        after = services.change_state(consultation, action)
    except services.ClosingDayOver:
        flash(_("The closing day is over. Set a later closing day in the settings first."),
              "error")
        return redirect(url_for(".dashboard", slug=slug))
    except services.TransitionError:
        flash(_("That change is not possible from the current state."), "error")
        return redirect(url_for(".dashboard", slug=slug))
    audit.record(current_user, "consultation.results_published" if action == "publish_results"
                 else "consultation.state_changed", consultation=consultation,
                 target=consultation.slug, detail=f"{before.value} -> {after.value}")
    db.session.commit()
    flash(_("The consultation is now: %(state)s.",
            state=STATE_LABELS[consultation.effective_state]),
          "success")
    return redirect(url_for(".dashboard", slug=slug))
