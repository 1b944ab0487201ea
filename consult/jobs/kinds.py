"""What each kind of job is called on the jobs page, and where its own page is. A feature
that queues a tracked job of a new kind adds it here (an unknown kind shows its code)."""
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from consult.jobs.models import JobState
from consult.permissions import can_manage, can_read_planner_report


@dataclass(frozen=True)
class Kind:
    """A kind of job: its label, and its page (an endpoint taking slug and job_id) for those
    the predicate allows."""

    label: object
    endpoint: str | None = None
    may_open: Callable | None = None


KINDS = {
    "export": Kind(_l("Export of the responses"), "exports.show", can_read_planner_report),
    "survey_import": Kind(_l("XLSForm import"), "manage_surveys.import_job", can_manage),
    "paper_import": Kind(_l("Paper responses import"), "paper.job", can_manage),
}

STATE_LABELS = {
    JobState.QUEUED: _l("Waiting for the worker"),
    JobState.RUNNING: _l("Running"),
    JobState.RETRYING: _l("Failed; it will be tried again"),
    JobState.DONE: _l("Done"),
    JobState.FAILED: _l("Failed"),
}


def kind_label(code: str) -> str:
    """The translated name of a kind of job (its code if unknown)."""
    kind = KINDS.get(code)
    return str(kind.label) if kind is not None else code


def page_of(job, user, consultation) -> tuple[str, dict] | None:
    """(endpoint, values) of the job's own page, if it has one this user may open."""
    kind = KINDS.get(job.kind)
    if kind is None or kind.endpoint is None or not kind.may_open(user, consultation):
        return None
    return kind.endpoint, {"slug": consultation.slug, "job_id": job.id}
