"""The retention purge on the demo: the published results, the data package (the JSON
summary) and its fingerprint stay byte for byte; no answer, free text or participant key of
the consultation remains in any table; everything else is untouched; twice is harmless."""
import datetime as dt
import json
import re

import pytest
from sqlalchemy import String, Text, func, select

from consult.accounts.models import Participant
from consult.accounts.services import create_codename_participant
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentState, Vote
from consult.comments.services import post_comment
from consult.consultations import retention
from consult.consultations.lifecycle import State
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.moderation.models import Report
from consult.surveys.models import Answer, Channel, Response
from consult.surveys.responses import start_draft, submit_all
from consult.surveys.services import get_survey

SLUG = "youth-jobs-harbour"
OTHER = "safer-port-amani"
#: Words planted in the raw data of the published consultation: none may survive.
SECRETS = ("SECRET-HIDDEN-TEXT", "SECRET-WITHDRAWN", "SECRET-DRAFT-ANSWER",
           "SECRET-ANSWER-TEXT", "SECRET-REPORT-NOTE")
TOKENS = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*|(value=")[^"]*("[^>]*name="csrf_token")'
                    r'|nonce="[^"]*"')


def _page(client, url: str) -> str:
    """The page body minus per-request tokens."""
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200, url
    return TOKENS.sub("", response.get_data(as_text=True))


def _without_notice(body: str) -> str:
    return re.sub(r'<p class="meta">The raw data was deleted on [^<]*<a [^>]*>[^<]*</a></p>\n?',
                  "", body)


def _plant(consultation, other) -> dict:
    """Raw data of every kind the purge must delete, and some in another consultation."""
    survey = get_survey(consultation)
    codename, _ = create_codename_participant()  # takes part here only
    twofold, _ = create_codename_participant()  # here and in the other consultation
    hidden = post_comment(consultation, codename.key, "SECRET-HIDDEN-TEXT about the port", "en",
                          state=CommentState.HIDDEN)
    post_comment(consultation, twofold.key, "SECRET-WITHDRAWN words", "en",
                 state=CommentState.WITHDRAWN)
    db.session.add(Report(consultation_id=consultation.id, comment_id=hidden.id,
                          reporter_key="reporter-key-1", reason="abuse",
                          note="SECRET-REPORT-NOTE"))
    submit_all(survey, {"group": "young", "support": "4", "ideas": "SECRET-ANSWER-TEXT"}, {},
               "en", "retention-idem", "retention-hash", Channel.WEB, codename.key)
    draft = start_draft(survey, "draft-key-1", "en")
    db.session.flush()
    question = next(q for q in survey.questions if q.key == "ideas")
    db.session.add(Answer(response_id=draft.id, question_id=question.id,
                          text="SECRET-DRAFT-ANSWER"))
    kept = post_comment(other, twofold.key, "A published comment elsewhere", "en",
                        state=CommentState.PUBLISHED)
    db.session.commit()
    keys = set(db.session.scalars(select(Response.respondent_key).where(
        Response.survey_id == survey.id))) | set(db.session.scalars(select(
            Comment.author_key).where(Comment.consultation_id == consultation.id))) | set(
        db.session.scalars(select(Vote.voter_key).where(
            Vote.consultation_id == consultation.id))) | {"reporter-key-1"}
    return {"keys": keys, "codename": codename.id, "twofold": twofold.id, "kept": kept.id}


