"""Staff pages of programmes under /manage/programmes: the list and creation, a programme's
dashboard and settings, its rounds, indicators, proposals and auditors. The action plan and
the self-assessment are in plan_views.py, routed on this blueprint."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.forms import EmptyForm
from consult.accounts.models import Organisation
from consult.accounts.services import get_user_by_email
from consult.consultations import services as consultations
from consult.consultations.forms import options
from consult.consultations.lifecycle import STATE_LABELS, State
from consult.extensions import db
from consult.i18n import current_language
from consult.permissions import (
    can_create_consultation,
    can_manage_programme,
    can_self_assess,
    is_site_admin,
    require,
    staff_required,
)
from consult.programmes import indicators as indicator_services
from consult.programmes import plan_views, services
from consult.programmes.forms import (
    DIRECTION_LABELS,
    KIND_LABELS,
    AddRoundForm,
    AuditorForm,
    NextRoundForm,
    indicator_form_class,
    number_in,
    programme_form_class,
    proposal_form_class,
)
from consult.programmes.models import Direction, ProposalState
from consult.programmes.plan_views import can_see_programme, load_programme
from consult.surveys.models import QuestionType

blueprint = Blueprint("programmes_manage", __name__, url_prefix="/manage/programmes")
plan_views.register(blueprint)


@blueprint.app_context_processor
def _round_of() -> dict:
    """Lets a consultation's staff page link the self-assessment of the round it is."""
    return {"programme_round_of": services.programme_of}


def _creatable_organisations() -> list[Organisation]:
    """Organisations the current user may start programmes for (as for consultations)."""
    query = db.select(Organisation).filter_by(active=True).order_by(Organisation.name)
    return [o for o in db.session.scalars(query) if can_create_consultation(current_user, o.id)]


def _titled(form) -> bool:
    """The title is written in the default language (a missing or unknown language is the
    language field's own error)."""
    language = form.default_language.data
    return language in form.LANGUAGES and form.require_title_in(language)


def _texts_in(form, languages: list[str]) -> dict[tuple[str, str], str]:
    return {k: v for k, v in form.texts().items() if k[1] in languages}


@blueprint.route("", methods=["GET", "POST"])
@staff_required
def index():
    """The programmes of my organisations (all for site admins), those I audit, and a form
    to start one."""
    organisations = _creatable_organisations()
    if request.method == "POST":
        require(bool(organisations))
    form = programme_form_class(current_app.config["CONTENT_LANGUAGES"])()
    form.host.choices = options((o.id, o.name) for o in organisations)
    if request.method == "GET":
        form.languages.data = [current_app.config["BABEL_DEFAULT_LOCALE"]]
        form.default_language.data = current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.method == "POST" and all([form.validate_on_submit(),
                                           _titled(form)]):
        if services.get_programme(form.slug.data) is not None:
            form.slug.errors.append(_("Another programme already uses this web address."))
        else:
            programme = services.create_programme(
                db.session.get(Organisation, form.host.data), form.slug.data,
                form.default_language.data, form.languages.data,
                _texts_in(form, form.languages.data), current_user)
            db.session.commit()
            flash(_("The programme was created. Add its first round."), "success")
            return redirect(url_for(".dashboard", slug=programme.slug))
    scope = None if is_site_admin(current_user) else current_user.organisation_ids
    return render_template("programmes/manage_index.html", form=form,
                           programmes=services.programmes_of(scope),
                           audited=services.audited_by(current_user),
                           can_create=bool(organisations)), 422 if form.errors else 200


def _dashboard(programme, add_form=None, next_form=None, status: int = 200):
    add_form = add_form or AddRoundForm(formdata=None)
    add_form.consultation.choices = options(
        (c.id, f"{c.text('title', current_language())} ({c.slug})")
        for c in services.free_consultations(programme))
    assessable = {r.position for r in programme.rounds
                  if r.consultation.state in (State.DRAFT, State.OPEN)
                  and can_self_assess(current_user, r.consultation)}
    return render_template(
        "programmes/manage_dashboard.html", programme=programme, add_form=add_form,
        next_form=next_form or NextRoundForm(formdata=None), state_labels=STATE_LABELS,
        may_manage=can_manage_programme(current_user, programme), assessable=assessable,
        proposals_open=sum(p.state is ProposalState.OPEN
                           for p in indicator_services.proposals_of(programme))), status


