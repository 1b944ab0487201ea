"""The independent reviewer's pages: setting the passphrase, opening the inbox, working cases.

Every page answers 404 to anyone who is not a member of the reviewer organisation (site
administrators included): they are not told the inbox exists.
"""
import datetime as dt

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
from flask_login import current_user

from consult import audit
from consult.accounts.forms import EmptyForm
from consult.accounts.models import Organisation
from consult.consultations.models import Consultation
from consult.extensions import db, limiter
from consult.grievances import keys as reviewer_keys
from consult.grievances import messages, sealing, services, unlocking
from consult.grievances.access import can_configure, can_work_cases
from consult.grievances.forms import (
    CategoriesForm,
    MessageForm,
    RecoverForm,
    SettingsForm,
    SetUpForm,
    ShareForm,
    StageForm,
    UnlockForm,
)
from consult.grievances.labels import STAGE_LABELS
from consult.grievances.models import Case, Stage
from consult.i18n import current_language
from consult.permissions import require, staff_required

blueprint = Blueprint("reviewer", __name__, url_prefix="/manage/reviewers")


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _organisation(slug: str, configure: bool = False) -> Organisation:
    """The reviewer organisation, if this staff member works (or configures) its cases."""
    organisation = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
    if organisation is None or not can_work_cases(current_user, organisation.id):
        abort(404)
    require(not configure or can_configure(current_user, organisation.id))
    return organisation


@blueprint.app_template_global()
def grievance_inboxes() -> list[Organisation]:
    """The reviewer organisations the signed-in staff member works for (staff index)."""
    return [o for o in services.reviewers() if can_work_cases(current_user, o.id)]


@blueprint.get("/")
@staff_required
def index():
    """The reviewer organisations this staff member works for."""
    return render_template("grievances/reviewers.html", organisations=grievance_inboxes())


@blueprint.get("/<slug>")
@staff_required
def inbox(slug: str):
    """Open cases, overdue first (the inbox needs the passphrase once per session)."""
    organisation = _organisation(slug)
    if reviewer_keys.keys_of(organisation.id) is None:
        return redirect(url_for(".set_up", slug=slug))
    if unlocking.private_key(organisation.id) is None:
        return redirect(url_for(".unlock", slug=slug))
    show_all = request.args.get("all") == "1"
    return render_template("grievances/inbox.html", organisation=organisation,
                           rows=services.inbox(organisation.id, open_only=not show_all),
                           show_all=show_all, labels=STAGE_LABELS, language=current_language(),
                           category_name=reviewer_keys.category_name,
                           configure=can_configure(current_user, organisation.id))


@blueprint.route("/<slug>/set-up", methods=["GET", "POST"])
@staff_required
def set_up(slug: str):
    """Choose the passphrase (once), then print the recovery key shown this one time."""
    organisation = _organisation(slug, configure=True)
    if reviewer_keys.keys_of(organisation.id) is not None:
        return redirect(url_for(".inbox", slug=slug))
    form = SetUpForm()
    if form.validate_on_submit():
        recovery = reviewer_keys.set_up(organisation.id, form.passphrase.data,
                                        current_user._get_current_object())
        db.session.commit()
        return render_template("grievances/recovery_key.html", organisation=organisation,
                               recovery_key=recovery)
    return render_template("grievances/set_up.html", organisation=organisation, form=form), \
        422 if form.errors else 200


@blueprint.route("/<slug>/unlock", methods=["GET", "POST"])
@staff_required
@limiter.limit(_limit, methods=["POST"])
def unlock(slug: str):
    """Type the passphrase to open the inbox for this session."""
    organisation = _organisation(slug)
    stored = reviewer_keys.keys_of(organisation.id)
    if stored is None:
        return redirect(url_for(".set_up", slug=slug))
    form = UnlockForm()
    if form.validate_on_submit():
        try:
            private_key = reviewer_keys.open_private_key(stored, form.passphrase.data)
        except sealing.WrongKey:
            form.passphrase.errors.append(_("That passphrase does not open the inbox."))
        else:
            unlocking.unlock(organisation.id, private_key)
            audit.record(current_user, "grievances.inbox_unlocked",
                         organisation_id=organisation.id)
            db.session.commit()
            return redirect(url_for(".inbox", slug=slug))
    return render_template("grievances/unlock.html", organisation=organisation, form=form), \
        422 if form.errors else 200


@blueprint.post("/<slug>/lock")
@staff_required
def lock(slug: str):
    """Close the inbox in this session."""
    organisation = _organisation(slug)
    if EmptyForm().validate_on_submit():
        unlocking.lock(organisation.id)
        db.session.commit()
    return redirect(url_for("reviewer.index"))


@blueprint.route("/<slug>/recover", methods=["GET", "POST"])
@staff_required
@limiter.limit(_limit, methods=["POST"])
def recover(slug: str):
    """A new passphrase, with the printed recovery key (which is then replaced)."""
    organisation = _organisation(slug, configure=True)
    stored = reviewer_keys.keys_of(organisation.id)
    if stored is None:
        abort(404)
    form = RecoverForm()
    if form.validate_on_submit():
        try:
            recovery = reviewer_keys.recover(stored, form.recovery_key.data,
                                             form.passphrase.data,
                                             current_user._get_current_object())
        except sealing.WrongKey:
            form.recovery_key.errors.append(_("That recovery key does not fit."))
        else:
            db.session.commit()
            return render_template("grievances/recovery_key.html", organisation=organisation,
                                   recovery_key=recovery, recovered=True)
    return render_template("grievances/recover.html", organisation=organisation, form=form), \
        422 if form.errors else 200


