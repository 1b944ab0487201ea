"""Flask extensions, created unbound and attached to the app in create_app."""
from flask import session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql, sqlite

from consult.security import rate_limit_key, session_fingerprint

#: Explicit constraint names, so migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



class StaffLoginManager(LoginManager):
    """Flask-Login with session protection applied to staff sessions only.

    Participants' sessions carry no login; checking them would write a needless
    remember-cookie deletion into every response that has a session.
    """

    def __init__(self) -> None:
        super().__init__()
        # Flask-Login's default is an unsalted SHA-512 of address and user agent, kept in the
        # (signed, readable) cookie: the address could be brute-forced from it. Key the hash.
        self._session_identifier_generator = session_fingerprint

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = StaffLoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=rate_limit_key, default_limits=[])


def upsert_insert(table, dialect: str):
    """INSERT for table with ON CONFLICT clauses, in the dialect's own construct (the
    databases Consult runs on, SQLite and PostgreSQL, spell them alike)."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
