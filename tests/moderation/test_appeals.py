"""Due process: the author sees each decision and its reason on "My contributions" (with a
codename, a receipt or an account), appeals once, and a different moderator decides."""
import pytest

from consult.accounts import services as accounts
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation.models import Action, Appeal, AppealOutcome, ModerationDecision
from tests.conftest import PASSWORD
from tests.moderation.conftest import queue_url


@pytest.fixture
def codename_author(app, consultation):
    """A participant with a codename who posted a comment; (client, codename, comment)."""
    _, codename = accounts.create_codename_participant()
    db.session.commit()
    author = app.test_client()
    author.post_form("/receipt", {"codename": codename})
    author.post_form(f"/consultations/{consultation.slug}/comments",
                     {"body": "The new checkpoint makes traders pay twice."})
    return author, codename, db.session.scalar(db.select(Comment))


def _moderate(app, user, consultation, url, data):
    client = app.test_client()
    client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    return client.post_form(queue_url(consultation, url), data)


def test_the_author_sees_the_decision_its_reason_and_note_and_appeals_once(
        app, consultation, codename_author, moderator, second_moderator):
    author, codename, comment = codename_author
    _moderate(app, moderator, consultation, f"/comments/{comment.id}", {
        "action": "reject", "reason": "misinformation", "note": "Checked with the council."})
    other_phone = app.test_client()  # the author comes back on another phone
    other_phone.post_form("/receipt", {"codename": codename})
    html = other_phone.get("/receipt").get_data(as_text=True)
    assert "The new checkpoint makes traders pay twice." in html
    assert "Rejected" in html and "Misinformation" in html
    assert "Checked with the council." in html and "Appeal this decision" in html
    decision = db.session.scalar(db.select(ModerationDecision))
    url = f"/receipt/decisions/{decision.id}/appeal"
    empty = other_phone.post_form(url, {"statement": ""})
    assert empty.status_code == 422 and 'id="statement-error"' in empty.get_data(as_text=True)
    sent = other_phone.post_form(url, {"statement": "I paid twice myself, here is how."})
    assert sent.status_code == 303
    again = other_phone.post_form(url, {"statement": "Again"})
    assert again.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 1
    html = other_phone.get("/receipt").get_data(as_text=True)
    assert "Another moderator will decide." in html and "Appeal this decision" not in html


def test_an_appeal_is_decided_by_a_different_moderator_and_the_outcome_is_shown(
        app, consultation, codename_author, moderator, second_moderator):
    author, _, comment = codename_author
    _moderate(app, moderator, consultation, f"/comments/{comment.id}",
              {"action": "hide", "reason": "abuse"})
    decision = db.session.scalar(db.select(ModerationDecision))
    author.post_form(f"/receipt/decisions/{decision.id}/appeal", {"statement": "Not abuse."})
    appeal = db.session.scalar(db.select(Appeal))
    same = _moderate(app, moderator, consultation, f"/appeals/{appeal.id}", {
        "outcome": "overturned", "reason": "within_policy"})
    assert same.status_code == 422
    assert "another moderator decides on the appeal" in same.get_data(as_text=True)
    db.session.expire_all()
    assert appeal.outcome is None and comment.state is CommentState.HIDDEN
    client = app.test_client()
    client.post_form("/manage/login", {"email": second_moderator.email, "password": PASSWORD})
    listed = client.get(queue_url(consultation, "?tab=appeals")).get_data(as_text=True)
    assert "Not abuse." in listed
    decided = client.post_form(queue_url(consultation, f"/appeals/{appeal.id}"), {
        "outcome": "overturned", "reason": "within_policy", "note": "Fair point."})
    assert decided.status_code == 303
    db.session.expire_all()
    assert appeal.outcome is AppealOutcome.OVERTURNED
    assert comment.state is CommentState.PUBLISHED and comment.moderation_reason is None
    log = list(db.session.scalars(db.select(ModerationDecision).order_by(ModerationDecision.id)))
    assert [(d.action, d.moderator_id) for d in log] == [
        (Action.HIDE, moderator.id), (Action.APPEAL_OVERTURNED, second_moderator.id)]
    assert appeal.outcome_decision_id == log[-1].id
    html = author.get("/receipt").get_data(as_text=True)
    assert "The decision was overturned" in html and "Fair point." in html


