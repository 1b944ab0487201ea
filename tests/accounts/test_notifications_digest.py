"""The daily digest: arrives on a real SMTP server in the recipient's language, tells each
staff member only of consultations they may moderate, counts and links only, once a day."""
import datetime as dt

import pytest

from consult.accounts.models import Role, User
from consult.accounts.notifications import send_digests
from consult.accounts.participants import account_key
from consult.accounts.tasks import send_daily_digests
from consult.comments import services as comments
from consult.comments.models import CommentState
from consult.consultations.services import set_partners
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import Action, Reason, Report, ScreeningFlag, WordAction

TODAY = dt.datetime.now(dt.UTC).date()
YESTERDAY = TODAY - dt.timedelta(days=1)
#: Words a participant wrote; none of them may leave the platform by e-mail.
SECRET_WORDS = ["Salma at 12 Orchard Road", "my phone is 0700 123 456", "appeal-statement-x"]


@pytest.fixture
def host(make_org):
    return make_org("host-org")


@pytest.fixture
def consultation(host, make_consultation):
    return make_consultation(host=host)


def opted_in(user: User, language: str | None = "en") -> User:
    """user with the daily digest on, writing to them in language."""
    user.daily_digest = True
    user.mail_language = language
    db.session.commit()
    return user


@pytest.fixture
def moderator(host, make_user):
    return opted_in(make_user(host, Role.MODERATOR, email="mod@example.org"))


def comment(consultation, body="A comment", state=CommentState.PUBLISHED, author="author-1",
            on=YESTERDAY):
    """A comment written on the day given."""
    made = comments.post_comment(consultation, author, body, "en", state=state)
    made.created_on = on
    db.session.commit()
    return made


def report(made, reporter="reporter-1", note="", on=YESTERDAY):
    """A participant's report of a published comment, made on the day given."""
    moderation.report_comment(made, reporter, Reason.ABUSE, note, threshold=3)
    for row in db.session.scalars(db.select(Report).filter_by(comment_id=made.id)):
        row.created_on = on
    db.session.commit()


def appeal(made, decided_by, statement="I disagree"):
    """A rejection of made by decided_by, appealed by its author."""
    [decision] = moderation.decide(made, Action.REJECT, Reason.ABUSE, decided_by)
    moderation.appeal_decision(decision, made.author_key, statement)
    db.session.commit()


def fresh(user: User) -> User:
    """user as the database has it now (requests and jobs write in their own sessions)."""
    db.session.expire_all()
    return db.session.get(User, user.id)


def run_digest(app):
    """The periodic task as the worker runs it, past the digest hour."""
    app.config["DIGEST_HOUR"] = 0
    send_daily_digests()


def bodies(message) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def test_digest_counts_what_arrived_yesterday_with_links_to_the_queue(
        app, smtp_server, consultation, moderator, make_user, host):
    deciding = make_user(host, Role.MODERATOR)
    comment(consultation, state=CommentState.PENDING)
    comment(consultation, state=CommentState.PENDING, author="author-2")
    report(comment(consultation, author="author-3"))
    appeal(comment(consultation, author="author-4"), deciding)
    run_digest(app)
    [message] = smtp_server.to("mod@example.org")
    assert message["Subject"] == "4 items wait for you in Consult's moderation queues"
    assert message["Content-Language"] == "en"
    text, html = bodies(message)
    for body in (text, html):
        assert "2 new comments wait for approval" in body
        assert "1 comment was reported" in body
        assert "1 appeal waits for your decision" in body
        assert "Title 1 [en]" in body
    queue = f"http://consult.example.org/manage/consultations/{consultation.slug}/moderation"
    assert f'href="{queue}?tab=pending&amp;lang=en"' in html
    assert f'href="{queue}?tab=appeals&amp;lang=en"' in html
    assert f"{queue}?tab=pending&lang=en" in text
    assert "http://consult.example.org/manage/account/notifications" in text


def test_digest_is_written_in_french_for_a_french_speaking_moderator(
        app, smtp_server, consultation, moderator):
    opted_in(moderator, "fr")
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    [message] = smtp_server.to("mod@example.org")
    assert message["Content-Language"] == "fr"
    text, html = bodies(message)
    assert '<html lang="fr" dir="ltr">' in html
    assert "Title 1 [fr]" in text and "Title 1 [fr]" in html  # the host's French title
    assert "lang=fr" in text


