"""The summaries' background jobs (the worker imports every feature's tasks.py): exports of
large consultations, and deleting the stored files whose time is up; recomputing themes and
opinion groups and folding the summary tallies are in analysis_tasks.py."""
from huey import crontab

from consult.jobs import files, periodic_task, tracked_task
from consult.summaries import analysis_tasks, export_jobs

__all__ = ["analysis_tasks", "export_responses", "purge_expired_files"]


@tracked_task(retries=2)
def export_responses(job, kind: str, language: str | None) -> None:
    """Write a consultation's export file (export_jobs.write_export)."""
    export_jobs.write_export(job, kind, language)


@periodic_task(crontab(minute="17"))
def purge_expired_files() -> None:
    """Every hour: delete finished exports, uploads and reports past their time, and the
    half-written files of jobs that ended."""
    files.purge_expired()
