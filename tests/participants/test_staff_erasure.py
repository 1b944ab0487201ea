"""Staff erase a contribution on a lawful request: hosts and admins of the consultation only,
recorded in the audit log by number and ground, never with the words (nor in the logs)."""
import logging

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentState
from consult.comments.services import post_comment
from consult.extensions import db
from tests.conftest import PASSWORD
from tests.participants.conftest import answer, database_dump

WORDS = "Mzee Juma at the Likoni ferry sells the hotline numbers"


def _as_host(app, consultation, make_user):
    host = make_user(consultation.host, Role.HOST)
    client = app.test_client()
    client.post_form("/manage/login", {"email": host.email, "password": PASSWORD})
    return client


def _erase(client, consultation, kind, reference, confirmed=True):
    form = {"kind": kind, "reference": reference, "ground": "legal_order"}
    return client.post_form(f"/manage/consultations/{consultation.slug}/erasure",
                            {**form, "confirmed": "1"} if confirmed else form)


def test_the_audit_row_and_the_logs_hold_none_of_the_erased_words(app, consultation,
                                                                 make_user, caplog):
    caplog.set_level(logging.DEBUG)
    comment = post_comment(consultation, "participant-1", WORDS, "en",
                           state=CommentState.PENDING)
    db.session.commit()
    participant = app.test_client()
    receipt = answer(participant, consultation, comment=f"{WORDS} (survey)")
    host = _as_host(app, consultation, make_user)
    check = _erase(host, consultation, "comment", str(comment.id), confirmed=False)
    assert check.status_code == 200 and WORDS not in check.get_data(as_text=True)
    assert _erase(host, consultation, "comment", str(comment.id)).status_code == 303
    assert _erase(host, consultation, "response", receipt).status_code == 303
    db.session.expire_all()
    entries = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action.like("contribution.%")).order_by(AuditEntry.id)).all()
    assert [(e.action, e.target, e.detail) for e in entries] == [
        ("contribution.comment_erased", f"comment {comment.id}", "legal_order"),
        ("contribution.response_erased", "survey response", "legal_order")]
    assert receipt not in " ".join(e.target + e.detail for e in entries)
    for words in ("Juma", "Likoni", "hotline numbers"):
        assert words not in caplog.text
        assert words not in database_dump()
    erased = db.session.get(Comment, comment.id)
    assert erased.state is CommentState.WITHDRAWN and erased.body == ""
    page = participant.get("/receipt").get_data(as_text=True)
    assert "Erased by the organisers on a lawful request on" in page


def test_a_host_cannot_erase_another_consultations_comment_by_number(
        app, consultation, make_consultation, make_user):
    elsewhere = make_consultation()
    theirs = post_comment(elsewhere, "participant-2", "Not in your consultation", "en",
                          state=CommentState.PUBLISHED)
    db.session.commit()
    host = _as_host(app, consultation, make_user)
    refused = _erase(host, consultation, "comment", str(theirs.id))
    assert refused.status_code == 422
    assert "This consultation has no comment with that number." in refused.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(Comment, theirs.id).body == "Not in your consultation"


def test_a_receipt_of_another_consultation_erases_nothing(app, consultation,
                                                         make_consultation, make_user):
    from tests.surveys.journeys import three_page_consultation

    other = three_page_consultation(make_consultation)
    receipt = answer(app.test_client(), other)
    host = _as_host(app, consultation, make_user)
    assert _erase(host, consultation, "response", receipt).status_code == 422
    assert _erase(host, consultation, "response", "not a receipt").status_code == 422


def test_moderators_and_planners_may_not_erase(app, consultation, make_user):
    comment = post_comment(consultation, "participant-3", "Stays", "en",
                           state=CommentState.PUBLISHED)
    db.session.commit()
    for role in (Role.MODERATOR, Role.PLANNER):
        user = make_user(consultation.host, role)
        client = app.test_client()
        client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
        assert _erase(client, consultation, "comment", str(comment.id)).status_code == 403
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Stays"
