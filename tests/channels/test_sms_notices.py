# ruff: noqa: F811  (fixtures imported from sms_flows are named again as test arguments)
"""Due process by SMS: the author of a comment sent by phone is texted the decision (published,
or not with the translated reason), appeals by replying, and is texted the outcome. The number
is kept sealed only while a message is owed: never in clear in the database or the logs, gone
once the notice is sent or the consultation closes."""
import logging
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from consult.channels import notices
from consult.channels.models import ChannelComment
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import Action, Appeal, Reason
from tests.channels.conftest import in_language
from tests.channels.sms_flows import (  # noqa: F401 - fixtures used by name
    AUTHOR,
    commenting,
    decide,
    decide_appeal,
    other_phone,
    phone,
)

REJECTED = "Your comment of %(day)s is not published. Reason: %(reason)s."
APPEAL_HINT = "To appeal, reply %(appeal)s and your reason in one message."


def _comment_by_sms(phone, body: str, language_choice: str = "1") -> Comment:
    for message in ("SEMA", language_choice, "1", body):
        phone.send(message)
    return db.session.scalars(db.select(Comment).order_by(Comment.id.desc())).first()


def _held() -> ChannelComment:
    held = db.session.scalar(db.select(ChannelComment))
    db.session.refresh(held)
    return held


def _day(comment: Comment, language: str) -> str:
    from flask_babel import force_locale, format_date

    with force_locale(language):
        return format_date(comment.created_on, "medium")


def test_the_author_is_texted_when_the_comment_is_published_and_the_number_then_deleted(
        app, commenting, phone):
    comment = _comment_by_sms(phone, "Please light the market road.")
    assert _held().sealed_number is not None
    sent = len(phone.received())
    decide(app, commenting.moderator, commenting.consultation, comment.id, action="approve",
           reason="within_policy")
    assert phone.received()[sent:] == [
        f"Your comment of {_day(comment, 'en')} is published. Thank you."]
    assert _held().sealed_number is None
    decide(app, commenting.moderator, commenting.consultation, comment.id, action="hide",
           reason="off_topic")  # later decisions: nothing owed, nothing sent
    assert len(phone.received()) == sent + 1


def test_a_rejection_is_texted_with_the_translated_reason_and_appealed_by_reply(
        app, commenting, phone):
    comment = _comment_by_sms(phone, "Le chef du port vend les badges.", language_choice="2")
    decide(app, commenting.moderator, commenting.consultation, comment.id, action="reject",
           reason="misinformation", note="Vérifié avec la mairie.")
    notice = phone.received()[-1]
    reason = in_language("fr", "Misinformation")
    assert reason != "Misinformation"  # the reason really is in French
    assert notice.startswith(in_language("fr", REJECTED, day=_day(comment, "fr"),
                                         reason=reason))
    assert in_language("fr", APPEAL_HINT, appeal=in_language("fr", "APPEAL")) in notice
    assert "Vérifié avec la mairie." in notice
    assert _held().sealed_number is None

    assert phone.send("APPEL") == in_language("fr", APPEAL_HINT,
                                              appeal=in_language("fr", "APPEAL"))
    reply = phone.send("APPEL J'ai vu les badges vendus moi-même.")
    assert reply == in_language("fr", "Your appeal was sent. Another moderator will decide; "
                                "we will tell you by SMS.")
    appeal = db.session.scalar(db.select(Appeal))
    assert appeal.statement == "J'ai vu les badges vendus moi-même."
    assert appeal.decision.action is Action.REJECT
    assert _held().sealed_number is not None  # owed: the outcome
    assert phone.send("APPEL encore") == in_language("fr",
                                                     "There is no decision on your comments "
                                                     "that you can appeal.")

    decide_appeal(app, commenting.second_moderator, commenting.consultation, appeal.id,
                  outcome="overturned", reason="within_policy")
    outcome = phone.received()[-1]
    assert outcome.startswith(in_language(
        "fr", "Another moderator read your appeal and undid the decision on your comment of "
              "%(day)s.", day=_day(comment, "fr")))
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).state is CommentState.PUBLISHED
    assert outcome.endswith(in_language("fr", "It is published."))
    assert _held().sealed_number is None


