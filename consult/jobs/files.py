"""Files background jobs make and read: finished exports, uploads waiting for their import,
and import reports.

They are kept in the database (`job_file`, its bytes in `job_file_chunk` rows of up to
CHUNK_BYTES), not in a folder: every app node and every worker reads and writes the same files
with no shared disk to set up, on SQLite and PostgreSQL alike, and `consult backup` carries
them. A file is offered only once its `complete` flag is committed: that commit is the atomic
rename, so a reader never sees half a file, and a job whose worker died writes its file again
from the start (discard_unfinished) instead of appending to a half-written one. Large files are
written a chunk at a time, each in its own short transaction (ChunkWriter): SQLite has one
writer at a time, and one transaction holding a 100 MB export would make every participant's
submission wait for minutes. The price is database space for as long as a file is kept:
finished files expire (EXPORT_KEEP_HOURS) and purge_expired deletes them.
"""
import datetime as dt
from typing import Iterator

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.jobs.models import FINISHED, Job

#: Bytes per stored chunk: large enough for few rows, small enough to hold in memory.
CHUNK_BYTES = 1024 * 1024
EXPORT, UPLOAD, REPORT = "export", "upload", "report"


def now() -> dt.datetime:
    """The current UTC time as stored (naive, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class StoredFile(db.Model):
    """One file of a job: staff data (an export holds participants' answers: planners only)."""

    __tablename__ = "job_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The job that made the file or reads it; None for an upload waiting for its import.
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("background_job.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    #: EXPORT, UPLOAD or REPORT.
    purpose: Mapped[str] = mapped_column(String(20))
    #: The name a download is saved under.
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Records in the file (an export's responses).
    rows: Mapped[int] = mapped_column(Integer, default=0)
    #: Set, in one commit, when the last chunk is written: only complete files are read.
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: When purge_expired deletes it.
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class FileChunk(db.Model):
    """A piece of a stored file, in order."""

    __tablename__ = "job_file_chunk"

    file_id: Mapped[int] = mapped_column(ForeignKey("job_file.id", ondelete="CASCADE"),
                                         primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


def store_bytes(purpose: str, name: str, content_type: str, data: bytes, consultation_id: int,
                keep: dt.timedelta, job_id: int | None = None) -> StoredFile:
    """A small file (an upload, a report) stored whole in the current transaction; flushes."""
    stored = StoredFile(job_id=job_id, consultation_id=consultation_id, purpose=purpose,
                        name=name[:200], content_type=content_type, size=len(data),
                        rows=0, complete=True, created_at=now(), expires_at=now() + keep)
    db.session.add(stored)
    db.session.flush()
    for number, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES)):
        db.session.add(FileChunk(file_id=stored.id, number=number,
                                 data=data[start:start + CHUNK_BYTES]))
    db.session.flush()
    return stored


def read_bytes(stored: StoredFile) -> bytes:
    """The whole content of a (small) stored file."""
    return b"".join(db.session.scalars(select(FileChunk.data).where(
        FileChunk.file_id == stored.id).order_by(FileChunk.number)))


def iter_chunks(engine: Engine, file_id: int) -> Iterator[bytes]:
    """A stored file's bytes a chunk at a time, each read on its own short connection (a
    download may outlive the request's session and its app context)."""
    number = 0
    while True:
        with engine.connect() as connection:
            data = connection.scalar(select(FileChunk.data).where(
                FileChunk.file_id == file_id, FileChunk.number == number))
        if data is None:
            return
        yield bytes(data)
        number += 1


def job_file(job_id: int, purpose: str) -> StoredFile | None:
    """The complete file of this purpose a job made, if any (and not yet purged)."""
    return db.session.scalar(select(StoredFile).where(
        StoredFile.job_id == job_id, StoredFile.purpose == purpose,
        StoredFile.complete.is_(True)).order_by(StoredFile.id.desc()).limit(1))


def upload(file_id: int, consultation_id: int) -> StoredFile | None:
    """A stored upload of this consultation, if it is still kept."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.purpose != UPLOAD or stored.consultation_id != consultation_id \
            or not stored.complete:
        return None
    return stored


def _delete_where(connection, condition) -> int:
    ids = list(connection.scalars(select(StoredFile.id).where(condition)))
    if ids:
        connection.execute(delete(FileChunk).where(FileChunk.file_id.in_(ids)))
        connection.execute(delete(StoredFile).where(StoredFile.id.in_(ids)))
    return len(ids)


def delete_file(file_id: int) -> None:
    """Delete a stored file and its chunks in the current transaction."""
    _delete_where(db.session, StoredFile.id == file_id)


def discard_unfinished(connection: Connection, job_id: int) -> int:
    """Delete the half-written files a job left (its worker died); commits on connection."""
    count = _delete_where(connection, (StoredFile.job_id == job_id)
                          & StoredFile.complete.is_(False))
    connection.commit()
    return count


def purge_expired() -> int:
    """Delete expired files, and half-written ones whose job has finished; commits."""
    finished = select(Job.id).where(Job.state.in_(FINISHED))
    count = _delete_where(db.session, or_(
        StoredFile.expires_at < now(),
        StoredFile.complete.is_(False) & StoredFile.job_id.in_(finished)))
    db.session.commit()
    return count


class ChunkWriter:
    """Writes a large file through its own connection, a chunk per INSERT; the caller commits
    (with its progress report), and `finish` marks the file complete in one statement."""

    def __init__(self, connection: Connection, job_id: int, consultation_id: int, purpose: str,
                 name: str, content_type: str):
        self.connection = connection
        self.file_id = connection.scalar(insert(StoredFile).values(
            job_id=job_id, consultation_id=consultation_id, purpose=purpose, name=name[:200],
            content_type=content_type, size=0, rows=0, complete=False, created_at=now(),
            # A half-written file goes when its job finishes, or at the latest a day on.
            expires_at=now() + dt.timedelta(days=1)).returning(StoredFile.id))
        connection.commit()
        self.parts: list[bytes] = []
        self.pending = self.size = self.number = 0

    def write(self, text: str) -> bool:
        """Append text; True when a chunk was just written (time to commit)."""
        data = text.encode("utf-8")
        self.parts.append(data)
        self.pending += len(data)
        if self.pending >= CHUNK_BYTES:
            self._flush()
            return True
        return False

    def _flush(self) -> None:
        data = b"".join(self.parts)
        self.connection.execute(insert(FileChunk).values(file_id=self.file_id,
                                                         number=self.number, data=data))
        self.number += 1
        self.size += len(data)
        self.parts, self.pending = [], 0

    def finish(self, rows: int, keep: dt.timedelta) -> int:
        """Write the last chunk and mark the file complete (not committed); its id."""
        if self.parts or self.number == 0:
            self._flush()
        self.connection.execute(update(StoredFile).where(StoredFile.id == self.file_id).values(
            size=self.size, rows=rows, complete=True, expires_at=now() + keep))
        return self.file_id
