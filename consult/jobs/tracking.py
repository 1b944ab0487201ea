"""Tracked jobs: a `background_job` row per run, updated as the task starts, reports progress,
finishes, is retried or gives up. Redelivery-safe: a finished job is never run again, and a
job whose worker died (no heartbeat for JOB_STALLED_AFTER) is queued again by `requeue_stalled`,
so each task must be idempotent (write its result atomically, replace rather than add)."""
import datetime as dt
import functools
import json
import logging

from flask import current_app
from sqlalchemy import select

from consult.extensions import db
from consult.jobs.models import FINISHED, Job, JobState
from consult.jobs.queue import after_commit, task
from consult.jobs.reasons import STALLED, UNEXPECTED

log = logging.getLogger(__name__)
#: Tracked tasks by name, to queue a stalled job again.
_TRACKED: dict = {}


class JobFailed(Exception):
    """A failure retrying cannot fix; code names a reason of consult/jobs/reasons.py."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def tracked_task(retries: int = 3, retry_delay: int = 30, retry_backoff: float = 2, **options):
    """A task whose first argument is a Job id; the function receives the Job itself."""
    def decorate(function):
        @functools.wraps(function)
        def run(job_id: int, *args, task=None):
            job = db.session.get(Job, job_id)
            if job is None or job.state in FINISHED:
                return  # delivered twice, or its object is gone: nothing to do again
            job.state, job.attempts, job.heartbeat_at = JobState.RUNNING, job.attempts + 1, _now()
            db.session.commit()
            try:
                function(job, *args)
            except Exception as error:
                db.session.rollback()
                _record_failure(job_id, error, final=task is None or task.retries == 0)
                if isinstance(error, JobFailed):
                    return  # retrying cannot help
                raise
            job.state, job.progress, job.finished_at = JobState.DONE, 100, _now()
            db.session.commit()

        wrapper = task(retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff,
                       context=True, **options)(run)
        wrapper.full_name = f"{function.__module__}.{wrapper.name}"
        _TRACKED[wrapper.full_name] = wrapper
        return wrapper
    return decorate


def _record_failure(job_id: int, error: Exception, final: bool) -> None:
    """Mark the job retrying or failed, with a reason code; the error text is not kept."""
    job = db.session.get(Job, job_id)
    if job is None:
        return
    permanent = isinstance(error, JobFailed)
    job.reason = error.code if permanent else UNEXPECTED
    if permanent or final:
        job.state, job.finished_at = JobState.FAILED, _now()
        log.warning("job %s (%s) failed: %s", job.id, job.kind, job.reason)
    else:
        job.state = JobState.RETRYING
    db.session.commit()


def enqueue(tracked, *args, kind: str, consultation=None, organisation_id: int | None = None,
            requested_by=None) -> Job:
    """A new job for tracked(*args), queued when the current transaction commits."""
    if consultation is not None and organisation_id is None:
        organisation_id = consultation.host_organisation_id
    job = Job(task_name=tracked.full_name, arguments=json.dumps(list(args)), kind=kind,
              consultation_id=consultation.id if consultation is not None else None,
              organisation_id=organisation_id,
              requested_by_id=requested_by.id if requested_by is not None else None,
              state=JobState.QUEUED, created_at=_now())
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    after_commit(lambda: tracked(job_id, *args))
    return job


def report_progress(job: Job, percent: int) -> None:
    """Record how far the job got (0-100) and that its worker is alive; commits."""
    job.progress, job.heartbeat_at = max(0, min(100, int(percent))), _now()
    db.session.commit()


def requeue_stalled() -> int:
    """Queue again the running jobs whose worker died (no heartbeat for JOB_STALLED_AFTER)."""
    limit = _now() - current_app.config["JOB_STALLED_AFTER"]
    stalled = db.session.scalars(select(Job).where(
        Job.state == JobState.RUNNING, Job.heartbeat_at < limit)).all()
    for job in stalled:
        tracked = _TRACKED.get(job.task_name)
        if tracked is None:
            continue
        job.state, job.reason = JobState.QUEUED, STALLED
        after_commit(functools.partial(tracked, job.id, *json.loads(job.arguments)))
    db.session.commit()
    return len(stalled)
