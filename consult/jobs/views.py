"""A consultation's background jobs, for the staff who see its staff pages."""
import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from consult.accounts.models import User
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.i18n import current_language
from consult.jobs.kinds import STATE_LABELS, kind_label, page_of
from consult.jobs.models import FINISHED, Job
from consult.jobs.reasons import reason_label
from consult.permissions import can_see_staff_page, require, staff_required

blueprint = Blueprint("jobs", __name__, url_prefix="/manage/consultations/<slug>/jobs")

#: Jobs per page, newest first.
PAGE = 50


@blueprint.get("")
@staff_required
def index(slug: str):
    """The consultation's jobs, newest first, a page at a time."""
    consultation = get_consultation(slug)
    require(consultation is not None and can_see_staff_page(current_user, consultation),
            hide=True)
    before = request.args.get("before", type=int)
    query = select(Job).where(Job.consultation_id == consultation.id)
    if before is not None:
        if before < 1:
            abort(404)
        query = query.where(Job.id < before)
    jobs = list(db.session.scalars(query.order_by(Job.id.desc()).limit(PAGE + 1)))
    more = len(jobs) > PAGE
    jobs = jobs[:PAGE]
    names = {user.id: user.name for user in db.session.scalars(select(User).where(
        User.id.in_({job.requested_by_id for job in jobs if job.requested_by_id})))}
    zone = ZoneInfo(consultation.time_zone)
    language = current_language()

    def moment(value: dt.datetime | None) -> str:
        """A stored UTC time in the consultation's time zone, in the reader's language."""
        if value is None:
            return ""
        return format_datetime(value.replace(tzinfo=dt.UTC), "medium", tzinfo=zone,
                               locale=language)

    def link(job: Job) -> str | None:
        page = page_of(job, current_user, consultation)
        return url_for(page[0], **page[1]) if page else None

    return render_template(
        "manage/jobs.html", consultation=consultation, jobs=jobs, names=names, moment=moment,
        link=link, kind_label=kind_label, state_labels=STATE_LABELS, reason_label=reason_label,
        finished=FINISHED, zone=consultation.time_zone,
        older=url_for(".index", slug=slug, before=jobs[-1].id) if more else None)
