"""A programme's audit pages: who reads them, what they show, and what they never show
(participant text beyond published comments) or allow (any change)."""
import re

import pytest

from consult import audit
from consult.accounts.models import Role
from consult.comments.models import CommentState
from consult.comments.services import post_comment
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import services
from consult.surveys.models import Channel
from consult.surveys.responses import submit_all
from consult.surveys.services import get_survey

#: Words nobody but their writers (and the round's planners or moderators) may read.
SECRET_ANSWER = "quetzalsecretanswer"
SHARED_RARE = "marmalizedrareword"  # in three answers: fewer than k
PENDING_COMMENT = "xylophonicpendingcomment"
HIDDEN_COMMENT = "zeppelinhiddencomment"
PUBLISHED_COMMENT = "The harbour lights are fixed now"


def _audit_urls(programme) -> list[str]:
    base = f"/manage/programmes/{programme.slug}/audit"
    urls = [base, f"{base}/log"]
    for found in programme.rounds:
        urls += [f"{base}/rounds/{found.position}/report",
                 f"{base}/rounds/{found.position}/moderation"]
    return urls


#: Distinct free-text answers, so that themes are found in them.
VARIED = ["The night patrols make the street feel calmer",
          "Street lights at night would help the patrols",
          "More patrols at the market during the night",
          "The market street is calmer with the lights on",
          "Patrols on the street and lights near the market",
          "At night the lights go out on the market street",
          "Calmer nights since the patrols started on my street",
          "Night patrols and working street lights, please"]


def _seed(consultation, answers: int = 12) -> None:
    """Responses with distinct free text (one secret word; one rare word in three answers,
    the newest, which the planners' report quotes), a published, a pending and a hidden
    comment."""
    survey = get_survey(consultation)
    for n in range(answers):
        why = VARIED[n % len(VARIED)] + ("" if n < len(VARIED) else " again")
        if n == answers - 1:
            why = f"My neighbour {SECRET_ANSWER} told me about the night patrols"
        elif n >= answers - 4:
            why = f"The {SHARED_RARE} corner of the market street {'is' if n % 2 else 'gets'} " \
                  f"dark at night {n}"
        submit_all(survey, {"feel_safe": "agree", "trust_hotline": 7, "harmed": "no",
                            "area": "north" if n % 2 else "south", "why": why}, {}, "en",
                   f"audit-{consultation.id}-{n}", "hash", Channel.WEB,
                   respondent_key=f"audit-participant-{consultation.id}-{n}")
    post_comment(consultation, "author-1", PUBLISHED_COMMENT, "en",
                 state=CommentState.PUBLISHED)
    post_comment(consultation, "author-2", f"Call me, {PENDING_COMMENT}", "en",
                 state=CommentState.PENDING)
    post_comment(consultation, "author-3", f"Hidden {HIDDEN_COMMENT}", "en",
                 state=CommentState.HIDDEN)
    db.session.commit()


@pytest.fixture
def audited(make_programme, make_user):
    """A programme with a closed round full of participant text, and its auditor (a staff
    account of no organisation)."""
    programme = make_programme(state=State.CLOSED)
    _seed(programme.rounds[0].consultation)
    auditor = make_user()
    services.add_auditor(programme, auditor, None)
    db.session.commit()
    return programme, auditor


def test_auditor_reads_every_audit_page(client, auth, audited):
    programme, auditor = audited
    auth.login(auditor)
    for url in _audit_urls(programme):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<form" not in response.get_data(as_text=True).split("<main", 1)[-1], url


def test_auditor_never_reads_free_text_answers(client, auth, audited, make_user):
    programme, auditor = audited
    consultation = programme.rounds[0].consultation
    # The planners' own report quotes the answers: the seed is there to be leaked.
    planner = make_user(programme.host, Role.PLANNER)
    auth.login(planner)
    planner_view = client.get(f"/manage/consultations/{consultation.slug}/report")
    assert SECRET_ANSWER in planner_view.get_data(as_text=True)
    assert "themes-title" in planner_view.get_data(as_text=True)  # themes were found
    auth.logout()
    auth.login(auditor)
    for url in _audit_urls(programme):
        html = client.get(url).get_data(as_text=True)
        for secret in (SECRET_ANSWER, SHARED_RARE, PENDING_COMMENT, HIDDEN_COMMENT, *VARIED):
            assert secret not in html, (url, secret)
    report = client.get(f"/manage/programmes/{programme.slug}/audit/rounds/1/report")
    html = report.get_data(as_text=True)
    # The figures are there (twelve responses, k = 10), and breakdowns in place.
    assert "12 responses counted" in html
    assert "/export" not in html  # no link to the responses export either


