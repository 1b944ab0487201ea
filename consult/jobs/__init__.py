"""Background work on a real task queue (Huey), and the jobs staff can follow.

`task` and `periodic_task` make plain background functions; `tracked_task` makes a job with
a row in `background_job` (state, progress, translated failure reason) that staff can see;
`enqueue` and `after_commit` queue work once the current transaction has committed.
Each feature keeps its own tasks in its `tasks.py`.
"""
from consult.jobs.queue import (
    after_commit,
    discover_tasks,
    huey,
    init_app,
    periodic_task,
    queue_reachable,
    task,
)
from consult.jobs.tracking import JobFailed, enqueue, report_progress, tracked_task


def blueprints() -> list:
    """This feature's blueprints: a consultation's jobs page (imported late)."""
    from consult.jobs.views import blueprint

    return [blueprint]


__all__ = ["JobFailed", "after_commit", "blueprints", "discover_tasks", "enqueue", "huey",
           "init_app", "periodic_task", "queue_reachable", "report_progress", "task",
           "tracked_task"]
