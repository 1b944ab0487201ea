"""The Huey instance, configured per process from QUEUE_URL, and the task decorators.

QUEUE_URL: unset -> a SQLite queue file in instance/ (no extra server: `make run`);
"redis://..." -> Redis (production, several nodes); "immediate" -> run each task at once
in the caller's process (the tests).
"""
import functools
import importlib
import importlib.util
import logging
import pkgutil
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from consult.extensions import db

log = logging.getLogger(__name__)

huey = Huey("consult", results=False, utc=True, storage_class=MemoryStorage)
_state: dict = {"app": None}
#: Key of the callbacks waiting for the session's commit, in Session.info.
AFTER_COMMIT = "consult_after_commit"


def init_app(app: Flask) -> None:
    """Point the queue at this app's QUEUE_URL; tasks run in this app's context."""
    url = app.config.get("QUEUE_URL") or \
        "sqlite:///" + str(Path(app.instance_path) / "queue.sqlite3")
    if url == "immediate":
        huey.immediate = True
    else:
        if url.startswith(("redis://", "rediss://", "unix://")):
            huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": url}
        elif url.startswith("sqlite:///"):
            filename = url.removeprefix("sqlite:///")
            Path(filename).parent.mkdir(parents=True, exist_ok=True)
            huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": filename}
        else:
            raise RuntimeError("QUEUE_URL must be redis://..., sqlite:///PATH or 'immediate'")
        huey.immediate = False
        huey.storage = huey.create_storage()
    _state["app"] = app


def _app() -> Flask:
    """The app a task runs in: the caller's (immediate mode) or the worker's."""
    if has_app_context():
        return current_app._get_current_object()
    if _state["app"] is None:
        raise RuntimeError("the task queue has no app: call consult.jobs.init_app")
    return _state["app"]


def _in_app_context(function):
    """Run function in a fresh app context (its own database session), then clean up."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        with _app().app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()
    return run


def _name(function) -> str:
    """The task's name; Huey puts the module in front (consult.mail.services.send_mail_task)."""
    return function.__qualname__


def task(retries: int = 3, retry_delay: int = 30, retry_backoff: float = 2, **options):
    """A background task, retried with backoff (30 s, 60 s, 120 s by default)."""
    def decorate(function):
        return huey.task(retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff,
                         name=_name(function), **options)(_in_app_context(function))
    return decorate


def periodic_task(schedule, **options):
    """A task the worker runs on a schedule (a huey.crontab(...))."""
    def decorate(function):
        return huey.periodic_task(schedule, name=_name(function),
                                  **options)(_in_app_context(function))
    return decorate


def after_commit(callback) -> None:
    """Run callback when the current transaction commits; never if it rolls back."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still forgets the callback
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(AFTER_COMMIT, []):
        callback()


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:  # a savepoint's rollback leaves the outer work queued
        session.info.pop(AFTER_COMMIT, None)


def queue_reachable() -> bool:
    """Whether the queue's storage answers (for /healthz)."""
    if huey.immediate:
        return True
    try:
        huey.storage.queue_size()
    except Exception:  # any storage error means "not reachable"; the reason is not logged
        return False
    return True


def discover_tasks() -> list[str]:
    """Import every feature's tasks.py, so the worker knows every task; their names."""
    import consult

    found = []
    for module in pkgutil.iter_modules(consult.__path__):
        if module.ispkg and importlib.util.find_spec(f"consult.{module.name}.tasks"):
            importlib.import_module(f"consult.{module.name}.tasks")
            found.append(f"consult.{module.name}.tasks")
    return found
