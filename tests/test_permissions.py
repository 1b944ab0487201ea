"""Every route x role x consultation state, against an explicit table of expected answers.

Deny by default: a route missing from ROUTES fails test_every_route_is_in_the_matrix, and a
view without an access marker is unreachable (test_unmarked_view_is_refused).
"""
import pytest
from flask import Blueprint

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.permissions import ACCESS_ATTRIBUTE
from tests.permission_rows import feature_routes
from tests.permission_rows.roles import MANAGERS, ROLES, SIGNED_OUT, STAFF_WHO_SEE


def everyone(status):
    return lambda role, state: status


def participant_page(role, state):
    """Drafts exist only for staff who may see them; once open, everyone reads."""
    if state is State.DRAFT and role not in STAFF_WHO_SEE:
        return 404
    return 200


def survey_done(role, state):
    """Nothing submitted yet: back to the survey, for whoever may see the consultation."""
    return participant_page(role, state) if participant_page(role, state) == 404 else 302


def api_public(status):
    """The API shows no drafts, to anyone: it reads no session."""
    return lambda role, state: 404 if state is State.DRAFT else status


def staff_page(manage: bool, ok: int = 200, draft_only: bool = False):
    """Signed-out people are sent to sign in; other organisations get 404; viewers 403."""
    def expect(role, state):
        if role in SIGNED_OUT:
            return 302
        if role == "host_other":
            return 404
        if manage and role not in MANAGERS:
            return 403
        if draft_only and state is not State.DRAFT:
            return 409
        return ok
    return expect


def create_page(role, state):
    """Anyone who hosts for some organisation may create; other roles may not."""
    if role in SIGNED_OUT:
        return 302
    return 200 if role in {"host_own", "host_other", "partner_host", "site_admin"} else 403


def staff_index(role, state):
    return 302 if role in SIGNED_OUT else 200


def own_account(ok: int):
    """A staff member's own account pages: any signed-in staff, whatever the consultation."""
    return lambda role, state: 302 if role in SIGNED_OUT else ok


def login_page(role, state):
    return 200 if role in SIGNED_OUT else 302


def paper_import(ok: int):
    """Managers import paper responses while open or closed (late paper), not in draft and
    not once results are published (409)."""
    def expect(role, state):
        if role in MANAGERS and state in (State.DRAFT, State.RESULTS_PUBLISHED):
            return 409
        return staff_page(manage=True, ok=ok)(role, state)
    return expect


def responses_page(ok: int = 200):
    """Planners and managers of the host write "you said, we did"; other staff may not."""
    def expect(role, state):
        expected = staff_page(manage=False, ok=ok)(role, state)
        return 403 if expected == ok and role in {"partner_host", "moderator"} else expected
    return expect


def translator_page(role, state):
    """Hosts, moderators, planners and admins of the host translate; partners only read."""
    expected = staff_page(manage=False)(role, state)
    return 403 if expected == 200 and role == "partner_host" else expected


def comment_post(role, state):
    """A comment with no text: 422 while open, 409 when the state allows no comments."""
    if participant_page(role, state) == 404:
        return 404
    return 422 if state is State.OPEN else 409


def vote_post(role, state):
    """A vote with no choice: 400 while open, 409 when the state allows no votes."""
    if participant_page(role, state) == 404:
        return 404
    return 400 if state is State.OPEN else 409


def withdraw_post(role, state):
    """Only a comment's author may withdraw it; nobody in the matrix wrote comment 1."""
    return participant_page(role, state) if participant_page(role, state) == 404 else 403


def results_page(role, state):
    """Published results exist, for everyone, only once the host publishes them."""
    return 200 if state is State.RESULTS_PUBLISHED else 404


def moderator_page(ok: int = 200):
    """Moderation pages: moderators and admins of the host (or of a partner granted it) and
    site admins; other staff who see the consultation 403, other organisations 404."""
    def expect(role, state):
        expected = staff_page(manage=False, ok=ok)(role, state)
        if role in STAFF_WHO_SEE and role not in {"moderator", "site_admin"}:
            return 403
        return expected
    return expect


def report_post(role, state):
    """A report with no reason: 422 wherever the comment can be read (after closing too)."""
    return participant_page(role, state) if participant_page(role, state) == 404 else 422


