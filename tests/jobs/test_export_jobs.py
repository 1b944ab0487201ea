"""Exports of large consultations made by the worker: the same file as the streamed download,
offered to planners only, made once however often the job is delivered, and deleted in time."""
import datetime as dt
import json

import pytest

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.jobs import files
from consult.jobs.models import Job, JobState
from consult.jobs.tracking import requeue_stalled
from consult.summaries import exports
from consult.summaries.tasks import export_responses
from consult.surveys.models import Channel, Response
from consult.surveys.services import get_survey
from tests.summaries.helpers import respond, survey_consultation

TRADER = {"role": "trader", "area": "port", "support": "4", "priorities": ["light", "jobs"],
          "trust": 7, "age": 30, "order": ["lights", "jobs"], "ideas": "=SUM(A1) plus de lumière"}


@pytest.fixture
def planner(app, client, auth, make_consultation, make_user):
    """A signed-in planner; an open consultation with five responses of past days, and a
    limit that makes its export a background one."""
    app.config["EXPORT_INLINE_MAX_RESPONSES"] = 2
    consultation = survey_consultation(make_consultation, state=State.OPEN)
    respond(consultation, TRADER, times=4)
    respond(consultation, {"role": "official", "ideas": "Le dernier"}, language="fr",
            channel=Channel.PAPER)
    db.session.execute(db.update(Response).values(
        submitted_on=dt.date.today() - dt.timedelta(days=1)))
    db.session.commit()
    user = make_user(consultation.host, Role.PLANNER)
    assert auth.login(user).status_code == 302
    return consultation, user


def _url(consultation, rest: str = "") -> str:
    return f"/manage/consultations/{consultation.slug}/report{rest}"


def _request(client, consultation, **fields):
    """Ask for a background export as the page's button does; the job's page."""
    response = client.post_form(_url(consultation, "/export"), fields)
    assert response.status_code == 303
    return response.headers["Location"]


def _streamed(consultation, kind="csv", language=None) -> bytes:
    """The file the streamed download makes for the same consultation."""
    survey = get_survey(consultation)
    if kind == "csv":
        return ("\ufeff" + "".join(exports.csv_lines(survey, language))).encode()
    return "".join(exports.json_chunks(survey, language)).encode()


def _files(job_id: int | None = None) -> list:
    query = db.select(files.StoredFile).order_by(files.StoredFile.id)
    if job_id is not None:
        query = query.where(files.StoredFile.job_id == job_id)
    return list(db.session.scalars(query))


def test_a_large_export_is_offered_as_a_background_job_not_streamed(client, planner):
    consultation, _ = planner
    response = client.get(_url(consultation, "/export?format=csv&labels=fr"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "text/html" in response.content_type
    assert "This consultation has 5 responses" in html and "Prepare the file" in html
    assert 'name="labels" value="fr"' in html
    assert db.session.query(Job).count() == 0  # a GET queues nothing


@pytest.mark.parametrize("kind,language", [("csv", None), ("csv", "fr"), ("json", None)])
def test_the_background_file_is_the_streamed_export_byte_for_byte(client, planner, kind,
                                                                  language):
    consultation, _ = planner
    fields = {"format": kind} | ({"labels": language} if language else {})
    page = client.get(_request(client, consultation, **fields))
    html = page.get_data(as_text=True)
    assert "The file is ready: 5 responses" in html and "Download the file" in html
    job = db.session.scalars(db.select(Job)).one()
    download = client.get(_url(consultation, f"/exports/{job.id}/file"))
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"] == \
        f'attachment; filename="{consultation.slug}-responses.{kind}"'
    assert download.get_data() == _streamed(consultation, kind, language)
    assert int(download.headers["Content-Length"]) == len(download.get_data())


def test_todays_responses_wait_for_tomorrow_in_a_background_export_too(client, planner):
    consultation, _ = planner
    respond(consultation, {"role": "resident", "ideas": "Submitted today"})
    client.get(_request(client, consultation))
    job = db.session.scalars(db.select(Job)).one()
    body = client.get(_url(consultation, f"/exports/{job.id}/file")).get_data(as_text=True)
    assert "Submitted today" not in body and body.count("\r\n") == 6
    assert "'=SUM(A1)" in body  # formulas are defused as in the streamed file
    assert _files(job.id)[0].rows == 5


def test_asking_for_an_export_is_in_the_audit_log(client, planner):
    consultation, user = planner
    _request(client, consultation, format="json")
    client.get(_url(consultation, "/export?format=csv"))  # the offer page logs nothing
    entries = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "responses.exported")).all()
    assert [(e.actor_id, e.consultation_id, e.target) for e in entries] == [
        (user.id, consultation.id, "json, option keys")]


