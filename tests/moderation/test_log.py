"""The decision log is append-only: no code path can change or delete an entry."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from consult.append_only import AppendOnlyError
from consult.comments.models import CommentState
from consult.extensions import db
from consult.moderation.log import record
from consult.moderation.models import Action, ModerationDecision, Reason


@pytest.fixture
def decision(consultation, make_comment, moderator):
    comment = make_comment(consultation)
    comment.state = CommentState.HIDDEN
    entry = record(comment, Action.HIDE, Reason.SPAM, CommentState.PUBLISHED, moderator, "Spam")
    db.session.commit()
    return entry


def test_a_decision_records_who_what_when_why_and_the_states(decision, moderator):
    assert (decision.moderator_id, decision.action, decision.reason, decision.note) == (
        moderator.id, Action.HIDE, Reason.SPAM, "Spam")
    assert (decision.from_state, decision.to_state) == (CommentState.PUBLISHED,
                                                        CommentState.HIDDEN)
    assert decision.decided_at is not None and decision.decided_on == decision.decided_at.date()


def test_an_automatic_decision_keeps_the_day_only(consultation, make_comment):
    comment = make_comment(consultation)
    entry = record(comment, Action.HOLD, Reason.WATCHED_WORD, CommentState.PENDING)
    assert entry.automatic and entry.decided_at is None and entry.decided_on


def test_changing_a_logged_decision_through_the_orm_fails(decision):
    decision.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_deleting_a_logged_decision_through_the_orm_fails(decision):
    db.session.delete(decision)
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_bulk_update_and_delete_statements_are_refused(decision):
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.update(ModerationDecision).values(note="x"))
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.delete(ModerationDecision))
    db.session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE moderation_decision SET note = 'rewritten'",
    "DELETE FROM moderation_decision",
])
def test_raw_sql_is_refused_by_the_database_trigger(decision, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text(statement))
    assert db.session.scalar(db.select(ModerationDecision.note)) == "Spam"


def test_the_migration_creates_the_triggers(empty_database_url):
    from flask_migrate import upgrade

    from consult import create_app
    from tests.conftest import base_config

    app = create_app(base_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (slug, name, kind) VALUES ('o', 'O', 'other')"))
            connection.execute(text(
                "INSERT INTO consultation (slug, host_organisation_id, state, moderation_mode, "
                "participation_mode, visibility, min_cell_size, default_language, "
                "language_codes, created_on, revision) VALUES ('c', 1, 'open', 'post', "
                "'anonymous', 'public', 10, 'en', 'en', '2026-01-01', 1)"))
            connection.execute(text(
                "INSERT INTO comment (consultation_id, depth, author_key, body, language, "
                "state, created_on, is_meta, agree_count, disagree_count, pass_count, "
                "reply_count, priority, redacted) VALUES (1, 0, 'k', 'b', 'en', 'hidden', "
                "'2026-01-01', false, 0, 0, 0, 0, 0, false)"))
            connection.execute(text(
                "INSERT INTO moderation_decision (consultation_id, comment_id, action, reason, "
                "note, from_state, to_state, decided_on) VALUES (1, 1, 'hide', 'spam', '', "
                "'published', 'hidden', '2026-01-01')"))
        for statement in ("UPDATE moderation_decision SET note = 'x'",
                          "DELETE FROM moderation_decision"):
            with pytest.raises(DatabaseError, match="append-only"):
                with db.engine.begin() as connection:
                    connection.execute(text(statement))
        db.engine.dispose()
