"""XLSForm and paper imports of large files on the queue: checked in the request as today,
stored, imported by a job whose page shows the same report; a failed import changes nothing
and no paper row is ever imported twice."""
import io
import re
from pathlib import Path
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.jobs import files
from consult.jobs.models import Job, JobState
from consult.surveys import services
from consult.surveys.import_jobs import start_survey_import
from consult.surveys.models import Channel, Response, ResponseState
from consult.surveys.tasks import import_paper, import_survey
from consult.surveys.xlsform import parse_xlsform
from tests.surveys.specs import options, question

BIOMASS = Path(__file__).resolve().parents[1] / "data" / "xlsform" / \
    "pyxform_UCL_Biomass_Plot_Form_sw_en.xlsx"


@pytest.fixture
def host(app, make_org, make_user, auth):
    """A signed-in host, and limits that send any file of more than two rows to the queue."""
    app.config["IMPORT_INLINE_MAX_ROWS"] = 2
    organisation = make_org("coastal")
    user = make_user(organisation, Role.HOST)
    auth.login(user)
    return organisation, user


@pytest.fixture
def draft(host, make_consultation):
    """A draft consultation (English, Swahili) with a one-question survey."""
    consultation = make_consultation(host=host[0], state=State.DRAFT, languages=("en", "sw"))
    services.replace_survey(consultation, [Spec(key="p1", labels={},
                                                questions=[question("old")])])
    db.session.commit()
    return consultation


def _keys(consultation) -> list[str]:
    db.session.expire_all()
    return [q.key for q in services.get_survey(consultation).questions]


def _upload_form(client, consultation, data: bytes, action="replace"):
    return client.post_form(f"/manage/consultations/{consultation.slug}/survey/import",
                            {"file": (io.BytesIO(data), "biomass.xlsx"), "action": action},
                            content_type="multipart/form-data")


def test_a_large_xlsform_replaces_the_survey_in_the_background_with_the_same_report(
        client, draft, host):
    response = _upload_form(client, draft, BIOMASS.read_bytes())
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    parsed = parse_xlsform(BIOMASS)
    assert "What was imported" in html and "Done" in html and "http-equiv" not in html
    assert f"Not imported ({len(parsed.not_imported)})" in html
    first = parsed.not_imported[0]
    assert f"sheet {first.sheet}, row {first.row}" in html
    assert "Languages: Swahili and English; default: Swahili." in html
    assert _keys(draft) == [q.key for p in parsed.pages for q in p.questions]
    job = db.session.scalars(db.select(Job)).one()
    assert (job.kind, job.state, job.requested_by_id) == ("survey_import", JobState.DONE,
                                                          host[1].id)
    # The form went into the survey: only the report is kept, for a day.
    assert [f.purpose for f in db.session.scalars(db.select(files.StoredFile))] == ["report"]
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "survey.imported")).one()
    assert (entry.actor_id, entry.target) == (host[1].id, "biomass.xlsx")


def test_checking_a_large_xlsform_still_answers_at_once(client, draft):
    response = _upload_form(client, draft, BIOMASS.read_bytes(), action="check")
    assert response.status_code == 200
    assert "What this file would import" in response.get_data(as_text=True)
    assert db.session.query(Job).count() == 0 and _keys(draft) == ["old"]


def test_a_bad_large_file_is_still_an_error_on_the_field_at_once(client, draft):
    response = _upload_form(client, draft, b"PK\x03\x04 truncated zip" * 20)
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)
    assert db.session.query(Job).count() == 0


def test_a_background_xlsform_import_changes_nothing_once_people_answered(client, draft,
                                                                          host):
    job = start_survey_import(draft, BIOMASS.read_bytes(), "biomass.xlsx", host[1])
    db.session.info.clear()  # the worker takes it later ...
    db.session.commit()
    survey = services.get_survey(draft)
    db.session.add(Response(survey_id=survey.id, respondent_key="k", language="en",
                            state=ResponseState.SUBMITTED))  # ... after someone answered
    db.session.commit()
    import_survey(job.id)
    db.session.refresh(job)
    assert (job.state, job.reason) == (JobState.FAILED, "survey_answered")
    assert _keys(draft) == ["old"]
    html = client.get(f"/manage/consultations/{draft.slug}/survey/import/jobs/{job.id}"
                      ).get_data(as_text=True)
    assert "People have already answered this survey, so it cannot be replaced. Nothing " \
           "was changed." in html
    jobs_page = client.get(f"/manage/consultations/{draft.slug}/jobs").get_data(as_text=True)
    assert "XLSForm import" in jobs_page and "Nothing was changed." in jobs_page


def test_a_stored_form_that_cannot_be_read_fails_with_its_reason(draft, host):
    job = start_survey_import(draft, b"not a workbook", "x.xlsx", host[1])
    db.session.commit()
    db.session.refresh(job)
    assert (job.state, job.reason) == (JobState.FAILED, "invalid_file")
    assert _keys(draft) == ["old"]


def test_delivering_a_finished_xlsform_import_again_does_nothing(client, draft):
    _upload_form(client, draft, BIOMASS.read_bytes())
    job = db.session.scalars(db.select(Job)).one()
    questions = [q.id for q in services.get_survey(draft).questions]
    db.session.execute(db.update(Job).values(state=JobState.QUEUED))  # its "done" was lost
    db.session.commit()
    import_survey(job.id)
    db.session.expire_all()
    assert [q.id for q in services.get_survey(draft).questions] == questions
    assert db.session.query(AuditEntry).filter_by(action="survey.imported").count() == 1