@blueprint.get("/<slug>")
@staff_required
def dashboard(slug: str):
    """Rounds in order, what to do next, and links to every part of the programme."""
    return _dashboard(load_programme(slug, can_see_programme))


@blueprint.post("/<slug>/rounds")
@staff_required
def add_round(slug: str):
    """Add one of the host's consultations as the next round."""
    programme = load_programme(slug, can_manage_programme)
    form = AddRoundForm()
    if form.validate_on_submit():
        chosen = next((c for c in services.free_consultations(programme)
                       if c.id == form.consultation.data), None)
        if chosen is None:
            form.consultation.errors = [_("Choose one of the host's consultations that is no "
                                          "round yet.")]
        else:
            services.add_round(programme, chosen, current_user)
            db.session.commit()
            flash(_("The consultation is now the programme's next round."), "success")
            return redirect(url_for(".dashboard", slug=slug))
    return _dashboard(programme, add_form=form, status=422)


@blueprint.post("/<slug>/rounds/next")
@staff_required
def next_round(slug: str):
    """Start the next round as a draft copy of the last, then edit it."""
    programme = load_programme(slug, can_manage_programme)
    form = NextRoundForm()
    if form.validate_on_submit():
        if consultations.get_consultation(form.next_slug.data) is not None:
            form.next_slug.errors = [_("Another consultation already uses this web address.")]
        else:
            try:
                found = services.start_next_round(programme, form.next_slug.data, current_user)
            except services.RoundRefused as refused:
                db.session.rollback()
                form.next_slug.errors = [str(refused.args[0])]
            else:
                db.session.commit()
                flash(_("Round %(number)s was created as a draft copy of the last round.",
                        number=found.position), "success")
                return redirect(url_for("manage_consultations.dashboard",
                                        slug=found.consultation.slug))
    return _dashboard(programme, next_form=form, status=422)


@blueprint.route("/<slug>/settings", methods=["GET", "POST"])
@staff_required
def settings(slug: str):
    """Texts, languages, licence of the open data, and listing of the public page."""
    programme = load_programme(slug, can_manage_programme)
    languages = consultations.ordered_languages(
        request.form.get("default_language", programme.default_language),
        programme.languages + [c for c in request.form.getlist("languages")
                               if c in current_app.config["CONTENT_LANGUAGES"]])
    form = programme_form_class(languages)(obj=programme if request.method == "GET" else None)
    form.host.choices = options([(programme.host.id, programme.host.name)])
    form.host.data, form.slug.data = programme.host.id, programme.slug
    if request.method == "GET":
        form.languages.data = programme.languages
        form.fill_texts(programme)
    if request.method == "POST" and all([form.validate_on_submit(),
                                           _titled(form)]):
        services.update_programme(programme, form.default_language.data, form.languages.data,
                                  form.texts(), form.data_licence.data or programme.data_licence,
                                  form.listed.data, current_user)
        db.session.commit()
        flash(_("Your changes were saved."), "success")
        return redirect(url_for(".dashboard", slug=slug))
    return render_template("programmes/manage_settings.html", programme=programme,
                           form=form), 422 if form.errors else 200


# --- indicators ------------------------------------------------------------------------------

def _indicator_form(programme, proposal=None):
    """The form to follow a question of the latest round (names prefilled from a proposal)."""
    language = current_language()
    form = indicator_form_class(programme.languages)()
    latest = services.last_round(programme)
    taken = {i.question_key for i in programme.indicators}
    questions = [q for q in (indicator_services.indicator_questions(latest.consultation)
                             if latest else []) if q.key not in taken]
    form.question.choices = options((q.key, f"{q.text('label', language)} ({q.key})")
                                    for q in questions)
    form.favourable.choices = options(
        (f"{q.key}:{o.key}", f"{q.text('label', language)}: {o.text('label', language)}")
        for q in questions if q.type is QuestionType.SINGLE_CHOICE for o in q.options)
    if request.method == "GET" and proposal is not None:
        for lang, text in proposal.texts_for("text").items():
            if lang in programme.languages:
                form[f"name__{lang}"].data = text[:120]
    return form, latest


