"""The moderation queue: tabs with counts, filters, pages of 50, bulk approve and reject,
decisions on one comment with a coded reason, and the rule that nobody moderates their own."""
import re

import pytest

from consult.accounts.participants import account_key
from consult.comments.models import Comment, CommentState
from consult.comments.services import post_comment
from consult.consultations.lifecycle import ModerationMode
from consult.extensions import db
from consult.moderation import services
from consult.moderation.models import Action, ModerationDecision, Reason, Report
from consult.moderation.screening import Refused
from tests.moderation.conftest import queue_url

PENDING = CommentState.PENDING


def _decisions():
    return list(db.session.scalars(db.select(ModerationDecision).order_by(ModerationDecision.id)))


def test_tabs_count_what_waits_and_list_the_oldest_first(as_moderator, consultation, make_comment):
    first, second = (make_comment(consultation, body=f"Waiting {n}", state=PENDING)
                     for n in (1, 2))
    reported = make_comment(consultation, body="Reported one")
    db.session.add(Report(consultation_id=consultation.id, comment_id=reported.id,
                          reporter_key="r1", reason=Reason.SPAM))
    db.session.commit()
    html = as_moderator.get(queue_url(consultation)).get_data(as_text=True)
    assert re.search(r'aria-current="page">Waiting for approval <span class="count">2<', html)
    assert re.search(r'Reported <span class="count">1<', html)
    assert html.index("Waiting 1") < html.index("Waiting 2") and "Reported one" not in html
    html = as_moderator.get(queue_url(consultation, "?tab=reported")).get_data(as_text=True)
    assert "Reported one" in html and "Spam: 1" in html
    assert f'<label for="comments-{first.id}">' in html.replace(str(reported.id), str(first.id))
    assert second.state is PENDING


def test_bulk_approve_publishes_the_ticked_comments_and_logs_each(as_moderator, consultation,
                                                                    make_comment, moderator):
    waiting = [make_comment(consultation, state=PENDING) for _ in range(3)]
    response = as_moderator.post_form(queue_url(consultation), {
        "comments": [waiting[0].id, waiting[1].id], "action": "approve",
        "reason": "within_policy"})
    assert response.status_code == 303
    db.session.expire_all()
    assert [c.state for c in waiting] == [CommentState.PUBLISHED] * 2 + [PENDING]
    assert [(d.comment_id, d.action, d.reason, d.moderator_id) for d in _decisions()] == [
        (waiting[0].id, Action.APPROVE, Reason.WITHIN_POLICY, moderator.id),
        (waiting[1].id, Action.APPROVE, Reason.WITHIN_POLICY, moderator.id)]
    assert "2 comments decided." in as_moderator.get(queue_url(consultation)).get_data(
        as_text=True)


