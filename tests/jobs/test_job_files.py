"""Files of background jobs, kept in the database: read back byte for byte across chunks, never
read while half-written, and deleted when their time is up."""
import datetime as dt

import pytest

from consult.extensions import db
from consult.jobs import files
from consult.jobs.models import Job, JobState


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()


def _job(consultation, state=JobState.RUNNING) -> Job:
    job = Job(task_name="t", kind="export", consultation_id=consultation.id, state=state,
              created_at=files.now())
    db.session.add(job)
    db.session.commit()
    return job


@pytest.mark.parametrize("size", [0, 1, files.CHUNK_BYTES, files.CHUNK_BYTES * 2 + 7])
def test_a_stored_file_reads_back_byte_for_byte_across_chunks(app, consultation, size):
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    stored = files.store_bytes(files.UPLOAD, "a.csv", "text/csv", data, consultation.id,
                               dt.timedelta(hours=1))
    db.session.commit()
    assert files.read_bytes(stored) == data
    assert b"".join(files.iter_chunks(db.engine, stored.id)) == data
    assert files.upload(stored.id, consultation.id) is stored
    assert files.upload(stored.id, consultation.id + 1) is None  # another consultation's


def test_a_file_being_written_is_not_offered_until_it_is_complete(app, consultation):
    job = _job(consultation)
    with db.engine.connect() as connection:
        writer = files.ChunkWriter(connection, job.id, consultation.id, files.EXPORT,
                                   "x.csv", "text/csv")
        writer.write("a" * (files.CHUNK_BYTES + 1))
        connection.commit()
        assert files.job_file(job.id, files.EXPORT) is None
        writer.write("tail")
        writer.finish(rows=2, keep=dt.timedelta(hours=1))
        connection.commit()
    stored = files.job_file(job.id, files.EXPORT)
    assert stored.complete and stored.rows == 2 and stored.size == files.CHUNK_BYTES + 5
    assert files.read_bytes(stored) == b"a" * (files.CHUNK_BYTES + 1) + b"tail"


def test_purging_deletes_expired_files_and_half_files_of_ended_jobs_only(app, consultation):
    keep = dt.timedelta(hours=1)
    fresh = files.store_bytes(files.REPORT, "r.json", "application/json", b"{}",
                              consultation.id, keep)
    old = files.store_bytes(files.UPLOAD, "u.csv", "text/csv", b"x", consultation.id, keep)
    old.expires_at = files.now() - dt.timedelta(seconds=1)
    halves = {}
    for state in (JobState.RUNNING, JobState.FAILED):
        job = _job(consultation, state)
        with db.engine.connect() as connection:
            writer = files.ChunkWriter(connection, job.id, consultation.id, files.EXPORT,
                                       "x.csv", "text/csv")
            connection.commit()
        halves[state] = writer.file_id
    db.session.commit()
    fresh_id, old_id = fresh.id, old.id
    assert files.purge_expired() == 2
    left = set(db.session.scalars(db.select(files.StoredFile.id)))
    assert left == {fresh_id, halves[JobState.RUNNING]}  # a running job's file is kept
    assert db.session.query(files.FileChunk).filter(
        files.FileChunk.file_id == old_id).count() == 0
