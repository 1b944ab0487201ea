"""Changing a counted response: with the same phone, a receipt, a codename or an account."""
import re

import pytest

from consult.consultations.lifecycle import ParticipationMode, State
from consult.extensions import db
from consult.surveys import changes, services
from consult.surveys.models import Answer, Response, ResponseState
from tests.conftest import PASSWORD
from tests.surveys.journeys import answer_page, stored_values, three_page_consultation


@pytest.fixture
def consultation(make_consultation):
    return three_page_consultation(make_consultation)


def _submit(client, consultation, role="youth", trust="5"):
    for data in ({"role": role}, {"stall": "fish"} if role == "trader" else {},
                 {"trust": trust}):
        answer_page(client, consultation, data)


def _counted_answers(consultation) -> dict:
    """{question key: values} of the one counted response."""
    return stored_values(consultation, db.session.scalars(db.select(Response).filter_by(
        state=ResponseState.SUBMITTED)).one())


def _receipt(client, consultation) -> str:
    html = client.get(f"/consultations/{consultation.slug}/survey/done").get_data(as_text=True)
    return re.search(r'<bdi dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})</bdi>', html).group(1)


def _start_change(client, consultation):
    return client.post_form(f"/consultations/{consultation.slug}/survey/change",
                            {"action": "change"})


def test_changing_answers_replaces_them_and_still_counts_once(client, consultation):
    _submit(client, consultation, role="youth", trust="5")
    receipt = _receipt(client, consultation)
    assert _start_change(client, consultation).headers["Location"].endswith("survey?page=1")
    page = answer_page(client, consultation).get_data(as_text=True)
    assert "You are changing your answers" in page and 'value="youth" checked' in page
    _submit(client, consultation, role="trader", trust="9")
    assert _counted_answers(consultation) == {"role": ["trader"], "stall": ["fish"],
                                              "trust": [9]}
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    assert _receipt(client, consultation) == receipt


def test_a_half_finished_change_leaves_the_counted_answers_alone(client, consultation):
    _submit(client, consultation, role="youth", trust="5")
    _start_change(client, consultation)
    answer_page(client, consultation, {"role": "trader"})
    assert _counted_answers(consultation) == {"role": ["youth"], "trust": [5]}
    done = client.get(f"/consultations/{consultation.slug}/survey/done").get_data(as_text=True)
    assert "Carry on changing my answers" in done
    client.post_form(f"/consultations/{consultation.slug}/survey/change", {"action": "cancel"})
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    assert _counted_answers(consultation) == {"role": ["youth"], "trust": [5]}


def test_a_double_tap_on_the_last_page_of_a_change_applies_it_once(client, consultation):
    _submit(client, consultation, role="youth", trust="5")
    _start_change(client, consultation)
    answer_page(client, consultation, {"role": "youth"})
    answer_page(client, consultation, {})
    url = f"/consultations/{consultation.slug}/survey"
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    first = client.post_form(url, {"idempotency_key": key, "trust": "7"})
    second = client.post_form(url, {"idempotency_key": key, "trust": "7"})
    assert first.headers["Location"].endswith("/survey/done")
    assert second.headers["Location"].endswith("/survey/done")
    assert _counted_answers(consultation) == {"role": ["youth"], "trust": [7]}
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 2


def test_apply_change_refuses_a_draft_already_applied(client, consultation):
    _submit(client, consultation)
    _start_change(client, consultation)
    survey = services.get_survey(consultation)
    counted = db.session.scalars(db.select(Response).filter_by(
        state=ResponseState.SUBMITTED)).one()
    draft = changes.change_for(survey, counted.respondent_key)
    stale = Response(id=draft.id, survey_id=survey.id, respondent_key="x", language="en")
    changes.apply_change(survey, counted, draft, "k1")
    db.session.commit()
    with pytest.raises(changes.ChangeAlreadyApplied):
        changes.apply_change(survey, counted, stale, "k2")
    db.session.rollback()


def test_no_change_once_the_consultation_closes(client, consultation):
    _submit(client, consultation)
    consultation.state = State.CLOSED
    db.session.commit()
    done = client.get(f"/consultations/{consultation.slug}/survey/done").get_data(as_text=True)
    assert "Change my answers" not in done
    _start_change(client, consultation)
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_a_receipt_on_another_phone_lists_the_response_and_allows_a_change(app, client,
                                                                          consultation):
    _submit(client, consultation, role="youth", trust="5")
    receipt = _receipt(client, consultation)
    other = app.test_client()
    typed = receipt.lower().replace("-", " ")
    response = other.post_form("/receipt", {"receipt": typed})
    assert response.status_code == 302
    page = other.get("/receipt").get_data(as_text=True)
    assert receipt in page and consultation.slug in page
    _start_change(other, consultation)
    _submit(other, consultation, role="trader", trust="2")
    assert _counted_answers(consultation)["role"] == ["trader"]


def test_an_unknown_receipt_gets_a_field_error(client):
    response = client.post_form("/receipt", {"receipt": "AAAA-AAAA"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="receipt-error"' in html
    assert 'aria-describedby="receipt-hint receipt-error"' in html


def test_a_receipt_does_not_open_a_codename(app, client, consultation):
    consultation.participation_mode = ParticipationMode.CODENAME
    db.session.commit()
    client.post_form("/codename")
    _submit(client, consultation)
    receipt = _receipt(client, consultation)
    other = app.test_client()
    response = other.post_form("/receipt", {"receipt": receipt})
    assert response.status_code == 422 and "type the codename" in response.get_data(as_text=True)


def test_account_mode_needs_a_signed_in_account(client, auth, make_user, consultation):
    consultation.participation_mode = ParticipationMode.ACCOUNT
    db.session.commit()
    page = answer_page(client, consultation).get_data(as_text=True)
    assert "Signing in is needed" in page and 'name="role"' not in page
    client.post_form("/codename")  # a codename is not an account
    assert "Signing in is needed" in answer_page(client, consultation).get_data(as_text=True)
    user = make_user()
    auth.login(user)
    assert 'name="role"' in answer_page(client, consultation).get_data(as_text=True)


def test_an_account_finds_its_response_on_another_device(app, client, auth, make_user,
                                                         consultation):
    consultation.participation_mode = ParticipationMode.ACCOUNT
    db.session.commit()
    user = make_user()
    auth.login(user)
    answer_page(client, consultation, {"role": "youth"})
    laptop = app.test_client()
    laptop.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    assert "Page 2 of 3" in answer_page(laptop, consultation).get_data(as_text=True)
    response = db.session.scalars(db.select(Response)).one()
    assert response.respondent_key.startswith("account:")
    assert str(user.id) not in response.respondent_key.removeprefix("account:")