def _adopted(programme, form, latest, proposal=None) -> bool:
    """Adopt the form's question as an indicator; False with the error at its field."""
    if not all([form.validate_on_submit(), form.require_text_in(
            "name", programme.default_language,
            _("Name the indicator in the default language."))]):
        return False
    question = indicator_services.question_in(latest.consultation, form.question.data)
    favourable = form.favourable_of(form.question.data)
    if question.type is QuestionType.SINGLE_CHOICE and not favourable:
        form.favourable.errors = [_("Choose which answers count as favourable.")]
        return False
    names = {lang: text for (_f, lang), text in form.texts().items() if text.strip()}
    try:
        indicator_services.add_indicator(programme, question, names,
                                         Direction(form.direction.data), favourable,
                                         current_user, proposal=proposal)
    except indicator_services.IndicatorRefused as refused:
        db.session.rollback()
        form.question.errors = [str(refused.args[0])]
        return False
    return True


@blueprint.route("/<slug>/indicators", methods=["GET", "POST"])
@staff_required
def indicators(slug: str):
    """The indicators followed, where each came from, and a form to follow a question."""
    programme = load_programme(slug, can_see_programme if request.method == "GET"
                               else can_manage_programme)
    form, latest = _indicator_form(programme)
    if request.method == "POST" and _adopted(programme, form, latest):
        db.session.commit()
        flash(_("The question is now an indicator, followed in every round."), "success")
        return redirect(url_for(".indicators", slug=slug))
    proposals = [i.proposal for i in programme.indicators if i.proposal is not None]
    return render_template(
        "programmes/manage_indicators.html", programme=programme, form=form,
        sources=indicator_services.sources_of(programme, proposals), kinds=KIND_LABELS,
        directions=DIRECTION_LABELS,
        may_manage=can_manage_programme(current_user, programme)), 422 if form.errors else 200


# --- proposals -------------------------------------------------------------------------------

@blueprint.route("/<slug>/proposals", methods=["GET", "POST"])
@staff_required
def proposals(slug: str):
    """Proposed indicators with their votes, and a form to put one to the vote: from a
    published comment of a round, from a theme, or in the host's own words."""
    programme = load_programme(slug, can_see_programme if request.method == "GET"
                               else can_manage_programme)
    form = proposal_form_class(programme.languages)()
    form.round.choices = options((r.position, _("Round %(number)s", number=r.position))
                                 for r in programme.rounds if r.consultation.state is State.OPEN)
    source = request.values.get("source_comment") or request.args.get("comment")
    theme_value = request.values.get("source_theme") or request.args.get("theme")
    comment = theme = None
    lookup_error = None
    if source:
        number = number_in(source)
        comment = services.round_comments(programme, [number] if number else []).get(number)
        if comment is None:
            lookup_error = _("No published comment of the programme's rounds has this number.")
    elif theme_value:
        theme = indicator_services.theme_of(programme, theme_value, current_language())
        if theme is None:
            lookup_error = _("This theme is not among the rounds' themes any more.")
    if request.method == "GET":
        form.source_comment.data = str(comment.id) if comment else ""
        form.source_theme.data = theme_value if theme else ""
        prefill = comment.body if comment else theme[2] if theme else ""
        form[f"text__{programme.default_language}"].data = prefill[:600]
    elif lookup_error is None and all([form.validate_on_submit(), form.require_text_in(
            "text", programme.default_language,
            _("Write the proposed indicator in the default language."))]):
        round_ = services.get_round(programme, form.round.data)
        try:
            if round_ is None:
                raise indicator_services.IndicatorRefused(_("Choose an open round."))
            indicator_services.propose(
                programme, round_, form.names(), current_user, comment=comment,
                theme=(theme[0].consultation, theme[1], theme[2]) if theme else None)
        except indicator_services.IndicatorRefused as refused:
            db.session.rollback()
            form.round.errors = [str(refused.args[0])]
        else:
            db.session.commit()
            flash(_("The proposal is put to the vote in round %(number)s.",
                    number=round_.position), "success")
            return redirect(url_for(".proposals", slug=slug))
    found = indicator_services.proposals_of(programme)
    votes = indicator_services.support(found)
    statements = services.round_comments(programme, [p.statement_id for p in found
                                                     if p.statement_id is not None])
    status = 422 if form.errors or lookup_error else 200
    may_manage = can_manage_programme(current_user, programme)
    return render_template(
        "programmes/manage_proposals.html", programme=programme, form=form,
        proposals=indicator_services.by_support(found, votes), votes=votes,
        sources=indicator_services.sources_of(programme, found),
        statements=statements, comment=comment, theme=theme, lookup_error=lookup_error,
        themes=[(r, indicator_services.round_themes(r.consultation, current_language()))
                for r in programme.rounds] if may_manage else [],
        may_manage=may_manage, button=EmptyForm()), status


