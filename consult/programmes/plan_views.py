"""Staff pages of a programme's action plan (commitments and their statuses) and of the
providers' self-assessment. Routed on the programmes_manage blueprint (manage_views.py)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.forms import EmptyForm
from consult.accounts.models import Organisation
from consult.consultations.forms import options
from consult.consultations.lifecycle import STATE_LABELS, State
from consult.extensions import db
from consult.i18n import current_language
from consult.permissions import (
    can_plan_programme,
    can_self_assess,
    is_programme_auditor,
    is_site_admin,
    is_staff,
    require,
    staff_required,
)
from consult.programmes import commitments as plan
from consult.programmes import indicators as indicator_services
from consult.programmes import services
from consult.programmes.forms import (
    CommitmentForm,
    comment_numbers,
    commitment_form_class,
    self_assessment_form_class,
    status_form_class,
)
from consult.programmes.models import IndicatorKind, LinkKind, Programme, SelfAssessment
from consult.surveys.services import get_survey


def can_see_programme(user, programme: Programme) -> bool:
    """Any staff member of the programme's host (and site administrators) sees its staff
    pages; what each may change is its own predicate."""
    return is_site_admin(user) or (
        is_staff(user) and programme.host_organisation_id in user.organisation_ids)


def load_programme(slug: str, allowed) -> Programme:
    """The programme, hidden (404) from staff of other organisations, refused (403) unless
    allowed(user, programme)."""
    programme = services.get_programme(slug)
    require(programme is not None and (can_see_programme(current_user, programme)
                                       or is_programme_auditor(current_user, programme)),
            hide=True)
    require(allowed(current_user, programme))
    return programme


def _checked(form) -> None:
    """A button's form must carry a valid CSRF token."""
    if not form.validate_on_submit():
        abort(400)


# --- commitments -----------------------------------------------------------------------------

@staff_required
def commitments(slug: str):
    """The action plan: commitments by status, with progress, due day and overdue flag."""
    programme = load_programme(slug, can_plan_programme)
    found = plan.commitments_of(programme)
    return render_template("programmes/manage_commitments.html", programme=programme,
                           commitments=found, overdue={c.id for c in found if plan.is_overdue(c)})


def _link_choices(programme: Programme, form: CommitmentForm, language: str,
                  found=None) -> None:
    """The indicators, and the questions and themes of every round, a commitment may answer
    (with those it answers already, even if a theme is no longer computed, so an edit keeps
    them)."""
    form.indicators.choices = options((i.id, str(i.text("name", language)))
                                      for i in programme.indicators)
    questions, themes = [], []
    for round_ in programme.rounds:
        consultation = round_.consultation
        survey = get_survey(consultation)
        round_name = _("Round %(number)s", number=round_.position)
        questions += [(f"{consultation.id}:{q.key}",
                       f"{round_name}: {q.text('label', language)} ({q.key})")
                      for q in (survey.questions if survey else [])]
        themes += [(f"{consultation.id}:{key}", f"{round_name}: {name}")
                   for key, name in indicator_services.round_themes(consultation, language)]
    for kind, listed in ((LinkKind.QUESTION, questions), (LinkKind.THEME, themes)):
        known = {value for value, _label in listed}
        listed += [(f"{r.consultation_id}:{r.key}", r.key) for r in (found.links if found else [])
                   if r.kind is kind and f"{r.consultation_id}:{r.key}" not in known]
    form.questions.choices, form.themes.choices = options(questions), options(themes)


def _links(programme: Programme, form: CommitmentForm) -> list[plan.Link] | None:
    """The links the form chose; None (with the error at its field) for a comment number
    that is no published comment of the programme's rounds."""
    links = [plan.Link(LinkKind.INDICATOR, indicator_id=i) for i in form.indicators.data or []]
    for kind, values in ((LinkKind.QUESTION, form.questions.data),
                         (LinkKind.THEME, form.themes.data)):
        for value in values or []:
            consultation_id, key = value.split(":", 1)
            links.append(plan.Link(kind, consultation_id=int(consultation_id), key=key))
    numbers = comment_numbers(form.statements.data) or []
    found = services.round_comments(programme, numbers)
    missing = [n for n in numbers if n not in found]
    if missing:
        form.statements.errors = [*form.statements.errors, _(
            "No published comment of the programme's rounds has the number %(numbers)s.",
            numbers=", ".join(map(str, missing)))]
        return None
    links += [plan.Link(LinkKind.STATEMENT, consultation_id=found[n].consultation_id,
                        comment_id=n) for n in dict.fromkeys(numbers)]
    return links


