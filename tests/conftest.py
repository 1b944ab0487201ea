"""Fixtures: an app on a fresh database per test (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), a client with CSRF-aware form posting, staff sign-in, factories."""
import os
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from consult import create_app
from consult.accounts import services as accounts
from consult.accounts.models import OrganisationKind, Role
from consult.consultations import services as consultations
from consult.consultations.lifecycle import State
from consult.extensions import db
from tests import mail_server

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'type="hidden" name="csrf_token" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')

_postgres_ready = False


def base_config(database_url: str) -> dict:
    """Settings every test app shares: a real secret, cheap password hashing, no throttling."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_ENABLED": False,
        # Exact published counts, so tests can check figures; the tests of the cell-key
        # perturbation (tests/summaries/test_cell_keys.py ...) turn it back on.
        "CELL_KEY_PERTURBATION": False,
        # Moderation statistics as decisions happen (tests/moderation/test_cell_keys.py
        # checks the default: up to the end of yesterday).
        "MODERATION_STATISTICS_UNTIL_YESTERDAY": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        # Background jobs run at once, in their own app context (tests/jobs/ use a real worker).
        "QUEUE_URL": "immediate",
        # Mail goes to the session's real SMTP server (tests/mail_server.py).
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mail_server.smtp_server().port,
        "MAIL_USE_TLS": False,
        "MAIL_FROM": "Consult <consult@example.org>",
        "BASE_URL": "http://consult.example.org",
    }


@pytest.fixture
def smtp_server():
    """The real SMTP server every test app sends to, emptied for this test."""
    handler = mail_server.smtp_server()
    handler.clear()
    return handler


def pytest_sessionfinish(session, exitstatus):
    """Stop the SMTP server."""
    mail_server.stop()


def _reset_postgres(url: str) -> None:
    """Empty the PostgreSQL test database and recreate the schema (once per run)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    """The URL of an empty database: a new SQLite file, or a scratch PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    from bench.live_server import scratch_postgres

    # Named after this run's own database, so two runs on one server never share a scratch one.
    own = POSTGRES_URL.rsplit("/", 1)[-1].split("?")[0]
    with scratch_postgres(POSTGRES_URL, f"consult_scratch_{own}") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    """The application on an empty, fully created database."""
    global _postgres_ready
    if request.param == "postgresql":
        if not _postgres_ready:
            _reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app({**base_config(url), "CONSULT_TEST_BACKEND": request.param})
    app.test_client_class = Client
    with app.app_context():
        if request.param == "sqlite" or not _postgres_ready:
            db.create_all()
            _postgres_ready = _postgres_ready or request.param == "postgresql"
        yield app
        db.session.remove()
        if request.param == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


class Client(FlaskClient):
    """A test client that fetches and sends CSRF tokens like a browser.

    Each request runs in its own app context, as in production: otherwise Flask reuses the
    test's context, and `g` (CSRF token cache, language) would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self, page: str = "/codename") -> str:
        """A valid token for this client's session, read from a page with a form."""
        html = self.get(page).get_data(as_text=True)
        match = _CSRF.search(html)
        assert match, f"no CSRF token on {page}"
        return next(g for g in match.groups() if g)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        """POST a form the way a browser would, with a fresh CSRF token."""
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.post(url, data=payload, **kwargs)


@pytest.fixture
def client(app):
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def make_org(app):
    """Factory: an organisation."""
    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, kind=OrganisationKind.CIVIL_SOCIETY):
        n = next(counter)
        organisation = accounts.create_organisation(slug or f"org-{n}", f"Organisation {n}", kind)
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_user(app):
    """Factory: a staff user, optionally with a role in an organisation."""
    counter = iter(range(1, 10_000))

    def make(organisation=None, role: Role | None = None, site_admin=False, email=None):
        n = next(counter)
        user = accounts.create_user(email or f"user{n}@example.org", PASSWORD, f"User {n}",
                                    site_admin=site_admin)
        if organisation is not None and role is not None:
            accounts.add_membership(user, organisation, role)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_consultation(app, make_org):
    """Factory: a consultation with texts and sections, in any lifecycle state."""
    counter = iter(range(1, 10_000))

    def make(host=None, state=State.OPEN, languages=("en", "fr", "ar"), sections=2,
             texts=None, **settings):
        n = next(counter)
        host = host or make_org()
        consultation = consultations.create_consultation(
            host, f"consultation-{n}", languages[0], list(languages), **settings)
        consultations.set_texts(consultation, texts or {
            ("title", lang): f"Title {n} [{lang}]" for lang in languages})
        for s in range(1, sections + 1):
            consultations.add_section(consultation, {
                ("title", lang): f"Section {s} [{lang}]" for lang in languages} | {
                ("body", languages[0]): f"Body of section {s}."})
        consultation.state = state
        db.session.commit()
        return consultation

    return make


@pytest.fixture
def auth(client):
    """Sign staff in and out through the real sign-in form."""

    class Auth:
        def login(self, user_or_email, password=PASSWORD):
            email = getattr(user_or_email, "email", user_or_email)
            return client.post_form("/manage/login", {"email": email, "password": password})

        def logout(self):
            return client.post_form("/manage/logout")

    return Auth()


@pytest.fixture
def rate_limited(app):
    """The app with rate limits on (the suite otherwise runs without them)."""
    from consult.extensions import limiter

    app.config["RATELIMIT_ENABLED"] = True
    limiter.enabled = True
    limiter.init_app(app)
    limiter.reset()
    yield app
    limiter.reset()
    limiter.enabled = False


def translated(language: str, message: str) -> str:
    """message as the catalog of language has it, HTML-escaped as pages show it (and
    asserted to be really translated)."""
    from flask_babel import force_locale, gettext
    from markupsafe import escape

    with force_locale(language):
        text = gettext(message)
    assert text != message or language == "en", f"{message!r} is not translated into {language}"
    return str(escape(text))
