"""`consult backup` / `consult restore`: the restore drill (every table's rows and checksum
identical after a restore), and the refusals around it."""
import hashlib
import os
import stat
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from consult import create_app
from consult.extensions import db
from tests.conftest import POSTGRES_URL, base_config

#: Generated survey responses on top of the demo data.
DRILL_RESPONSES = 5000


def table_fingerprints(engine) -> dict[str, tuple[int, str]]:
    """Every table's (row count, SHA-256 of its rows sorted): equal means identical data."""
    fingerprints = {}
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()
            lines = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v
                                      for v in row)) for row in rows)
            digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
            fingerprints[name] = (len(rows), digest)
    return fingerprints


def migrated_app(url: str):
    """An app on url, migrated for real (alembic_version included)."""
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
    return app


def fill(app) -> None:
    """The demo data plus DRILL_RESPONSES generated survey responses."""
    from bench import summary_data
    from consult.demo import load_demo

    with app.app_context():
        load_demo()
        db.session.commit()
        summary_data.build(DRILL_RESPONSES)
        db.session.remove()


def change_everything(app) -> None:
    """What a bad day does: answers wiped, names overwritten, a new row."""
    from consult.accounts.models import OrganisationKind
    from consult.accounts.services import create_organisation

    with app.app_context():
        db.session.execute(text("DELETE FROM answer"))
        db.session.execute(text("UPDATE organisation SET name = 'changed'"))
        create_organisation("after-backup", "Made after the backup",
                            OrganisationKind.CIVIL_SOCIETY)
        db.session.commit()
        db.session.remove()


def consult_cli(app, *args, **kwargs):
    with app.app_context():
        return app.test_cli_runner().invoke(args=["consult", *args], **kwargs)


def test_restore_drill_brings_back_every_table_identical(scratch_url, tmp_path, capsys):
    app = migrated_app(scratch_url)
    fill(app)
    with app.app_context():
        before = table_fingerprints(db.engine)
    backup_file = tmp_path / "consult.backup"

    started = time.perf_counter()
    result = consult_cli(app, "backup", str(backup_file))
    backup_seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(backup_file).st_mode) == 0o600  # it holds what people said

    change_everything(app)
    with app.app_context():
        assert table_fingerprints(db.engine) != before

    started = time.perf_counter()
    result = consult_cli(app, "restore", "--yes", str(backup_file))
    restore_seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    with app.app_context():
        after = table_fingerprints(db.engine)
        db.engine.dispose()

    assert after == before
    rows = sum(count for count, _ in before.values())
    assert before["response"][0] > DRILL_RESPONSES and before["alembic_version"][0] == 1
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    with capsys.disabled():
        print(f"\nrestore drill ({backend}): {len(before)} tables, {rows:,} rows "
              f"({before['response'][0]:,} responses, {before['answer'][0]:,} answers), "
              f"backup {backup_file.stat().st_size:,} bytes in {backup_seconds:.2f} s, "
              f"restore in {restore_seconds:.2f} s; every table's count and checksum identical")


def test_restore_asks_first_and_changes_nothing_when_refused(scratch_url, tmp_path):
    app = migrated_app(scratch_url)
    fill_small(app)
    backup_file = tmp_path / "consult.backup"
    assert consult_cli(app, "backup", str(backup_file)).exit_code == 0
    change_everything(app)
    with app.app_context():
        changed = table_fingerprints(db.engine)

    result = consult_cli(app, "restore", str(backup_file), input="n\n")

    assert result.exit_code == 1 and "Replace everything in" in result.output
    assert "Aborted" in result.output
    with app.app_context():
        assert table_fingerprints(db.engine) == changed
        db.engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(scratch_url, tmp_path):
    app = migrated_app(scratch_url)
    fill_small(app)
    with app.app_context():
        before = table_fingerprints(db.engine)
    garbage = tmp_path / "not-a-backup"
    garbage.write_bytes(b"PGDMP but not really" + os.urandom(4000))

    result = consult_cli(app, "restore", "--yes", str(garbage))

    assert result.exit_code == 1 and "not a" in result.output
    with app.app_context():
        assert table_fingerprints(db.engine) == before
        db.engine.dispose()


def test_backup_does_not_overwrite_a_file_without_force(scratch_url, tmp_path):
    app = migrated_app(scratch_url)
    existing = tmp_path / "consult.backup"
    existing.write_text("yesterday's backup")

    refused = consult_cli(app, "backup", str(existing))
    assert refused.exit_code == 1 and "--force" in refused.output
    assert existing.read_text() == "yesterday's backup"

    assert consult_cli(app, "backup", "--force", str(existing)).exit_code == 0
    assert existing.read_bytes() != b"yesterday's backup"
    assert not list(tmp_path.glob(".*partial"))
    with app.app_context():
        db.engine.dispose()


def fill_small(app) -> None:
    from consult.accounts.models import OrganisationKind
    from consult.accounts.services import create_organisation

    with app.app_context():
        create_organisation("before-backup", "Made before the backup",
                            OrganisationKind.CIVIL_SOCIETY)
        db.session.commit()
        db.session.remove()


postgres_only = pytest.mark.skipif(not POSTGRES_URL, reason="needs TEST_DATABASE_URL "
                                   "(a PostgreSQL server) for pg_dump")


def _fake_tool(folder, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


@postgres_only
def test_backup_says_pg_dump_is_missing(tmp_path, monkeypatch):
    from consult.backup import BackupError, backup

    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump on it
    with pytest.raises(BackupError, match="pg_dump was not found on PATH"):
        backup(POSTGRES_URL, tmp_path / "consult.backup")
    assert not (tmp_path / "consult.backup").exists()


@postgres_only
def test_backup_refuses_a_pg_dump_older_than_the_server(tmp_path, monkeypatch):
    from consult.backup import BackupError, backup

    _fake_tool(tmp_path, "pg_dump", 'echo "pg_dump (PostgreSQL) 9.6.24"\n')
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"pg_dump 9 is older than the PostgreSQL \d+ server"):
        backup(POSTGRES_URL, tmp_path / "consult.backup")


@postgres_only
def test_pg_dump_gets_the_password_from_its_environment_not_its_command_line(
        tmp_path, monkeypatch):
    """`ps` shows every process's command line to every user of the machine."""
    import shutil

    from sqlalchemy.engine import make_url

    from consult.backup import backup

    real = shutil.which("pg_dump")
    _fake_tool(tmp_path, "pg_dump", f'echo "$@" >> {tmp_path}/argv\n'
                                    f'echo "$PGPASSWORD" > {tmp_path}/password\n'
                                    f'exec {real} "$@"\n')
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    url = make_url(POSTGRES_URL).set(password="s3cret-in-the-url")
    # The test server trusts local connections, so the password is carried but not needed.
    backup(url.render_as_string(hide_password=False), tmp_path / "consult.backup")

    assert "s3cret" not in (tmp_path / "argv").read_text()
    assert (tmp_path / "password").read_text().strip() == "s3cret-in-the-url"
