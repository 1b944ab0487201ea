"""Background exports for planners: ask for the file, follow its progress, download it."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_login import current_user

from consult.accounts.forms import EmptyForm
from consult.extensions import db
from consult.jobs import files
from consult.jobs.kinds import STATE_LABELS
from consult.jobs.reasons import reason_label
from consult.permissions import staff_required
from consult.summaries import export_jobs
from consult.summaries.views import export_request, planner_consultation

blueprint = Blueprint("exports", __name__, url_prefix="/manage/consultations/<slug>/report")


@blueprint.post("/export")
@staff_required
def start(slug: str):
    """Queue the export of ?format and ?labels (unless the same one is under way) and go
    to its page."""
    consultation = planner_consultation(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    _, kind, language = export_request(consultation, request.form)
    job = export_jobs.start_export(consultation, kind, language, current_user)
    db.session.commit()
    return redirect(url_for(".show", slug=slug, job_id=job.id), 303)


def _job(slug: str, job_id: int):
    consultation = planner_consultation(slug)
    job = export_jobs.export_job(consultation, job_id)
    if job is None:
        abort(404)
    return consultation, job


@blueprint.get("/exports/<int:job_id>")
@staff_required
def show(slug: str, job_id: int):
    """An export's progress (the page refreshes itself while it runs), then its download."""
    consultation, job = _job(slug, job_id)
    kind, language = export_jobs.job_format(job)
    stored = export_jobs.ready_file(job)
    return render_template(
        "manage/export_job.html", consultation=consultation, job=job, kind=kind,
        language=language, stored=stored, form=EmptyForm(), state_labels=STATE_LABELS,
        reason_label=reason_label, keep_hours=current_app.config["EXPORT_KEEP_HOURS"],
        megabytes=format_decimal(round(stored.size / 1e6, 1)) if stored else None)


@blueprint.get("/exports/<int:job_id>/file")
@staff_required
def download(slug: str, job_id: int):
    """The finished file, read from the database a chunk at a time."""
    _, job = _job(slug, job_id)
    stored = export_jobs.ready_file(job)
    if stored is None:
        abort(404)
    response = Response(files.iter_chunks(db.engine, stored.id),
                        content_type=stored.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{stored.name}"'
    response.headers["Content-Length"] = str(stored.size)
    response.headers["Cache-Control"] = "no-store"
    return response
