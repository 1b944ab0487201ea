"""Consult: a multilingual consultation platform. `create_app` builds the Flask application."""
import os
import secrets
import time
from pathlib import Path

from flask import Flask, abort, current_app, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consult import boundary, compression
from consult import config as default_config


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then overrides."""
    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.environ.get("CONSULT_INSTANCE_PATH"))
    load_configuration(app, overrides or {})
    boundary.init_app(app)  # before any route: the URL converters apply as rules are added
    register_extensions(app)
    register_blueprints(app)
    compression.init_app(app)  # registered first: after_request hooks run last-first
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take client address and scheme from them."""
    count = int(app.config["TRUSTED_PROXIES"])
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def load_configuration(app: Flask, overrides: dict) -> None:
    """Layer the settings and refuse to start without a secret outside development."""
    app.config.from_object(default_config)
    app.config.from_pyfile("config.py", silent=True)
    for variable, setting in app.config["ENV_SETTINGS"].items():
        if variable in os.environ:
            app.config[setting] = _parse_env(os.environ[variable])
    app.config.update(overrides)
    development = app.config["ENV"] == "development"
    if development and "SESSION_COOKIE_SECURE" not in os.environ and \
            "SESSION_COOKIE_SECURE" not in overrides:
        # The development server is plain http on 127.0.0.1.
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
    if development and "MAIL_BACKEND" not in os.environ and "MAIL_BACKEND" not in overrides:
        app.config["MAIL_BACKEND"] = "console"  # `make run` prints mail instead of sending it
    if not app.config.get("SECRET_KEY"):
        if not development:
            raise RuntimeError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable or put "
                "SECRET_KEY = '...' in instance/config.py (e.g. python -c 'import secrets; "
                "print(secrets.token_hex(32))'). Only CONSULT_ENV=development makes one up.")
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    configure_languages(app)
    # The pre-ping finds a connection a database server dropped, before a request uses it;
    # SQLite has no server to drop it, and the ping would cost every request a statement.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {
        "pool_pre_ping": not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")})
    # A database error must not write its parameters (keys, texts, times) into a log.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"],
                                               "hide_parameters": True}


def configure_languages(app: Flask) -> None:
    """Discover the interface languages from the catalogs, and check any configured ones."""
    from consult.i18n import check_languages, discover_languages

    translations = bundled_or_checkout(app, "translations")
    source = app.config["BABEL_DEFAULT_LOCALE"]
    if app.config["LANGUAGES"] is None:
        app.config["LANGUAGES"] = discover_languages(translations, source)
    check_languages(app.config["LANGUAGES"], translations, source)
    if app.config["CONTENT_LANGUAGES"] is None:
        app.config["CONTENT_LANGUAGES"] = list(app.config["LANGUAGES"])


def bundled_or_checkout(app: Flask, name: str) -> Path:
    """consult/<name> in an installed wheel (setup.py builds it there), else <name>/ beside
    the package in a checkout: translations (compiled catalogs) and migrations."""
    bundled = Path(app.root_path) / name
    return bundled if bundled.is_dir() else Path(app.root_path).parent / name


def _parse_env(value: str):
    lowered = value.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    return value


