"""Who reads comments that are not published: every comment state against every role.

Pending, held, hidden, rejected and withdrawn comments may carry a phone number or worse:
only the moderators of the host (and of partners the host granted moderation) and site
admins read them. Planners and partner hosts read published comments only.
"""
import pytest

from consult.accounts.models import Role
from consult.comments.models import CommentState
from consult.consultations.services import set_partners
from consult.extensions import db
from tests.conftest import PASSWORD

#: Each comment carries a phone number, the kind of detail screening holds back.
STATES = {
    "pending": (CommentState.PENDING, None),
    "held": (CommentState.PENDING, "personal_data"),
    "published": (CommentState.PUBLISHED, None),
    "hidden": (CommentState.HIDDEN, "harassment"),
    "rejected": (CommentState.REJECTED, "spam"),
    "withdrawn": (CommentState.WITHDRAWN, None),
}
MODERATORS = {"host_admin", "host_moderator", "partner_moderator_granted", "site_admin"}
#: Who sees the consultation's staff pages at all (the others are sent away).
STAFF = MODERATORS | {"host_host", "host_planner", "partner_host", "partner_planner"}
ROLES = sorted(STAFF | {"other_organisation", "anonymous"})


@pytest.fixture
def setting(app, make_org, make_user, make_consultation, make_comment):
    """A consultation with a comment in each state, and a user for each role."""
    host, partner, granted, other = (make_org(s) for s in ("host", "partner", "granted",
                                                            "other"))
    consultation = make_consultation(host=host)
    set_partners(consultation, [partner, granted], moderating=[granted])
    db.session.commit()
    users = {
        "host_admin": make_user(host, Role.ADMIN),
        "host_host": make_user(host, Role.HOST),
        "host_moderator": make_user(host, Role.MODERATOR),
        "host_planner": make_user(host, Role.PLANNER),
        "partner_host": make_user(partner, Role.HOST),
        "partner_planner": make_user(partner, Role.PLANNER),
        "partner_moderator_granted": make_user(granted, Role.MODERATOR),
        "other_organisation": make_user(other, Role.MODERATOR),
        "site_admin": make_user(site_admin=True),
    }
    comments = {}
    for name, (state, reason) in STATES.items():
        comment = make_comment(consultation, body=f"{name} comment: call me on +254 712 345 678",
                               state=state)
        comment.moderation_reason = reason
        comments[name] = comment
    db.session.commit()
    return consultation, users, comments


def _client(app, role, users):
    client = app.test_client()
    if role in users:
        response = client.post_form("/manage/login",
                                    {"email": users[role].email, "password": PASSWORD})
        assert response.status_code == 302
    return client


def may_read(role: str, state: str) -> bool:
    """The table this test checks: the comment's text is shown to this role."""
    if state == "published":
        return role in STAFF
    return role in MODERATORS


def test_unpublished_comments_are_read_only_by_their_moderators(app, setting):
    consultation, users, comments = setting
    base = f"/manage/consultations/{consultation.slug}/comments"
    wrong = []
    for role in ROLES:
        client = _client(app, role, users)
        listing = client.get(base)
        html = listing.get_data(as_text=True)
        for state, comment in comments.items():
            shown = f"{state} comment" in html
            if shown != may_read(role, state):
                wrong.append((role, state, "list", shown))
            page = client.get(f"{base}/{comment.id}/translation")
            opened = page.status_code == 200 and comment.body in page.get_data(as_text=True)
            if opened != (may_read(role, state) and role != "partner_host"):
                wrong.append((role, state, "translation", page.status_code))
            if not may_read(role, state) and "712 345 678" in page.get_data(as_text=True):
                wrong.append((role, state, "phone on the translation page", page.status_code))
            review = client.get(f"/manage/consultations/{consultation.slug}/moderation/"
                                f"comments/{comment.id}")
            if (review.status_code == 200) != (role in MODERATORS) or (
                    role not in MODERATORS and "712 345 678" in review.get_data(as_text=True)):
                wrong.append((role, state, "moderation review", review.status_code))
        if role not in STAFF and listing.status_code not in (302, 404):
            wrong.append((role, "-", "list status", listing.status_code))
    assert not wrong, wrong


def test_planner_cannot_read_a_held_phone_number_through_the_comment_list(app, setting):
    consultation, users, comments = setting
    client = _client(app, "host_planner", users)
    html = client.get(f"/manage/consultations/{consultation.slug}/comments?language=en") \
        .get_data(as_text=True)
    assert "published comment" in html
    assert html.count("712 345 678") == 1  # the published one only
    older = client.get(f"/manage/consultations/{consultation.slug}/comments"
                       f"?before={comments['withdrawn'].id + 1}").get_data(as_text=True)
    assert "held comment" not in older and "pending comment" not in older


def test_participants_read_only_published_comments_on_the_site_and_api(app, setting):
    consultation, _, comments = setting
    client = app.test_client()
    html = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    api = client.get(f"/api/v1/consultations/{consultation.slug}/comments").get_json()
    assert [c["id"] for c in api["comments"]] == [comments["published"].id]
    for state, comment in comments.items():
        assert (f"{state} comment" in html) == (state == "published")
        if state != "published":  # a marker at most (hidden, withdrawn), never the text
            page = client.get(f"/consultations/{consultation.slug}/comments/{comment.id}")
            assert page.status_code in (200, 404)
            assert "712 345 678" not in page.get_data(as_text=True)
