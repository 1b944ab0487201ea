"""A process remembers the consultation between API submissions (api/consultation_facts.py):
any change to it, however made, is obeyed at the very next submission, which the insert's own
guard refuses to store against the consultation as it was."""
import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from consult.consultations import lifecycle
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys.models import Response
from tests.api.test_api import consultation, post  # noqa: F401 - fixture

BODY = {"language": "fr", "answers": {"role": "youth"}}


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(Response.id)))


def _change(consultation, **columns) -> None:  # noqa: F811
    """Change the consultation straight in the database, as another worker or a script
    might, leaving its revision as it was."""
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    db.session.execute(text(f"UPDATE consultation SET {assignments} WHERE id = :id"),
                       {**columns, "id": consultation.id})
    db.session.commit()


@pytest.fixture
def remembered(client, consultation):  # noqa: F811
    """The consultation, after a first submission made the process remember it."""
    assert post(client, consultation, BODY, key="first").status_code == 201
    return consultation


@pytest.mark.parametrize("columns, status", [
    ({"state": State.CLOSED.value}, 409),
    ({"state": State.DRAFT.value}, 404),
    ({"participation_mode": "codename"}, 403),
    ({"language_codes": "en ar"}, 422),
    ({"closes_on": dt.date(2000, 1, 1)}, 409),
])
def test_a_consultation_changed_after_a_submission_refuses_the_next_one_at_once(
        client, remembered, columns, status):
    _change(remembered, **columns)
    assert post(client, remembered, BODY, key="second").status_code == status
    assert _count() == 1


def test_a_consultation_reopened_takes_submissions_again(client, remembered):
    _change(remembered, state=State.CLOSED.value)
    assert post(client, remembered, BODY, key="second").status_code == 409
    _change(remembered, state=State.OPEN.value)
    assert post(client, remembered, BODY, key="third").status_code == 201
    assert _count() == 2


def test_the_closing_day_passing_closes_a_remembered_consultation(client, remembered,
                                                                  monkeypatch):
    # Nothing in the row changes when the closing day is over: the state is worked out from
    # the remembered row at each submission.
    _change(remembered, closes_on=dt.date.today())
    assert post(client, remembered, BODY, key="second").status_code == 201
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(lifecycle, "today_in", lambda zone, now=None: tomorrow)
    assert post(client, remembered, BODY, key="third").status_code == 409
    assert _count() == 2


def test_another_consultation_under_the_old_slug_gets_its_own_rules(client, remembered,
                                                                    make_consultation):
    # The slug moved to another consultation (closed, with no survey): the remembered row,
    # whose slug no longer matches, stores nothing, and the other one is read.
    slug = remembered.slug
    _change(remembered, slug="renamed")
    other = make_consultation(state=State.CLOSED)
    _change(other, slug=slug)
    assert post(client, SimpleNamespace(slug=slug), BODY, key="second").status_code == 404
    assert _count() == 1
