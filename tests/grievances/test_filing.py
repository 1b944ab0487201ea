"""Filing a grievance without an account or JavaScript, and following it by case code."""
import datetime as dt

from consult.accounts import services as accounts
from consult.accounts.participants import sign_in_participant
from consult.extensions import db
from consult.grievances.models import Case, CaseEvent, Stage
from tests.grievances.conftest import CODE, HAPPENED, category_ids, file_by_form


def test_consultation_page_links_to_the_complaint_form(client, reviewer_setup):
    page = client.get(f"/consultations/{reviewer_setup.consultation.slug}").get_data(True)
    assert f"/consultations/{reviewer_setup.consultation.slug}/grievance" in page


def test_filing_without_javascript_gives_a_case_code_and_the_case_page_reads_it(
        client, reviewer_setup):
    code = file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    assert case.stage is Stage.RECEIVED and case.filed_on == dt.date.today()
    assert case.acknowledge_by == dt.date.today() + dt.timedelta(days=7)
    assert case.resolve_by == dt.date.today() + dt.timedelta(days=60)
    assert case.code_hash and code not in case.code_hash  # only a keyed hash is kept
    page = client.post_form("/grievances/case", {"code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Received" in html and "Nobody else can read it." in html
    assert HAPPENED not in html  # the complainant's words are sealed, even from this page


def test_a_wrong_case_code_is_a_field_error(client, reviewer_setup):
    page = client.post_form("/grievances/case", {"code": "AAAA-AAAA-AAAA"})
    assert page.status_code == 422
    assert 'aria-describedby="code-hint code-error"' in page.get_data(as_text=True)


def test_missing_words_are_a_translated_field_error_and_nothing_is_stored(client,
                                                                          reviewer_setup):
    url = f"/consultations/{reviewer_setup.consultation.slug}/grievance"
    response = client.post_form(url, {"category": str(category_ids(
        reviewer_setup.reviewer.id)[0]), "happened": "  "})
    assert response.status_code == 422
    assert 'id="happened-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_a_category_of_another_reviewer_is_refused(client, reviewer_setup, make_org, make_user):
    from consult.accounts.models import OrganisationKind, Role
    from consult.grievances import keys
    other = make_org("other-ombuds", kind=OrganisationKind.INDEPENDENT_REVIEWER)
    keys.set_up(other.id, "another long passphrase here", make_user(other, Role.ADMIN))
    db.session.commit()
    url = f"/consultations/{reviewer_setup.consultation.slug}/grievance"
    response = client.post_form(url, {"category": str(category_ids(other.id)[0]),
                                      "happened": HAPPENED})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_no_time_of_day_or_address_is_stored_with_a_case(client, reviewer_setup):
    file_by_form(client, reviewer_setup, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    for table in (Case.__table__, CaseEvent.__table__):
        kinds = {type(column.type).__name__ for column in table.columns}
        assert "DateTime" not in kinds
    row = db.session.execute(db.select(Case.__table__)).one()
    assert "203.0.113.9" not in repr(tuple(row))


def test_a_consultation_without_a_reviewer_has_no_complaint_form(client, make_consultation):
    consultation = make_consultation()
    assert client.get(f"/consultations/{consultation.slug}/grievance").status_code == 404
    assert "/grievance" not in client.get(f"/consultations/{consultation.slug}").get_data(True)


def test_a_codename_holder_sees_their_case_among_their_contributions(app, client,
                                                                     reviewer_setup):
    participant, phrase = accounts.create_codename_participant()
    db.session.commit()
    client.post_form("/receipt", {"codename": phrase})
    file_by_form(client, reviewer_setup)
    page = client.get("/receipt").get_data(as_text=True)
    assert "My complaints" in page and "Received" in page
    # Someone else's phone, without the codename, sees nothing of it.
    other = app.test_client()
    assert "My complaints" not in other.get("/receipt").get_data(as_text=True)
    assert sign_in_participant  # the codename path above is the real one


def test_filing_is_rate_limited_like_other_posts(app, client, reviewer_setup, rate_limited):
    app.config["REPORT_RATE_LIMIT"] = "2 per minute"
    url = f"/consultations/{reviewer_setup.consultation.slug}/grievance"
    data = {"category": str(category_ids(reviewer_setup.reviewer.id)[0]), "happened": HAPPENED}
    statuses = [client.post_form(url, data).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 2
    assert CODE  # codes only on the 200s


def test_a_reviewer_without_a_passphrase_yet_takes_no_complaint(client, make_org,
                                                                 make_consultation):
    from consult.accounts.models import OrganisationKind
    from consult.grievances import services
    reviewer = make_org("new-ombuds", kind=OrganisationKind.INDEPENDENT_REVIEWER)
    consultation = make_consultation()
    services.set_reviewer(consultation, reviewer, None)
    db.session.commit()
    url = f"/consultations/{consultation.slug}/grievance"
    page = client.get(url)
    assert page.status_code == 200 and "not ready" in page.get_data(as_text=True)
    assert client.post_form(url, {"happened": HAPPENED}).status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_the_place_is_chosen_from_the_consultations_areas_and_sealed(client, auth,
                                                                     reviewer_setup):
    from types import SimpleNamespace as Spec

    from consult.surveys import services as surveys
    from tests.grievances.conftest import unlock
    from tests.surveys.specs import options, question
    surveys.replace_survey(reviewer_setup.consultation, [Spec(key="about", labels={}, questions=[
        question("area", "single_choice", is_segment=True,
                 options=options("harbourside", "market"))])])
    db.session.commit()
    page = client.get(f"/consultations/{reviewer_setup.consultation.slug}/grievance")
    assert 'value="harbourside"' in page.get_data(as_text=True)
    file_by_form(client, reviewer_setup, area="harbourside")
    case = db.session.scalar(db.select(Case))
    assert b"harbourside" not in case.sealed_text
    unlock(client, auth, reviewer_setup)
    detail = client.get(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/cases/{case.id}")
    assert "Harbourside" in detail.get_data(as_text=True)
    bad = client.post_form(f"/consultations/{reviewer_setup.consultation.slug}/grievance", {
        "category": str(category_ids(reviewer_setup.reviewer.id)[0]), "happened": HAPPENED,
        "area": "somewhere-else"})
    assert bad.status_code == 422
