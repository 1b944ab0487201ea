"""Configuration layering and start-up checks of create_app."""
import pytest

from consult import create_app


def test_missing_secret_key_outside_development_is_a_clear_startup_error(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CONSULT_ENV", raising=False)
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app()


def test_development_makes_up_one_secret_shared_by_every_worker(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CONSULT_ENV", "development")
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    first, second = create_app(), create_app()
    assert first.secret_key and first.secret_key == second.secret_key
    assert first.config["SESSION_COOKIE_SECURE"] is False


def test_instance_config_then_environment_then_overrides(monkeypatch, tmp_path):
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-file'\nQUICK_EXIT_URL = 'https://a.example/'\n"
                                        "MIN_PASSWORD_LENGTH = 14\n")
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QUICK_EXIT_URL", "https://b.example/")
    app = create_app({"MIN_PASSWORD_LENGTH": 16})
    assert app.secret_key == "from-file"
    assert app.config["QUICK_EXIT_URL"] == "https://b.example/"
    assert app.config["MIN_PASSWORD_LENGTH"] == 16
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("url,expected", [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
])
def test_database_url_uses_psycopg_3_for_postgresql(url, expected, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": url})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "k"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/consult.sqlite3"


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path):
    from consult.extensions import db
    from tests.conftest import base_config

    app = create_app(base_config(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
