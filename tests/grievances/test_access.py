"""Deny by default: only the staff of the reviewer a case was filed with read it."""
import pytest

from consult.accounts.models import OrganisationKind, Role
from consult.extensions import db
from consult.grievances import keys, sealing
from consult.grievances.models import Case
from tests.grievances.conftest import HAPPENED, PASSPHRASE, file_by_form, unlock


def _paths(setup, case):
    base = f"/manage/reviewers/{setup.reviewer.slug}"
    return [base, f"{base}/unlock", f"{base}/cases/{case.id}", f"{base}/settings",
            f"{base}/recover"]


@pytest.mark.parametrize("who", ["host", "host_admin", "planner", "site_admin"])
def test_hosts_planners_and_site_admins_cannot_read_grievances(client, auth, reviewer_setup,
                                                               make_user, who):
    file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    user = {"host": lambda: make_user(reviewer_setup.host, Role.HOST),
            "host_admin": lambda: make_user(reviewer_setup.host, Role.ADMIN),
            "planner": lambda: make_user(reviewer_setup.host, Role.PLANNER),
            "site_admin": lambda: make_user(site_admin=True)}[who]()
    auth.login(user)
    for path in _paths(reviewer_setup, case):
        response = client.get(path)
        assert response.status_code == 404, path
        assert HAPPENED not in response.get_data(as_text=True)
    # Even knowing the passphrase gets them nothing: the page is not theirs.
    assert client.post_form(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/unlock",
                            {"passphrase": PASSPHRASE}).status_code == 404


def test_a_reviewer_of_another_organisation_cannot_open_the_case(client, auth, reviewer_setup,
                                                                 make_org, make_user):
    file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    other = make_org("rival-ombuds", kind=OrganisationKind.INDEPENDENT_REVIEWER)
    rival = make_user(other, Role.ADMIN)
    keys.set_up(other.id, "the rival's own passphrase", rival)
    db.session.commit()
    auth.login(rival)
    client.post_form(f"/manage/reviewers/{other.slug}/unlock",
                     {"passphrase": "the rival's own passphrase"})
    # Through its own inbox's URL: the case is not there.
    assert client.get(f"/manage/reviewers/{other.slug}/cases/{case.id}").status_code == 404
    for path in _paths(reviewer_setup, case):
        assert client.get(path).status_code == 404
    # And with its private key in hand, the sealed key does not open.
    private = keys.open_private_key(keys.keys_of(other.id), "the rival's own passphrase")
    with pytest.raises(sealing.WrongKey):
        sealing.case_key(private, case.sealed_key)


def test_an_organisation_of_another_kind_cannot_be_named_reviewer(client, auth,
                                                                  reviewer_setup, make_user,
                                                                  make_org):
    cso = make_org("a-cso")
    auth.login(make_user(site_admin=True))
    url = f"/manage/consultations/{reviewer_setup.consultation.slug}/grievances"
    response = client.post_form(url, {"reviewer": cso.slug})
    assert response.status_code == 422
    db.session.refresh(reviewer_setup.consultation)
    assert reviewer_setup.consultation.reviewer_organisation_id == reviewer_setup.reviewer.id


def test_hosts_choose_the_reviewer_and_partners_may_not(client, auth, reviewer_setup,
                                                        make_user, make_org):
    host = make_user(reviewer_setup.host, Role.HOST)
    auth.login(host)
    url = f"/manage/consultations/{reviewer_setup.consultation.slug}/grievances"
    assert client.post_form(url, {"reviewer": ""}).status_code == 303
    db.session.refresh(reviewer_setup.consultation)
    assert reviewer_setup.consultation.reviewer_organisation_id is None
    auth.logout()
    planner = make_user(reviewer_setup.host, Role.PLANNER)
    auth.login(planner)
    assert client.post_form(url, {"reviewer": reviewer_setup.reviewer.slug}).status_code == 403
    stranger = make_user(make_org(), Role.HOST)
    auth.logout()
    auth.login(stranger)
    assert client.get(url).status_code == 404


def test_the_unlocked_key_row_without_the_cookie_opens_nothing(app, client, auth,
                                                               reviewer_setup):
    file_by_form(client, reviewer_setup)
    unlock(client, auth, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    # A copied session cookie of another browser of the same account has no key in it.
    other = app.test_client()
    from tests.conftest import PASSWORD
    other.post_form("/manage/login", {"email": reviewer_setup.staff.email,
                                      "password": PASSWORD})
    response = other.get(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/cases/{case.id}")
    assert response.status_code == 302 and "/unlock" in response.location


def test_the_consultations_staff_see_the_grievance_page_from_the_dashboard(client, auth,
                                                                          reviewer_setup,
                                                                          make_user):
    auth.login(make_user(reviewer_setup.host, Role.PLANNER))
    slug = reviewer_setup.consultation.slug
    page = client.get(f"/manage/consultations/{slug}").get_data(as_text=True)
    assert f"/manage/consultations/{slug}/grievances" in page
    shared = client.get(f"/manage/consultations/{slug}/grievances")
    assert shared.status_code == 200 and 'name="reviewer"' not in shared.get_data(as_text=True)