def test_auditor_report_figures_are_the_planners(client, auth, audited, make_user):
    """The same protected figures and breakdowns as the planner report, quotes aside."""
    programme, auditor = audited
    consultation = programme.rounds[0].consultation
    auth.login(make_user(programme.host, Role.PLANNER))
    planner = client.get(f"/manage/consultations/{consultation.slug}/report").get_data(
        as_text=True)
    auth.logout()
    auth.login(auditor)
    audited_html = client.get(f"/manage/programmes/{programme.slug}/audit/rounds/1/report"
                              ).get_data(as_text=True)

    def tables(html: str) -> list[str]:
        return re.findall(r'<table class="figures">.*?</table>', html, re.S)

    assert tables(audited_html) and tables(audited_html) == tables(planner)


def test_auditor_of_another_programme_gets_404(client, auth, audited, make_programme,
                                               make_user):
    programme, _ = audited
    other = make_programme()
    stranger = make_user()
    services.add_auditor(other, stranger, None)
    db.session.commit()
    auth.login(stranger)
    for url in _audit_urls(programme):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/manage/programmes/{other.slug}/audit").status_code == 200
    assert client.get("/manage/programmes/no-such-programme/audit").status_code == 404


@pytest.mark.parametrize("role,status", [
    (Role.PLANNER, 200), (Role.ADMIN, 200), (Role.HOST, 404), (Role.MODERATOR, 404)])
def test_host_staff_read_the_audit_as_their_role_allows(client, auth, audited, make_user,
                                                         role, status):
    programme, _ = audited
    auth.login(make_user(programme.host, role))
    for url in _audit_urls(programme):
        assert client.get(url).status_code == status, url


def test_other_organisations_and_signed_out_people_get_nothing(client, auth, audited,
                                                                make_org, make_user):
    programme, _ = audited
    for url in _audit_urls(programme):
        assert client.get(url).status_code == 302, url
    other = make_org()
    auth.login(make_user(other, Role.ADMIN))
    for url in _audit_urls(programme):
        assert client.get(url).status_code == 404, url
    auth.logout()
    auth.login(make_user(site_admin=True))
    for url in _audit_urls(programme):
        assert client.get(url).status_code == 200, url


def test_removed_auditor_loses_access(client, auth, audited):
    programme, auditor = audited
    auth.login(auditor)
    url = f"/manage/programmes/{programme.slug}/audit/rounds/1/report"
    assert client.get(url).status_code == 200
    services.remove_auditor(programme, auditor.id, None)
    db.session.commit()
    for url in _audit_urls(programme):
        assert client.get(url).status_code == 404, url


def test_auditor_cannot_moderate_or_edit(client, auth, audited):
    programme, auditor = audited
    slug = programme.rounds[0].consultation.slug
    comment = post_comment(programme.rounds[0].consultation, "author-9", "Pending words", "en",
                           state=CommentState.PENDING)
    db.session.commit()
    auth.login(auditor)
    manage = f"/manage/consultations/{slug}"
    programme_manage = f"/manage/programmes/{programme.slug}"
    posts = {
        f"{manage}/moderation": {"action": "approve", "comment_ids": str(comment.id)},
        f"{manage}/moderation/comments/{comment.id}": {"action": "approve",
                                                       "reason": "ok"},
        f"{manage}/responses/new": {"topic": "", "decision": "adopted",
                                    "title_en": "We did it"},
        f"{manage}/edit": {"title_en": "Taken over"},
        f"{manage}/state": {"action": "publish_results"},
        f"{manage}/partners": {},
        f"{manage}/survey/create": {},
        f"{programme_manage}/settings": {"title_en": "Taken over"},
        f"{programme_manage}/rounds/next": {"slug": "round-taken"},
        f"{programme_manage}/indicators": {},
        f"{programme_manage}/auditors": {"email": auditor.email},
        f"{programme_manage}/auditors/{auditor.id}/remove": {},
        f"{programme_manage}/rounds/1/self-assessment": {},
    }
    for url, data in posts.items():
        status = client.post_form(url, data).status_code
        assert status in (403, 404), (url, status)
    db.session.refresh(comment)
    assert comment.state is CommentState.PENDING
    # The consultation's own staff pages (planner report, export, moderation queue, comments)
    # are not for an auditor.
    for url in (f"{manage}/report", f"{manage}/report/export", f"{manage}/moderation/log.csv",
                f"{manage}/moderation", f"{manage}/comments", manage):
        assert client.get(url).status_code in (403, 404), url
    # Nor are POSTs to the audit pages, which take none.
    for url in _audit_urls(programme):
        assert client.post_form(url, {}).status_code == 405, url


