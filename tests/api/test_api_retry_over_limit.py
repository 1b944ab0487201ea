"""An API submission retried with its Idempotency-Key after the client reached its rate limit
still gets its receipt (the retry adds nothing), while a new response is refused."""
import uuid

from consult.extensions import db
from consult.surveys.models import Response
from tests.test_rate_limits import survey_consultation  # noqa: F401 - fixture


def _post(client, consultation, key: str):
    return client.post(f"/api/v1/consultations/{consultation.slug}/responses",
                       json={"answers": {"role": "trader"}}, headers={"Idempotency-Key": key})


def test_a_retry_over_the_rate_limit_gets_its_receipt_not_a_429(rate_limited, client,
                                                                 survey_consultation):  # noqa: F811
    rate_limited.config["SUBMISSION_RATE_LIMIT"] = "1 per minute"
    key = uuid.uuid4().hex
    first = _post(client, survey_consultation, key)
    assert first.status_code == 201
    retry = _post(client, survey_consultation, key)
    assert retry.status_code == 201
    assert retry.get_json()["receipt"] == first.get_json()["receipt"]
    assert _post(client, survey_consultation, uuid.uuid4().hex).status_code == 429
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
