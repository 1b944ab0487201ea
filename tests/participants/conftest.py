"""Fixtures for a participant's own data: an open survey answered through the web, and a
dump of every row of the database to search for words that must be gone."""
import re

import pytest
from sqlalchemy import text

from consult.extensions import db
from tests.surveys.journeys import answer_page, three_page_consultation


@pytest.fixture
def consultation(make_consultation):
    """An open consultation with a three-page survey (English, French, Arabic)."""
    return three_page_consultation(make_consultation)


def answer(client, consultation, role="youth", trust="5", comment="More lights please"):
    """Answer the whole survey through the web; the receipt."""
    answer_page(client, consultation, {"role": role, "age": "30"})
    answer_page(client, consultation, {"stall": "fish"} if role == "trader" else {})
    answer_page(client, consultation, {"trust": trust, "comment": comment})
    html = client.get(f"/consultations/{consultation.slug}/survey/done").get_data(as_text=True)
    return re.search(r'<bdi dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})</bdi>', html).group(1)


def post_comment(client, consultation, body: str) -> int:
    """Post a comment through the thread's form; its id."""
    from consult.comments.models import Comment

    client.post_form(f"/consultations/{consultation.slug}/comments", {"body": body})
    return db.session.scalar(db.select(Comment.id).filter_by(body=body))


def database_dump() -> str:
    """Every row of every table (and, on SQLite, the file's whole SQL dump) as text."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        return "\n".join(connection.connection.driver_connection.iterdump())
    names = connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
    return "\n".join(str(row) for name in names
                     for row in connection.execute(text(f'SELECT t::text FROM "{name}" t')))
