"""A programme's audit pages, read-only: the planner report of each round without participant
text, the staff audit log of the programme and its rounds, and each round's moderation
statistics.

Who reads them: can_audit_programme (the programme's auditors, the planners and admins of its
host, site administrators); everyone else, hosts of other organisations and auditors of
another programme included, gets 404. Every page is a GET and carries no form: an auditor
acts on nothing, and holds no right on the rounds' own staff pages through being one.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import and_, or_, select

from consult import fragments
from consult.accounts.models import Organisation
from consult.audit.labels import action_label
from consult.audit.models import AuditEntry
from consult.audit.search import PAGE_SIZE, Row
from consult.consultations.lifecycle import STATE_LABELS
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.i18n import current_language
from consult.moderation.labels import ACTION_LABELS, OUTCOME_LABELS, REASON_LABELS
from consult.moderation.models import AppealOutcome
from consult.moderation.stats import public_statistics
from consult.permissions import can_audit_programme, require, staff_required
from consult.programmes import services
from consult.programmes.models import Programme, ProgrammeRound
from consult.summaries import qualitative
from consult.summaries.labels import template_helpers
from consult.summaries.services import summary_for
from consult.surveys.services import get_survey

blueprint = Blueprint("programmes_audit", __name__, url_prefix="/manage/programmes")


def _programme(slug: str) -> Programme:
    """The programme, if this staff member may audit it (404 otherwise, whether it exists
    or not: an auditor of one programme learns nothing of another)."""
    programme = services.get_programme(slug)
    require(programme is not None and can_audit_programme(current_user, programme), hide=True)
    return programme


def _round(programme: Programme, position: int) -> ProgrammeRound:
    """The programme's round at this position (404 when there is none)."""
    found = next((r for r in programme.rounds if r.position == position), None)
    require(found is not None, hide=True)
    return found


@blueprint.get("/<slug>/audit")
@staff_required
def index(slug: str):
    """The programme's rounds, each with its report and moderation statistics, and the log."""
    programme = _programme(slug)
    return render_template("programmes/audit_index.html", programme=programme,
                           rounds=services.rounds_of(programme), state_labels=STATE_LABELS)


@blueprint.get("/<slug>/audit/rounds/<int:position>/report")
@staff_required
def report(slug: str, position: int):
    """A round's planner report without participant text: the same protected figures and
    breakdowns, themes and opinion groups, but no answer quoted, no survey theme's rare
    terms, and of the comments only published ones (as the opinion groups quote them)."""
    programme = _programme(slug)
    found = _round(programme, position)
    consultation = found.consultation
    survey = get_survey(consultation)
    body = None
    if survey is not None:
        # planner=False: the summary carries no free-text quotes at all (the public one).
        summary, meta = summary_for(consultation, survey, planner=False)
        key = ("summary-html", consultation.id, meta.fingerprint, current_language(), "audit",
               None)
        # Rendered as the planners read it (breakdowns in place), from that quote-free data.
        (body,) = fragments.cached(key, lambda: (Markup(render_template(
            "summaries/_summary.html", consultation=consultation, survey=survey,
            summary=summary, meta=meta, planner=True, only_question=None,
            **template_helpers(survey))),))
    analysis = qualitative.analysis_for(consultation, survey, planner=True,
                                        participant_text=False)
    return render_template(
        "programmes/audit_report.html", programme=programme, round=found,
        consultation=consultation, survey=survey, body=body, opinions=analysis.opinions,
        themes=analysis.themes, analysis_pending=analysis.pending,
        k=consultation.min_cell_size, planner=False,
        qualitative_versions=qualitative.versions(), **template_helpers(survey))


@blueprint.get("/<slug>/audit/rounds/<int:position>/moderation")
@staff_required
def moderation(slug: str, position: int):
    """A round's moderation statistics: the protected counts its public page publishes."""
    programme = _programme(slug)
    found = _round(programme, position)
    return render_template(
        "programmes/audit_moderation.html", programme=programme, round=found,
        consultation=found.consultation, stats=public_statistics(found.consultation),
        action_labels=ACTION_LABELS, reason_labels=REASON_LABELS,
        outcome_labels=OUTCOME_LABELS, outcomes=tuple(AppealOutcome))


def log_page(programme: Programme, before: int | None) -> tuple[list[Row], int | None]:
    """One page of the staff audit log of the programme and its rounds, newest first, and
    the id to ask for the next (None: no more): the rounds' entries, and the programme's
    own (its actions are filed under its host, with its slug as their target)."""
    rounds = [r.consultation_id for r in programme.rounds]
    query = (select(AuditEntry, Organisation.name, Consultation.slug)
             .outerjoin(Organisation, Organisation.id == AuditEntry.organisation_id)
             .outerjoin(Consultation, Consultation.id == AuditEntry.consultation_id)
             .where(or_(AuditEntry.consultation_id.in_(rounds), and_(
                 AuditEntry.organisation_id == programme.host_organisation_id,
                 AuditEntry.action.startswith("programme.", autoescape=True),
                 AuditEntry.target == programme.slug)))
             .order_by(AuditEntry.id.desc()))
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = [Row(*found) for found in db.session.execute(query.limit(PAGE_SIZE + 1))]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].entry.id if more else None)


@blueprint.get("/<slug>/audit/log")
@staff_required
def log(slug: str):
    """The staff audit log of the programme and its rounds, a page at a time."""
    programme = _programme(slug)
    before = request.args.get("before", type=int)
    rows, next_before = log_page(programme, before)
    zone_name = current_app.config["CONSULT_TIME_ZONE"]
    zone, language = ZoneInfo(zone_name), current_language()

    def moment(entry) -> str:
        """An entry's time in the site's time zone, as the reader's language writes it."""
        return format_datetime(entry.created_at.replace(tzinfo=dt.timezone.utc), "medium",
                               tzinfo=zone, locale=language)

    return render_template("programmes/audit_log.html", programme=programme, rows=rows,
                           before=before, next_before=next_before, moment=moment,
                           zone=zone_name, action_label=action_label, several=False)
