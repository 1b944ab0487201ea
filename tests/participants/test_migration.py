"""Migration 0026 erases the words of the comments withdrawn before withdrawing erased them,
with their translations, redaction originals, screening words and the votes on them."""
import datetime as dt

from flask_migrate import upgrade
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    text,
)

from consult import create_app
from consult.extensions import db
from tests.conftest import base_config

OLD = "Words withdrawn before this revision"


def _insert(connection, metadata, table: str, **values) -> int:
    """Insert a row, filling every other required column with a harmless value; its id."""
    columns = metadata.tables[table].columns
    for column in columns:
        if column.name in values or column.nullable or column.server_default is not None \
                or (column.primary_key and column.name == "id"):
            continue
        kind = column.type
        values[column.name] = (
            False if isinstance(kind, Boolean) else dt.date(2026, 1, 1)
            if isinstance(kind, (Date, DateTime)) else 0
            if isinstance(kind, (Integer, SmallInteger, Numeric, Float)) else "x")
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks}) "
                                   "RETURNING id"), values).scalar_one()


def test_migration_erases_the_texts_of_comments_withdrawn_earlier(empty_database_url):
    app = create_app(base_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0025")
        metadata = MetaData()
        metadata.reflect(db.engine)
        with db.engine.begin() as connection:
            organisation = _insert(connection, metadata, "organisation", slug="org")
            consultation = _insert(connection, metadata, "consultation", slug="c",
                                   host_organisation_id=organisation, state="open")
            ids = {}
            for state in ("withdrawn", "published"):
                ids[state] = _insert(connection, metadata, "comment",
                                     consultation_id=consultation, author_key=f"a-{state}",
                                     body=f"{OLD} ({state})", state=state, language="en",
                                     agree_count=1)
                _insert(connection, metadata, "comment_translation", comment_id=ids[state],
                        language="fr", body=f"Traduction ({state})")
                _insert(connection, metadata, "vote", comment_id=ids[state],
                        consultation_id=consultation, voter_key="v", choice="agree")
                _insert(connection, metadata, "screening_flag", comment_id=ids[state],
                        consultation_id=consultation, reason="watched_word", action="flag",
                        words=f"secret-{state}")
        upgrade(revision="0026")
        with db.engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT state, body FROM comment")).all())
            translations = connection.execute(text(
                "SELECT body FROM comment_translation")).scalars().all()
            votes = connection.execute(text("SELECT comment_id FROM vote")).scalars().all()
            words = connection.execute(text("SELECT words FROM screening_flag")).scalars().all()
            counts = dict(connection.execute(text(
                "SELECT state, agree_count FROM comment")).all())
        db.engine.dispose()
    assert rows == {"withdrawn": "", "published": f"{OLD} (published)"}
    assert translations == ["Traduction (published)"]
    assert votes == [ids["published"]]
    assert sorted(words) == ["", "secret-published"]
    assert counts == {"withdrawn": 0, "published": 1}