def _open_proposal(programme, proposal_id: int):
    proposal = indicator_services.get_proposal(programme, proposal_id)
    require(proposal is not None, hide=True)
    if proposal.state is not ProposalState.OPEN:
        abort(409)
    return proposal


@blueprint.route("/<slug>/proposals/<int:proposal_id>/adopt", methods=["GET", "POST"])
@staff_required
def adopt(slug: str, proposal_id: int):
    """Adopt a proposal: choose the question it becomes, its names and direction."""
    programme = load_programme(slug, can_manage_programme)
    proposal = _open_proposal(programme, proposal_id)
    form, latest = _indicator_form(programme, proposal)
    if request.method == "POST" and _adopted(programme, form, latest, proposal):
        db.session.commit()
        flash(_("The proposal was adopted as an indicator."), "success")
        return redirect(url_for(".indicators", slug=slug))
    return render_template("programmes/manage_adopt.html", programme=programme, form=form,
                           proposal=proposal, votes=indicator_services.support([proposal]),
                           source=indicator_services.sources_of(programme, [proposal])[proposal.id]
                           ), 422 if form.errors else 200


@blueprint.post("/<slug>/proposals/<int:proposal_id>/decline")
@staff_required
def decline(slug: str, proposal_id: int):
    """Decline a proposal (it stays on record, with its votes)."""
    programme = load_programme(slug, can_manage_programme)
    proposal = _open_proposal(programme, proposal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    indicator_services.decline(proposal, current_user)
    db.session.commit()
    flash(_("The proposal was declined; it stays on record with its votes."), "success")
    return redirect(url_for(".proposals", slug=slug))


# --- auditors --------------------------------------------------------------------------------

@blueprint.route("/<slug>/auditors", methods=["GET", "POST"])
@staff_required
def auditors(slug: str):
    """Who audits the programme (read-only); add one by the e-mail of a staff account."""
    programme = load_programme(slug, can_manage_programme)
    form = AuditorForm()
    if form.validate_on_submit():
        user = get_user_by_email(form.email.data)
        if user is None or not user.active:
            form.email.errors = [_("No active staff account has this e-mail address.")]
        else:
            services.add_auditor(programme, user, current_user)
            db.session.commit()
            flash(_("%(name)s may now audit the programme.", name=user.name), "success")
            return redirect(url_for(".auditors", slug=slug))
    return render_template("programmes/manage_auditors.html", programme=programme, form=form,
                           button=EmptyForm()), 422 if form.errors else 200


@blueprint.post("/<slug>/auditors/<int:user_id>/remove")
@staff_required
def remove_auditor(slug: str, user_id: int):
    """Take the audit of the programme away from an account."""
    programme = load_programme(slug, can_manage_programme)
    if not EmptyForm().validate_on_submit():
        abort(400)
    require(any(a.user_id == user_id for a in programme.auditors), hide=True)
    services.remove_auditor(programme, user_id, current_user)
    db.session.commit()
    flash(_("The account no longer audits the programme."), "success")
    return redirect(url_for(".auditors", slug=slug))
