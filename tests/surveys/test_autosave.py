"""Autosave between page submits (autosave.js): the draft keeps what is on the page, nothing
is required yet, nothing is ever counted, and the refusals are those of the page submit."""
import html as htmllib
import json
import re

import pytest

from consult.consultations.lifecycle import ParticipationMode, State
from consult.extensions import db
from consult.surveys import autosave, services
from consult.surveys.models import Response, ResponseState
from tests.surveys.journeys import answer_page, stored_values, three_page_consultation


@pytest.fixture
def consultation(make_consultation):
    return three_page_consultation(make_consultation)


def _autosave(client, consultation, data, page=None):
    url = f"/consultations/{consultation.slug}/survey" + (f"?page={page}" if page else "")
    return client.post_form(url, {"autosave": "1", **data},
                            headers={"Accept": "application/json"})


def _responses():
    db.session.expire_all()  # the requests ran in their own sessions
    return list(db.session.scalars(db.select(Response).order_by(Response.id)))


def _saved(consultation, response=None) -> dict:
    """{question key: stored values} of the one response (or the given one)."""
    return stored_values(consultation, response or _responses()[0])


def test_a_half_filled_page_is_saved_without_moving_on(client, consultation):
    response = _autosave(client, consultation, {"age": "40"})  # "role" is required
    assert response.status_code == 200 and response.json == {"status": "saved"}
    [draft] = _responses()
    assert draft.state is ResponseState.DRAFT and draft.current_page == 1
    assert draft.receipt is None and draft.submitted_on is None
    assert _saved(consultation) == {"age": [40]}
    page = answer_page(client, consultation).get_data(as_text=True)
    assert "Page 1 of 3" in page and 'value="40"' in page
    assert 'id="role-error"' not in page


def test_each_autosave_replaces_the_page_and_an_emptied_answer_is_emptied(client,
                                                                          consultation):
    _autosave(client, consultation, {"role": "trader", "age": "40"})
    _autosave(client, consultation, {"role": "youth", "age": "41"})
    assert _saved(consultation) == {"role": ["youth"], "age": [41]}
    _autosave(client, consultation, {"age": ""})
    assert _saved(consultation) == {}
    assert len(_responses()) == 1


def test_repeating_an_autosave_changes_nothing(client, consultation):
    for _ in range(3):
        assert _autosave(client, consultation, {"role": "trader"}).status_code == 200
    assert len(_responses()) == 1 and _saved(consultation) == {"role": ["trader"]}


@pytest.mark.parametrize("data, unsaved", [
    ({"age": "forty"}, ["age"]),
    ({"age": "1e400"}, ["age"]),
    ({"role": "astronaut"}, ["role"]),
    ({"role": "other"}, ["role"]),  # "other" chosen, not yet said what
])
def test_values_that_are_not_valid_are_not_saved_and_keep_the_earlier_one(
        client, consultation, data, unsaved):
    _autosave(client, consultation, {"role": "trader", "age": "40"})
    response = _autosave(client, consultation, {"role": "trader", "age": "40", **data})
    assert response.status_code == 422
    assert response.json == {"status": "partial", "unsaved": unsaved}
    assert _saved(consultation) == {"role": ["trader"], "age": [40]}


def test_text_over_the_limit_is_refused_as_json(client, consultation):
    answer_page(client, consultation, {"role": "trader"})
    response = _autosave(client, consultation, {"stall": "x" * 501, "areas": "port"}, page=2)
    assert response.status_code == 422 and response.json["unsaved"] == ["stall"]
    assert _saved(consultation) == {"role": ["trader"], "areas": ["port"]}
    # A NUL byte is cleaned at the boundary (consult/boundary.py), never stored or a 500.
    nul = _autosave(client, consultation, {"stall": "fish\x00", "areas": "port"}, page=2)
    assert nul.status_code == 200 and nul.is_json
    assert _saved(consultation) == {"role": ["trader"], "stall": ["fish"], "areas": ["port"]}


def test_the_last_page_is_saved_but_never_counted(client, consultation):
    answer_page(client, consultation, {"role": "youth"})
    answer_page(client, consultation, {})
    for _ in range(2):
        response = _autosave(client, consultation, {"trust": "8", "comment": "Lights"}, page=3)
        assert response.status_code == 200
    [draft] = _responses()
    assert draft.state is ResponseState.DRAFT and draft.receipt is None
    assert draft.idempotency_key is None and draft.current_page == 3
    assert _saved(consultation) == {"role": ["youth"], "trust": [8], "comment": ["Lights"]}
    # The page submit then counts what is on the page, once.
    done = answer_page(client, consultation, {"trust": "9"})
    assert done.headers["Location"].endswith("/survey/done")
    assert _responses()[0].state is ResponseState.SUBMITTED