def test_a_decision_without_a_reason_is_refused_with_the_error_at_the_field(
        as_moderator, consultation, make_comment):
    comment = make_comment(consultation, state=PENDING)
    response = as_moderator.post_form(queue_url(consultation), {
        "comments": [comment.id], "action": "reject", "reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="reason-error"' in html
    assert "Choose the reason for this decision." in html
    response = as_moderator.post_form(queue_url(consultation), {
        "comments": [comment.id], "action": "reject", "reason": "other", "note": " "})
    assert response.status_code == 422 and 'id="note-error"' in response.get_data(as_text=True)
    response = as_moderator.post_form(queue_url(consultation), {"action": "reject",
                                                               "reason": "spam"})
    assert 'id="comments-error"' in response.get_data(as_text=True)
    assert _decisions() == [] and comment.state is PENDING


def test_hiding_a_comment_leaves_a_placeholder_with_the_reason_and_keeps_replies(
        as_moderator, client, consultation, make_comment):
    top = make_comment(consultation, body="Nasty words")
    make_comment(consultation, body="A reply that stays", parent=top, author="other")
    response = as_moderator.post_form(queue_url(consultation, f"/comments/{top.id}"), {
        "action": "hide", "reason": "abuse", "note": "Please keep it civil."})
    assert response.status_code == 303
    as_moderator.post_form("/manage/logout")
    html = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    assert "Nasty words" not in html and "A reply that stays" in html
    assert "Hidden by the moderators: Abuse or harassment." in html
    decision = _decisions()[0]
    assert (decision.from_state, decision.to_state, decision.note) == (
        CommentState.PUBLISHED, CommentState.HIDDEN, "Please keep it civil.")


def test_rejected_comments_with_replies_show_a_placeholder_too(as_moderator, client,
                                                               consultation, make_comment):
    top = make_comment(consultation, body="Off topic entirely")
    make_comment(consultation, body="Reply", parent=top, author="other")
    as_moderator.post_form(queue_url(consultation, f"/comments/{top.id}"),
                           {"action": "reject", "reason": "off_topic"})
    as_moderator.post_form("/manage/logout")
    html = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    assert "Removed by the moderators: Off-topic." in html and "Off topic entirely" not in html


def test_redaction_replaces_the_passages_and_keeps_the_original_for_moderators_only(
        as_moderator, app, consultation, make_comment):
    comment = make_comment(consultation, body="Call Juma on 0712 345 678 about the bus.",
                           state=PENDING)
    response = as_moderator.post_form(queue_url(consultation, f"/comments/{comment.id}"), {
        "action": "redact", "reason": "personal_information", "spans": "0712 345 678\nJuma"})
    assert response.status_code == 303
    db.session.expire_all()
    assert comment.body == "Call […] on […] about the bus." and comment.redacted
    assert comment.state is CommentState.PUBLISHED
    review = as_moderator.get(queue_url(consultation, f"/comments/{comment.id}"))
    assert "0712 345 678" in review.get_data(as_text=True)
    public = app.test_client().get(f"/consultations/{consultation.slug}/comments")
    html = public.get_data(as_text=True)
    assert "0712" not in html and "Juma" not in html
    assert "Parts of this comment were removed by the moderators (Personal information)." in html


def test_a_redaction_must_quote_the_comment_exactly(as_moderator, consultation, make_comment):
    comment = make_comment(consultation, body="Some text")
    response = as_moderator.post_form(queue_url(consultation, f"/comments/{comment.id}"), {
        "action": "redact", "reason": "personal_information", "spans": "not in it"})
    assert response.status_code == 422 and 'id="spans-error"' in response.get_data(as_text=True)
    assert comment.body == "Some text" and _decisions() == []


def test_blocking_hides_everything_the_author_posted_here_and_unblocking_restores_it(
        as_moderator, app, consultation, make_consultation, host, make_comment):
    elsewhere = make_consultation(host=host)
    mine = [make_comment(consultation, body=f"Troll {n}", author="troll") for n in range(3)]
    waiting = make_comment(consultation, body="Troll pending", author="troll", state=PENDING)
    other = make_comment(elsewhere, body="Troll elsewhere", author="troll")
    response = as_moderator.post_form(queue_url(consultation, f"/comments/{mine[0].id}"), {
        "action": "block", "reason": "spam"})
    assert response.status_code == 303
    db.session.expire_all()
    assert {c.state for c in [*mine, waiting]} == {CommentState.HIDDEN}
    assert other.state is CommentState.PUBLISHED
    assert len(_decisions()) == 4 and {d.block_id for d in _decisions()} != {None}
    with pytest.raises(Refused):  # the blocked author cannot post here again
        post_comment(consultation, "troll", "Again", "en")
    db.session.rollback()
    post_comment(elsewhere, "troll", "Elsewhere is fine", "en")
    db.session.commit()
    as_moderator.post_form(queue_url(consultation, f"/comments/{mine[1].id}"), {
        "action": "unblock", "reason": "within_policy"})
    db.session.expire_all()
    assert [c.state for c in mine] == [CommentState.PUBLISHED] * 3
    assert waiting.state is PENDING


def test_a_moderator_cannot_moderate_their_own_comment(as_moderator, consultation, moderator,
                                                       make_comment):
    own = make_comment(consultation, author=account_key(moderator), state=PENDING)
    html = as_moderator.get(queue_url(consultation, f"/comments/{own.id}")).get_data(
        as_text=True)
    assert "You wrote this comment: another moderator decides on it." in html
    response = as_moderator.post_form(queue_url(consultation, f"/comments/{own.id}"), {
        "action": "approve", "reason": "within_policy"})
    assert response.status_code == 422
    as_moderator.post_form(queue_url(consultation), {
        "comments": [own.id], "action": "approve", "reason": "within_policy"})
    assert own.state is PENDING and _decisions() == []


def test_filters_by_language_and_section(as_moderator, consultation, make_comment):
    make_comment(consultation, body="In English", state=PENDING)
    make_comment(consultation, body="En français", language="fr", state=PENDING)
    make_comment(consultation, body="On section one", state=PENDING,
                 section=consultation.sections[0])
    html = as_moderator.get(queue_url(consultation, "?language=fr")).get_data(as_text=True)
    assert "En français" in html and "In English" not in html
    html = as_moderator.get(queue_url(consultation, "?section=1")).get_data(as_text=True)
    assert "On section one" in html and "In English" not in html
    html = as_moderator.get(queue_url(consultation, "?section=0")).get_data(as_text=True)
    assert "On section one" not in html and "In English" in html


def test_the_queue_pages_by_fifty(as_moderator, make_consultation, host):
    consultation = make_consultation(host=host, moderation_mode=ModerationMode.PRE)
    for n in range(55):
        post_comment(consultation, f"a{n}", f"Item {n:02d}", "en")
    db.session.commit()
    html = as_moderator.get(queue_url(consultation)).get_data(as_text=True)
    assert "Item 49" in html and "Item 50" not in html
    more = re.search(r'href="([^"]*after=\d+[^"]*)"', html).group(1).replace("&amp;", "&")
    html = as_moderator.get(more).get_data(as_text=True)
    assert "Item 50" in html and "Item 54" in html and "Item 49" not in html
    assert db.session.scalar(db.select(db.func.count(Comment.id)).filter_by(
        consultation_id=consultation.id, state=PENDING)) == 55


def test_partner_moderators_moderate_once_the_host_grants_it(client, auth, host, make_org,
                                                             make_user, consultation):
    from consult.accounts.models import Role
    from consult.consultations.services import set_partners

    partner = make_org("partner")
    partner_moderator, host_user = make_user(partner, Role.MODERATOR), make_user(host, Role.HOST)
    set_partners(consultation, [partner])
    db.session.commit()
    auth.login(partner_moderator)
    assert client.get(queue_url(consultation)).status_code == 403
    auth.logout()
    auth.login(host_user)
    assert client.get(queue_url(consultation)).status_code == 403  # hosts are not moderators
    client.post_form(f"/manage/consultations/{consultation.slug}/partners",
                     {"partners": [partner.id], "moderators": [partner.id]})
    db.session.expire_all()
    assert consultation.moderating_partners == [partner]
    auth.logout()
    auth.login(partner_moderator)
    assert client.get(queue_url(consultation)).status_code == 200
    auth.logout()
    auth.login(host_user)  # removing the partner removes its grant too
    client.post_form(f"/manage/consultations/{consultation.slug}/partners",
                     {"moderators": [partner.id]})
    db.session.expire_all()
    assert consultation.moderating_partners == []


def test_the_demo_shows_a_few_queue_items_once(app, client, auth):
    from consult.demo import load_demo
    from consult.moderation.models import Appeal, ScreeningFlag, WatchedWord

    for _ in range(2):
        load_demo()
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 2
    assert db.session.scalar(db.select(db.func.count(ScreeningFlag.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Appeal.id))) == 1
    assert db.session.scalar(db.select(db.func.count(WatchedWord.id))) == 1
    auth.login("moderator@demo.example", "consult-demo-2026")
    html = client.get("/manage/consultations/safer-port-amani/moderation").get_data(
        as_text=True)
    for tab, number in (("Waiting for approval", 2), ("Reported", 1),
                        ("Held or flagged automatically", 1), ("Appeals", 1)):
        assert re.search(rf'{tab} <span class="count">{number}<', html), tab


def test_moderators_see_pseudonyms_never_participant_keys(as_moderator, consultation,
                                                          make_comment):
    from consult.comments.pseudonyms import pseudonym

    comment = make_comment(consultation, author="secret-participant-key", state=PENDING)
    services.report_comment(make_comment(consultation, author="secret-participant-key"),
                            "secret-reporter-key", Reason.SPAM, "", 3)
    db.session.commit()
    for url in (queue_url(consultation), queue_url(consultation, "?tab=reported"),
                queue_url(consultation, f"/comments/{comment.id}")):
        html = as_moderator.get(url).get_data(as_text=True)
        assert pseudonym("secret-participant-key", consultation.id) in html
        assert "secret-participant-key" not in html and "secret-reporter-key" not in html
