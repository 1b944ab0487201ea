"""A copy of the database alone, and the logs, reveal no grievance."""
import logging
import os
import subprocess
from pathlib import Path

from consult.extensions import db
from consult.grievances.models import Case
from tests.grievances.conftest import HAPPENED, PASSPHRASE, WANTED, file_by_form, unlock

WORDS = [w for w in (HAPPENED + " " + WANTED).split() if len(w) >= 6]


def _dump(app) -> bytes:
    """Every byte of the database: the SQLite file (and its WAL) plus its SQL dump, or
    pg_dump's output."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        connection = db.engine.raw_connection()
        try:
            sql = "\n".join(connection.driver_connection.iterdump())
        finally:
            connection.close()
        return raw + sql.encode()
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    return subprocess.run(
        ["pg_dump", "-h", url.host, "-p", str(url.port or 5432), "-U", url.username,
         url.database], capture_output=True, check=True, env=env).stdout


def test_database_dump_and_logs_contain_no_word_of_a_grievance(app, client, auth,
                                                               reviewer_setup, caplog,
                                                               capsys):
    caplog.set_level(logging.DEBUG)
    for name in ("consult", "werkzeug", "sqlalchemy", "flask_limiter"):
        caplog.set_level(logging.DEBUG, logger=name)
    code = file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    # The reviewer works the case, so the history and an unlocked inbox are in the dump too.
    unlock(client, auth, reviewer_setup)
    client.post_form(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/cases/{case.id}",
                     {"stage-stage": "acknowledged", "stage-note": "Quokka follow-up note"})
    client.post_form(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/cases/{case.id}",
                     {"message-body": "Quetzalcoatl question for you"})
    db.session.commit()
    dump = _dump(app)
    assert b"grievance_case" in dump  # the dump is real
    captured = capsys.readouterr()
    logs = "\n".join([caplog.text, captured.out, captured.err])
    for word in WORDS + ["Quokka", "Quetzalcoatl", PASSPHRASE, code, code.replace("-", "")]:
        for variant in {word, word.lower()}:
            assert variant.encode() not in dump, variant
            assert variant.encode("utf-16-le") not in dump, variant
            assert variant not in logs, variant