def test_coming_back_shows_the_autosaved_page(client, consultation):
    answer_page(client, consultation, {"role": "trader"})
    _autosave(client, consultation, {"stall": "fish stall", "areas": ["port", "market"]},
              page=2)
    page = answer_page(client, consultation).get_data(as_text=True)
    assert "Page 2 of 3" in page and 'value="fish stall"' in page
    assert 'value="port" checked' in page and 'value="market" checked' in page


def test_a_counted_response_is_never_touched(client, consultation):
    for data in ({"role": "youth"}, {}, {"trust": "5"}):
        answer_page(client, consultation, data)
    before = _saved(consultation)
    response = _autosave(client, consultation, {"trust": "1"}, page=3)
    assert response.status_code == 409
    assert response.json == {"status": "refused", "reason": "submitted"}
    assert _saved(consultation) == before and len(_responses()) == 1


def test_a_submit_that_wins_the_race_is_not_touched_by_a_late_autosave(app, client,
                                                                         consultation):
    """The page checked "not submitted" before a parallel submit committed: the save itself
    still refuses, at the database."""
    for data in ({"role": "youth"}, {}, {"trust": "5"}):
        answer_page(client, consultation, data)
    [counted] = _responses()
    survey = services.get_survey(consultation)
    with app.test_request_context():
        reply, status = autosave.save(survey, counted.respondent_key, "en", survey.pages[2], 3,
                                      {"trust": ["1"]}, {"role": "youth"}, changing=False)
    assert status == 409 and reply.json["reason"] == "submitted"
    assert _saved(consultation) == {"role": ["youth"], "trust": [5]}


def test_while_changing_the_change_draft_is_saved_and_the_counted_answers_stay(
        client, consultation):
    for data in ({"role": "youth"}, {}, {"trust": "5"}):
        answer_page(client, consultation, data)
    client.post_form(f"/consultations/{consultation.slug}/survey/change", {"action": "change"})
    assert _autosave(client, consultation, {"trust": "9"}, page=3).status_code == 200
    counted, draft = _responses()
    assert counted.state is ResponseState.SUBMITTED and draft.state is ResponseState.DRAFT
    assert _saved(consultation, counted)["trust"] == [5]
    assert _saved(consultation, draft)["trust"] == [9]


def test_an_autosave_needs_the_csrf_token(client, consultation):
    response = client.post(f"/consultations/{consultation.slug}/survey",
                           data={"autosave": "1", "role": "youth"})
    assert response.status_code == 400
    assert _responses() == []


def test_a_closed_consultation_saves_no_draft(client, consultation):
    consultation.state = State.CLOSED
    db.session.commit()
    response = _autosave(client, consultation, {"role": "youth"})
    assert response.status_code == 403
    assert response.json == {"status": "refused", "reason": "closed"}
    assert _responses() == []


@pytest.mark.parametrize("mode, reason", [(ParticipationMode.CODENAME, "codename"),
                                          (ParticipationMode.ACCOUNT, "account")])
def test_the_participation_mode_is_respected(client, consultation, mode, reason):
    consultation.participation_mode = mode
    db.session.commit()
    response = _autosave(client, consultation, {"role": "youth"})
    assert response.status_code == 403 and response.json["reason"] == reason
    assert _responses() == []
    if mode is ParticipationMode.CODENAME:
        client.post_form("/codename")
        assert _autosave(client, consultation, {"role": "youth"}).status_code == 200


def test_the_page_carries_the_script_hooks_with_translated_words(client, consultation):
    page = answer_page(client, consultation, page=3).get_data(as_text=True)
    assert re.search(r'<form method="post" action="[^"]+" novalidate data-autosave>', page)
    status = re.search(r'<p id="autosave-status"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in status and 'data-saved="Draft saved."' in status
    assert "data-failed=" in status and "data-partial=" in status
    assert '<script src="/static/autosave.js" defer></script>' in page
    assert '<script src="/static/counters.js" defer></script>' in page
    left = json.loads(htmllib.unescape(re.search(r"data-left='([^']+)'", page).group(1)))
    assert left["1"] == "%(num)s character left"
    assert left["100"] == left["0"] == "%(num)s characters left"
    assert re.search(r'<p id="counter-status" class="visually-hidden" aria-live="polite">'
                     r'</p>', page)
    assert 'maxlength="5000"' in page


def test_the_counter_words_follow_the_page_language(client, consultation):
    page = client.get(f"/consultations/{consultation.slug}/survey?page=3&lang=ar")
    left = json.loads(htmllib.unescape(re.search(r"data-left='([^']+)'",
                                                 page.get_data(as_text=True)).group(1)))
    assert set(left) == {"0", "1", "2", "3", "11", "100"}
    assert all("%(num)s" in text for text in left.values())
