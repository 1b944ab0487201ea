"""Answering a multi-page survey without JavaScript: saved page by page, counted once."""
import re

import pytest

from consult.consultations.lifecycle import ParticipationMode, State
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import Answer, Response, ResponseState
from tests.surveys.journeys import answer_page as _page
from tests.surveys.journeys import three_page_consultation


@pytest.fixture
def consultation(make_consultation):
    """An open consultation with a three-page survey and skip logic across pages."""
    return three_page_consultation(make_consultation)


def _counted():
    return db.session.scalar(db.select(db.func.count(Response.id)).filter_by(
        state=ResponseState.SUBMITTED))


def test_a_youth_skips_the_trade_questions_and_gets_a_receipt(client, consultation):
    assert _page(client, consultation, {"role": "youth", "age": "17"}).status_code == 302
    html = _page(client, consultation).get_data(as_text=True)
    assert "Page 2 of 3" in html and 'name="stall"' not in html
    assert _page(client, consultation, {"areas": ["port"]}).status_code == 302
    done = _page(client, consultation, {"trust": "8", "priorities__rank__safety": "1",
                                        "priorities__rank__jobs": "2", "comment": "Lights!"})
    assert done.headers["Location"].endswith("/survey/done")
    receipt = client.get(done.headers["Location"]).get_data(as_text=True)
    assert re.search(r"<bdi dir=\"ltr\">[A-Z0-9]{4}-[A-Z0-9]{4}</bdi>", receipt)
    assert _counted() == 1
    response = db.session.scalars(db.select(Response)).one()
    assert response.language == "en" and response.submitted_on is not None
    ranks = {a.option_key: a.rank for a in response.answers if a.rank}
    assert ranks == {"safety": 1, "jobs": 2}


