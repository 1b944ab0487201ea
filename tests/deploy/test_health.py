"""/healthz tells a load balancer whether this node can serve: database reachable, queue
reachable, migrations current; 503 naming what failed otherwise. No cookie, no personal data."""
import json
import socket

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from consult import create_app
from consult.extensions import db
from tests.conftest import base_config

ALL_OK = {"database": "ok", "queue": "ok", "migrations": "ok"}


def health(app) -> tuple[int, dict, object]:
    response = app.test_client().get("/healthz")
    return response.status_code, json.loads(response.get_data()), response


def test_healthz_is_ok_on_a_database_built_from_the_models(app, client):
    """The test suite's databases are made by create_all (no alembic_version table): every
    table of the models is there, so they count as current."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == ALL_OK
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_healthz_sets_no_cookie_for_a_browser_that_has_a_session(app, client):
    client.get("/?lang=fr")  # a language cookie
    client.post_form("/codename")  # and a session cookie with a CSRF token in it

    response = client.get("/healthz")

    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_healthz_is_ok_after_real_migrations_and_names_pending_ones(scratch_url):
    app = create_app(base_config(scratch_url))
    with app.app_context():
        upgrade()
        assert health(app)[:2] == (200, ALL_OK)

        downgrade(revision="-1")  # the code is newer than the database: db-upgrade not run
        status, body, _ = health(app)
        assert status == 503 and body == {**ALL_OK, "migrations": "behind"}

        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
        status, body, _ = health(app)  # the database is newer than this code
        assert status == 503 and body == {**ALL_OK, "migrations": "unknown revision"}
        db.engine.dispose()


def test_healthz_names_an_empty_database_not_migrated(scratch_url):
    app = create_app(base_config(scratch_url))
    with app.app_context():
        status, body, _ = health(app)
        db.engine.dispose()

    assert status == 503 and body == {**ALL_OK, "migrations": "not migrated"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


@pytest.mark.parametrize("url", [
    "sqlite:////nonexistent-folder/consult.sqlite3",
    f"postgresql://consult:password-not-logged@127.0.0.1:{_closed_port()}/consult",
], ids=["sqlite", "postgresql"])
def test_healthz_names_an_unreachable_database_and_logs_no_url(url, tmp_path, caplog):
    app = create_app({**base_config(url), "CONSULT_INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        status, body, _ = health(app)

    assert status == 503
    assert body == {"database": "unreachable", "queue": "ok", "migrations": "unknown"}
    assert "healthz: database check failed (OperationalError)" in caplog.text
    assert "password-not-logged" not in caplog.text and "nonexistent" not in caplog.text


def test_healthz_names_an_unreachable_queue(tmp_path):
    url = f"sqlite:///{tmp_path / 'consult.sqlite3'}"
    app = create_app({**base_config(url),
                      "QUEUE_URL": f"redis://127.0.0.1:{_closed_port()}/1"})
    with app.app_context():
        db.create_all()
        status, body, _ = health(app)
        db.engine.dispose()

    assert status == 503 and body == {**ALL_OK, "queue": "unreachable"}


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_healthz_is_ok_with_a_redis_queue(tmp_path):
    url = f"sqlite:///{tmp_path / 'consult.sqlite3'}"
    app = create_app({**base_config(url), "QUEUE_URL": "redis://127.0.0.1:6379/1"})
    with app.app_context():
        db.create_all()
        status, body, _ = health(app)
        db.engine.dispose()

    assert (status, body) == (200, ALL_OK)