def _fill(form: CommitmentForm, commitment) -> None:
    """Put a commitment's current state and links into the unsubmitted form."""
    form.fill_texts(commitment)
    form.responsible.data, form.due_on.data = commitment.responsible, commitment.due_on
    form.status.data, form.progress.data = commitment.status_id, commitment.progress
    rows = commitment.links
    form.indicators.data = [r.indicator_id for r in rows if r.kind is LinkKind.INDICATOR]
    form.questions.data = [f"{r.consultation_id}:{r.key}" for r in rows
                           if r.kind is LinkKind.QUESTION]
    form.themes.data = [f"{r.consultation_id}:{r.key}" for r in rows if r.kind is LinkKind.THEME]
    form.statements.data = " ".join(str(r.comment_id) for r in rows
                                    if r.kind is LinkKind.STATEMENT)


@staff_required
def commitment(slug: str, commitment_id: int | None = None):
    """Record a commitment, or change one: every change appends to its public timeline."""
    programme = load_programme(slug, can_plan_programme)
    found = None
    if commitment_id is not None:
        found = plan.get_commitment(programme, commitment_id)
        require(found is not None, hide=True)
    language = current_language()
    form = commitment_form_class(programme.languages)()
    form.status.choices = options((s.id, str(s.text("label", language)))
                                  for s in programme.statuses)
    _link_choices(programme, form, language, found)
    if request.method == "GET" and found is not None:
        _fill(form, found)
    elif request.method == "GET":
        form.status.data = programme.statuses[0].id if programme.statuses else None
    if request.method == "POST" and all([form.validate_on_submit(), form.require_text_in(
            "title", programme.default_language,
            _("Write the commitment in the default language."))]):
        status = next((s for s in programme.statuses if s.id == form.status.data), None)
        links = _links(programme, form)
        if status is None:
            form.status.errors = [_("Choose one of the programme's statuses.")]
        elif links is not None:
            state = plan.CommitmentState(form.commitment_texts(), form.responsible.data,
                                         form.due_on.data, status, form.progress.data)
            try:
                if found is None:
                    found = plan.create_commitment(programme, state, links, form.note(),
                                                   current_user)
                else:
                    plan.update_commitment(found, state, form.note(), current_user, links)
            except plan.CommitmentRefused as refused:
                db.session.rollback()
                form.responsible.errors = [str(refused.args[0])]
            else:
                db.session.commit()
                flash(_("The commitment was saved; its timeline shows the change."), "success")
                return redirect(url_for(".commitment", slug=slug, commitment_id=found.id))
    timeline = plan.timelines([found.id])[found.id] if found is not None else []
    return render_template("programmes/manage_commitment.html", programme=programme,
                           commitment=found, form=form, timeline=timeline,
                           statuses={s.key: s for s in programme.statuses},
                           overdue=found is not None and plan.is_overdue(found)
                           ), 422 if form.errors else 200


# --- statuses --------------------------------------------------------------------------------

def _status_forms(programme: Programme, posted_id: int | None = None, posted=None) -> dict:
    """An edit form per status (the posted one as submitted), filled with its labels."""
    forms = {}
    for status in programme.statuses:
        if status.id == posted_id:
            forms[status.id] = posted
            continue
        form = status_form_class(programme.languages)(prefix=f"status-{status.id}-",
                                                      formdata=None)
        form.fill_texts(status)
        form.closed.data = status.closed
        forms[status.id] = form
    return forms


def _statuses_page(programme: Programme, forms: dict, new_form, status: int = 200):
    return render_template("programmes/manage_statuses.html", programme=programme, forms=forms,
                           new_form=new_form, button=EmptyForm()), status


def _labels(form) -> dict[str, str]:
    return {lang: text for (_f, lang), text in form.texts().items()}


@staff_required
def statuses(slug: str):
    """The statuses of the action plan; a post adds one."""
    programme = load_programme(slug, can_plan_programme)
    new_form = status_form_class(programme.languages)(prefix="new-")
    if request.method == "POST" and new_form.validate_on_submit():
        if not new_form.key.data:
            new_form.key.errors = [_("Give the status a key.")]
        elif new_form.require_text_in("label", programme.default_language,
                                      _("Write the label in the default language.")):
            try:
                plan.add_status(programme, new_form.key.data, _labels(new_form),
                                new_form.closed.data, current_user)
            except plan.CommitmentRefused as refused:
                db.session.rollback()
                new_form.key.errors = [str(refused.args[0])]
            else:
                db.session.commit()
                flash(_("The status was added."), "success")
                return redirect(url_for(".statuses", slug=slug))
    return _statuses_page(programme, _status_forms(programme), new_form,
                          422 if new_form.errors else 200)


def _status_of(programme: Programme, status_id: int):
    found = next((s for s in programme.statuses if s.id == status_id), None)
    require(found is not None, hide=True)
    return found


@staff_required
def edit_status(slug: str, status_id: int):
    """Rename or translate a status, or change whether it is closed."""
    programme = load_programme(slug, can_plan_programme)
    status = _status_of(programme, status_id)
    form = status_form_class(programme.languages)(prefix=f"status-{status.id}-")
    if all([form.validate_on_submit(), form.require_text_in(
            "label", programme.default_language, _("Write the label in the default language."))]):
        plan.edit_status(status, _labels(form), form.closed.data, current_user)
        db.session.commit()
        flash(_("The status was saved."), "success")
        return redirect(url_for(".statuses", slug=slug))
    new_form = status_form_class(programme.languages)(prefix="new-", formdata=None)
    return _statuses_page(programme, _status_forms(programme, status.id, form), new_form,
                          422 if form.errors else 200)


