"""The public moderation page: the hosts' translated policy and statistics with small counts
suppressed; the decision log as CSV for auditors, without participants' data."""
import csv
import datetime as dt
import io

import pytest

from consult.accounts.models import Role
from consult.comments.models import CommentState
from consult.consultations import services as consultations
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.moderation import services
from consult.moderation.models import Action, AppealOutcome, Reason


def _page(client, consultation, lang="en"):
    return client.get(f"/consultations/{consultation.slug}/moderation",
                      query_string={"lang": lang})


def test_the_policy_is_written_per_language_in_the_edit_form_and_shown_translated(
        client, auth, host, make_user, consultation):
    auth.login(make_user(host, Role.HOST))
    url = f"/manage/consultations/{consultation.slug}/edit"
    html = client.get(url).get_data(as_text=True)
    assert 'name="moderation_policy__fr"' in html and 'name="moderation_policy__ar"' in html
    client.post_form(url, {"default_language": "en", "languages": ["en", "fr", "ar"],
                           "title__en": "Title", "moderation_mode": "post",
                           "participation_mode": "anonymous", "visibility": "public",
                           "min_cell_size": "10",
                           "moderation_policy__en": "We remove threats.",
                           "moderation_policy__fr": "Nous retirons les menaces."})
    auth.logout()
    assert "Nous retirons les menaces." in _page(client, consultation, "fr").get_data(
        as_text=True)
    html = _page(client, consultation, "ar").get_data(as_text=True)
    assert "We remove threats." in html and 'class="fallback"' in html


def test_without_a_policy_the_page_says_so(client, consultation):
    html = _page(client, consultation).get_data(as_text=True)
    assert "The hosts have not written a moderation policy yet." in html


def _decided(consultation, make_comment, moderator, action, reason, number, days_ago=0):
    decisions = []
    for n in range(number):
        comment = make_comment(consultation, author=f"a{action.value}{n}",
                               state=CommentState.PENDING)
        comment.created_on = dt.date.today() - dt.timedelta(days=days_ago)
        decisions += services.decide(comment, action, reason, moderator)
    db.session.commit()
    return decisions


def test_statistics_hide_small_counts_and_the_counts_they_could_be_recovered_from(
        client, consultation, make_comment, moderator):
    _decided(consultation, make_comment, moderator, Action.APPROVE, Reason.WITHIN_POLICY, 12,
             days_ago=2)
    _decided(consultation, make_comment, moderator, Action.REJECT, Reason.SPAM, 3)
    html = _page(client, consultation).get_data(as_text=True)
    table = html[html.index("<caption>By decision"):]
    table = table[:table.index("</table>")]
    assert "Rejected</th><td><span class=\"hidden-count\">fewer than 10" in table
    # With the total published, the approvals would give the rejections away: hidden too.
    assert "Approved</th><td><span class=\"hidden-count\">hidden" in table
    assert "Total</th><td>15<" in table and "Author blocked</th><td>0<" in table
    assert "Too few comments have been decided" not in html
    assert "were decided within 2 days" in html


def test_with_too_few_decisions_the_median_is_not_published(client, consultation,
                                                           make_comment, moderator):
    _decided(consultation, make_comment, moderator, Action.APPROVE, Reason.WITHIN_POLICY, 4)
    html = _page(client, consultation).get_data(as_text=True)
    assert "Too few comments have been decided" in html and ">4<" not in html


def test_appeals_upheld_and_overturned_are_counted(client, consultation, make_comment,
                                                   moderator, second_moderator):
    consultation.min_cell_size = 1
    decisions = _decided(consultation, make_comment, moderator, Action.REJECT, Reason.SPAM, 3)
    for decision, outcome in zip(decisions, [AppealOutcome.UPHELD, AppealOutcome.OVERTURNED,
                                             AppealOutcome.OVERTURNED]):
        appeal = services.appeal_decision(decision, decision.comment.author_key, "Please")
        services.decide_appeal(appeal, outcome, Reason.WITHIN_POLICY, second_moderator)
    db.session.commit()
    html = _page(client, consultation).get_data(as_text=True)
    table = html[html.index("<caption>Appeals decided"):]
    assert "The decision stands</th><td>1<" in table
    assert "The decision was overturned</th><td>2<" in table


def test_the_public_page_of_a_draft_is_not_found(client, make_consultation, host):
    draft = make_consultation(host=host, state=State.DRAFT)
    assert _page(client, draft).status_code == 404


@pytest.fixture
def logged(consultation, make_comment, moderator):
    comment = make_comment(consultation, body="Secret words 0712 345 678",
                           author="participant-key-123")
    services.decide(comment, Action.HIDE, Reason.PERSONAL_INFORMATION, moderator,
                    note="You wrote your number, 0712 345 678.")
    services.report_comment(make_comment(consultation, author="b"), "reporter-key-9",
                            Reason.SPAM, "a note", 1)
    db.session.commit()
    return comment


def test_auditors_download_the_log_without_participants_data(client, auth, host, make_user,
                                                             consultation, logged):
    auth.login(make_user(host, Role.PLANNER))
    response = client.get(f"/manage/consultations/{consultation.slug}/moderation/log.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["action"], r["reason"], r["automatic"]) for r in rows] == [
        ("hide", "personal_information", "no"), ("hide", "reported", "yes")]
    assert rows[0]["moderator"] == "User 1" and rows[0]["note_to_author"] == "yes"
    assert rows[1]["decided_at_utc"] == "" and rows[0]["decided_at_utc"]
    for secret in ("participant-key-123", "reporter-key-9", "0712", "Secret words", "a note"):
        assert secret not in text


def test_moderators_are_not_auditors(client, auth, moderator, consultation, logged):
    auth.login(moderator)
    assert client.get(f"/manage/consultations/{consultation.slug}/moderation/log.csv"
                      ).status_code == 403


def test_site_admins_audit_too(client, auth, make_user, consultation, logged):
    auth.login(make_user(site_admin=True))
    assert client.get(f"/manage/consultations/{consultation.slug}/moderation/log.csv"
                      ).status_code == 200


def test_the_thread_links_to_the_public_page(client, consultation):
    html = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}/moderation"' in html
    consultations.touch(consultation)