def test_a_small_export_still_streams_at_once_and_is_logged(app, client, planner):
    consultation, _ = planner
    app.config["EXPORT_INLINE_MAX_RESPONSES"] = 5000
    response = client.get(_url(consultation, "/export?format=csv"))
    assert response.is_streamed and response.get_data() == _streamed(consultation)
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "responses.exported")).one()
    assert (entry.target, entry.detail) == ("csv, option keys", "streamed")


def test_delivering_the_same_export_job_twice_makes_one_file(client, planner):
    consultation, _ = planner
    _request(client, consultation)
    job = db.session.scalars(db.select(Job)).one()
    (made,) = _files(job.id)
    export_responses(job.id, "csv", None)  # the queue delivers the same message again
    # ... and once more after a worker finished the file but died before marking the job done
    db.session.execute(db.update(Job).values(state=JobState.QUEUED))
    db.session.commit()
    export_responses(job.id, "csv", None)
    db.session.expire_all()
    assert [f.id for f in _files()] == [made.id]
    assert db.session.get(Job, job.id).state is JobState.DONE


def test_a_new_export_replaces_nothing_of_an_earlier_one(client, planner):
    consultation, _ = planner
    first_page = _request(client, consultation)
    first = db.session.scalars(db.select(Job)).one()
    before = client.get(_url(consultation, f"/exports/{first.id}/file")).get_data()
    respond(consultation, {"role": "resident"})
    db.session.execute(db.update(Response).values(
        submitted_on=dt.date.today() - dt.timedelta(days=1)))
    db.session.commit()
    second_page = _request(client, consultation)
    assert second_page != first_page
    assert len(_files()) == 2
    assert client.get(_url(consultation, f"/exports/{first.id}/file")).get_data() == before
    assert [f.rows for f in _files()] == [5, 6]


def test_the_job_of_a_dead_worker_writes_its_file_again_from_the_start(client, planner):
    consultation, _ = planner
    _request(client, consultation)
    job = db.session.scalars(db.select(Job)).one()
    (good,) = _files(job.id)
    expected = client.get(_url(consultation, f"/exports/{job.id}/file")).get_data()
    # As if a worker had written half a file, then died before finishing it.
    files.delete_file(good.id)
    half = files.StoredFile(job_id=job.id, consultation_id=consultation.id,
                            purpose=files.EXPORT, name="x.csv", content_type="text/csv",
                            size=3, rows=0, complete=False, created_at=files.now(),
                            expires_at=files.now() + dt.timedelta(days=1))
    db.session.add(half)
    db.session.flush()
    db.session.add(files.FileChunk(file_id=half.id, number=0, data=b"abc"))
    job.state, job.progress, job.result = JobState.RUNNING, 40, ""
    job.heartbeat_at = files.now() - dt.timedelta(hours=1)
    db.session.commit()
    assert client.get(_url(consultation, f"/exports/{job.id}/file")).status_code == 404
    assert requeue_stalled() == 1
    db.session.expire_all()
    (rewritten,) = _files(job.id)
    assert rewritten.complete and rewritten.rows == 5  # the only file: the half one is gone
    assert db.session.get(Job, job.id).state is JobState.DONE
    assert client.get(_url(consultation, f"/exports/{job.id}/file")).get_data() == expected


