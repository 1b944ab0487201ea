"""A deleted response is counted nowhere: not in the tallies, the public results (whose kept
page changes at once, its stamp moving), the breakdowns, the planner summary or the export."""
import csv
import io
import json

from consult.accounts.models import Role
from consult.extensions import db
from consult.summaries import queries, tallies_store
from consult.summaries.services import question_infos
from consult.summaries.stamps import results_facts
from consult.surveys.models import Answer, Response
from consult.surveys.services import get_survey
from tests.summaries.helpers import respond, survey_consultation

RESIDENT = {"role": "resident", "area": "market", "support": "2", "trust": 3}
TRADER = {"role": "trader", "area": "port", "support": "4", "trust": 7}
WORD = "Kizingitini"


def _results(app, slug: str) -> str:
    return app.test_client().get(f"/consultations/{slug}/results?lang=en").get_data(
        as_text=True)


def _export_rows(app, slug: str) -> list:
    result = app.test_cli_runner().invoke(args=["consult", "export", slug, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.output)))[1:]


def _residents(consultation) -> int:
    """Residents in the role breakdown's segment cells (every question by role)."""
    survey = get_survey(consultation)
    infos = question_infos(survey)
    role = next(q.id for q in infos if q.key == "role")
    support = next(q.id for q in infos if q.key == "support")
    counts = queries.aggregates(survey.id, [q.id for q in infos if q.is_segment], [
        q.id for q in infos if q.type == "multiple_choice"])
    return int(sum(row[-1] for row in counts.segment_cells
                   if row[0] == role and row[1] == "resident" and row[2] == support))


def test_a_deleted_response_is_in_no_summary_export_breakdown_or_kept_page(
        app, client, make_consultation, make_user):
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=12)
    respond(consultation, RESIDENT, times=9)
    respond(consultation, {**RESIDENT, "ideas": f"{WORD} needs lights"})
    survey = get_survey(consultation)
    tallies_store.fold(survey.id)
    db.session.commit()
    receipt = db.session.scalar(db.select(Response.receipt).join(Answer).where(
        Answer.text.contains(WORD)))
    before = _results(app, consultation.slug)
    stamp = results_facts(consultation.slug)[1]
    assert "22 responses counted" in before and _residents(consultation) == 10
    assert len(_export_rows(app, consultation.slug)) == 22

    host = make_user(consultation.host, Role.HOST)
    client.post_form("/manage/login", {"email": host.email, "password": "correct horse battery"})
    url = f"/manage/consultations/{consultation.slug}/erasure"
    form = {"kind": "response", "reference": receipt, "ground": "participant_request"}
    check = client.post_form(url, form)
    assert check.status_code == 200 and "Erase for good" in check.get_data(as_text=True)
    assert client.post_form(url, {**form, "confirmed": "1"}).status_code == 303

    assert results_facts(consultation.slug)[1] != stamp
    after = _results(app, consultation.slug)
    assert "21 responses counted" in after and after != before
    assert _residents(consultation) == 9
    rows = _export_rows(app, consultation.slug)
    assert len(rows) == 21 and WORD not in json.dumps(rows)
    summary = app.test_cli_runner().invoke(args=["consult", "summary", consultation.slug])
    assert summary.exit_code == 0 and WORD not in summary.output
    tallies_store.fold(survey.id)
    db.session.commit()
    assert tallies_store.respondents(survey.id) == 21 and _residents(consultation) == 9


def test_finished_exports_holding_a_deleted_response_are_deleted(app, client, consultation):
    import datetime as dt

    from consult.jobs import files
    from tests.participants.conftest import answer

    answer(client, consultation, comment=WORD)
    files.store_bytes(files.EXPORT, "responses.csv", "text/csv", f"{WORD}\r\n".encode(),
                      consultation.id, dt.timedelta(days=1))
    upload = files.store_bytes(files.UPLOAD, "paper.csv", "text/csv", b"x", consultation.id,
                               dt.timedelta(days=1))
    db.session.commit()
    client.post_form(f"/receipt/responses/{consultation.slug}/delete")
    kept = db.session.scalars(db.select(files.StoredFile.id)).all()
    assert kept == [upload.id]