def test_a_trader_must_answer_the_trade_question(client, consultation):
    _page(client, consultation, {"role": "trader"})
    response = _page(client, consultation, {"areas": ["market"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="stall-error"' in html and 'aria-describedby="stall-error"' in html


def test_errors_keep_what_was_typed_and_save_nothing(client, consultation):
    response = _page(client, consultation, {"age": "forty"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="forty"' in html
    assert 'id="role-error"' in html and 'id="age-error"' in html
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 0


def test_a_lost_connection_loses_nothing_and_resumes_at_the_right_page(app, client,
                                                                         consultation):
    _page(client, consultation, {"role": "trader", "age": "40"})
    _page(client, consultation, {"stall": "fish"})
    # Later, from the same phone: the survey opens at page 3 with the earlier answers kept.
    html = _page(client, consultation).get_data(as_text=True)
    assert "Page 3 of 3" in html
    back = _page(client, consultation, page=2).get_data(as_text=True)
    assert 'value="fish"' in back


def test_a_double_tap_on_submit_counts_once_with_one_receipt(client, consultation):
    _page(client, consultation, {"role": "youth"})
    _page(client, consultation, {})
    url = f"/consultations/{consultation.slug}/survey"
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    first = client.post_form(url, {"idempotency_key": key, "trust": "3"})
    second = client.post_form(url, {"idempotency_key": key, "trust": "3"})
    assert first.headers["Location"] == second.headers["Location"]
    assert _counted() == 1


def test_answering_again_shows_the_receipt_instead_of_a_second_response(client,
                                                                        consultation):
    for data in ({"role": "youth"}, {}, {"trust": "5"}):
        _page(client, consultation, data)
    again = client.get(f"/consultations/{consultation.slug}/survey")
    assert again.headers["Location"].endswith("/survey/done")
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_hidden_answers_are_discarded_on_submit(client, consultation):
    _page(client, consultation, {"role": "trader"})
    _page(client, consultation, {"stall": "fish"})
    _page(client, consultation, {"role": "youth"}, page=1)  # changes their mind
    _page(client, consultation, {}, page=2)
    _page(client, consultation, {"trust": "5"}, page=3)
    response = db.session.scalars(db.select(Response)).one()
    assert response.state is ResponseState.SUBMITTED
    question_keys = {q.id: q.key for q in services.get_survey(consultation).questions}
    assert "stall" not in {question_keys[a.question_id] for a in response.answers}


def test_closed_consultation_takes_no_answers(client, consultation):
    consultation.state = State.CLOSED
    db.session.commit()
    assert "closed" in _page(client, consultation).get_data(as_text=True)
    response = client.post_form(f"/consultations/{consultation.slug}/survey", {"role": "youth"})
    assert response.status_code == 200 and db.session.scalar(
        db.select(db.func.count(Response.id))) == 0


def test_codename_mode_asks_for_a_codename_first(client, consultation):
    consultation.participation_mode = ParticipationMode.CODENAME
    db.session.commit()
    assert 'href="/codename"' in _page(client, consultation).get_data(as_text=True)
    client.post_form("/codename")
    assert 'name="role"' in _page(client, consultation).get_data(as_text=True)


def test_posting_without_csrf_token_is_refused_and_saves_nothing(client, consultation):
    response = client.post(f"/consultations/{consultation.slug}/survey",
                           data={"role": "youth"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_consultation_page_links_to_its_survey(client, consultation):
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}/survey"' in html


def test_old_drafts_are_purged_and_submitted_responses_kept(app, client, consultation):
    import datetime as dt

    _page(client, consultation, {"role": "youth"})  # a draft
    other = app.test_client()
    for data in ({"role": "youth"}, {}, {"trust": "5"}):
        _page(other, consultation, data)  # a submitted response
    for response in db.session.scalars(db.select(Response)):
        response.saved_on = dt.date.today() - dt.timedelta(days=31)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["consult", "purge-drafts"])
    assert result.exit_code == 0 and "Deleted 1 draft." in result.output
    assert [r.state for r in db.session.scalars(db.select(Response))] == [
        ResponseState.SUBMITTED]
    assert db.session.scalar(db.select(db.func.count(Answer.id))) > 0


def test_free_text_answers_keep_the_language_they_are_written_in(client, consultation):
    swahili = "Taa za barabarani karibu na soko zimeharibika kwa miezi mingi sasa."
    for data in ({"role": "youth"}, {}, {"comment": swahili}):
        _page(client, consultation, data)
    keys = {q.id: q.key for q in services.get_survey(consultation).questions}
    languages = {keys[a.question_id]: a.language
                 for a in db.session.scalars(db.select(Answer))}
    assert languages == {"role": None, "comment": "sw"}
    assert db.session.scalars(db.select(Response)).one().language == "en"


def test_jumping_to_the_last_page_cannot_skip_required_questions(client, consultation):
    sent = _page(client, consultation, {"trust": "6"}, page=3)
    assert sent.status_code == 302 and "page=1" in sent.headers["Location"]
    assert _counted() == 0
    back = client.get(sent.headers["Location"])
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "Page 1 of 3" in html
    assert 'id="role-error"' in html and 'aria-describedby="role-error"' in html
    # What was sent on the last page was kept, and the survey goes on from page 1.
    assert 'value="6"' in _page(client, consultation, page=3).get_data(as_text=True)
    _page(client, consultation, {"role": "trader"}, page=1)
    sent = _page(client, consultation, {"trust": "6"}, page=3)
    assert "page=2" in sent.headers["Location"] and _counted() == 0
    _page(client, consultation, {"stall": "fish"}, page=2)
    done = _page(client, consultation, {"trust": "6"}, page=3)
    assert done.headers["Location"].endswith("/survey/done") and _counted() == 1


def test_a_required_question_hidden_by_skip_logic_does_not_block_submission(client,
                                                                               consultation):
    _page(client, consultation, {"role": "youth"}, page=1)
    done = _page(client, consultation, {"trust": "6"}, page=3)
    assert done.headers["Location"].endswith("/survey/done") and _counted() == 1
