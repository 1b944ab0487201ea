"""The reviewer's side: passphrase and recovery key, unlocking, working cases, history."""
import datetime as dt

import pytest
from sqlalchemy import text

from consult.accounts.models import Role
from consult.append_only import AppendOnlyError
from consult.extensions import db
from consult.grievances.models import Case, CaseEvent, Message, ReviewerKeys, Stage, Unlock
from tests.conftest import PASSWORD
from tests.grievances.conftest import HAPPENED, PASSPHRASE, WANTED, file_by_form, unlock


def _case_url(setup, case):
    return f"/manage/reviewers/{setup.reviewer.slug}/cases/{case.id}"


def test_setting_the_passphrase_warns_and_shows_a_recovery_key_once(app, client, auth,
                                                                    make_org, make_user):
    from consult.accounts.models import OrganisationKind
    app.config["GRIEVANCE_KDF_COST"] = "min"
    reviewer = make_org("commission", kind=OrganisationKind.INDEPENDENT_REVIEWER)
    manager = make_user(reviewer, Role.ADMIN)
    auth.login(manager)
    url = f"/manage/reviewers/{reviewer.slug}/set-up"
    page = client.get(url).get_data(as_text=True)
    assert "If the passphrase is lost, the grievances are lost." in page
    refused = client.post_form(url, {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert refused.status_code == 422  # the warning was not acknowledged
    assert db.session.get(ReviewerKeys, reviewer.id) is None
    shown = client.post_form(url, {"passphrase": PASSPHRASE, "confirm": PASSPHRASE,
                                   "understood": "y"})
    assert shown.status_code == 200 and "Your recovery key" in shown.get_data(as_text=True)
    keys = db.session.get(ReviewerKeys, reviewer.id)
    assert PASSPHRASE.encode() not in keys.passphrase_box
    # Once set, the page never makes a second key pair (earlier cases would be lost).
    assert client.get(url).status_code == 302


def test_reviewer_unlocks_the_inbox_and_reads_a_case(client, auth, reviewer_setup):
    file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    response = unlock(client, auth, reviewer_setup)
    assert response.status_code == 302
    inbox = client.get(f"/manage/reviewers/{reviewer_setup.reviewer.slug}")
    assert inbox.status_code == 200 and f"#{case.id}" in inbox.get_data(as_text=True)
    page = client.get(_case_url(reviewer_setup, case)).get_data(as_text=True)
    assert HAPPENED in page and WANTED in page


def test_wrong_passphrase_opens_nothing(client, auth, reviewer_setup):
    file_by_form(client, reviewer_setup)
    response = unlock(client, auth, reviewer_setup, passphrase="not the passphrase at all")
    assert response.status_code == 422
    assert "That passphrase does not open the inbox." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Unlock)) == 0
    case = db.session.scalar(db.select(Case))
    page = client.get(_case_url(reviewer_setup, case))
    assert page.status_code == 302 and "/unlock" in page.location


def test_recovery_key_sets_a_new_passphrase_and_is_replaced(client, auth, reviewer_setup):
    file_by_form(client, reviewer_setup)
    auth.login(reviewer_setup.manager)
    url = f"/manage/reviewers/{reviewer_setup.reviewer.slug}/recover"
    new = "a brand new passphrase for us"
    wrong = client.post_form(url, {"recovery_key": "AAAA-" * 12 + "AAAA",
                                   "passphrase": new, "confirm": new})
    assert wrong.status_code == 422
    done = client.post_form(url, {"recovery_key": reviewer_setup.recovery.lower(),
                                  "passphrase": new, "confirm": new})
    assert done.status_code == 200 and "Your recovery key" in done.get_data(as_text=True)
    auth.logout()
    assert unlock(client, auth, reviewer_setup, passphrase=PASSPHRASE).status_code == 422
    auth.logout()
    assert unlock(client, auth, reviewer_setup, passphrase=new).status_code == 302
    case = db.session.scalar(db.select(Case))
    assert HAPPENED in client.get(_case_url(reviewer_setup, case)).get_data(as_text=True)
    auth.logout()
    auth.login(reviewer_setup.manager)
    again = client.post_form(url, {"recovery_key": reviewer_setup.recovery,
                                   "passphrase": new, "confirm": new})
    assert again.status_code == 422  # the old recovery key no longer fits


def test_signing_out_ends_the_unlocked_inbox(client, auth, reviewer_setup):
    file_by_form(client, reviewer_setup)
    unlock(client, auth, reviewer_setup)
    assert db.session.scalar(db.select(db.func.count()).select_from(Unlock)) == 1
    auth.logout()
    assert db.session.scalar(db.select(db.func.count()).select_from(Unlock)) == 0
    auth.login(reviewer_setup.staff)
    case = db.session.scalar(db.select(Case))
    assert client.get(_case_url(reviewer_setup, case)).status_code == 302


