"""Requiring two-factor sign-in: by an organisation (its security page) or by the site; who it
applies to; a member who owes it reaches nothing but the setup page and signing out."""
from consult.accounts.models import Organisation, Role, User
from consult.audit.models import AuditEntry
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.permissions import must_use_two_factor, owes_two_factor_setup
from tests.accounts.test_two_factor import code_at, turn_on
from tests.conftest import PASSWORD


def _require(organisation) -> None:
    db.session.get(Organisation, organisation.id).require_two_factor = True
    db.session.commit()


def test_required_two_factor_blocks_everything_but_setup(app, client, auth, make_org,
                                                         make_user, make_consultation):
    organisation = make_org()
    user = make_user(organisation, Role.MODERATOR)
    consultation = make_consultation(host=organisation, state=State.DRAFT)
    _require(organisation)
    response = auth.login(user)
    assert response.headers["Location"] == "/manage/account/two-factor"
    for path in ("/manage/", "/manage/account", "/manage/account/password",
                 "/manage/account/sessions", f"/manage/consultations/{consultation.slug}",
                 f"/manage/consultations/{consultation.slug}/moderation"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/manage/account/two-factor", path
    # Posting is no way round it, and nor are the public pages that show drafts to staff.
    assert client.post_form("/manage/account/password", {
        "current": PASSWORD, "password": "a brand new passphrase",
        "confirm": "a brand new passphrase"}).headers["Location"] == \
        "/manage/account/two-factor"
    assert client.get(f"/consultations/{consultation.slug}").status_code == 404
    page = client.get("/manage/account/two-factor")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "requires two-factor sign-in" in html
    assert 'action="/manage/logout"' in html  # signing out stays possible
    assert client.post_form("/manage/logout").status_code == 302
    assert client.get("/manage/account/two-factor").status_code == 302


def test_setting_it_up_lifts_the_block(app, client, auth, make_org, make_user):
    import re

    organisation = make_org()
    user = make_user(organisation, Role.ADMIN)
    _require(organisation)
    auth.login(user)
    html = client.get("/manage/account/two-factor").get_data(as_text=True)
    secret = re.search(r"<bdi>([A-Z2-7 ]{39})</bdi>", html).group(1).replace(" ", "")
    assert client.post_form("/manage/account/two-factor",
                            {"code": code_at(secret)}).status_code == 200
    assert client.get("/manage/").status_code == 200


def test_who_a_requirement_applies_to(app, make_org, make_user):
    organisation = make_org()
    people = {role: make_user(organisation, role) for role in Role}
    admin = make_user(site_admin=True)
    _require(organisation)
    required = {role for role, user in people.items() if must_use_two_factor(user)}
    assert required == {Role.HOST, Role.MODERATOR, Role.ADMIN}  # planners read aggregates
    assert not must_use_two_factor(admin)


def test_a_deactivated_organisation_requires_nothing(app, make_org, make_user):
    organisation = make_org()
    user = make_user(organisation, Role.MODERATOR)
    _require(organisation)
    assert owes_two_factor_setup(user)
    db.session.get(Organisation, organisation.id).active = False
    db.session.commit()
    assert not owes_two_factor_setup(db.session.get(User, user.id))


def test_the_site_can_require_it_of_site_admins_and_moderators(app, client, auth, make_org,
                                                               make_user):
    organisation = make_org()
    moderator, planner = make_user(organisation, Role.MODERATOR), make_user(
        organisation, Role.PLANNER)
    admin = make_user(site_admin=True)
    assert not any(must_use_two_factor(u) for u in (moderator, planner, admin))
    app.config["REQUIRE_TWO_FACTOR_FOR_SITE_ADMINS"] = True
    assert must_use_two_factor(admin) and not must_use_two_factor(moderator)
    app.config["REQUIRE_TWO_FACTOR_FOR_MODERATORS"] = True
    assert must_use_two_factor(moderator) and not must_use_two_factor(planner)
    assert auth.login(admin).headers["Location"] == "/manage/account/two-factor"
    assert client.get("/manage/").headers["Location"] == "/manage/account/two-factor"


def test_required_two_factor_cannot_be_turned_off(app, client, make_org, make_user):
    organisation = make_org()
    user = make_user(organisation, Role.HOST)
    secret, _ = turn_on(user)
    _require(organisation)
    client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    client.post_form("/manage/login/two-factor", {"code": code_at(secret, 1)})
    assert client.get("/manage/").status_code == 200
    assert "cannot be turned off" in client.get("/manage/account/two-factor").get_data(
        as_text=True)
    token = client.csrf_token("/manage/account/two-factor")
    response = client.post("/manage/account/two-factor/disable", data={
        "disable-csrf_token": token, "disable-password": PASSWORD})
    assert response.status_code == 403
    assert db.session.get(User, user.id).totp_secret is not None


def test_host_requires_two_factor_on_the_security_page(app, client, auth, make_org,
                                                       make_user):
    organisation = make_org("host-org")
    host = make_user(organisation, Role.HOST)
    turn_on(host)
    moderator = make_user(organisation, Role.MODERATOR)
    page = "/manage/organisations/host-org/security"
    client.post_form("/manage/login", {"email": host.email, "password": PASSWORD})
    from tests.accounts.test_two_factor import code_at as code

    secret = db.session.get(User, host.id).totp_secret
    client.post_form("/manage/login/two-factor", {"code": code(secret, 1)})
    html = client.get(page).get_data(as_text=True)
    assert moderator.email in html and "password only" in html
    response = client.post_form(page, {"required": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).require_two_factor
    assert owes_two_factor_setup(db.session.get(User, moderator.id))
    entry = db.session.scalars(db.select(AuditEntry).filter_by(
        action="organisation.two_factor_required")).one()
    assert entry.organisation_id == organisation.id and entry.actor_id == host.id
    client.post_form(page, {})
    db.session.expire_all()
    assert not db.session.get(Organisation, organisation.id).require_two_factor


def test_requirement_page_is_for_that_organisations_managers_only(app, make_org, make_user):
    organisation, other = make_org("host-org"), make_org("other-org")
    people = {"moderator": make_user(organisation, Role.MODERATOR),
              "other_host": make_user(other, Role.HOST)}
    for name, expected in (("moderator", 403), ("other_host", 404)):
        client = app.test_client()
        client.post_form("/manage/login", {"email": people[name].email, "password": PASSWORD})
        assert client.get("/manage/organisations/host-org/security").status_code == expected
        assert client.post_form("/manage/organisations/host-org/security",
                                {"required": "y"}).status_code == expected
    assert not db.session.get(Organisation, organisation.id).require_two_factor
