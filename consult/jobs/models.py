"""Background jobs staff can follow: what runs, how far it got, and why it failed."""
import datetime as dt
import enum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.accounts.models import enum_column
from consult.extensions import db


class JobState(enum.Enum):
    """Where a job is."""

    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"


FINISHED = {JobState.DONE, JobState.FAILED}


class Job(db.Model):
    """One run of a tracked task (consult.jobs.tracked_task); staff data, never a
    participant's."""

    __tablename__ = "background_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Huey task's name, and its arguments after the job id (JSON), to queue it again.
    task_name: Mapped[str] = mapped_column(String(200))
    arguments: Mapped[str] = mapped_column(Text, default="[]")
    #: What sort of work, for labels and lists (e.g. "export", "import", "themes").
    kind: Mapped[str] = mapped_column(String(40), index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    #: 0-100, reported by the task.
    progress: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: A code of consult/jobs/reasons.py, when the job failed or is being retried.
    reason: Mapped[str | None] = mapped_column(String(40))
    #: What the job produced, for the feature that reads it (e.g. a file's name).
    result: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: Last sign of life: set when a run starts and at each progress report.
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
