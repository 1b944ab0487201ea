"""Staff pages of programmes: the list and creation form, the dashboard, settings, rounds
(adding a consultation, starting the next round) and auditors."""
import pytest

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import services
from consult.programmes.models import Programme


@pytest.fixture
def setup(make_org, make_user, make_programme):
    """A programme of host-org, a partner of its round, and staff of every kind."""
    from types import SimpleNamespace

    from consult.consultations.services import set_partners

    host, other, partner = make_org("host-org"), make_org("other-org"), make_org("partner-org")
    programme = make_programme(host=host)
    set_partners(programme.rounds[0].consultation, [partner])
    db.session.commit()
    return SimpleNamespace(
        programme=programme, host=host, other=other, partner=partner,
        host_own=make_user(host, Role.HOST), host_other=make_user(other, Role.HOST),
        partner_host=make_user(partner, Role.HOST), moderator=make_user(host, Role.MODERATOR),
        planner=make_user(host, Role.PLANNER), site_admin=make_user(site_admin=True))


def _page(setup, name: str = "") -> str:
    return f"/manage/programmes/{setup.programme.slug}{name}"


def test_list_shows_my_organisations_programmes_only(client, auth, setup, make_programme):
    elsewhere = make_programme(host=setup.other)
    auth.login(setup.host_own)
    html = client.get("/manage/programmes").get_data(as_text=True)
    assert setup.programme.slug in html and elsewhere.slug not in html
    assert 'name="slug"' in html  # the host may create one


def test_site_admin_lists_every_programme(client, auth, setup, make_programme):
    elsewhere = make_programme(host=setup.other)
    auth.login(setup.site_admin)
    html = client.get("/manage/programmes").get_data(as_text=True)
    assert setup.programme.slug in html and elsewhere.slug in html


def test_list_links_the_programmes_one_audits(client, auth, setup):
    services.add_auditor(setup.programme, setup.host_other, None)
    db.session.commit()
    auth.login(setup.host_other)
    html = client.get("/manage/programmes").get_data(as_text=True)
    assert f"/manage/programmes/{setup.programme.slug}/audit" in html


def test_staff_index_links_the_programmes(client, auth, setup):
    auth.login(setup.planner)
    assert "/manage/programmes" in client.get("/manage/").get_data(as_text=True)


def test_host_creates_a_programme(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form("/manage/programmes", {
        "host": setup.host.id, "slug": "water-points", "default_language": "en",
        "languages": ["en", "fr"], "title__en": "Water points", "title__fr": "Points d'eau",
        "description__en": "Three rounds."})
    assert response.status_code == 302
    programme = services.get_programme("water-points")
    assert programme.languages == ["en", "fr"]
    assert programme.texts_for("title") == {"en": "Water points", "fr": "Points d'eau"}
    assert [s.key for s in programme.statuses][:2] == ["planned", "under_way"]
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="programme.created"))


