"""Random bodies at the survey form and the API: always a clear answer, never a 500, and
never a response that was half saved."""
import re
from types import SimpleNamespace as Spec

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import Answer, Response, ResponseState
from tests.surveys.specs import options, question

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = st.sampled_from(["role", "age", "areas", "when", "story", "role__other", "x", "", "é"])
TEXT = st.text(max_size=40) | st.sampled_from(["trader", "youth", "other", "12", "-1e309",
                                               "NaN", "2026-02-30", "\x00", "ب" * 600])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)


@pytest.fixture
def consultation(make_consultation):
    """An open consultation with a one-page survey of several question types."""
    consultation = make_consultation(state=State.DRAFT)
    services.replace_survey(consultation, [Spec(key="p", labels={}, questions=[
        question("role", "single_choice", required=True, allow_other=True,
                 options=options("trader", "youth")),
        question("age", "number", integer=True),
        question("areas", "multiple_choice", options=options("port", "market")),
        question("when", "date"), question("story", "long_text")])])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def _no_half_saved_response():
    """Every stored response is either a draft or a counted one with a receipt."""
    for response in db.session.scalars(db.select(Response)):
        assert response.state is ResponseState.DRAFT or response.receipt


@FUZZ
# Header values cannot carry CR or LF at all (the HTTP layer refuses them), so keys never do.
@given(body=JSON, key=st.text(st.characters(blacklist_characters="\r\n"), max_size=90))
def test_api_answers_any_body_with_a_clear_status(client, consultation, body, key):
    response = client.post(f"/api/v1/consultations/{consultation.slug}/responses",
                           json=body, headers={"Idempotency-Key": key})
    assert response.status_code in (201, 400, 409, 415, 422), response.get_data()
    assert response.get_json()
    _no_half_saved_response()


@FUZZ
@given(answers=st.dictionaries(KEYS, st.lists(TEXT, max_size=3), max_size=6))
def test_api_shaped_answers_are_accepted_or_refused_per_field(client, consultation, answers):
    response = client.post(f"/api/v1/consultations/{consultation.slug}/responses",
                           json={"answers": answers},
                           headers={"Idempotency-Key": str(len(answers)) + repr(answers)[:60]})
    assert response.status_code in (201, 422), response.get_data()
    if response.status_code == 422 and "errors" in response.get_json():
        assert set(response.get_json()["errors"]) <= set(answers) | {"role"}


@FUZZ
@given(fields=st.dictionaries(KEYS, st.lists(TEXT, max_size=3), max_size=6))
def test_survey_form_answers_any_post_with_a_page_or_a_redirect(client, consultation, fields):
    url = f"/consultations/{consultation.slug}/survey"
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    data = {**fields, "csrf_token": client.csrf_token()}
    if found:
        data["idempotency_key"] = found.group(1)
    response = client.post(url, data=data)
    assert response.status_code in (200, 302, 422), response.get_data()[:300]
    _no_half_saved_response()
    assert db.session.scalar(db.select(db.func.count(Answer.id))) >= 0