def test_a_double_click_follows_the_export_already_under_way(client, planner):
    consultation, user = planner
    from consult.summaries.export_jobs import start_export

    queued = start_export(consultation, "csv", None, user)
    db.session.info.clear()  # the worker has not taken it yet
    db.session.commit()
    assert _request(client, consultation).endswith(f"/exports/{queued.id}")
    assert db.session.query(Job).count() == 1


def test_a_finished_file_expires_and_the_page_offers_a_new_one(app, client, planner):
    consultation, _ = planner
    page = _request(client, consultation)
    job = db.session.scalars(db.select(Job)).one()
    db.session.execute(db.update(files.StoredFile).values(
        expires_at=files.now() - dt.timedelta(minutes=1)))
    db.session.commit()
    assert files.purge_expired() == 1
    assert db.session.query(files.FileChunk).count() == 0
    html = client.get(page).get_data(as_text=True)
    assert "This file was deleted 24 hours after it was made." in html
    assert "Prepare a new file" in html
    assert client.get(_url(consultation, f"/exports/{job.id}/file")).status_code == 404


def test_the_page_refreshes_itself_only_while_the_job_runs_unless_stopped(client, planner):
    consultation, user = planner
    from consult.summaries.export_jobs import start_export

    queued = start_export(consultation, "csv", None, user)
    db.session.info.clear()
    db.session.commit()
    html = client.get(_url(consultation, f"/exports/{queued.id}")).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="5">' in html and "<progress" in html
    # Whoever needs more time can stop it (WCAG 2.2.1) and look again when they choose.
    still = client.get(_url(consultation, f"/exports/{queued.id}?refresh=off"))
    assert "http-equiv" not in still.get_data(as_text=True)
    assert "See how far it got" in still.get_data(as_text=True)
    export_responses(queued.id, "csv", None)
    html = client.get(_url(consultation, f"/exports/{queued.id}")).get_data(as_text=True)
    assert "http-equiv" not in html and "Download the file" in html


def test_an_export_whose_language_was_removed_fails_with_its_reason(client, planner):
    consultation, user = planner
    from consult.summaries.export_jobs import start_export

    job = start_export(consultation, "csv", "sw", user)
    db.session.commit()
    db.session.refresh(job)
    assert (job.state, job.reason) == (JobState.FAILED, "gone")
    html = client.get(_url(consultation, f"/exports/{job.id}")).get_data(as_text=True)
    assert "What this job worked on no longer exists." in html
    assert json.loads(job.arguments) == ["csv", "sw"]


def test_other_staff_cannot_follow_or_download_a_planners_export(app, client, planner, auth,
                                                                 make_user, make_org):
    consultation, _ = planner
    page = _request(client, consultation)
    job = db.session.scalars(db.select(Job)).one()
    auth.logout()
    auth.login(make_user(consultation.host, Role.MODERATOR))
    assert client.get(page).status_code == 403
    assert client.get(_url(consultation, f"/exports/{job.id}/file")).status_code == 403
    auth.logout()
    auth.login(make_user(make_org(), Role.PLANNER))
    assert client.get(page).status_code == 404
    assert client.get(_url(consultation, f"/exports/{job.id}/file")).status_code == 404


def test_a_job_of_another_consultation_is_not_found_under_this_one(client, planner,
                                                                    make_consultation):
    consultation, user = planner
    other = survey_consultation(make_consultation, state=State.OPEN)
    other.host_organisation_id = consultation.host_organisation_id
    db.session.commit()
    _request(client, other)
    job = db.session.scalars(db.select(Job)).one()
    assert client.get(_url(consultation, f"/exports/{job.id}")).status_code == 404
    assert client.get(_url(consultation, f"/exports/{job.id}/file")).status_code == 404