def test_audit_log_holds_the_programme_and_its_rounds_only(client, auth, audited,
                                                           make_consultation):
    programme, auditor = audited
    round_one = programme.rounds[0].consultation
    elsewhere = make_consultation(host=programme.host)
    other = services.create_programme(programme.host, "another-programme", "en", ["en"], {},
                                      None)
    audit.record(None, "consultation.edited", consultation=round_one, target="round-entry")
    audit.record(None, "consultation.edited", consultation=elsewhere, target="elsewhere-entry")
    db.session.commit()
    auth.login(auditor)
    html = client.get(f"/manage/programmes/{programme.slug}/audit/log").get_data(as_text=True)
    assert "round-entry" in html and "elsewhere-entry" not in html
    assert html.count(programme.slug) >= 2  # programme.created, auditor added ...
    assert other.slug not in html


def test_audit_log_pages_older_entries(client, auth, audited):
    programme, auditor = audited
    round_one = programme.rounds[0].consultation
    for n in range(60):
        audit.record(None, "consultation.edited", consultation=round_one, target=f"entry-{n}")
    db.session.commit()
    auth.login(auditor)
    url = f"/manage/programmes/{programme.slug}/audit/log"
    first = client.get(url).get_data(as_text=True)
    assert "entry-59" in first and "entry-0<" not in first
    older = re.search(r'href="([^"]*before=\d+)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert "entry-0<" in second and "entry-59" not in second
    assert client.get(f"{url}?before=nonsense").status_code == 200


def test_moderation_statistics_are_the_public_protected_counts(client, auth, audited):
    programme, auditor = audited
    auth.login(auditor)
    html = client.get(f"/manage/programmes/{programme.slug}/audit/rounds/1/moderation"
                      ).get_data(as_text=True)
    assert "By decision" in html and "Appeals decided" in html
    assert client.get(f"/manage/programmes/{programme.slug}/audit/rounds/2/moderation"
                      ).status_code == 404


def test_audit_index_lists_every_round(client, auth, audited):
    programme, auditor = audited
    services.start_next_round(programme, "round-two", None)
    db.session.commit()
    auth.login(auditor)
    html = client.get(f"/manage/programmes/{programme.slug}/audit").get_data(as_text=True)
    assert "/audit/rounds/2/report" in html and "round-two" in html
    assert client.get(f"/manage/programmes/{programme.slug}/audit/rounds/2/report"
                      ).status_code == 200


def test_auditor_reads_the_planners_theme_names_without_the_answers(client, auth, audited,
                                                                     make_user):
    """A theme the planners named is listed, with its size, but none of its answers."""
    programme, auditor = audited
    slug = programme.rounds[0].consultation.slug
    auth.login(make_user(programme.host, Role.PLANNER))
    planner_view = client.get(f"/manage/consultations/{slug}/report").get_data(as_text=True)
    key = re.search(r'id="theme-question-why-([0-9a-f]+)"', planner_view).group(1)
    response = client.post_form(
        f"/manage/consultations/{slug}/themes/question:why/{key}/rename",
        {"name__en": "Night safety, as planners named it"})
    assert response.status_code in (302, 303)
    auth.logout()
    auth.login(auditor)
    html = client.get(f"/manage/programmes/{programme.slug}/audit/rounds/1/report"
                      ).get_data(as_text=True)
    assert "Night safety, as planners named it" in html
    assert "<blockquote" not in html.split('id="themes-title"', 1)[1]
    assert not any(text in html for text in VARIED)
