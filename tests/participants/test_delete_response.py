"""Deleting one's survey response while the consultation is open: counted out of the tallies
exactly once (a double post, a retry or a parallel post never undoes twice), answers and
drafts gone, the receipt saying it was deleted and on which day; refused once closed."""
import threading

from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.summaries import queries, tallies_store
from consult.surveys import deletion
from consult.surveys.models import Answer, Response
from consult.surveys.services import get_survey
from tests.participants.conftest import answer


def _url(consultation) -> str:
    return f"/receipt/responses/{consultation.slug}/delete"


def _respondents(consultation) -> int:
    """Responses counted in the summary (tallies plus those waiting), and in the tallies."""
    survey = get_survey(consultation)
    counts = queries.aggregates(survey.id, [], [])
    return int(sum(row[-1] for row in counts.headline))


def _fold(consultation) -> None:
    tallies_store.fold(get_survey(consultation).id)
    db.session.commit()


def test_delete_asks_for_confirmation_without_javascript(app, client, consultation):
    receipt = answer(client, consultation)
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert receipt in page and 'name="csrf_token"' in page and "<button" in page
    assert client.post(_url(consultation)).status_code == 400  # no CSRF token: refused
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_a_double_post_undoes_the_counts_once(app, client, consultation):
    answer(client, consultation)
    answer(app.test_client(), consultation, role="trader")
    _fold(consultation)
    assert _respondents(consultation) == 2
    token = client.csrf_token(_url(consultation))
    first = client.post(_url(consultation), data={"csrf_token": token})
    second = client.post(_url(consultation), data={"csrf_token": token})
    assert first.status_code == second.status_code == 303
    assert _respondents(consultation) == 1
    _fold(consultation)
    assert _respondents(consultation) == 1
    assert tallies_store.respondents(get_survey(consultation).id) == 1
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    assert db.session.scalar(db.select(db.func.count(deletion.DeletedResponse.id))) == 1


def test_parallel_deletes_undo_the_counts_once(app, client, consultation):
    answer(client, consultation)
    answer(app.test_client(), consultation, role="trader")
    _fold(consultation)
    response_id = db.session.scalar(db.select(Response.id).order_by(Response.id).limit(1))
    consultation_id = consultation.id
    db.session.remove()
    barrier, outcomes = threading.Barrier(2), []

    def delete() -> None:
        with app.app_context():
            response = db.session.get(Response, response_id)
            consultation_ = get_survey_consultation(response)
            barrier.wait()
            try:
                deletion.delete_response(consultation_, get_survey(consultation_), response)
                db.session.commit()
                outcomes.append("deleted")
            except deletion.ResponseGone:
                db.session.rollback()
                outcomes.append("gone")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=delete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["deleted", "gone"]
    consultation = db.session.get(Consultation, consultation_id)
    assert tallies_store.respondents(get_survey(consultation).id) == 1
    assert _respondents(consultation) == 1


def get_survey_consultation(response):
    from consult.surveys.models import Survey

    return db.session.get(Survey, response.survey_id).consultation


def test_answers_and_change_drafts_are_gone(app, client, consultation):
    answer(client, consultation, comment="Words to delete")
    client.post_form(f"/consultations/{consultation.slug}/survey/change", {"action": "change"})
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 2  # with the draft
    client.post_form(_url(consultation))
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 0


def test_the_receipt_says_it_was_deleted_and_on_which_day(app, client, consultation):
    receipt = answer(client, consultation)
    client.post_form(_url(consultation))
    page = client.get("/receipt").get_data(as_text=True)
    assert "Deleted at your request on" in page and receipt not in page
    other_phone = app.test_client()
    again = other_phone.post_form("/receipt", {"receipt": receipt.lower()})
    assert again.status_code == 422
    assert "The response with this receipt was deleted on" in again.get_data(as_text=True)
    assert "Your response to this consultation is already deleted." in \
        client.post_form(_url(consultation), follow_redirects=True).get_data(as_text=True)


def test_after_close_deleting_is_refused_clearly(app, client, consultation):
    answer(client, consultation)
    consultation.state = State.CLOSED
    db.session.commit()
    page = client.get(_url(consultation))
    assert page.status_code == 200
    assert "no longer takes answers" in page.get_data(as_text=True)
    refused = client.post_form(_url(consultation))
    assert refused.status_code == 409
    assert "no longer takes answers" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    assert "Delete this response" not in client.get("/receipt").get_data(as_text=True)


def test_someone_with_another_receipt_cannot_delete_yours(app, client, consultation):
    answer(client, consultation, comment="Mine stays")
    stranger = app.test_client()
    assert stranger.post_form(_url(consultation)).status_code == 404
    their_receipt = answer(app.test_client(), consultation, role="trader")
    stranger.post_form("/receipt", {"receipt": their_receipt})
    stranger.post_form(_url(consultation))  # deletes the stranger's own response only
    texts = db.session.scalars(db.select(Answer.text).where(Answer.text.is_not(None))).all()
    assert "Mine stays" in texts
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_the_survey_receipt_offers_deletion_while_open(app, client, consultation):
    answer(client, consultation)
    done = client.get(f"/consultations/{consultation.slug}/survey/done").get_data(as_text=True)
    assert f'href="{_url(consultation)}"' in done
