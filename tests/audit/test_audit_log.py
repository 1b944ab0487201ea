"""The staff audit log is append-only and records who did what."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from consult.accounts.models import Organisation, Role
from consult.append_only import AppendOnlyError
from consult.audit import record
from consult.audit.labels import action_label
from consult.audit.models import AuditEntry
from consult.audit.services import entries
from consult.extensions import db


def test_entry_names_actor_organisation_and_consultation(app, make_user, make_consultation):
    consultation = make_consultation()
    host = db.session.get(Organisation, consultation.host_organisation_id)
    user = make_user(host, Role.HOST)
    entry = record(user, "consultation.edited", consultation=consultation, target="title",
                   detail="x" * 5000)
    db.session.commit()
    assert entry.organisation_id == consultation.host_organisation_id
    assert entry.actor_label == f"{user.name} <{user.email}>"
    assert len(entry.detail) == 1000
    assert entries(organisation_id=consultation.host_organisation_id) == [entry]
    assert action_label("consultation.edited") == "Consultation edited"


def test_rewriting_an_audit_entry_is_refused(app, make_user):
    entry = record(make_user(), "consultation.edited")
    db.session.commit()
    entry.detail = "nothing happened"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.delete(entry)
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.update(AuditEntry).values(detail="gone"))
    db.session.rollback()


def test_raw_sql_cannot_erase_the_audit_log(app, make_user):
    record(make_user(), "consultation.edited")
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text("DELETE FROM audit_entry"))
    db.session.rollback()
    assert db.session.query(AuditEntry).count() == 1