def test_digest_in_arabic_reads_right_to_left(app, smtp_server, consultation, moderator):
    opted_in(moderator, "ar")
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    [message] = smtp_server.to("mod@example.org")
    assert message["Content-Language"] == "ar"
    text, html = bodies(message)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<bdi lang="ar" dir="rtl">Title 1 [ar]</bdi>' in html
    assert "Title 1 [ar]" in text


def test_without_a_choice_mail_comes_in_the_language_last_used_on_the_site(
        app, client, auth, smtp_server, consultation, moderator):
    opted_in(moderator, None)
    auth.login(moderator)
    assert client.get("/manage/account/notifications?lang=fr").status_code == 200
    assert fresh(moderator).last_language == "fr"
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    [message] = smtp_server.to("mod@example.org")
    assert message["Content-Language"] == "fr"


def test_a_curious_partner_learns_nothing_of_another_organisations_queue(
        app, smtp_server, consultation, moderator, make_org, make_user):
    """Attack: a moderator of a partner organisation (not granted moderation here), or of an
    organisation with nothing to do with it, opts in to read this queue's size."""
    partner, stranger = make_org("partner-org"), make_org("other-org")
    set_partners(consultation, [partner])
    db.session.commit()
    opted_in(make_user(partner, Role.MODERATOR, email="partner@example.org"))
    opted_in(make_user(stranger, Role.ADMIN, email="stranger@example.org"))
    opted_in(make_user(consultation.host, Role.PLANNER, email="planner@example.org"))
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    assert smtp_server.to("partner@example.org") == []
    assert smtp_server.to("stranger@example.org") == []
    assert smtp_server.to("planner@example.org") == []
    assert len(smtp_server.to("mod@example.org")) == 1


def test_a_partner_granted_moderation_gets_the_digest(
        app, smtp_server, consultation, make_org, make_user):
    partner = make_org("partner-org")
    set_partners(consultation, [partner], moderating=[partner])
    db.session.commit()
    opted_in(make_user(partner, Role.MODERATOR, email="partner@example.org"))
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    [message] = smtp_server.to("partner@example.org")
    assert "1 new comment waits for approval" in bodies(message)[0]


def test_each_consultation_is_listed_only_to_its_own_moderators(
        app, smtp_server, consultation, moderator, make_consultation, make_org, make_user):
    elsewhere = make_consultation(host=make_org("other-org"))
    opted_in(make_user(elsewhere.host, Role.MODERATOR, email="other@example.org"))
    comment(consultation, state=CommentState.PENDING)
    comment(elsewhere, state=CommentState.PENDING)
    comment(elsewhere, state=CommentState.PENDING, author="author-2")
    run_digest(app)
    mine, = smtp_server.to("mod@example.org")
    theirs, = smtp_server.to("other@example.org")
    assert elsewhere.slug not in "".join(bodies(mine))
    assert consultation.slug not in "".join(bodies(theirs))
    assert "2 new comments wait for approval" in bodies(theirs)[0]


def test_nothing_waiting_sends_no_mail(app, smtp_server, consultation, moderator):
    decided = comment(consultation, state=CommentState.PENDING)  # already approved
    moderation.decide(decided, Action.APPROVE, Reason.WITHIN_POLICY,
                      db.session.get(User, moderator.id))
    db.session.commit()
    comment(consultation, state=CommentState.PENDING, on=TODAY)  # in tomorrow's digest
    run_digest(app)
    assert smtp_server.messages == []
    assert fresh(moderator).digest_sent_on == TODAY


def test_staff_who_did_not_opt_in_get_no_digest(app, smtp_server, consultation, host,
                                                make_user):
    make_user(host, Role.MODERATOR, email="quiet@example.org")  # off by default
    opted_out = opted_in(make_user(host, Role.ADMIN, email="was-on@example.org"))
    opted_out.daily_digest = False
    db.session.commit()
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    assert smtp_server.messages == []


def test_a_deactivated_account_gets_no_digest(app, smtp_server, consultation, moderator):
    moderator.active = False
    db.session.commit()
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    assert smtp_server.messages == []


def test_running_the_digest_twice_sends_one_mail(app, smtp_server, consultation, moderator):
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    run_digest(app)  # a retried job, or a second worker
    assert send_digests(TODAY) == 0
    assert len(smtp_server.to("mod@example.org")) == 1
    assert fresh(moderator).digest_sent_on == TODAY


