"""Staff sessions end for real: sign-out, revoked sessions and copied cookies."""
import datetime as dt

import pytest

from consult.accounts.models import StaffSession
from consult.accounts.staff_sessions import browser_family
from consult.extensions import db
from tests.conftest import PASSWORD

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _sign_in(app, user, agent: str | None = None):
    """A fresh browser signed in as user."""
    client = app.test_client()
    if agent:  # every request of this browser says so
        client.environ_base["HTTP_USER_AGENT"] = agent
    response = client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _copy(app, client):
    """Another browser holding a copy of client's session cookie (same user agent)."""
    thief = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return thief


def test_cookie_copied_before_sign_out_no_longer_works(app, make_user):
    user = make_user()
    client = _sign_in(app, user)
    copy = _copy(app, client)
    assert copy.get("/manage/").status_code == 200  # the copy works while signed in
    token = user.session_token
    client.post_form("/manage/logout")
    assert copy.get("/manage/").status_code == 302
    db.session.refresh(user)
    assert user.session_token != token
    assert db.session.scalar(db.select(db.func.count(StaffSession.id))) == 0


def test_revoked_session_cookie_is_refused(app, make_user):
    user = make_user()
    laptop = _sign_in(app, user, FIREFOX)
    phone = _sign_in(app, user)
    stolen = _copy(app, phone)
    page = laptop.get("/manage/account/sessions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Firefox" in html and "this browser" in html
    rows = db.session.scalars(db.select(StaffSession).order_by(StaffSession.id)).all()
    assert len(rows) == 2
    response = laptop.post_form(f"/manage/account/sessions/{rows[1].id}/sign-out")
    assert response.status_code == 303
    assert phone.get("/manage/").status_code == 302
    assert stolen.get("/manage/").status_code == 302
    assert laptop.get("/manage/").status_code == 200


def test_sign_out_everywhere_else_keeps_this_browser(app, make_user):
    user = make_user()
    browsers = [_sign_in(app, user) for _ in range(3)]
    response = browsers[0].post_form("/manage/account/sessions/others/sign-out")
    assert response.status_code == 303
    assert "2 other sessions are signed out" in browsers[0].get(
        response.headers["Location"]).get_data(as_text=True)
    assert [b.get("/manage/").status_code for b in browsers] == [200, 302, 302]


def test_nobody_signs_out_another_accounts_session(app, make_user):
    victim, attacker = make_user(), make_user()
    victim_browser = _sign_in(app, victim)
    attacker_browser = _sign_in(app, attacker)
    theirs = db.session.scalar(db.select(StaffSession.id).filter_by(user_id=victim.id))
    assert attacker_browser.post_form(
        f"/manage/account/sessions/{theirs}/sign-out").status_code == 404
    listed = attacker_browser.get("/manage/account/sessions").get_data(as_text=True)
    assert f'id="s{theirs}"' not in listed
    assert victim_browser.get("/manage/").status_code == 200


def test_sign_out_forms_need_their_csrf_token_and_a_real_session_id(app, make_user):
    user = make_user()
    client = _sign_in(app, user)
    mine = db.session.scalar(db.select(StaffSession.id))
    for url in (f"/manage/account/sessions/{mine}/sign-out",
                "/manage/account/sessions/others/sign-out"):
        assert client.post(url).status_code == 400  # forged from another site: no token
    assert client.get("/manage/").status_code == 200
    for number in ("0", "99999999999999999999999999"):
        response = client.post_form(f"/manage/account/sessions/{number}/sign-out")
        assert response.status_code == 404
    assert client.get("/manage/").status_code == 200


def test_signing_out_this_session_from_the_list_signs_this_browser_out(app, make_user):
    user = make_user()
    client = _sign_in(app, user)
    mine = db.session.scalar(db.select(StaffSession.id))
    response = client.post_form(f"/manage/account/sessions/{mine}/sign-out")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert client.get("/manage/").status_code == 302


def test_a_session_without_a_session_row_is_refused(app, client, make_user):
    """A cookie made before sessions were recorded (or forged with the token alone)."""
    user = make_user()
    client = _sign_in(app, user)
    with client.session_transaction() as session:
        del session["_staff_session"]
    assert client.get("/manage/").status_code == 302


def test_sessions_keep_days_only_and_last_seen_moves_once_a_day(app, make_user):
    user = make_user()
    client = _sign_in(app, user, FIREFOX)
    row = db.session.scalar(db.select(StaffSession))
    assert (row.browser, row.created_on, row.last_seen_on) == \
        ("Firefox", dt.date.today(), dt.date.today())
    row.last_seen_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    assert client.get("/manage/").status_code == 200
    db.session.expire_all()
    assert db.session.get(StaffSession, row.id).last_seen_on == dt.date.today()
    columns = set(StaffSession.__table__.columns.keys())
    assert columns == {"id", "user_id", "key_hash", "browser", "created_on", "last_seen_on"}


def test_dead_sessions_are_not_listed_and_signing_in_purges_them(app, make_user):
    user = make_user()
    _sign_in(app, user, FIREFOX)  # then left: its cookie expires within 12 hours
    dead = db.session.scalar(db.select(StaffSession))
    dead.created_on = dead.last_seen_on = dt.date.today() - dt.timedelta(days=2)
    dead_key = dead.key_hash  # read now: SQLite may give its id to the next row
    db.session.commit()
    client = _sign_in(app, user)
    html = client.get("/manage/account/sessions").get_data(as_text=True)
    main = html[html.index("<main"):]
    assert "Firefox" not in main and main.count('class="session"') == 1
    db.session.rollback()  # end this test's read snapshot
    assert db.session.scalar(db.select(StaffSession).filter_by(key_hash=dead_key)) is None


def test_sessions_page_works_without_javascript_and_is_labelled(app, make_user):
    user = make_user()
    client = _sign_in(app, user)
    _sign_in(app, user)
    html = client.get("/manage/account/sessions").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 3  # each form posts its own token
    assert 'id="csrf_token"' not in html  # several forms: no repeated id
    assert "Sign out everywhere else" in html and "<script" not in html.split("<main")[1]
    assert 'class="visually-hidden"' in html


@pytest.mark.parametrize("agent,family", [
    (FIREFOX, "Firefox"),
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
     "Chrome"),
    ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0",
     "Edge"),
    ("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1",
     "Safari"),
    ("", "Other"), (None, "Other"), ("curl/8.0", "Other")])
def test_only_a_coarse_browser_family_is_kept(agent, family):
    assert browser_family(agent) == family
