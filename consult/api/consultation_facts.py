"""The consultation facts an API submission is checked against: remembered by each process
between submissions, and checked again by the very insert that stores the response.

Why: reading them is a statement per submission, on PostgreSQL a round trip (one of three,
with the connection pool's ping). So a process remembers the consultation row it last read
for a slug, once a submission has been stored with it, and checks the next submissions
against that row; the insert stores a response only if the row is still exactly the one
remembered (response_store.Guard, in the same statement). A change made since, through any
worker or straight in the database, makes the insert store nothing, and the submission is
checked again against the row read afresh. Only acceptance is ever taken from memory, and
only with that guard: anything the remembered row would refuse is decided again on a fresh
read. The state is worked out from the row at each use, so the closing day passing needs no
change to the row.
"""
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, select

from consult import fragments
from consult.consultations.models import Consultation
from consult.consultations.services import FACT_COLUMNS, ConsultationFacts, facts_of
from consult.extensions import db
from consult.surveys.response_store import Guard


class Checked(NamedTuple):
    """A consultation's facts, the guard that stores a response only if they still hold, and
    the row they come from."""

    facts: ConsultationFacts
    guard: Guard
    row: tuple


@cache
def _statement():
    table = Consultation.__table__
    return select(*(table.c[name] for name in FACT_COLUMNS)) \
        .where(table.c.slug == bindparam("slug"))


def _key(slug: str) -> tuple:
    return ("submission-facts", slug)


def _checked(slug: str, row) -> Checked:
    return Checked(facts_of(row), Guard(
        row.id, slug, row.revision, row.state.value, row.language_codes, row.default_language,
        row.participation_mode.value, row.closes_on, row.time_zone), row)


def recall(slug: str) -> Checked | None:
    """The facts remembered for slug by this process (to be guarded), or None."""
    kept = fragments.peek(_key(slug))
    return None if kept is None else _checked(slug, kept[0])


def read(slug: str) -> Checked | None:
    """The facts of slug read now, or None when no consultation has that slug."""
    row = db.session.execute(_statement(), {"slug": slug}).one_or_none()
    return None if row is None else _checked(slug, row)


def remember(checked: Checked) -> None:
    """Keep these facts (once a response was stored with them) for the next submissions."""
    fragments.keep(_key(checked.guard.slug), (checked.row,))