def planner_page(role, state):
    """The planner report: planners and admins (of the host or a partner) and site admins."""
    expected = staff_page(manage=False)(role, state)
    return 403 if expected == 200 and role not in {"planner", "site_admin"} else expected


def theme_edit(role, state):
    """Theme edits: whoever reads the planner report; the matrix has no themes (404)."""
    expected = planner_page(role, state)
    return 404 if expected == 200 else expected


#: (rule, method, path with {slug}, expectation)
ROUTES = [
    ("/", "GET", "/", everyone(200)),
    ("/ping", "GET", "/ping", everyone(200)),
    ("/exit", "GET", "/exit", everyone(302)),
    ("/codename", "GET", "/codename", everyone(200)),
    ("/receipt", "GET", "/receipt", everyone(200)),
    ("/consultations/<slug>", "GET", "/consultations/{slug}", participant_page),
    ("/consultations/<slug>/privacy", "GET", "/consultations/{slug}/privacy", participant_page),
    ("/consultations/<slug>/sections/<int:number>", "GET", "/consultations/{slug}/sections/1",
     participant_page),
    ("/consultations/<slug>/sections/<int:number>", "POST", "/consultations/{slug}/sections/1",
     comment_post),
    ("/consultations/<slug>/comments", "GET", "/consultations/{slug}/comments",
     participant_page),
    ("/consultations/<slug>/comments", "POST", "/consultations/{slug}/comments", comment_post),
    ("/consultations/<slug>/comments/<int:comment_id>", "GET",
     "/consultations/{slug}/comments/1", participant_page),
    ("/consultations/<slug>/comments/<int:comment_id>", "POST",
     "/consultations/{slug}/comments/1", comment_post),
    ("/consultations/<slug>/comments/<int:comment_id>/vote", "POST",
     "/consultations/{slug}/comments/1/vote", vote_post),
    ("/consultations/<slug>/comments/<int:comment_id>/withdraw", "POST",
     "/consultations/{slug}/comments/1/withdraw", withdraw_post),
    ("/consultations/<slug>/vote", "GET", "/consultations/{slug}/vote", participant_page),
    ("/consultations/<slug>/survey", "GET", "/consultations/{slug}/survey", participant_page),
    ("/consultations/<slug>/survey/done", "GET", "/consultations/{slug}/survey/done",
     survey_done),
    ("/consultations/<slug>/survey/change", "POST", "/consultations/{slug}/survey/change",
     survey_done),
    ("/api/v1/openapi.json", "GET", "/api/v1/openapi.json", everyone(200)),
    ("/api/v1/consultations", "GET", "/api/v1/consultations", everyone(200)),
    ("/api/v1/consultations/<slug>", "GET", "/api/v1/consultations/{slug}", api_public(200)),
    # A form post (as the matrix sends) is not JSON: 415 wherever the consultation is public.
    ("/api/v1/consultations/<slug>/responses", "POST", "/api/v1/consultations/{slug}/responses",
     api_public(415)),
    ("/api/v1/consultations/<slug>/comments", "GET", "/api/v1/consultations/{slug}/comments",
     api_public(200)),
    ("/api/v1/consultations/<slug>/comments", "POST", "/api/v1/consultations/{slug}/comments",
     api_public(415)),
    ("/api/v1/comments/<int:comment_id>/votes", "POST", "/api/v1/comments/1/votes",
     api_public(415)),
    ("/manage/login", "GET", "/manage/login", login_page),
    ("/manage/logout", "POST", "/manage/logout", everyone(302)),
    ("/manage/", "GET", "/manage/", staff_index),
    # Each staff member's own sessions (session 999999 is nobody's).
    ("/manage/account/sessions", "GET", "/manage/account/sessions", own_account(200)),
    ("/manage/account/sessions/<int:session_id>/sign-out", "POST",
     "/manage/account/sessions/999999/sign-out", own_account(404)),
    ("/manage/account/sessions/others/sign-out", "POST",
     "/manage/account/sessions/others/sign-out", own_account(303)),
    ("/manage/consultations/new", "GET", "/manage/consultations/new", create_page),
    ("/manage/consultations/<slug>", "GET", "/manage/consultations/{slug}",
     staff_page(manage=False)),
    ("/manage/consultations/<slug>/edit", "GET", "/manage/consultations/{slug}/edit",
     staff_page(manage=True)),
    ("/manage/consultations/<slug>/partners", "GET", "/manage/consultations/{slug}/partners",
     staff_page(manage=True)),
    ("/manage/consultations/<slug>/sections/new", "GET",
     "/manage/consultations/{slug}/sections/new", staff_page(manage=True, draft_only=True)),
    ("/manage/consultations/<slug>/sections/<int:number>/edit", "GET",
     "/manage/consultations/{slug}/sections/1/edit", staff_page(manage=True)),
    ("/manage/consultations/<slug>/sections/<int:number>/<any(up, down, delete):action>",
     "POST", "/manage/consultations/{slug}/sections/1/up", staff_page(manage=True, ok=302)),
    ("/manage/consultations/<slug>/state", "POST", "/manage/consultations/{slug}/state",
     staff_page(manage=True, ok=302)),
    ("/manage/consultations/<slug>/comments", "GET", "/manage/consultations/{slug}/comments",
     staff_page(manage=False)),
    ("/manage/consultations/<slug>/responses", "GET", "/manage/consultations/{slug}/responses",
     responses_page()),
    ("/manage/consultations/<slug>/responses/new", "GET",
     "/manage/consultations/{slug}/responses/new", responses_page()),
    # No response exists in the matrix: those who may write get 404 for response 1.
    ("/manage/consultations/<slug>/responses/<int:response_id>/edit", "GET",
     "/manage/consultations/{slug}/responses/1/edit", responses_page(ok=404)),
    ("/manage/consultations/<slug>/responses/<int:response_id>/"
     "<any(publish, withdraw, delete):action>", "POST",
     "/manage/consultations/{slug}/responses/1/publish", responses_page(ok=404)),
    ("/manage/consultations/<slug>/comments/<int:comment_id>/translation", "GET",
     "/manage/consultations/{slug}/comments/1/translation", translator_page),
    ("/manage/consultations/<slug>/survey/paper", "GET",
     "/manage/consultations/{slug}/survey/paper", staff_page(manage=True)),
    ("/manage/consultations/<slug>/survey/paper/template.csv", "GET",
     "/manage/consultations/{slug}/survey/paper/template.csv", staff_page(manage=True)),
    # The matrix posts no file (422: an error on the field) and no signed rows (302 back).
    ("/manage/consultations/<slug>/survey/paper", "POST",
     "/manage/consultations/{slug}/survey/paper", paper_import(ok=422)),
    ("/manage/consultations/<slug>/survey/paper/import", "POST",
     "/manage/consultations/{slug}/survey/paper/import", paper_import(ok=302)),
    # The survey builder (managers only; structure pages 409 outside a draft, buttons 302).
    ("/manage/consultations/<slug>/survey", "GET", "/manage/consultations/{slug}/survey",
     staff_page(manage=True)),
    ("/manage/consultations/<slug>/survey/create", "POST",
     "/manage/consultations/{slug}/survey/create", staff_page(manage=True, ok=302)),
    ("/manage/consultations/<slug>/survey/pages/new", "GET",
     "/manage/consultations/{slug}/survey/pages/new", staff_page(manage=True, draft_only=True)),
    ("/manage/consultations/<slug>/survey/pages/<page_key>/edit", "GET",
     "/manage/consultations/{slug}/survey/pages/p1/edit", staff_page(manage=True)),
    ("/manage/consultations/<slug>/survey/pages/<page_key>/<any(up, down, delete):action>",
     "POST", "/manage/consultations/{slug}/survey/pages/p1/up", staff_page(manage=True, ok=302)),
    ("/manage/consultations/<slug>/survey/pages/<page_key>/questions/new", "GET",
     "/manage/consultations/{slug}/survey/pages/p1/questions/new",
     staff_page(manage=True, draft_only=True)),
    ("/manage/consultations/<slug>/survey/questions/<key>/edit", "GET",
     "/manage/consultations/{slug}/survey/questions/q1/edit", staff_page(manage=True)),
    ("/manage/consultations/<slug>/survey/questions/<key>/<any(up, down, delete):action>",
     "POST", "/manage/consultations/{slug}/survey/questions/q1/up",
     staff_page(manage=True, ok=302)),
    ("/manage/consultations/<slug>/survey/questions/<key>/options/new", "GET",
     "/manage/consultations/{slug}/survey/questions/q2/options/new",
     staff_page(manage=True, draft_only=True)),
    ("/manage/consultations/<slug>/survey/questions/<key>/options/<option_key>/edit", "GET",
     "/manage/consultations/{slug}/survey/questions/q2/options/a/edit", staff_page(manage=True)),
    ("/manage/consultations/<slug>/survey/questions/<key>/options/<option_key>/"
     "<any(up, down, delete):action>", "POST",
     "/manage/consultations/{slug}/survey/questions/q2/options/a/up",
     staff_page(manage=True, ok=302)),
    ("/manage/consultations/<slug>/survey/import", "GET",
     "/manage/consultations/{slug}/survey/import", staff_page(manage=True)),
    # Summaries: public results and their API once published; the planner report and export.
    ("/consultations/<slug>/results", "GET", "/consultations/{slug}/results", results_page),
    ("/consultations/<slug>/results/questions/<key>", "GET",
     "/consultations/{slug}/results/questions/q2", results_page),
    ("/api/v1/consultations/<slug>/summary", "GET", "/api/v1/consultations/{slug}/summary",
     results_page),
    ("/manage/consultations/<slug>/report", "GET", "/manage/consultations/{slug}/report",
     planner_page),
    ("/manage/consultations/<slug>/report/export", "GET",
     "/manage/consultations/{slug}/report/export", planner_page),
    ("/manage/consultations/<slug>/themes/<source>/<key>", "GET",
     "/manage/consultations/{slug}/themes/comments/0123456789ab", theme_edit),
    ("/manage/consultations/<slug>/themes/<source>/<key>/<any(rename, merge, split):action>",
     "POST", "/manage/consultations/{slug}/themes/question:q1/0123456789ab/rename", theme_edit),
    ("/manage/consultations/<slug>/themes/edits/<int:edit_id>/undo", "POST",
     "/manage/consultations/{slug}/themes/edits/1/undo", theme_edit),
    # Moderation: the queue (a bulk post with nothing ticked is 422), a comment's review (a
    # decision with no reason 422), appeals and watched words that do not exist (404).
    ("/manage/consultations/<slug>/moderation", "GET", "/manage/consultations/{slug}/moderation",
     moderator_page()),
    ("/manage/consultations/<slug>/moderation", "POST",
     "/manage/consultations/{slug}/moderation", moderator_page(ok=422)),
    ("/manage/consultations/<slug>/moderation/comments/<int:comment_id>", "GET",
     "/manage/consultations/{slug}/moderation/comments/1", moderator_page()),
    ("/manage/consultations/<slug>/moderation/comments/<int:comment_id>", "POST",
     "/manage/consultations/{slug}/moderation/comments/1", moderator_page(ok=422)),
    ("/manage/consultations/<slug>/moderation/appeals/<int:appeal_id>", "POST",
     "/manage/consultations/{slug}/moderation/appeals/1", moderator_page(ok=404)),
    ("/manage/consultations/<slug>/moderation/words", "GET",
     "/manage/consultations/{slug}/moderation/words", moderator_page()),
    ("/manage/consultations/<slug>/moderation/words", "POST",
     "/manage/consultations/{slug}/moderation/words", moderator_page(ok=422)),
    ("/manage/consultations/<slug>/moderation/words/<int:word_id>/delete", "POST",
     "/manage/consultations/{slug}/moderation/words/1/delete", moderator_page(ok=404)),
    # The decision log (CSV) is for auditors: planners and site admins.
    ("/manage/consultations/<slug>/moderation/log.csv", "GET",
     "/manage/consultations/{slug}/moderation/log.csv", planner_page),
    ("/consultations/<slug>/moderation", "GET", "/consultations/{slug}/moderation",
     participant_page),
    ("/consultations/<slug>/comments/<int:comment_id>/report", "GET",
     "/consultations/{slug}/comments/1/report", participant_page),
    ("/consultations/<slug>/comments/<int:comment_id>/report", "POST",
     "/consultations/{slug}/comments/1/report", report_post),
    # Only a comment's author may appeal a decision on it; there is no decision 1 here.
    ("/receipt/decisions/<int:decision_id>/appeal", "GET", "/receipt/decisions/1/appeal",
     everyone(404)),
    ("/receipt/decisions/<int:decision_id>/appeal", "POST", "/receipt/decisions/1/appeal",
     everyone(404)),
]
ROUTES += feature_routes()