@staff_required
def move_status(slug: str, status_id: int, direction: str):
    """Move a status up or down the list."""
    programme = load_programme(slug, can_plan_programme)
    status = _status_of(programme, status_id)
    _checked(EmptyForm())
    plan.move_status(status, -1 if direction == "up" else 1, current_user)
    db.session.commit()
    return redirect(url_for(".statuses", slug=slug))


# --- self-assessment -------------------------------------------------------------------------

def _items(programme: Programme, round_, language: str) -> list[tuple]:
    """(indicator id, label, choices) of each indicator the round's survey asks."""
    items = []
    for indicator in programme.indicators:
        question = indicator_services.question_in(round_.consultation, indicator.question_key)
        if question is None:
            continue
        if indicator.kind is IndicatorKind.SCALE:
            choices = [(str(n), str(n)) for n in range(11)]
        else:
            choices = [(o.key, str(o.text("label", language))) for o in question.options]
        label = f"{indicator.text('name', language)}: {question.text('label', language)}"
        items.append((indicator.id, label, choices))
    return items


@staff_required
def self_assessment(slug: str, position: int):
    """The providers' own scores of a round's indicators, each person's correctable."""
    programme = services.get_programme(slug)
    round_ = services.get_round(programme, position) if programme is not None else None
    require(round_ is not None and can_self_assess(current_user, round_.consultation),
            hide=True)
    language = current_language()
    form = self_assessment_form_class(_items(programme, round_, language))()
    mine = {s.indicator_id: s for s in db.session.scalars(db.select(SelfAssessment).filter_by(
        round_id=round_.id, user_id=current_user.id))}
    organisations = [o for o in db.session.scalars(db.select(Organisation).where(
        Organisation.id.in_(current_user.organisation_ids & round_.consultation
                            .organisation_ids())).order_by(Organisation.name))]
    form.organisation.choices = options((o.id, o.name) for o in organisations)
    taking = round_.consultation.state in (State.DRAFT, State.OPEN)
    if request.method == "GET":
        for indicator_id, score in mine.items():
            field = form[f"indicator_{indicator_id}"] if \
                f"indicator_{indicator_id}" in form else None
            if field is not None:
                field.data = score.option_key if score.option_key is not None else \
                    str(int(score.number)) if score.number is not None else None
        if mine:
            form.organisation.data = next(iter(mine.values())).organisation_id
    if request.method == "POST" and not taking:
        abort(409)
    if form.validate_on_submit():
        if form.organisation.data not in {o.id for o in organisations}:
            form.organisation.errors = [_("Choose one of your organisations.")]
        answered = [f for f in form.indicator_fields() if f.data]
        if not answered:
            form.indicator_fields()[0].errors = [_("Score at least one indicator.")] \
                if form.indicator_fields() else []
        if not form.errors:
            indicators = {f"indicator_{i.id}": i for i in programme.indicators}
            try:
                for field in answered:
                    indicator_services.score(round_, indicators[field.name], current_user,
                                             form.organisation.data, field.data)
            except (indicator_services.IndicatorRefused, ValueError) as refused:
                db.session.rollback()
                field.errors = [str(refused.args[0])]
            else:
                db.session.commit()
                flash(_("Your scores were saved. You may correct them while the round is "
                        "open."), "success")
                return redirect(url_for(".self_assessment", slug=slug, position=position))
    return render_template("programmes/manage_self_assessment.html", programme=programme,
                           round_=round_, form=form, taking=taking, state_labels=STATE_LABELS,
                           scored=bool(mine)), 422 if form.errors else 200


def register(blueprint) -> None:
    """Route these pages on the programmes' staff blueprint."""
    blueprint.add_url_rule("/<slug>/commitments", view_func=commitments)
    blueprint.add_url_rule("/<slug>/commitments/new", view_func=commitment,
                           methods=["GET", "POST"])
    blueprint.add_url_rule("/<slug>/commitments/<int:commitment_id>", view_func=commitment,
                           methods=["GET", "POST"])
    blueprint.add_url_rule("/<slug>/statuses", view_func=statuses, methods=["GET", "POST"])
    blueprint.add_url_rule("/<slug>/statuses/<int:status_id>", view_func=edit_status,
                           methods=["POST"])
    blueprint.add_url_rule("/<slug>/statuses/<int:status_id>/<any(up, down):direction>",
                           view_func=move_status, methods=["POST"])
    blueprint.add_url_rule("/<slug>/rounds/<int:position>/self-assessment",
                           view_func=self_assessment, methods=["GET", "POST"])
