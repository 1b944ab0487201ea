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

Checkpoints: SQLite copies the WAL back into the database (two more disk syncs) when a commit
finds it WAL_AUTOCHECKPOINT pages long (consult/__init__.py), inside that commit: the
submission that happened to cross the line answered only after the copy. So every
CHECKPOINT_EVERY turns, this process checkpoints once its response has been sent
(api/submissions.py), holding the turn meanwhile: no submission adds pages during the copy,
so it copies them all and the next commit restarts the WAL from its beginning, long before
SQLite's own threshold (which stays as the backstop for every other writer). Durability is
SQLite's either way: each commit is synced to the WAL before it returns (synchronous=FULL),
and a checkpoint syncs the WAL before copying and the database before the WAL may be reused
(the checkpoint connection is FULL too). The WAL file is never truncated (no
journal_size_limit): a commit then overwrites blocks the file already has, and its sync need
not also write the file's new size.
"""
import os
import sqlite3

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

#: Key in Session.info of the turn this session's transaction holds: (descriptor of the lock
#: file, (pid, database)).
HELD = "consult.sqlite_turn"
#: The lock file of each database, opened once per process ((pid, path) -> descriptor): a
#: descriptor inherited through fork would be the same lock in both processes.
_files: dict[tuple[int, str], int] = {}
#: Turns taken between two checkpoints run by one process. Every worker checkpoints after
#: as many of its own, so, however many there are, one runs about every 64 submissions of
#: 11-30 pages each (more as the indexes grow): under the WAL_AUTOCHECKPOINT (4,000) pages
#: at which SQLite would checkpoint inside a commit, and fewer syncs than its default 1,000.
CHECKPOINT_EVERY = 64
#: Turns given back in this process, by (pid, database).
_turns: dict[tuple[int, str], int] = {}
#: Databases whose checkpoint is due in this process (run_due_checkpoints runs them).
_due: set[tuple[int, str]] = set()
#: Connections that run this process's checkpoints, by (pid, database).
_checkpointers: dict[tuple[int, str], sqlite3.Connection] = {}


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
    session.info[HELD] = descriptor, key


@event.listens_for(Session, "after_transaction_end")
def _give_back(session: Session, transaction) -> None:
    if transaction.parent is None:
        held = session.info.pop(HELD, None)
        if held is not None:
            descriptor, key = held
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            _turns[key] = turns = _turns.get(key, 0) + 1
            if turns % CHECKPOINT_EVERY == 0:
                _due.add(key)


def checkpoint_due() -> bool:
    """Whether this process owes a checkpoint (run_due_checkpoints, once the response is sent)."""
    return bool(_due)


def run_due_checkpoints() -> None:
    """Copy the WAL of each database whose checkpoint is due back into it, holding the turn
    (PASSIVE: readers go on meanwhile; frames a reader still needs wait for the next one)."""
    while _due:
        key = _due.pop()
        descriptor = _files.get(key)
        if key[0] != os.getpid() or descriptor is None:
            continue  # owed by the process this one was forked from
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            checkpointer(key[1]).execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:  # e.g. the database is gone: SQLite's own checkpoints remain
            _checkpointers.pop(key, None)
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)


def checkpointer(database: str) -> sqlite3.Connection:
    """This process's connection for checkpoints of database (synchronous=FULL, so that a
    checkpoint syncs the database before the WAL is reused)."""
    key = (os.getpid(), database)
    connection = _checkpointers.get(key)
    if connection is None:
        connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA synchronous=FULL")
        _checkpointers[key] = connection
    return connection