def _development_secret(instance: Path) -> str:
    """A random key kept in instance/, shared by every worker of the development server."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "development-secret-key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def database_uri(app: Flask) -> str:
    """The SQLAlchemy URL: DATABASE_URL (postgres:// made psycopg 3), else instance SQLite."""
    url = app.config.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        return "sqlite:///" + str(Path(app.instance_path) / "consult.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


#: WAL pages at which SQLite checkpoints inside a commit (its default is 1,000).
WAL_AUTOCHECKPOINT = 4000


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait rather than fail on locks,
    and a commit on disk before it returns (synchronous=FULL: in WAL mode NORMAL syncs only at
    checkpoints, so the last commits acknowledged, a participant's submission among them,
    could be lost to a power cut); and deleted content overwritten with zeros (secure_delete:
    an erased comment's words or a purged answer must not stay readable in the file's free
    pages, where a copy of the database would find them). SQLite's own checkpoint, run inside
    whichever commit finds the WAL this long, is a backstop: submissions checkpoint more often,
    after their response is sent (surveys/sqlite_turn.py)."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}")
    cursor.close()


def register_extensions(app: Flask) -> None:
    """Bind the extensions of extensions.py to this app."""
    # Every feature's tables belong to the metadata (migrations, create_all) from the start.
    import consult.accounts.models  # noqa: F401
    import consult.audit.services  # noqa: F401  (its model, and the log's guards)
    import consult.channels.models  # noqa: F401
    import consult.comments.models  # noqa: F401
    import consult.comments.revisions  # noqa: F401  (its model, and the hooks keeping it)
    import consult.comments.translations  # noqa: F401
    import consult.consultations.models  # noqa: F401
    import consult.grievances.services  # noqa: F401  (its models, and the history's guard)
    import consult.jobs.files  # noqa: F401  (stored exports, uploads, reports)
    import consult.jobs.models  # noqa: F401
    import consult.moderation.log  # noqa: F401  (its models, and the log's guards)
    import consult.programmes.models  # noqa: F401  (its models, and the timeline's guard)
    import consult.summaries.planner_responses  # noqa: F401
    import consult.summaries.tallies_models  # noqa: F401
    import consult.summaries.theme_models  # noqa: F401
    import consult.surveys.deletion  # noqa: F401  (deleted responses' notes)
    import consult.surveys.models  # noqa: F401
    from consult.accounts.staff_sessions import load_staff_user
    from consult.extensions import babel, csrf, db, limiter, login_manager, migrate
    from consult.i18n import select_locale
    from consult.limits import check_settings as check_rate_limits

    db.init_app(app)
    from consult import jobs

    jobs.init_app(app)
    migrate.init_app(app, db, directory=str(bundled_or_checkout(app, "migrations")),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(bundled_or_checkout(app, "translations")))
    limiter.init_app(app)
    check_rate_limits(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    # A staff cookie must name the account's current token and one of its live sessions.
    login_manager.user_loader(load_staff_user)
    from consult.accounts.cookie_sessions import SiteOnlySessionInterface

    app.session_interface = SiteOnlySessionInterface()  # the API reads and sets no session


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature (consultations has a second one for staff pages)."""
    from consult import (
        accounts,
        admin,
        api,
        audit,
        channels,
        comments,
        consultations,
        grievances,
        jobs,
        main,
        moderation,
        programmes,
        summaries,
        surveys,
    )

    for feature in (main, accounts, consultations, surveys, comments, moderation, summaries,
                    api, admin, jobs, audit, channels, grievances, programmes):
        for blueprint in feature.blueprints():
            app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    """Deny unmarked views, expire idle sessions, add headers, remember the language."""
    from consult.i18n import remember_language
    from consult.security import set_security_headers

    app.before_request(refuse_unmarked_views)
    app.before_request(expire_idle_session)
    app.after_request(set_security_headers)
    app.after_request(remember_language)


def refuse_unmarked_views() -> None:
    """Deny by default: a view not marked public or staff-only is not reachable at all."""
    from consult.permissions import ACCESS_ATTRIBUTE

    if request.endpoint in (None, "static"):
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, ACCESS_ATTRIBUTE, None) is None:
        abort(404)


def expire_idle_session() -> None:
    """Clear a session left idle (e.g. on a shared phone) or past its absolute lifetime."""
    if not session:
        return
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    seen, born = session.get("_seen", now), session.get("_born", now)
    if now - seen > idle or now - born > absolute:
        session.clear()
        return
    session.setdefault("_born", now)
    if now - seen >= 60 or "_seen" not in session:  # rewrite the cookie at most once a minute
        session["_seen"] = now


def register_errorhandlers(app: Flask) -> None:
    """Translated pages for the errors a person can meet."""
    from flask_wtf.csrf import CSRFError

    from consult.main.errors import handle_csrf_error, handle_http_error
    from consult.security import install_log_policy

    app.logger.name  # noqa: B018 - made now, with its handler, so the policy covers both
    install_log_policy()

    for code in (400, 403, 404, 405, 409, 413, 415, 422, 429, 500):
        app.register_error_handler(code, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf_error)


def register_template_helpers(app: Flask) -> None:
    """Globals and filters the templates share."""
    from consult.main.templating import TEMPLATE_FILTERS, template_context, template_globals

    app.context_processor(template_context)
    app.jinja_env.globals.update(template_globals())
    app.jinja_env.filters.update(TEMPLATE_FILTERS)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True


def register_commands(app: Flask) -> None:
    """`flask consult ...`."""
    from consult.cli import consult_group

    app.cli.add_command(consult_group)
