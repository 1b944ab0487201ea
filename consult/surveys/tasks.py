"""The surveys' background jobs (the worker imports every feature's tasks.py): imports of
large XLSForms and paper forms, and the nightly purge of old drafts."""
import logging

from flask import current_app
from huey import crontab

from consult.extensions import db
from consult.jobs import periodic_task, tracked_task
from consult.surveys import import_jobs
from consult.surveys.responses import purge_drafts

log = logging.getLogger(__name__)


@tracked_task(retries=2)
def import_survey(job) -> None:
    """Make a stored XLSForm the consultation's survey (import_jobs.run_survey_import)."""
    import_jobs.run_survey_import(job)


@tracked_task(retries=2)
def import_paper(job, file_id: int, language: str) -> None:
    """Import the rows of a stored paper file (import_jobs.run_paper_import)."""
    import_jobs.run_paper_import(job, file_id, language)


@periodic_task(crontab(hour="3", minute="41"))
def purge_old_drafts() -> int:
    """Every night: delete the drafts last saved more than DRAFT_LIFETIME_DAYS ago (as
    `consult purge-drafts` does); how many."""
    count = purge_drafts(current_app.config["DRAFT_LIFETIME_DAYS"])
    db.session.commit()
    log.info("purged %s old drafts", count)
    return count