@pytest.fixture
def people(app, client, make_org, make_user, make_consultation):
    """One consultation hosted by organisation A with partner P, and a user per role."""
    from types import SimpleNamespace

    from consult.comments.models import CommentState
    from consult.comments.services import post_comment
    from consult.consultations.services import set_partners
    from consult.extensions import db
    from consult.surveys.services import replace_survey
    from tests.surveys.specs import options, question

    def question_page():
        return SimpleNamespace(key="p1", labels={}, questions=[
            question("q1"), question("q2", "single_choice", options=options("a", "b"))])

    host, other, partner = make_org("host-org"), make_org("other-org"), make_org("partner-org")
    users = {
        "host_own": make_user(host, Role.HOST),
        "host_other": make_user(other, Role.HOST),
        "partner_host": make_user(partner, Role.HOST),
        "moderator": make_user(host, Role.MODERATOR),
        "planner": make_user(host, Role.PLANNER),
        "site_admin": make_user(site_admin=True),
    }
    consultation = make_consultation(host=host, state=State.DRAFT)
    set_partners(consultation, [partner])
    replace_survey(consultation, [question_page()])
    post_comment(consultation, "seed-author", "Comment 1", "en", state=CommentState.PUBLISHED)
    db.session.commit()
    return consultation, users


def _as(app, role, users):
    """A fresh client acting as role."""
    from tests.conftest import PASSWORD

    client = app.test_client()
    if role == "participant":
        client.post_form("/codename")
    elif role in users:
        response = client.post_form("/manage/login",
                                    {"email": users[role].email, "password": PASSWORD})
        assert response.status_code == 302, f"{role} could not sign in"
    return client


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
@pytest.mark.parametrize("rule,method,path,expect", ROUTES, ids=[r[0] for r in ROUTES])
def test_route_answers_each_role_as_the_table_says(app, people, rule, method, path, expect,
                                                   state):
    from consult.extensions import db

    consultation, users = people
    consultation.state = state
    db.session.commit()
    url = path.format(slug=consultation.slug)
    wrong = {}
    for role in ROLES:
        client = _as(app, role, users)
        if method == "GET":
            status = client.get(url).status_code
        else:
            status = client.post_form(url, {"action": "no-such-action"}).status_code
        if status != expect(role, state):
            wrong[role] = (status, expect(role, state))
    assert not wrong, f"{method} {url} in {state.value}: (got, expected) {wrong}"