def _text_cells() -> list[tuple[str, str]]:
    """(table, value) of every text cell of every table."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            found.extend((table.name, value) for value in row if isinstance(value, str))
    return found


def _other_state(other) -> tuple:
    """What the purge must leave alone elsewhere."""
    return (sorted(db.session.execute(select(Comment.id, Comment.author_key, Comment.body)
                                      .where(Comment.consultation_id == other.id)).all()),
            db.session.scalar(select(func.count()).select_from(Participant)
                              .where(Participant.codename_hash.is_not(None))) > 0)


@pytest.fixture
def demo(app):
    """The demo, with raw data of every kind planted in its published consultation."""
    assert app.test_cli_runner().invoke(args=["consult", "demo"]).exit_code == 0
    consultation, other = get_consultation(SLUG), get_consultation(OTHER)
    assert consultation.state is State.RESULTS_PUBLISHED
    return consultation, other, _plant(consultation, other)


def _end_retention(consultation) -> dt.date:
    """Results published 13 months ago with the default 12 months: the period is over."""
    record = retention.record_of(consultation.id)
    if record is None:
        retention.record_publication(consultation, dt.date.today())
        record = retention.record_of(consultation.id)
    record.results_published_on = retention.add_months(dt.date.today(), -13)
    db.session.commit()
    return retention.ends_on(consultation)


def test_purge_keeps_the_published_results_byte_for_byte_and_deletes_the_raw_data(
        app, client, demo):
    consultation, other, planted = demo
    survey = get_survey(consultation)
    pages = [f"/consultations/{SLUG}/results"] + [
        f"/consultations/{SLUG}/results/questions/{q.key}" for q in survey.questions]
    before = {url: _page(client, url) for url in pages}
    package = client.get(f"/api/v1/consultations/{SLUG}/summary").get_data()
    cli_package = app.test_cli_runner().invoke(
        args=["consult", "summary", SLUG, "--format", "json"]).output
    assert '"data_hash"' in cli_package and "SECRET" not in before[pages[0]]
    others = _other_state(other)
    ended = _end_retention(consultation)

    result = app.test_cli_runner().invoke(args=["consult", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert f"{SLUG}: raw data deleted" in result.output

    db.session.expire_all()
    after = {url: _page(client, url) for url in pages}
    notice = f"The raw data was deleted on {dt.date.today().strftime('%B')}"
    assert notice in after[pages[0]]
    assert _without_notice(after[pages[0]]) == before[pages[0]]
    for url in pages[1:]:
        assert after[url] == before[url], url
    assert client.get(f"/api/v1/consultations/{SLUG}/summary").get_data() == package
    # The planner's document: the same figures and fingerprint, but no free-text quote left.
    planner = json.loads(app.test_cli_runner().invoke(
        args=["consult", "summary", SLUG, "--format", "json"]).output)
    earlier = json.loads(cli_package)
    assert any(q["quotes"] for q in earlier["questions"])
    assert not any(q.pop("quotes") for q in planner["questions"])
    for question in earlier["questions"]:
        question.pop("quotes")
    assert planner == earlier
    # Nothing of the raw data remains, in any table.
    assert db.session.scalar(select(func.count()).select_from(Response)
                             .where(Response.survey_id == survey.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Vote)
                             .where(Vote.consultation_id == consultation.id)) == 0
    cells = _text_cells()
    for secret in SECRETS:
        assert not [(t, v) for t, v in cells if secret.lower() in v.lower()], secret
    # The key of a codename used in another consultation too stays there, and only there.
    twofold = db.session.get(Participant, planted["twofold"]).key
    assert {v for _, v in cells} & planted["keys"] == {twofold}
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.author_key == twofold)) == 1
    assert db.session.get(Participant, planted["codename"]) is None
    assert db.session.get(Participant, planted["twofold"]) is not None  # used elsewhere too
    # Published comments and planners' answers stay; other consultations are untouched.
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.consultation_id == consultation.id, Comment.state == CommentState.PUBLISHED,
        Comment.body != "")) > 0
    assert _other_state(other) == others
    assert retention.deleted_on(consultation.id) == dt.date.today()
    assert ended <= dt.date.today()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "consultation.raw_data_deleted",
        AuditEntry.actor_id.is_(None))) == 1


def test_purging_twice_is_harmless(app, client, demo):
    consultation, _, _ = demo
    _end_retention(consultation)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["consult", "purge-expired"]).exit_code == 0
    page = _page(client, f"/consultations/{SLUG}/results")
    again = runner.invoke(args=["consult", "purge-expired"])
    assert again.exit_code == 0 and "No consultation's retention period is over." in again.output
    assert _page(client, f"/consultations/{SLUG}/results") == page
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "consultation.raw_data_deleted")) == 1


def test_a_consultation_within_its_retention_period_is_untouched(app, demo):
    consultation, _, _ = demo
    record = retention.record_of(consultation.id) or None
    if record is None:
        retention.record_publication(consultation)
    db.session.commit()
    counts = (db.session.scalar(select(func.count()).select_from(Response)),
              db.session.scalar(select(func.count()).select_from(Vote)),
              sorted(db.session.scalars(select(Comment.body))))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["consult", "purge-expired", "--dry-run"])
    assert "No consultation's retention period is over." in dry.output
    # Eleven months on, still within the 12 months: nothing happens.
    eleven = retention.add_months(dt.date.today(), 11).isoformat()
    assert "No consultation" in runner.invoke(
        args=["consult", "purge-expired", "--today", eleven]).output
    db.session.expire_all()
    assert (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(Vote)),
            sorted(db.session.scalars(select(Comment.body)))) == counts
    assert retention.deleted_on(consultation.id) is None


def test_dry_run_lists_what_is_due_and_changes_nothing(app, demo):
    consultation, _, _ = demo
    ended = _end_retention(consultation)
    responses = db.session.scalar(select(func.count()).select_from(Response))
    result = app.test_cli_runner().invoke(args=["consult", "purge-expired", "--dry-run"])
    assert f"{SLUG}: retention period ended on {ended.isoformat()}" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == responses
    assert not retention.is_frozen(consultation.id)


def test_purge_deletes_sealed_numbers_and_deletion_notes_of_the_consultation(app, demo):
    """Numbers still owed a message by SMS (sealed) and the keyed hashes kept for responses
    deleted at their authors' request are raw data too: none outlives the period."""
    from consult.channels.models import (
        ChannelComment,
        ChannelConnection,
        Provider,
        ResultsFollowup,
    )
    from consult.surveys.deletion import DeletedResponse

    consultation, _other, _planted = demo
    connection = ChannelConnection(consultation_id=consultation.id,
                                   provider=Provider.AFRICASTALKING, number="21999",
                                   keywords="KAZI")
    db.session.add(connection)
    db.session.flush()
    comment = db.session.scalars(select(Comment).where(
        Comment.consultation_id == consultation.id)).first()
    db.session.add_all([
        ChannelComment(comment_id=comment.id, consultation_id=consultation.id,
                       connection_id=connection.id, number_key="k" * 64,
                       sealed_number="a-sealed-number-1", language="en"),
        ResultsFollowup(consultation_id=consultation.id, connection_id=connection.id,
                        number_key="f" * 64, sealed_number="a-sealed-number-2",
                        language="en"),
        DeletedResponse(survey_id=get_survey(consultation).id, receipt_hash="r" * 64,
                        key_hash="h" * 64)])
    db.session.commit()
    _end_retention(consultation)
    assert app.test_cli_runner().invoke(args=["consult", "purge-expired"]).exit_code == 0
    db.session.expire_all()
    for model in (ChannelComment, ResultsFollowup, DeletedResponse):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
