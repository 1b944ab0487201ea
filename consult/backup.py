"""Whole-database backups and restores: SQLite's online backup API, PostgreSQL's pg_dump -Fc
and pg_restore.

A backup holds everything participants said: it is written with mode 0600, to a temporary
name first and renamed when complete, so a half-written file never looks like a backup.
PostgreSQL credentials reach pg_dump and pg_restore through libpq's environment variables,
never their command line (which `ps` shows to every user of the machine).
"""
import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did: the file, its size and the time it took."""

    path: Path
    size: int
    seconds: float


#: libpq's environment variable for each connection parameter a URL's query may carry.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "sslrootcert": "PGSSLROOTCERT", "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME",
    "options": "PGOPTIONS", "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE", "service": "PGSERVICE", "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}


def backup(url: str | URL, path: Path, replace: bool = False) -> Outcome:
    """Copy the whole database of url to path (refused if path exists, unless replace)."""
    url = make_url(url)
    path = Path(path)
    if path.exists() and not replace:
        raise BackupError(f"{path} exists; choose another name or pass --force to replace it")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    started = time.perf_counter()
    partial = path.with_name(f".{path.name}.partial")
    _create_private(partial)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_file(url, must_exist=True), partial)
        elif url.get_backend_name() == "postgresql":
            _pg_dump(url, partial)
        else:
            raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(path, path.stat().st_size, time.perf_counter() - started)


def restore(url: str | URL, path: Path) -> Outcome:
    """Replace the whole database of url with the backup at path (checked first).

    Stop every process that uses the database before: a restore replaces its tables.
    """
    url = make_url(url)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    started = time.perf_counter()
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(path, _sqlite_file(url, must_exist=False))
    elif url.get_backend_name() == "postgresql":
        _pg_restore(url, path)
    else:
        raise BackupError(f"restores of {url.get_backend_name()} databases are not supported")
    return Outcome(path, path.stat().st_size, time.perf_counter() - started)


def describe(url: str | URL) -> str:
    """The database for a message: its URL with the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _create_private(path: Path) -> None:
    """An empty file only its owner may read (whatever the umask)."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


# --- SQLite ---------------------------------------------------------------------------------

def _sqlite_file(url: URL, must_exist: bool) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("only an SQLite database in a file can be backed up or restored")
    database = Path(url.database)
    if must_exist and not database.is_file():
        raise BackupError(f"the database {database} does not exist")
    return database


def _sqlite_backup(database: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while the application keeps writing."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # One self-contained file: no -wal beside it to forget.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()


def _sqlite_restore(backup_file: Path, database: Path) -> None:
    """Check the backup is a sound SQLite database, then copy it over the live one."""
    try:
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{backup_file} is not an SQLite backup ({error})") from error
    try:
        try:
            check = source.execute("PRAGMA quick_check").fetchone()[0]
            tables = source.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{backup_file} is not an SQLite backup ({error})") from error
        if check != "ok" or not tables:
            raise BackupError(f"{backup_file} is not a sound SQLite backup "
                              f"({'no tables' if check == 'ok' else check})")
        database.parent.mkdir(parents=True, exist_ok=True)
        live = sqlite3.connect(database, timeout=30)
        try:
            source.backup(live)
        finally:
            live.close()
    finally:
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------------

def libpq_environment(url: URL) -> dict[str, str]:
    """The environment that makes pg_dump/pg_restore connect where url says, credentials
    included, so that nothing secret is on their command line."""
    env = dict(os.environ)  # PGSSLMODE and the like set by the operator still apply
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    for parameter, value in url.query.items():
        if parameter not in LIBPQ_ENVIRONMENT:
            raise BackupError(f"DATABASE_URL parameter {parameter!r} is not supported by "
                              "backup and restore")
        env[LIBPQ_ENVIRONMENT[parameter]] = value if isinstance(value, str) else value[-1]
    return env


def tool_major_version(tool: str) -> int:
    """The major version of a PostgreSQL client program, e.g. 16; BackupError if missing."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} was not found on PATH: install the PostgreSQL client "
                          "programs of the server's major version (Debian: postgresql-client)")
    output = subprocess.run([program, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    if not found:
        raise BackupError(f"{program} --version said {output.strip()!r}: not a PostgreSQL tool")
    return int(found.group(1))


def server_major_version(url: URL) -> int:
    """The PostgreSQL server's major version (e.g. 16 for 16.4)."""
    engine = create_engine(url.set(drivername="postgresql+psycopg"), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            number = int(connection.execute(text("SHOW server_version_num")).scalar())
    except Exception as error:
        raise BackupError(f"cannot reach the database {describe(url)} "
                          f"({type(error).__name__})") from error
    finally:
        engine.dispose()
    return number // 10000


def _pg_dump(url: URL, target: Path) -> None:
    client, server = tool_major_version("pg_dump"), server_major_version(url)
    if client < server:
        raise BackupError(f"pg_dump {client} is older than the PostgreSQL {server} server and "
                          f"cannot dump it: install postgresql-client-{server}")
    _run(["pg_dump", "--format=custom", "--no-password", f"--file={target}"], url, "pg_dump")


def _pg_restore(url: URL, backup_file: Path) -> None:
    tool_major_version("pg_restore")
    env = libpq_environment(url)
    listed = subprocess.run([shutil.which("pg_restore"), "--list", str(backup_file)],
                            env=env, capture_output=True, text=True)
    if listed.returncode:
        raise BackupError(f"{backup_file} is not a pg_dump -Fc backup pg_restore can read: "
                          f"{_last_line(listed.stderr)}")
    # One transaction: a restore that fails half-way leaves the database as it was.
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={url.database}", str(backup_file)],
         url, "pg_restore")


def _run(command: list[str], url: URL, tool: str) -> None:
    command = [shutil.which(command[0]), *command[1:]]
    done = subprocess.run(command, env=libpq_environment(url), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{tool} failed (exit {done.returncode}): {_last_line(done.stderr)}")


def _last_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