def _case(organisation: Organisation, case_id: int) -> tuple[Case, bytes | None]:
    """A case of this organisation, and its data key when the inbox is open."""
    case = db.session.get(Case, case_id)
    if case is None or case.organisation_id != organisation.id or case.purged_on:
        abort(404)
    private_key = unlocking.private_key(organisation.id)
    if private_key is None:
        return case, None
    return case, sealing.case_key(private_key, case.sealed_key)


@blueprint.route("/<slug>/cases/<int:case_id>", methods=["GET", "POST"])
@staff_required
def case(slug: str, case_id: int):
    """A case's words, history and stage (POST: move it on, or add a note)."""
    organisation = _organisation(slug)
    found, data_key = _case(organisation, case_id)
    if data_key is None:
        return redirect(url_for(".unlock", slug=slug))
    form = StageForm(prefix="stage")
    form.stage.choices = [(s.value, STAGE_LABELS[s]) for s in Stage]
    share_form = ShareForm(prefix="share")
    message_form = MessageForm(prefix="message")
    words = sealing.decrypt_words(data_key, found.sealed_text)
    reply_key = messages.key_from_words(words)
    if request.method == "GET":
        form.stage.data = found.stage.value
    elif "message-body" in request.form:
        if reply_key is None:
            abort(404)
        if message_form.validate_on_submit():
            messages.post(found, True, message_form.body.data, reply_key)
            db.session.commit()
            flash(_("Sent: they will read it on their case page."), "success")
            return redirect(url_for(".case", slug=slug, case_id=case_id), code=303)
    elif "share-summary" in request.form and share_form.validate_on_submit():
        services.share(found, current_user._get_current_object(), share_form.summary.data)
        db.session.commit()
        flash(_("Shared with the hosts."), "success")
        return redirect(url_for(".case", slug=slug, case_id=case_id), code=303)
    elif "stage-stage" in request.form and form.validate_on_submit():
        stage = Stage(form.stage.data)
        actor = current_user._get_current_object()
        if stage is found.stage:
            services.add_note(found, actor, form.note.data or "", data_key)
        else:
            services.move(found, stage, actor, form.note.data or "", data_key)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".case", slug=slug, case_id=case_id), code=303)
    events = services.history(found)
    notes = {e.id: sealing.decrypt_note(data_key, e.sealed_note) for e in events
             if e.sealed_note}
    errors = form.errors or share_form.errors or message_form.errors
    return render_template(
        "grievances/case_detail.html", organisation=organisation, case=found,
        words=words, area=_area_name(found, words.get("area")), events=events, notes=notes,
        message_form=message_form,
        thread=messages.thread(found, reply_key), form=form, share_form=share_form,
        labels=STAGE_LABELS, language=current_language(),
        category=reviewer_keys.category_name(found.category, current_language()),
        overdue=services.overdue(found, dt.date.today()),
        shared=services.shared_with_hosts_of_case(found)), 422 if errors else 200


def _area_name(case: Case, key: str | None) -> str:
    """The name of the area a case was filed from (its key when the option is gone)."""
    if not key:
        return ""
    consultation = db.session.get(Consultation, case.consultation_id)
    option = dict(services.areas(consultation)).get(key)
    return str(option.text("label", current_language())) if option else key


@blueprint.route("/<slug>/settings", methods=["GET", "POST"])
@staff_required
def settings(slug: str):
    """Deadlines, retention period and the categories in each language."""
    organisation = _organisation(slug, configure=True)
    stored = reviewer_keys.keys_of(organisation.id)
    if stored is None:
        return redirect(url_for(".set_up", slug=slug))
    languages = current_app.config["CONTENT_LANGUAGES"]
    language = request.args.get("language", current_language())
    if language not in languages:
        abort(404)
    form = SettingsForm(prefix="settings", obj=stored)
    names_form = CategoriesForm(prefix="categories")
    actor = current_user._get_current_object()
    if "categories-names" in request.form and names_form.validate_on_submit():
        names = [line.strip() for line in names_form.names.data.split("\n") if line.strip()]
        reviewer_keys.set_categories(organisation.id, language, names)
        db.session.commit()
        flash(_("Categories saved."), "success")
        return redirect(url_for(".settings", slug=slug, language=language), code=303)
    if "categories-names" not in request.form and form.validate_on_submit():
        reviewer_keys.set_settings(stored, form.acknowledge_days.data, form.resolve_days.data,
                                   form.retention_months.data, actor)
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for(".settings", slug=slug, language=language), code=303)
    if request.method == "GET":
        names_form.names.data = "\n".join(
            reviewer_keys.category_name(c, language) for c in
            reviewer_keys.categories(organisation.id))
    errors = form.errors or names_form.errors
    return render_template("grievances/settings.html", organisation=organisation, form=form,
                           names_form=names_form, languages=languages, language=language), \
        422 if errors else 200
