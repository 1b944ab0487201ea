"""Tracked jobs: states, progress, reasons, redelivery and stalled workers."""
import datetime as dt

import pytest

from consult.extensions import db
from consult.jobs import JobFailed, enqueue, report_progress, tracked_task
from consult.jobs.models import Job, JobState
from consult.jobs.reasons import STALLED, UNEXPECTED, reason_label
from consult.jobs.tracking import requeue_stalled

RUNS = []


@tracked_task(retries=0)
def count_to(job, n):
    """A job that reports progress and records its run."""
    for i in range(1, n + 1):
        report_progress(job, 100 * i // n)
    RUNS.append(("count_to", job.id, n))


@tracked_task(retries=0)
def refuse_file(job):
    raise JobFailed("invalid_file")


@tracked_task(retries=2)
def crash(job):
    raise ValueError("a participant's words must not reach the job row")


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()


def test_job_runs_after_commit_and_is_done(app):
    job = enqueue(count_to, 4, kind="test")
    assert RUNS == []
    db.session.commit()
    assert RUNS == [("count_to", job.id, 4)]
    db.session.refresh(job)
    assert (job.state, job.progress, job.attempts) == (JobState.DONE, 100, 1)
    assert job.finished_at is not None


def test_job_of_a_rolled_back_request_never_runs(app):
    enqueue(count_to, 1, kind="test")
    db.session.rollback()
    db.session.commit()
    assert RUNS == [] and db.session.query(Job).count() == 0


def test_delivering_a_finished_job_twice_does_nothing_twice(app):
    job = enqueue(count_to, 1, kind="test")
    db.session.commit()
    count_to(job.id, 1)  # the queue delivers the same message again
    assert len(RUNS) == 1


def test_permanent_failure_is_failed_with_its_translated_reason(app):
    job = enqueue(refuse_file, kind="test")
    db.session.commit()
    db.session.refresh(job)
    assert (job.state, job.reason) == (JobState.FAILED, "invalid_file")
    assert "format" in reason_label(job.reason)


def test_unexpected_error_is_retried_and_keeps_no_error_text(app):
    job = enqueue(crash, kind="test")
    db.session.commit()
    db.session.refresh(job)
    assert (job.state, job.reason) == (JobState.RETRYING, UNEXPECTED)
    assert "participant" not in (job.result + job.reason)


def test_job_of_a_dead_worker_is_queued_again_and_finished_once(app):
    job = enqueue(count_to, 1, kind="test")
    job.state = JobState.RUNNING  # as if a worker took it and died before committing
    job.heartbeat_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
    db.session.info.clear()  # ... and the original delivery was lost with it
    db.session.commit()
    assert requeue_stalled() == 1
    db.session.refresh(job)
    assert job.state is JobState.DONE and job.reason == STALLED
    assert RUNS == [("count_to", job.id, 1)]


def test_a_live_job_is_not_queued_again(app):
    job = enqueue(count_to, 1, kind="test")
    job.state, job.heartbeat_at = JobState.RUNNING, dt.datetime.now(dt.UTC).replace(tzinfo=None)
    db.session.info.clear()
    db.session.commit()
    assert requeue_stalled() == 0
