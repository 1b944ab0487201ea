"""A consultation's jobs page: every job with who asked, its state and progress, and a failed
one's translated reason; a link to a job's own page only for those who may open it."""
import datetime as dt

import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.jobs.models import Job, JobState
from consult.jobs.views import PAGE


@pytest.fixture
def consultation(make_consultation):
    return make_consultation(state=State.OPEN)


def _job(consultation, kind="export", state=JobState.DONE, user=None, **values) -> Job:
    job = Job(task_name="t", arguments='["csv", null]', kind=kind,
              consultation_id=consultation.id,
              organisation_id=consultation.host_organisation_id,
              requested_by_id=user.id if user else None, state=state,
              created_at=dt.datetime(2026, 3, 1, 9, 30), **values)
    db.session.add(job)
    db.session.commit()
    return job


def _page(client, consultation, query: str = "") -> str:
    response = client.get(f"/manage/consultations/{consultation.slug}/jobs{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_staff_see_each_job_with_who_asked_its_state_and_why_it_failed(
        client, auth, consultation, make_user):
    planner = make_user(consultation.host, Role.PLANNER)
    _job(consultation, user=planner)
    _job(consultation, kind="paper_import", state=JobState.RUNNING, progress=40)
    _job(consultation, kind="survey_import", state=JobState.FAILED, reason="survey_answered")
    _job(consultation, kind="themes", state=JobState.RETRYING, reason="unexpected")
    auth.login(make_user(consultation.host, Role.MODERATOR))
    html = _page(client, consultation)
    assert "Export of the responses" in html and planner.name in html and "Done" in html
    assert "Paper responses import" in html and "Running (40% done)" in html
    assert "People have already answered this survey, so it cannot be replaced." in html
    assert "themes" in html and "It was tried again several times" in html
    assert "Mar 1, 2026, 9:30:00" in html and "Times are in UTC." in html
    # A moderator may open none of these jobs' own pages.
    assert "/report/exports/" not in html and "/paper/jobs/" not in html


def test_a_job_links_to_its_page_for_those_who_may_open_it(client, auth, consultation,
                                                           make_user):
    export = _job(consultation)
    paper = _job(consultation, kind="paper_import")
    auth.login(make_user(consultation.host, Role.PLANNER))
    html = _page(client, consultation)
    assert f"/report/exports/{export.id}" in html and f"/paper/jobs/{paper.id}" not in html
    auth.logout()
    auth.login(make_user(consultation.host, Role.HOST))
    html = _page(client, consultation)
    assert f"/report/exports/{export.id}" not in html and f"/paper/jobs/{paper.id}" in html


def test_the_list_comes_a_page_at_a_time_newest_first(client, auth, consultation, make_user):
    jobs = [_job(consultation) for _ in range(PAGE + 1)]
    auth.login(make_user(consultation.host, Role.HOST))
    html = _page(client, consultation)
    assert html.count('<li id="job-') == PAGE and f'id="job-{jobs[-1].id}"' in html
    assert f"before={jobs[1].id}" in html and "Older jobs" in html
    older = _page(client, consultation, f"?before={jobs[1].id}")
    assert older.count('<li id="job-') == 1 and f'id="job-{jobs[0].id}"' in older


def test_jobs_of_other_consultations_are_not_listed(client, auth, consultation, make_user,
                                                    make_consultation):
    other = make_consultation(host=consultation.host)
    _job(other, kind="paper_import")
    auth.login(make_user(consultation.host, Role.HOST))
    assert "No background jobs yet." in _page(client, consultation)


def test_the_dashboard_links_to_the_jobs_page(client, auth, consultation, make_user):
    auth.login(make_user(consultation.host, Role.MODERATOR))
    html = client.get(f"/manage/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="/manage/consultations/{consultation.slug}/jobs"' in html