def test_no_digest_before_the_digest_hour(app, smtp_server, consultation, moderator):
    hour = dt.datetime.now(dt.UTC).hour
    if hour == 23:
        pytest.skip("no later hour today")
    comment(consultation, state=CommentState.PENDING)
    app.config["DIGEST_HOUR"] = hour + 1
    send_daily_digests()
    assert smtp_server.messages == []


def test_the_next_digest_counts_only_what_arrived_since_the_last(
        app, smtp_server, consultation, moderator):
    moderator.digest_sent_on = TODAY - dt.timedelta(days=3)
    db.session.commit()
    comment(consultation, state=CommentState.PENDING, on=TODAY - dt.timedelta(days=5))
    comment(consultation, state=CommentState.PENDING, author="a2", on=TODAY - dt.timedelta(3))
    comment(consultation, state=CommentState.PENDING, author="a3", on=YESTERDAY)
    run_digest(app)
    [message] = smtp_server.to("mod@example.org")
    assert "2 new comments wait for approval" in bodies(message)[0]


def test_appeals_against_ones_own_decision_are_left_to_another_moderator(
        app, smtp_server, consultation, moderator, host, make_user):
    other = opted_in(make_user(host, Role.MODERATOR, email="other-mod@example.org"))
    appeal(comment(consultation), db.session.get(User, moderator.id))
    run_digest(app)
    assert smtp_server.to("mod@example.org") == []
    [message] = smtp_server.to(other.email)
    assert "1 appeal waits for your decision" in bodies(message)[0]


def test_no_participants_words_leave_by_mail(app, smtp_server, consultation, moderator,
                                             make_user, host):
    """Mail leaves the platform: comment texts, report notes and appeal statements stay."""
    comment(consultation, body=SECRET_WORDS[0], state=CommentState.PENDING)
    report(comment(consultation, body=SECRET_WORDS[1], author="a2"), note=SECRET_WORDS[1])
    appeal(comment(consultation, body="Rejected words", author="a3"), make_user(
        host, Role.MODERATOR), statement=SECRET_WORDS[2])
    run_digest(app)
    [message] = smtp_server.to("mod@example.org")
    whole = message.as_string()
    for words in (*SECRET_WORDS, "Rejected words", account_key(moderator)):
        assert words not in whole
    assert "3 items wait" in message["Subject"]


def test_a_moderator_is_not_counted_appeals_about_their_own_comment(
        app, smtp_server, consultation, moderator, host, make_user):
    own = comment(consultation, author=account_key(moderator))
    appeal(own, make_user(host, Role.MODERATOR))
    run_digest(app)
    assert smtp_server.to("mod@example.org") == []


def test_comments_held_by_screening_are_counted_apart(app, smtp_server, consultation,
                                                      moderator):
    held = comment(consultation, state=CommentState.PENDING)
    held.moderation_reason = Reason.WATCHED_WORD.value
    db.session.add(ScreeningFlag(consultation_id=consultation.id, comment_id=held.id,
                                 reason=Reason.WATCHED_WORD, action=WordAction.HOLD))
    db.session.commit()
    run_digest(app)
    [message] = smtp_server.to("mod@example.org")
    text, html = bodies(message)
    assert "1 comment was held or flagged automatically" in text
    assert "waits for approval" not in text and "tab=held" in text


def test_a_site_administrator_hears_of_every_consultation(
        app, smtp_server, consultation, make_consultation, make_org, make_user):
    elsewhere = make_consultation(host=make_org("other-org"))
    opted_in(make_user(site_admin=True, email="admin@example.org"))
    comment(consultation, state=CommentState.PENDING)
    comment(elsewhere, state=CommentState.PENDING)
    run_digest(app)
    [message] = smtp_server.to("admin@example.org")
    text = bodies(message)[0]
    assert consultation.slug in text and elsewhere.slug in text


def test_a_member_who_owes_two_factor_setup_hears_nothing(app, smtp_server, consultation,
                                                         moderator):
    """They are granted nothing until they set it up: not even a queue's size by mail."""
    app.config["REQUIRE_TWO_FACTOR_FOR_MODERATORS"] = True
    comment(consultation, state=CommentState.PENDING)
    run_digest(app)
    assert smtp_server.messages == []
