"""Participants report comments with a reason, once each; three different participants hide a
comment until a moderator looks at it; the reported tab shows it and a decision answers it."""
import pytest

from consult.comments.models import CommentState
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.moderation.models import Action, ModerationDecision, Reason, Report
from consult.moderation.services import ModerationError, report_comment
from tests.moderation.conftest import queue_url


def _report_url(consultation, comment):
    return f"/consultations/{consultation.slug}/comments/{comment.id}/report"


def test_a_participant_reports_a_comment_with_a_reason(app, client, consultation, make_comment):
    comment = make_comment(consultation, body="Rude words")
    html = client.get(_report_url(consultation, comment)).get_data(as_text=True)
    assert "Rude words" in html and 'name="reason"' in html
    response = client.post_form(_report_url(consultation, comment),
                                {"reason": "abuse", "note": "Insults a neighbour"})
    assert response.status_code == 303
    report = db.session.scalar(db.select(Report))
    assert (report.reason, report.note, report.open) == (Reason.ABUSE, "Insults a neighbour",
                                                         True)
    assert comment.state is CommentState.PUBLISHED
    assert "The moderators will look at this comment." in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_a_report_needs_a_reason_shown_at_the_field(client, consultation, make_comment):
    comment = make_comment(consultation)
    response = client.post_form(_report_url(consultation, comment), {"reason": ""})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)


def test_a_participant_can_report_a_comment_only_once(client, consultation, make_comment):
    comment = make_comment(consultation)
    for _ in range(2):
        response = client.post_form(_report_url(consultation, comment), {"reason": "spam"})
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1
    assert "You have already reported this comment." in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_three_different_participants_hide_a_comment_pending_review(app, consultation,
                                                                    make_comment):
    comment = make_comment(consultation, body="Reported thrice")
    reply = make_comment(consultation, body="A reply", parent=comment, author="other")
    for n in range(3):
        participant = app.test_client()
        participant.post_form(_report_url(consultation, comment), {"reason": "spam"})
        db.session.expire_all()
        assert comment.state is (CommentState.HIDDEN if n == 2 else CommentState.PUBLISHED)
    decision = db.session.scalar(db.select(ModerationDecision))
    assert (decision.action, decision.reason, decision.automatic, decision.decided_at) == (
        Action.HIDE, Reason.REPORTED, True, None)
    html = app.test_client().get(f"/consultations/{consultation.slug}/comments").get_data(
        as_text=True)
    assert "Reported thrice" not in html and reply.body in html
    assert "Hidden after reports from participants, until a moderator has looked at it." in html


def test_the_threshold_is_configurable(app, consultation, make_comment):
    app.config["MODERATION_REPORTS_TO_HIDE"] = 1
    comment = make_comment(consultation)
    app.test_client().post_form(_report_url(consultation, comment), {"reason": "threat"})
    db.session.expire_all()
    assert comment.state is CommentState.HIDDEN


def test_a_moderator_restores_a_reported_comment_and_answers_its_reports(
        app, as_moderator, consultation, make_comment):
    comment = make_comment(consultation, body="Fair criticism")
    for n in range(3):
        report_comment(comment, f"reporter-{n}", Reason.MISINFORMATION, "", 3)
    db.session.commit()
    html = as_moderator.get(queue_url(consultation, "?tab=reported")).get_data(as_text=True)
    assert "Fair criticism" in html and "Misinformation: 3" in html
    response = as_moderator.post_form(queue_url(consultation, f"/comments/{comment.id}"), {
        "action": "approve", "reason": "within_policy"})
    assert response.status_code == 303
    db.session.expire_all()
    assert comment.state is CommentState.PUBLISHED and comment.moderation_reason is None
    assert not db.session.scalars(db.select(Report.open)).all().count(True)
    html = as_moderator.get(queue_url(consultation, "?tab=reported")).get_data(as_text=True)
    assert "Fair criticism" not in html
    # New reports need three new participants: the earlier ones were answered.
    report_comment(comment, "reporter-new", Reason.SPAM, "", 3)
    assert comment.state is CommentState.PUBLISHED


def test_nobody_reports_their_own_or_an_unpublished_comment(consultation, make_comment):
    pending = make_comment(consultation, state=CommentState.PENDING)
    with pytest.raises(ModerationError):
        report_comment(pending, "someone", Reason.SPAM, "", 3)
    own = make_comment(consultation, author="me")
    with pytest.raises(ModerationError):
        report_comment(own, "me", Reason.SPAM, "", 3)


def test_reports_are_taken_after_closing_too(client, consultation, make_comment):
    comment = make_comment(consultation)
    consultation.state = State.CLOSED
    db.session.commit()
    client.post_form(_report_url(consultation, comment), {"reason": "spam"})
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1


def test_a_report_stores_the_day_only_and_no_request_data(client, consultation, make_comment):
    comment = make_comment(consultation)
    client.post_form(_report_url(consultation, comment), {"reason": "spam"},
                     headers={"User-Agent": "Distinctive/1.0"}, environ_base={
                         "REMOTE_ADDR": "203.0.113.9"})
    columns = {c.name for c in Report.__table__.columns}
    assert columns == {"id", "consultation_id", "comment_id", "reporter_key", "reason", "note",
                       "open", "created_on"}
    row = db.session.execute(db.select(Report.__table__)).one()
    assert "203.0.113.9" not in str(tuple(row)) and "Distinctive" not in str(tuple(row))