# Paper --------------------------------------------------------------------------------------

@pytest.fixture
def paper_consultation(host, make_consultation):
    """An open consultation whose survey has a required choice and a number."""
    consultation = make_consultation(host=host[0], state=State.DRAFT)
    services.replace_survey(consultation, [Spec(key="p1", labels={}, questions=[
        question("role", "single_choice", required=True, options=options("trader", "youth")),
        question("age", "number", integer=True)])])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def _csv(*rows) -> bytes:
    lines = ["language,role,age"] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


ROWS = [("en", "trader", "41"), ("fr", "youth", "17"), ("en", "trader", "")]


def _preview(client, consultation, data: bytes) -> str:
    response = client.post_form(f"/manage/consultations/{consultation.slug}/survey/paper",
                                {"file": (io.BytesIO(data), "forms.csv")},
                                content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _confirm(client, consultation, html: str):
    upload = re.search(r'name="upload" value="(\d+)"', html)
    assert upload, "the preview names the stored file"
    assert 'name="rows"' not in html
    return client.post_form(f"/manage/consultations/{consultation.slug}/survey/paper/import",
                            {"upload": upload.group(1)})


def _paper_count() -> int:
    return db.session.query(Response).filter_by(channel=Channel.PAPER).count()


def test_a_large_paper_file_is_imported_in_the_background_and_reported(client, host,
                                                                       paper_consultation):
    html = _preview(client, paper_consultation, _csv(*ROWS, ("en", "nobody", "x")))
    assert "3 rows can be imported." in html and "1 row has errors" in html
    response = _confirm(client, paper_consultation, html)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 responses imported." in page and "Done" in page
    assert _paper_count() == 3
    job = db.session.scalars(db.select(Job)).one()
    assert (job.kind, job.state) == ("paper_import", JobState.DONE)
    # The file is deleted (the answers are kept once, in the responses); the report stays.
    assert [f.purpose for f in db.session.scalars(db.select(files.StoredFile))] == ["report"]
    assert "1 row has errors and was not imported." in page and "<td>5</td>" in page
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "responses.imported")).one()
    assert entry.actor_id == host[1].id and entry.target == "forms.csv"


def test_confirming_a_background_import_twice_imports_each_row_once(client,
                                                                     paper_consultation):
    html = _preview(client, paper_consultation, _csv(*ROWS))
    first = _confirm(client, paper_consultation, html)
    second = _confirm(client, paper_consultation, html)
    assert second.headers["Location"] == first.headers["Location"]
    assert _paper_count() == 3 and db.session.query(Job).count() == 1
    again = _preview(client, paper_consultation, _csv(*ROWS))
    assert "3 valid rows were already imported from this same file" in again


def test_a_retried_paper_import_never_imports_a_row_twice(client, host, paper_consultation):
    """A worker that died after some batches: the next run imports only the rest."""
    from consult.surveys import import_jobs

    html = _preview(client, paper_consultation, _csv(*ROWS))
    upload = files.upload(int(re.search(r'name="upload" value="(\d+)"', html).group(1)),
                          paper_consultation.id)
    job = import_jobs.start_paper_import(paper_consultation, upload, host[1], "en")
    db.session.info.clear()
    db.session.commit()
    import_jobs.PAPER_BATCH, batch = 2, import_jobs.PAPER_BATCH
    try:
        # The first batch of two rows is committed by an earlier run that then died.
        from consult.surveys import paper, paper_import

        survey = services.get_survey(paper_consultation)
        checked = paper.check_file(survey, files.read_bytes(upload), ["en", "fr", "ar"], "en",
                                   "en")
        paper_import.import_rows(survey, paper_import.batch_id(
            client.application.config["SECRET_KEY"], survey.id, files.read_bytes(upload)),
            checked.header, checked.valid[:2])
        db.session.commit()
        import_paper(job.id, upload.id, "en")
    finally:
        import_jobs.PAPER_BATCH = batch
    db.session.refresh(job)
    assert job.state is JobState.DONE and _paper_count() == 3
    assert import_jobs.paper_result(job)["imported"] == 1
    assert import_jobs.paper_result(job)["already"] == 2


def test_rows_that_no_longer_fit_are_listed_with_their_errors(client, paper_consultation):
    html = _preview(client, paper_consultation, _csv(*ROWS))
    question = next(q for q in services.get_survey(paper_consultation).questions
                    if q.key == "age")
    question.constraint = {"q": ".", "op": "ge", "value": 18}
    db.session.commit()
    page = client.get(_confirm(client, paper_consultation, html).headers["Location"])
    text = page.get_data(as_text=True)
    assert "2 responses imported." in text and "1 row has errors and was not imported" in text
    assert "<td>3</td>" in text  # the row number of the 17-year-old, with its error


def test_a_small_paper_file_is_still_imported_at_once(app, client, paper_consultation):
    app.config["IMPORT_INLINE_MAX_ROWS"] = 500
    html = _preview(client, paper_consultation, _csv(*ROWS))
    assert 'name="rows"' in html and 'name="upload"' not in html
    assert db.session.query(files.StoredFile).count() == 0


def test_an_unknown_stored_upload_is_an_expired_preview(client, paper_consultation):
    response = client.post_form(
        f"/manage/consultations/{paper_consultation.slug}/survey/paper/import",
        {"upload": "999"}, follow_redirects=True)
    assert "This preview has expired" in response.get_data(as_text=True)
    assert _paper_count() == 0
