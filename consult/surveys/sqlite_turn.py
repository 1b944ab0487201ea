"""SQLite: writers of survey responses wait for their turn on a lock file instead of sleeping.

Why: SQLite lets one connection write at a time. Another that finds the write lock taken is
refused, and its busy handler (busy_timeout) sleeps 1, 2, 5, 10 ... ms before trying again,
whether the lock is given back after a tenth of a millisecond or after three. With
synchronous=FULL every commit holds the lock while the disk syncs, so two gunicorn workers
taking submissions spent a quarter of their time asleep (py-spy) while the lock was free.
A blocking lock (flock) on a file beside the database wakes the next writer the moment the
last one has committed: measured with two processes each doing 1.5 ms of work and one durable
commit per submission, 410-580 commits/s sleeping against 830-980 taking turns.

The turn is a queue, never what keeps data safe: SQLite's own locks still decide, and a writer
that takes no turn (every other kind of write) meets SQLite's sleeping as before. The turn is
taken before a transaction's first write only: a connection already writing holds SQLite's
write lock, and waiting for the turn then could mean waiting for a writer that waits for us.
It is given back when the transaction ends (commit, rollback or close), and by the kernel if
the process dies. Where the platform has no flock (Windows), nothing waits.
"""
import os

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

#: Key in Session.info of the lock file this session's transaction holds.
HELD = "consult.sqlite_turn"
#: The lock file of each database, opened once per process ((pid, path) -> descriptor): a
#: descriptor inherited through fork would be the same lock in both processes.
_files: dict[tuple[int, str], int] = {}


def lock_path(database: str) -> str:
    """The lock file of an SQLite database file."""
    return database + "-turn"


def take(session: Session, connection: Connection) -> None:
    """Wait for this process's turn to write to connection's SQLite database, then hold it
    until session's transaction ends; at once if it already writes or holds the turn, or if
    the database is not a plain file."""
    database = connection.engine.url.database
    if fcntl is None or session.info.get(HELD) is not None or not database \
            or database == ":memory:" or database.startswith("file:") \
            or connection.connection.dbapi_connection.in_transaction:
        return
    key = (os.getpid(), database)
    descriptor = _files.get(key)
    if descriptor is None:
        descriptor = _files[key] = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    session.info[HELD] = descriptor


@event.listens_for(Session, "after_transaction_end")
def _give_back(session: Session, transaction) -> None:
    if transaction.parent is None:
        descriptor = session.info.pop(HELD, None)
        if descriptor is not None:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
