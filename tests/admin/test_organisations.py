"""Organisations run by site administrators; what a deactivated organisation means."""
import pytest

from consult.accounts.models import Organisation, OrganisationKind, Role, User
from consult.audit.models import AuditEntry
from consult.consultations.lifecycle import State
from consult.extensions import db
from tests.admin.helpers import signed_in


@pytest.fixture
def site_admin(make_user):
    return make_user(site_admin=True)


def _organisation(slug: str) -> Organisation:
    db.session.expire_all()
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


def _audit() -> list[tuple[str, str]]:
    """The log's entries but sign-ins."""
    return [(e.action, e.detail) for e in db.session.scalars(
        db.select(AuditEntry).order_by(AuditEntry.id)) if not e.action.startswith(
        "account.signed_in")]


def test_site_admin_creates_an_organisation_and_is_sent_to_invite_its_host(app, site_admin):
    browser = signed_in(app, site_admin)
    response = browser.post_form("/manage/organisations/new", {
        "name": "Amani Youth", "kind": "civil_society", "slug": "amani-youth"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/manage/organisations/amani-youth/invitations/new"
    organisation = _organisation("amani-youth")
    assert organisation.name == "Amani Youth" and organisation.active
    assert _audit() == [("organisation.created", "Amani Youth (civil_society)")]
    assert "Amani Youth" in browser.get("/manage/organisations").get_data(as_text=True)


def test_a_taken_or_malformed_web_address_is_a_field_error(app, site_admin, make_org):
    make_org("taken")
    browser = signed_in(app, site_admin)
    for slug in ("taken", "Not A Slug", "-x"):
        response = browser.post_form("/manage/organisations/new", {
            "name": "X", "kind": "other", "slug": slug})
        assert response.status_code == 422, slug
        assert 'id="slug-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 1


def test_site_admin_renames_an_organisation_and_the_log_says_before_and_after(
        app, site_admin, make_org):
    make_org("coastal")
    browser = signed_in(app, site_admin)
    response = browser.post_form("/manage/organisations/coastal/edit", {
        "name": "Coastal Voices", "kind": "local_council"})
    assert response.status_code == 303
    organisation = _organisation("coastal")
    assert (organisation.name, organisation.kind) == ("Coastal Voices",
                                                      OrganisationKind.LOCAL_COUNCIL)
    [(action, detail)] = _audit()
    assert action == "organisation.renamed" and detail.endswith(
        "-> Coastal Voices (local_council)")


def test_a_host_cannot_rename_their_organisation_and_another_host_does_not_see_it(
        app, make_org, make_user):
    own = make_org("own")
    make_org("other")
    host = make_user(own, Role.HOST)
    browser = signed_in(app, host)
    assert browser.get("/manage/organisations/own/edit").status_code == 403
    assert browser.post_form("/manage/organisations/own/edit", {
        "name": "Mine now", "kind": "other"}).status_code == 403
    assert browser.post_form("/manage/organisations/other/deactivate").status_code == 404
    assert _organisation("own").name != "Mine now" and _organisation("other").active


def test_deactivated_organisations_roles_grant_nothing(app, make_org, make_user,
                                                      make_consultation, site_admin):
    organisation = make_org("coastal")
    host = make_user(organisation, Role.HOST)
    draft = make_consultation(host=organisation, state=State.DRAFT)
    browser = signed_in(app, host)
    assert browser.get(f"/manage/consultations/{draft.slug}").status_code == 200
    assert signed_in(app, site_admin).post_form(
        "/manage/organisations/coastal/deactivate").status_code == 303
    db.session.expire_all()
    user = db.session.get(User, host.id)
    assert user.roles_in(organisation.id) == set() and user.organisation_ids == set()
    # The host's staff pages, members list and new consultations are gone with it.
    assert browser.get(f"/manage/consultations/{draft.slug}").status_code == 404
    assert browser.get("/manage/organisations/coastal/members").status_code == 404
    assert browser.get("/manage/consultations/new").status_code == 403
    assert [a for a, _ in _audit()] == ["organisation.deactivated"]


def test_deactivated_organisation_keeps_its_roles_for_when_it_is_reactivated(
        app, make_org, make_user, site_admin):
    organisation = make_org("coastal")
    host = make_user(organisation, Role.HOST)
    admin = signed_in(app, site_admin)
    admin.post_form("/manage/organisations/coastal/deactivate")
    admin.post_form("/manage/organisations/coastal/reactivate")
    db.session.expire_all()
    assert db.session.get(User, host.id).roles_in(organisation.id) == {Role.HOST}
    assert [a for a, _ in _audit()] == ["organisation.deactivated", "organisation.reactivated"]


def test_deactivated_organisations_published_consultation_stays_readable(
        app, client, make_org, make_consultation):
    organisation = make_org("coastal")
    published = make_consultation(host=organisation, state=State.RESULTS_PUBLISHED)
    organisation.active = False
    db.session.commit()
    assert client.get(f"/consultations/{published.slug}").status_code == 200


def test_deactivated_organisation_hosts_no_new_consultation_even_for_a_site_admin(
        app, make_org, site_admin):
    active, inactive = make_org("active-org"), make_org("inactive-org")
    inactive.active = False
    db.session.commit()
    page = signed_in(app, site_admin).get("/manage/consultations/new").get_data(as_text=True)
    assert active.name in page and inactive.name not in page


def test_membership_in_another_active_organisation_still_works(app, make_org, make_user):
    first, second = make_org("first"), make_org("second")
    user = make_user(first, Role.HOST)
    from consult.accounts.services import add_membership

    add_membership(user, second, Role.PLANNER)
    first.active = False
    db.session.commit()
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.roles_in(second.id) == {Role.PLANNER} and user.organisation_ids == {second.id}


def test_staff_see_their_own_organisations_and_site_admins_all(app, make_org, make_user,
                                                                site_admin):
    own, other = make_org("own"), make_org("other")
    moderator = make_user(own, Role.MODERATOR)
    page = signed_in(app, moderator).get("/manage/organisations").get_data(as_text=True)
    assert own.name in page and other.name not in page
    assert "/manage/organisations/own/members" not in page  # moderators do not manage members
    page = signed_in(app, site_admin).get("/manage/organisations").get_data(as_text=True)
    assert own.name in page and other.name in page and "New organisation" in page


def test_manage_index_links_the_pages_to_those_who_may_use_them(app, make_org, make_user,
                                                                 site_admin):
    organisation = make_org("own")
    host, planner = make_user(organisation, Role.HOST), make_user(organisation, Role.PLANNER)
    assert "/manage/organisations/own/members" in \
        signed_in(app, host).get("/manage/").get_data(as_text=True)
    assert "/manage/organisations" not in \
        signed_in(app, planner).get("/manage/").get_data(as_text=True)
    assert 'href="/manage/organisations"' in \
        signed_in(app, site_admin).get("/manage/").get_data(as_text=True)


def test_odd_page_numbers_answer_the_first_page(app, site_admin):
    browser = signed_in(app, site_admin)
    for page in ("0", "-1", "²", "9" * 30, "x"):
        assert browser.get(f"/manage/organisations?page={page}").status_code == 200
        assert browser.get(f"/manage/accounts?page={page}").status_code == 200