def test_another_number_cannot_appeal_someone_elses_comment(app, commenting, phone,
                                                           other_phone):
    comment = _comment_by_sms(phone, "The gate fee doubled.")
    decide(app, commenting.moderator, commenting.consultation, comment.id, action="hide",
           reason="abuse")
    other_phone.send("SAFE")  # a conversation of their own
    reply = other_phone.send("APPEAL It is mine, publish it.")
    assert "appeal" not in reply.lower()  # not an appeal at all for this number
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 0
    other_phone.send("SEMA")
    other_phone.send("1")
    other_phone.send("1")
    other_phone.send("My own comment.")
    theirs = db.session.scalars(db.select(Comment).order_by(Comment.id.desc())).first()
    decide(app, commenting.moderator, commenting.consultation, theirs.id, action="approve",
           reason="within_policy")
    assert other_phone.send("APPEAL publish the other one") == \
        "There is no decision on your comments that you can appeal."
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 0


def test_an_appeal_outcome_that_upholds_is_texted_with_its_reason(app, commenting, phone):
    comment = _comment_by_sms(phone, "Spam spam spam.")
    decide(app, commenting.moderator, commenting.consultation, comment.id, action="reject",
           reason="spam")
    phone.send("APPEAL it is not spam")
    appeal = db.session.scalar(db.select(Appeal))
    decide_appeal(app, commenting.second_moderator, commenting.consultation, appeal.id,
                  outcome="upheld", reason="spam")
    assert phone.received()[-1].startswith("Another moderator read your appeal: the decision "
                                           "on your comment of")
    assert "Reason: Spam." in phone.received()[-1]
    assert _held().sealed_number is None


def test_a_decision_rolled_back_sends_nothing_and_keeps_the_number(commenting, phone):
    comment = _comment_by_sms(phone, "A comment.")
    sent = len(phone.received())
    moderation.decide(db.session.get(Comment, comment.id), Action.APPROVE,
                      Reason.WITHIN_POLICY, commenting.moderator)
    db.session.rollback()
    assert len(phone.received()) == sent and _held().sealed_number is not None


def _dump() -> str:
    """Every row of every table, as text."""
    rows = []
    for table in inspect(db.engine).get_table_names():
        rows.append(repr(db.session.execute(text(f'SELECT * FROM "{table}"')).all()))
    return "\n".join(rows)


def _raw_dump(app) -> bytes:
    """The database as its own tools dump it: sqlite3's iterdump and the file bytes (WAL
    included), or pg_dump."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        dumped = "\n".join(sqlite3.connect(path).iterdump()).encode()
        files = [p for p in (path, Path(f"{path}-wal")) if p.exists()]
        return dumped + b"".join(p.read_bytes() for p in files)
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return subprocess.run(["pg_dump", "--data-only", plain], check=True,
                          capture_output=True).stdout


def test_the_stored_number_is_not_in_clear_in_a_database_dump_nor_in_logs(
        app, commenting, phone, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    _comment_by_sms(phone, "Kept sealed until the decision.")
    phone.send("SAFE")
    held = _held()
    assert held.sealed_number is not None
    db.session.commit()
    digits = AUTHOR[1:]
    dumped = _dump()
    raw = _raw_dump(app)
    for form in (digits, digits[-9:], "0" + digits[-9:]):
        assert form not in dumped and form.encode() not in raw
    logged = caplog.text + "".join(capsys.readouterr())
    assert digits[-9:] not in logged


def test_the_sealed_number_carries_no_time(channel_settings):
    from cryptography.fernet import Fernet

    from consult.channels import numbers

    fernet = numbers._fernet()
    assert isinstance(fernet, Fernet)
    assert fernet.extract_timestamp(numbers.seal(AUTHOR).encode()) == 0


def test_the_numbers_kept_for_a_closed_consultation_are_deleted(app, commenting, phone):
    _comment_by_sms(phone, "Waiting for a moderator when the consultation closes.")
    assert _held().sealed_number is not None
    notices.forget_numbers_of_closed_consultations()  # still open: nothing goes
    assert db.session.scalar(db.select(db.func.count(ChannelComment.id))) == 1
    commenting.consultation.state = State.CLOSED
    db.session.commit()
    notices.forget_numbers_of_closed_consultations()
    assert db.session.scalar(db.select(db.func.count(ChannelComment.id))) == 0


def test_the_notice_tasks_are_known_to_the_worker(app):
    import consult.channels.tasks  # noqa: F401 - what the worker imports (discover_tasks)
    from consult.jobs import huey

    names = {name.rsplit(".", 1)[-1] for name in huey._registry._registry}
    assert {"send_followups", "forget_numbers_of_closed_consultations"} <= names
    from consult.moderation.signals import decision_recorded

    assert notices.notify_decision in list(decision_recorded.receivers_for(object()))