def test_every_route_is_in_the_matrix(app):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert rules == {route[0] for route in ROUTES}


def test_every_view_is_marked_public_or_staff_only(app):
    unmarked = [name for name, view in app.view_functions.items()
                if name != "static" and getattr(view, ACCESS_ATTRIBUTE, None) is None]
    assert unmarked == []


def test_unmarked_view_is_refused(app, client):
    blueprint = Blueprint("forgotten", __name__)
    blueprint.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    app.register_blueprint(blueprint)
    assert client.get("/forgotten").status_code == 404


def test_signed_out_staff_page_redirects_to_sign_in_and_back(client, people):
    consultation, _ = people
    response = client.get(f"/manage/consultations/{consultation.slug}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/manage/login?next=")


#: Who may read comments that are not published (pending, held, hidden, rejected, withdrawn).
READS_UNPUBLISHED = {"moderator", "site_admin"}


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
def test_only_moderators_read_unpublished_comments(app, people, state):
    """The predicate behind every staff view of comments, across roles and states (the full
    comment-state x role table is tests/moderation/test_who_sees_held_comments.py)."""
    from consult.extensions import db
    from consult.permissions import can_read_unpublished_comments, may_read_comment

    consultation, users = people
    consultation.state = state
    db.session.commit()
    for role, user in users.items():
        assert can_read_unpublished_comments(user, consultation) == (role in READS_UNPUBLISHED)
        assert may_read_comment(user, consultation, published=False) == \
            (role in READS_UNPUBLISHED), role
        assert may_read_comment(user, consultation, published=True) == \
            (role in STAFF_WHO_SEE), role
