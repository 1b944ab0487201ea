"""Posting, replying, withdrawing: states from the moderation mode, counters kept right."""
import datetime as dt

import pytest

from consult.comments import services
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import ModerationMode
from consult.extensions import db


def test_a_comment_is_published_at_once_under_post_moderation(consultation):
    comment = services.post_comment(consultation, "k1", "  Hello\r\n\r\n\r\nworld  ", "en")
    db.session.commit()
    assert comment.state is CommentState.PUBLISHED
    assert comment.body == "Hello\n\nworld"
    assert comment.created_on == dt.date.today() and comment.depth == 0


def test_a_comment_is_held_as_pending_under_pre_moderation(make_consultation):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE)
    comment = services.post_comment(consultation, "k1", "Hello", "en")
    assert comment.state is CommentState.PENDING


def test_the_language_is_the_declared_one_unless_clearly_another(consultation):
    short = services.post_comment(consultation, "k1", "ok", "fr")
    french = services.post_comment(
        consultation, "k1", "Je pense que la police devrait patrouiller plus souvent la nuit.",
        "en")
    assert short.language == "fr" and french.language == "fr"


def test_replies_count_on_their_parent_only_while_published(consultation, make_comment):
    parent = make_comment(consultation)
    reply = make_comment(consultation, parent=parent, author="k2")
    make_comment(consultation, parent=parent, author="k3", state=CommentState.PENDING)
    db.session.refresh(parent)
    assert parent.reply_count == 1 and reply.depth == 1
    services.withdraw(reply, "k2")
    db.session.commit()
    db.session.refresh(parent)
    assert parent.reply_count == 0 and reply.state is CommentState.WITHDRAWN
    services.set_state(reply, CommentState.PUBLISHED)
    db.session.commit()
    db.session.refresh(parent)
    assert parent.reply_count == 1


def test_a_reply_belongs_to_its_parents_section(consultation, make_comment):
    section = consultation.sections[1]
    parent = make_comment(consultation, section=section)
    reply = make_comment(consultation, parent=parent)
    assert reply.section_id == section.id


def test_participant_cannot_withdraw_someone_elses_comment(consultation, make_comment):
    comment = make_comment(consultation, author="owner")
    with pytest.raises(services.NotTheAuthor):
        services.withdraw(comment, "someone-else")
    with pytest.raises(services.NotTheAuthor):
        services.withdraw(comment, None)
    assert comment.state is CommentState.PUBLISHED


def test_no_reply_to_a_pending_comment_or_across_consultations(consultation, make_comment,
                                                               make_consultation):
    pending = make_comment(consultation, state=CommentState.PENDING)
    with pytest.raises(services.CannotReply):
        services.post_comment(consultation, "k", "reply", "en", parent=pending)
    other = make_consultation()
    published = make_comment(other)
    with pytest.raises(services.CannotReply):
        services.post_comment(consultation, "k", "reply", "en", parent=published)


def test_comments_store_the_day_and_no_time_of_day():
    columns = {c.name: type(c.type).__name__ for c in Comment.__table__.columns}
    assert columns["created_on"] == "Date"
    assert not {"created_at", "updated_at", "ip", "user_agent"} & set(columns)