def test_closing_the_inbox_forgets_the_key(client, auth, reviewer_setup):
    unlock(client, auth, reviewer_setup)
    client.post_form(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/lock")
    assert db.session.scalar(db.select(db.func.count()).select_from(Unlock)) == 0
    inbox = client.get(f"/manage/reviewers/{reviewer_setup.reviewer.slug}")
    assert inbox.status_code == 302 and "/unlock" in inbox.location


def test_stages_move_with_sealed_notes_and_the_complainant_reads_the_message(
        client, auth, reviewer_setup, app):
    code = file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    staff = app.test_client()  # the reviewer's own browser, beside the complainant's
    staff.post_form("/manage/login", {"email": reviewer_setup.staff.email,
                                      "password": PASSWORD})
    staff.post_form(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/unlock",
                    {"passphrase": PASSPHRASE})
    note = "Called the zanzibarine district office"
    moved = staff.post_form(_case_url(reviewer_setup, case),
                            {"stage-stage": "under_review", "stage-note": note})
    assert moved.status_code == 303
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.stage is Stage.UNDER_REVIEW and case.acknowledged_on == dt.date.today()
    event = db.session.scalars(db.select(CaseEvent).order_by(CaseEvent.id.desc())).first()
    assert note.encode() not in event.sealed_note
    assert note in staff.get(_case_url(reviewer_setup, case)).get_data(as_text=True)
    page = client.post_form("/grievances/case", {"code": code}).get_data(as_text=True)
    assert "Under review" in page and "looking into what happened" in page
    assert note not in page


def test_case_history_is_append_only(client, reviewer_setup):
    file_by_form(client, reviewer_setup)
    event = db.session.scalar(db.select(CaseEvent))
    event.stage = Stage.RESOLVED
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.delete(db.session.scalar(db.select(CaseEvent)))
        db.session.flush()
    db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("UPDATE grievance_event SET stage = 'resolved'"))
    db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("DELETE FROM grievance_event"))
    db.session.rollback()


def test_overdue_cases_are_flagged_in_the_inbox(client, auth, reviewer_setup):
    file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    case.filed_on = dt.date.today() - dt.timedelta(days=10)
    case.acknowledge_by = dt.date.today() - dt.timedelta(days=3)
    db.session.commit()
    unlock(client, auth, reviewer_setup)
    inbox = client.get(f"/manage/reviewers/{reviewer_setup.reviewer.slug}")
    html = inbox.get_data(as_text=True)
    assert 'class="overdue"' in html and "Overdue: acknowledge" in html


def test_reviewer_shares_a_summary_the_hosts_read(client, auth, reviewer_setup, app,
                                                  make_user):
    file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    unlock(client, auth, reviewer_setup)
    summary = "A complaint about checkpoint fees in the market area"
    assert client.post_form(_case_url(reviewer_setup, case),
                            {"share-summary": summary}).status_code == 303
    auth.logout()
    host = make_user(reviewer_setup.host, Role.HOST)
    auth.login(host)
    page = client.get(f"/manage/consultations/{reviewer_setup.consultation.slug}/grievances")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and summary in html and HAPPENED not in html


def test_settings_change_deadlines_and_categories(client, auth, reviewer_setup):
    auth.login(reviewer_setup.manager)
    url = f"/manage/reviewers/{reviewer_setup.reviewer.slug}/settings"
    assert client.post_form(url, {"settings-acknowledge_days": "3", "settings-resolve_days":
                                  "30", "settings-retention_months": "12"}).status_code == 303
    keys = db.session.get(ReviewerKeys, reviewer_setup.reviewer.id)
    db.session.refresh(keys)
    assert (keys.acknowledge_days, keys.resolve_days, keys.retention_months) == (3, 30, 12)
    assert client.post_form(url + "?language=fr", {
        "categories-names": "Violence\nExtorsion"}).status_code == 303
    page = client.get(f"/consultations/{reviewer_setup.consultation.slug}/grievance",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Extorsion" in page
    bad = client.post_form(url, {"settings-acknowledge_days": "0", "settings-resolve_days":
                                 "30", "settings-retention_months": "12"})
    assert bad.status_code == 422


def test_reviewer_and_complainant_write_to_each_other_on_the_case_page(app, client, auth,
                                                                      reviewer_setup):
    code = file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    staff = app.test_client()
    staff.post_form("/manage/login", {"email": reviewer_setup.staff.email,
                                      "password": PASSWORD})
    staff.post_form(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/unlock",
                    {"passphrase": PASSPHRASE})
    question = "Which quetzal checkpoint was it"
    assert staff.post_form(_case_url(reviewer_setup, case),
                           {"message-body": question}).status_code == 303
    stored = db.session.scalar(db.select(Message))
    assert question.encode() not in stored.body
    page = client.post_form("/grievances/case", {"code": code}).get_data(as_text=True)
    assert question in page
    answer = "The one by the tamarind market"
    replied = client.post_form("/grievances/case", {"reply-code": code, "reply-body": answer})
    assert replied.status_code == 200 and answer in replied.get_data(as_text=True)
    assert answer in staff.get(_case_url(reviewer_setup, case)).get_data(as_text=True)
    # A wrong code opens no thread (and is not told whether the case exists).
    assert client.post_form("/grievances/case", {"reply-code": "AAAA-AAAA-AAAA",
                                                 "reply-body": "x"}).status_code == 404


def test_no_messages_on_a_case_whose_filer_did_not_agree(client, auth, reviewer_setup):
    file_by_form(client, reviewer_setup, contact_ok="")
    case = db.session.scalar(db.select(Case))
    assert case.reply_salt is None and not case.contact_ok
    unlock(client, auth, reviewer_setup)
    response = client.post_form(_case_url(reviewer_setup, case), {"message-body": "hello"})
    assert response.status_code == 404


def test_the_staff_index_links_reviewer_staff_to_their_inbox_and_no_one_else(client, auth,
                                                                             reviewer_setup,
                                                                             make_user):
    auth.login(reviewer_setup.staff)
    inbox = f"/manage/reviewers/{reviewer_setup.reviewer.slug}"
    assert inbox in client.get("/manage/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user(reviewer_setup.host, Role.HOST))
    assert inbox not in client.get("/manage/").get_data(as_text=True)
