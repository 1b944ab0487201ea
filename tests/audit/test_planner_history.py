""""You said, we did" keeps its history: every version is appended, never rewritten; what
changed after the first publication is shown to everyone under the response, and every
version in full to staff."""
import datetime as dt
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from consult import create_app
from consult.accounts.models import Role
from consult.append_only import AppendOnlyError
from consult.extensions import db
from consult.summaries.planner_responses import (
    PlannerResponse,
    PlannerResponseRevision,
    RevisionEvent,
)
from tests.conftest import base_config
from tests.surveys.journeys import answer_page, three_page_consultation

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@pytest.fixture
def consultation(make_consultation):
    return three_page_consultation(make_consultation)


@pytest.fixture
def planner(consultation, make_user, auth):
    user = make_user(consultation.host, Role.PLANNER)
    auth.login(user)
    return user


def _form(**changes):
    return {"topic": "question:role", "decision": "under_study",
            "title__en": "More lights on the harbour road",
            "body__en": "We are studying where lamps would help most.",
            "title__fr": "Plus de lumière sur la route du port", **changes}


def _published(client, consultation, planner):
    """A response written, published, then changed: adopted and reworded."""
    base = f"/manage/consultations/{consultation.slug}/responses"
    client.post_form(f"{base}/new", _form(body__en="A first draft nobody saw."))
    response = db.session.scalars(db.select(PlannerResponse)).one()
    client.post_form(f"{base}/{response.id}/edit", _form())  # still a draft
    client.post_form(f"{base}/{response.id}/publish")
    client.post_form(f"{base}/{response.id}/edit", _form(
        decision="adopted", body__en="Twelve lamps are ordered for March."))
    return response


def test_an_edit_keeps_the_version_before_and_says_so_publicly(app, client, consultation,
                                                                planner):
    response = _published(client, consultation, planner)
    db.session.expire_all()
    events = [r.event for r in db.session.scalars(db.select(PlannerResponseRevision)
                                                  .order_by(PlannerResponseRevision.id))]
    assert events == [RevisionEvent.CREATED, RevisionEvent.EDITED, RevisionEvent.PUBLISHED,
                      RevisionEvent.EDITED]
    page = app.test_client().get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Twelve lamps are ordered for March." in page
    day = f"{dt.date.today():%B} {dt.date.today().day}, {dt.date.today().year}"
    assert (f"Changed on {day}: decision from “Under study” to “Adopted”, and reworded."
            in page)
    # Drafts before the first publication stay with staff.
    assert page.count("Changed on") == 1 and "Reworded on" not in page
    staff = client.get(f"/manage/consultations/{consultation.slug}/responses/{response.id}"
                       "/history").get_data(as_text=True)
    for version in ("A first draft nobody saw.", "We are studying where lamps would help most.",
                    "Twelve lamps are ordered for March.", "Plus de lumière sur la route"):
        assert version in staff
    assert f"By {planner.name}" in staff and "Changed: decision and text" in staff


def test_withdrawing_and_publishing_again_is_shown_and_dated(app, client, consultation,
                                                             planner):
    response = _published(client, consultation, planner)
    base = f"/manage/consultations/{consultation.slug}/responses/{response.id}"
    client.post_form(f"{base}/withdraw")
    client.post_form(f"{base}/edit", _form(decision="adopted", title__en="Lamps ordered"))
    client.post_form(f"{base}/publish")
    page = app.test_client().get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Withdrawn on" in page and "Published again on" in page
    assert "Reworded on" in page  # changed while withdrawn: readers had seen the version before


def test_participants_see_the_history_with_their_receipt(app, client, consultation, planner):
    _published(client, consultation, planner)
    participant = app.test_client()
    for data in ({"role": "youth"}, {}, {"trust": "5"}):
        answer_page(participant, consultation, data)
    page = participant.get("/receipt").get_data(as_text=True)
    assert "decision from “Under study” to “Adopted”" in page


def test_saving_without_a_change_adds_no_version(client, consultation, planner):
    base = f"/manage/consultations/{consultation.slug}/responses"
    client.post_form(f"{base}/new", _form())
    response = db.session.scalars(db.select(PlannerResponse)).one()
    client.post_form(f"{base}/{response.id}/edit", _form())
    client.post_form(f"{base}/{response.id}/publish")
    client.post_form(f"{base}/{response.id}/publish")  # twice: published once
    assert db.session.scalar(db.select(db.func.count(PlannerResponseRevision.id))) == 2


def test_a_deleted_response_keeps_its_history(client, consultation, planner):
    base = f"/manage/consultations/{consultation.slug}/responses"
    client.post_form(f"{base}/new", _form())
    response = db.session.scalars(db.select(PlannerResponse)).one()
    client.post_form(f"{base}/{response.id}/delete")
    events = db.session.scalars(db.select(PlannerResponseRevision.event)).all()
    assert events == [RevisionEvent.CREATED, RevisionEvent.DELETED]
    assert client.get(f"{base}/{response.id}/history").status_code == 404


def test_revisions_cannot_be_rewritten(client, consultation, planner):
    client.post_form(f"/manage/consultations/{consultation.slug}/responses/new", _form())
    revision = db.session.scalars(db.select(PlannerResponseRevision)).one()
    revision.decision = revision.decision.__class__("adopted")
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.delete(revision)
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.update(PlannerResponseRevision).values(changed="decision"))
    db.session.rollback()
    for statement in ("UPDATE planner_response_revision SET texts = '{}'",
                      "DELETE FROM planner_response_revision"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(PlannerResponseRevision.id))) == 1


def test_staff_of_another_organisation_never_see_the_history(client, auth, consultation,
                                                             make_user, make_org):
    user = make_user(consultation.host, Role.PLANNER)
    auth.login(user)
    client.post_form(f"/manage/consultations/{consultation.slug}/responses/new", _form())
    response = db.session.scalars(db.select(PlannerResponse)).one()
    auth.logout()
    auth.login(make_user(make_org("elsewhere"), Role.PLANNER))
    url = f"/manage/consultations/{consultation.slug}/responses/{response.id}/history"
    assert client.get(url).status_code == 404


def test_the_migration_starts_each_existing_response_s_history(tmp_path):
    """Responses written before the history existed get their current version (and their
    publication) as the first entries."""
    before = ScriptDirectory(str(MIGRATIONS)).get_revision("0019").down_revision
    app = create_app(base_config(f"sqlite:///{tmp_path / 'history.sqlite3'}"))
    with app.app_context():
        upgrade(revision=before)
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys = OFF"))
            connection.execute(text(
                "INSERT INTO planner_response (id, consultation_id, topic, decision, position, "
                "published_on) VALUES (1, 1, '', 'adopted', 1, '2026-11-30'), "
                "(2, 1, 'question:role', 'under_study', 2, NULL)"))
            connection.execute(text(
                "INSERT INTO planner_response_text (owner_id, field, language, text) VALUES "
                "(1, 'title', 'en', 'Lamps'), (1, 'title', 'fr', 'Lampes')"))
        upgrade(revision="0019")
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT response_id, event, created_on, decision, texts "
                "FROM planner_response_revision ORDER BY id")).all()
        db.engine.dispose()
    assert [(r[0], r[1], str(r[2])[:10], r[3]) for r in rows] == [
        (1, "created", "2026-11-30", "adopted"), (1, "published", "2026-11-30", "adopted"),
        (2, "created", dt.date.today().isoformat(), "under_study")]
    assert '"fr": "Lampes"' in rows[0][4]