def test_an_upheld_appeal_leaves_the_comment_as_it_was(app, consultation, codename_author,
                                                       moderator, second_moderator):
    author, _, comment = codename_author
    _moderate(app, moderator, consultation, f"/comments/{comment.id}",
              {"action": "reject", "reason": "spam"})
    decision = db.session.scalar(db.select(ModerationDecision))
    author.post_form(f"/receipt/decisions/{decision.id}/appeal", {"statement": "Please."})
    appeal = db.session.scalar(db.select(Appeal))
    _moderate(app, second_moderator, consultation, f"/appeals/{appeal.id}",
              {"outcome": "upheld", "reason": "spam"})
    db.session.expire_all()
    assert appeal.outcome is AppealOutcome.UPHELD and comment.state is CommentState.REJECTED
    assert "The decision stands" in author.get("/receipt").get_data(as_text=True)


def test_an_overturned_redaction_brings_the_original_back(app, consultation, make_comment,
                                                          moderator, second_moderator):
    from consult.moderation import services

    comment = make_comment(consultation, body="Ask Amina about it.", author="amina-key")
    [decision] = services.decide(comment, Action.REDACT, services.Reason.PERSONAL_INFORMATION,
                                 moderator, spans=["Amina"])
    appeal = services.appeal_decision(decision, "amina-key", "It is my own name.")
    services.decide_appeal(appeal, AppealOutcome.OVERTURNED,
                           services.Reason.WITHIN_POLICY, second_moderator)
    assert comment.body == "Ask Amina about it." and not comment.redacted


def test_nobody_else_can_open_or_send_an_appeal(app, consultation, codename_author,
                                                moderator):
    _, _, comment = codename_author
    _moderate(app, moderator, consultation, f"/comments/{comment.id}",
              {"action": "reject", "reason": "spam"})
    decision = db.session.scalar(db.select(ModerationDecision))
    stranger = app.test_client()
    stranger.post_form("/codename")
    url = f"/receipt/decisions/{decision.id}/appeal"
    assert stranger.get(url).status_code == 404
    assert stranger.post_form(url, {"statement": "x"}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 0


def test_automatic_decisions_and_approvals_are_not_appealed(app, consultation):
    author = app.test_client()
    author.post_form(f"/consultations/{consultation.slug}/comments",
                     {"body": "Mail me: someone@example.org"})
    decision = db.session.scalar(db.select(ModerationDecision))
    assert decision.action is Action.HOLD
    html = author.get("/receipt").get_data(as_text=True)
    assert "Held for review" in html and "Personal information" in html
    assert "Appeal this decision" not in html
    assert author.get(f"/receipt/decisions/{decision.id}/appeal").status_code == 404


def test_a_signed_in_account_sees_its_own_decisions(app, auth, client, consultation,
                                                    make_user, host, moderator):
    from consult.accounts.models import Role

    planner = make_user(host, Role.PLANNER)
    auth.login(planner)
    client.post_form(f"/consultations/{consultation.slug}/comments", {"body": "Staff view"})
    comment = db.session.scalar(db.select(Comment))
    _moderate(app, moderator, consultation, f"/comments/{comment.id}",
              {"action": "hide", "reason": "off_topic"})
    html = client.get("/receipt").get_data(as_text=True)
    assert "Staff view" in html and "Off-topic" in html


def test_an_appeal_statement_counts_line_breaks_once_as_the_browser_does(
        app, consultation, codename_author, moderator):
    author, codename, comment = codename_author
    _moderate(app, moderator, consultation, f"/comments/{comment.id}", {
        "action": "reject", "reason": "misinformation"})
    decision = db.session.scalar(db.select(ModerationDecision))
    typed = "\r\n".join(["ab"] * 333) + "a"  # 1,000 characters for maxlength, 1,332 sent
    sent = author.post_form(f"/receipt/decisions/{decision.id}/appeal", {"statement": typed})
    assert sent.status_code == 303
    assert db.session.scalar(db.select(Appeal.statement)) == typed.replace("\r\n", "\n")
