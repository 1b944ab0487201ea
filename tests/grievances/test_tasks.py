"""The grievance jobs: the nightly purge and the end of unlocked inboxes past their time."""
import datetime as dt

from consult.extensions import db
from consult.grievances import tasks
from consult.grievances.models import Case, Stage, Unlock
from consult.grievances.services import move
from tests.grievances.conftest import file_by_form, unlock


def test_months_before_keeps_to_the_last_day_of_a_shorter_month():
    assert tasks.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert tasks.months_before(dt.date(2026, 1, 15), 24) == dt.date(2024, 1, 15)


def test_the_periodic_purge_keeps_cases_inside_the_retention_period(client, reviewer_setup):
    file_by_form(client, reviewer_setup)
    case = db.session.scalar(db.select(Case))
    move(case, Stage.NOT_ADMISSIBLE, reviewer_setup.staff, "", None,
         today=dt.date.today() - dt.timedelta(days=300))
    db.session.commit()
    tasks.purge_grievances()  # immediate mode: runs when called
    db.session.expire_all()
    assert db.session.get(Case, case.id).sealed_text is not None  # 10 months < 24


def test_an_inbox_left_open_closes_at_its_time(app, client, auth, reviewer_setup):
    file_by_form(client, reviewer_setup)
    unlock(client, auth, reviewer_setup)
    row = db.session.scalar(db.select(Unlock))
    row.expires_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=1)
    db.session.commit()
    case = db.session.scalar(db.select(Case))
    page = client.get(f"/manage/reviewers/{reviewer_setup.reviewer.slug}/cases/{case.id}")
    assert page.status_code == 302 and "/unlock" in page.location
    tasks.close_expired_inboxes()
    assert db.session.scalar(db.select(db.func.count()).select_from(Unlock)) == 0