def test_create_form_errors_are_tied_to_their_fields(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form("/manage/programmes", {
        "host": setup.host.id, "slug": "Not A Slug", "default_language": "en",
        "languages": ["en"]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="slug-error"' in html and 'id="title__en-error"' in html


def test_create_refuses_a_slug_in_use(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form("/manage/programmes", {
        "host": setup.host.id, "slug": setup.programme.slug, "default_language": "en",
        "languages": ["en"], "title__en": "Again"})
    assert response.status_code == 422
    assert "already uses this web address" in response.get_data(as_text=True)


def test_host_cannot_create_a_programme_for_another_organisation(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form("/manage/programmes", {
        "host": setup.other.id, "slug": "theirs", "default_language": "en",
        "languages": ["en"], "title__en": "Theirs"})
    assert response.status_code == 422
    assert services.get_programme("theirs") is None


def test_planner_cannot_create_a_programme(client, auth, setup):
    auth.login(setup.planner)
    assert 'name="slug"' not in client.get("/manage/programmes").get_data(as_text=True)
    response = client.post_form("/manage/programmes", {
        "host": setup.host.id, "slug": "planned", "default_language": "en",
        "languages": ["en"], "title__en": "Planned"})
    assert response.status_code == 403


def test_create_without_csrf_token_is_refused(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post("/manage/programmes", data={
        "host": setup.host.id, "slug": "no-token", "default_language": "en",
        "languages": ["en"], "title__en": "No token"})
    assert response.status_code == 400
    assert services.get_programme("no-token") is None


@pytest.mark.parametrize("role", ["host_own", "moderator", "planner", "site_admin"])
def test_dashboard_for_the_hosts_staff(client, auth, setup, role):
    auth.login(getattr(setup, role))
    response = client.get(_page(setup))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert setup.programme.rounds[0].consultation.slug in html
    assert f"/programmes/{setup.programme.slug}" in html
    assert ("next_slug" in html) == (role in {"host_own", "site_admin"})


@pytest.mark.parametrize("role", ["host_other", "partner_host"])
def test_other_organisations_cannot_see_the_dashboard(client, auth, setup, role):
    auth.login(getattr(setup, role))
    for page in ("", "/indicators", "/proposals", "/settings", "/auditors", "/commitments",
                 "/statuses"):
        assert client.get(_page(setup, page)).status_code == 404, page


def test_signed_out_is_sent_to_sign_in(client, setup):
    assert client.get(_page(setup)).status_code == 302


@pytest.mark.parametrize("role", ["moderator", "planner"])
def test_only_managers_change_settings_rounds_and_auditors(client, auth, setup, role):
    auth.login(getattr(setup, role))
    assert client.get(_page(setup, "/settings")).status_code == 403
    assert client.get(_page(setup, "/auditors")).status_code == 403
    assert client.post_form(_page(setup, "/rounds/next"),
                            {"next_slug": "round-two"}).status_code == 403
    assert client.post_form(_page(setup, "/rounds"), {"consultation": 1}).status_code == 403


def test_start_the_next_round_from_the_dashboard(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form(_page(setup, "/rounds/next"), {"next_slug": "round-two"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/consultations/round-two")
    programme = db.session.get(Programme, setup.programme.id)
    db.session.refresh(programme)
    assert [r.consultation.slug for r in programme.rounds][-1] == "round-two"
    assert programme.rounds[-1].consultation.state is State.DRAFT


def test_next_round_refuses_a_slug_in_use(client, auth, setup):
    auth.login(setup.host_own)
    taken = setup.programme.rounds[0].consultation.slug
    response = client.post_form(_page(setup, "/rounds/next"), {"next_slug": taken})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="next_slug-error"' in html and "already uses this web address" in html


def test_add_one_of_the_hosts_consultations_as_a_round(client, auth, setup, make_consultation):
    mine = make_consultation(host=setup.host)
    theirs = make_consultation(host=setup.other)
    auth.login(setup.host_own)
    html = client.get(_page(setup)).get_data(as_text=True)
    assert mine.slug in html and theirs.slug not in html
    refused = client.post_form(_page(setup, "/rounds"), {"consultation": theirs.id})
    assert refused.status_code == 422 and 'id="consultation-error"' in refused.get_data(
        as_text=True)
    assert client.post_form(_page(setup, "/rounds"),
                            {"consultation": mine.id}).status_code == 302
    assert services.programme_of(mine).position == 2


def test_settings_change_texts_licence_and_listing(client, auth, setup):
    auth.login(setup.host_own)
    page = client.get(_page(setup, "/settings")).get_data(as_text=True)
    assert "CC-BY-4.0" in page and "ODbL-1.0" in page
    response = client.post_form(_page(setup, "/settings"), {
        "default_language": "en", "languages": ["en", "fr"], "title__en": "Renamed",
        "title__fr": "Renommé", "data_licence": "CC0-1.0"})
    assert response.status_code == 302
    programme = db.session.get(Programme, setup.programme.id)
    db.session.refresh(programme)
    assert programme.texts_for("title")["en"] == "Renamed"
    assert programme.data_licence == "CC0-1.0" and programme.listed is False


def test_settings_refuse_an_unknown_licence(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form(_page(setup, "/settings"), {
        "default_language": "en", "languages": ["en"], "title__en": "T",
        "data_licence": "All-rights-reserved"})
    assert response.status_code == 422
    assert 'id="data_licence-error"' in response.get_data(as_text=True)


def test_auditor_added_by_email_and_removed(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form(_page(setup, "/auditors"),
                                {"email": setup.host_other.email.upper()})
    assert response.status_code == 302
    programme = db.session.get(Programme, setup.programme.id)
    db.session.refresh(programme)
    assert [a.user_id for a in programme.auditors] == [setup.host_other.id]
    response = client.post_form(_page(setup, f"/auditors/{setup.host_other.id}/remove"))
    assert response.status_code == 302
    db.session.refresh(programme)
    assert programme.auditors == []


def test_auditor_needs_an_existing_active_account(client, auth, setup):
    setup.planner.active = False
    db.session.commit()
    auth.login(setup.host_own)
    for email in ("nobody@example.org", setup.planner.email):
        response = client.post_form(_page(setup, "/auditors"), {"email": email})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert 'id="email-error"' in html and "No active staff account" in html


def test_auditor_of_a_programme_cannot_manage_it(client, auth, setup):
    services.add_auditor(setup.programme, setup.host_other, None)
    db.session.commit()
    auth.login(setup.host_other)
    assert client.get(_page(setup)).status_code == 403
    assert client.get(_page(setup, "/settings")).status_code == 403


def test_create_without_a_default_language_is_a_form_error(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form("/manage/programmes", {"host": setup.host.id, "slug": "x"})
    assert response.status_code == 422
    assert 'id="languages-error"' in response.get_data(as_text=True)
