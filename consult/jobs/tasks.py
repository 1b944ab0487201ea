"""The queue's own housekeeping."""
from huey import crontab

from consult.jobs.queue import periodic_task
from consult.jobs.tracking import requeue_stalled


@periodic_task(crontab(minute="*"))
def requeue_stalled_jobs() -> None:
    """Every minute: give the jobs of a worker that died to a live one."""
    requeue_stalled()
