"""Padding attacks: many submissions, comments, votes or reports in a short time are refused
(429) per client and per consultation; the client key is a keyed hash that changes every day
and is stored with nothing; the counters can live in Redis."""
import os
import socket
import uuid
from types import SimpleNamespace as Spec

import pytest
from sqlalchemy import text

from consult import create_app
from consult.comments import services as comments
from consult.comments.models import Comment, Vote
from consult.consultations.lifecycle import State
from consult.extensions import db, limiter
from consult.moderation.models import Report
from consult.security import RATE_LIMIT_KEY_ROTATION, rate_limit_key
from consult.surveys import services as surveys
from consult.surveys.models import Response, ResponseState
from tests.conftest import base_config
from tests.surveys.specs import options, question

TOO_MANY = "Too many contributions arrived in a short time"


@pytest.fixture
def survey_consultation(make_consultation):
    """An open consultation with a one-page survey of one required question."""
    consultation = make_consultation(state=State.DRAFT)
    surveys.replace_survey(consultation, [Spec(key="p1", labels={"en": "About you"}, questions=[
        question("role", "single_choice", required=True, options=options("trader", "youth"))])])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def _submit(client, consultation, n: int, address: str = "127.0.0.1"):
    return client.post(f"/api/v1/consultations/{consultation.slug}/responses",
                       json={"answers": {"role": "trader"}},
                       headers={"Idempotency-Key": f"padding-{n}-{uuid.uuid4().hex}"},
                       environ_base={"REMOTE_ADDR": address})


def _participant(n: int) -> dict:
    return {"Participant-Key": f"a-fresh-participant-key-{n:06d}"}


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_padding_by_many_api_submissions_is_rate_limited(rate_limited, client,
                                                         survey_consultation):
    rate_limited.config["SUBMISSION_RATE_LIMIT"] = "3 per minute;20 per hour"
    statuses = [_submit(client, survey_consultation, n).status_code for n in range(6)]
    assert statuses == [201, 201, 201, 429, 429, 429]
    refused = _submit(client, survey_consultation, 99)
    assert refused.get_json()["error"].startswith(TOO_MANY)
    assert _count(Response) == 3
    documented = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "429" in documented["/consultations/{slug}/responses"]["post"]["responses"]
    assert "429" in documented["/comments/{comment_id}/votes"]["post"]["responses"]


def test_a_web_submission_over_the_limit_keeps_its_answers_as_a_draft(
        rate_limited, app, survey_consultation):
    app.config["SUBMISSION_RATE_LIMIT"] = "1 per minute"
    url = f"/consultations/{survey_consultation.slug}/survey"
    assert app.test_client().post_form(url, {"role": "trader"}).status_code == 302
    second = app.test_client()
    refused = second.post_form(url, {"role": "youth"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and TOO_MANY in html
    assert 'value="youth" checked' in html  # the answer is shown as given
    states = db.session.scalars(db.select(Response.state).order_by(Response.id)).all()
    assert states == [ResponseState.SUBMITTED, ResponseState.DRAFT]  # nothing lost
    limiter.reset()
    assert second.post_form(url, {"role": "youth"}).status_code == 302
    assert _count(Response) == 2


def test_padding_by_many_api_comments_is_rate_limited(rate_limited, client, make_consultation):
    rate_limited.config["COMMENT_RATE_LIMIT"] = "3 per minute"
    consultation = make_consultation()
    url = f"/api/v1/consultations/{consultation.slug}/comments"
    statuses = [client.post(url, json={"body": f"Padding {n}"},
                            headers=_participant(n)).status_code for n in range(5)]
    assert statuses == [201, 201, 201, 429, 429] and _count(Comment) == 3


def test_padding_by_many_web_comments_is_refused_keeping_the_text(rate_limited, app,
                                                                  make_consultation):
    app.config["COMMENT_RATE_LIMIT"] = "2 per minute"
    consultation = make_consultation()
    url = f"/consultations/{consultation.slug}/comments"
    # A fresh browser each time: new participants, so only the rate limit stands in the way.
    for n in range(2):
        assert app.test_client().post_form(url, {"body": f"Padding {n}"}).status_code == 303
    refused = app.test_client().post_form(url, {"body": "The words I wrote"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and TOO_MANY in html and 'id="body-error"' in html
    assert "The words I wrote" in html and _count(Comment) == 2


def test_padding_by_many_votes_is_rate_limited(rate_limited, app, client, make_consultation):
    app.config["VOTE_RATE_LIMIT"] = "3 per minute"
    consultation = make_consultation()
    statement = comments.post_comment(consultation, "author-key", "Light the pier", "en")
    db.session.commit()
    url = f"/api/v1/comments/{statement.id}/votes"
    statuses = [client.post(url, json={"vote": "agree"}, headers=_participant(n)).status_code
                for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    web = app.test_client().post_form(
        f"/consultations/{consultation.slug}/comments/{statement.id}/vote", {"vote": "agree"},
        headers={"Accept": "application/json"})
    assert web.status_code == 429 and web.get_json()["error"].startswith(TOO_MANY)
    page = app.test_client().post_form(
        f"/consultations/{consultation.slug}/comments/{statement.id}/vote", {"vote": "pass"})
    assert page.status_code == 429 and TOO_MANY in page.get_data(as_text=True)
    assert _count(Vote) == 3


def test_padding_by_many_reports_is_refused_keeping_the_form(rate_limited, app,
                                                             make_consultation):
    app.config["REPORT_RATE_LIMIT"] = "2 per minute"
    consultation = make_consultation()
    targets = [comments.post_comment(consultation, f"author-{n}", f"Comment {n}", "en")
               for n in range(3)]
    db.session.commit()
    base = f"/consultations/{consultation.slug}/comments"
    for target in targets[:2]:
        sent = app.test_client().post_form(f"{base}/{target.id}/report", {"reason": "spam"})
        assert sent.status_code == 303
    refused = app.test_client().post_form(f"{base}/{targets[2].id}/report",
                                          {"reason": "spam", "note": "Same text everywhere"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and TOO_MANY in html and "Same text everywhere" in html
    assert _count(Report) == 2


def test_a_consultation_ceiling_stops_padding_from_many_addresses(rate_limited, client,
                                                                  survey_consultation,
                                                                  make_consultation):
    rate_limited.config["CONSULTATION_SUBMISSION_RATE_LIMIT"] = "5 per hour"
    addresses = [f"198.51.100.{n}" for n in range(1, 9)]  # a botnet: one submission each
    statuses = [_submit(client, survey_consultation, 0, a).status_code for a in addresses]
    assert statuses == [201] * 5 + [429] * 3 and _count(Response) == 5
    # The ceiling is per consultation: another one is not affected.
    other = make_consultation(state=State.DRAFT)
    surveys.replace_survey(other, [Spec(key="p1", labels={"en": "P"}, questions=[
        question("role", "single_choice", options=options("trader"))])])
    other.state = State.OPEN
    db.session.commit()
    assert _submit(client, other, 0, "203.0.113.7").status_code == 201


def test_the_client_key_is_keyed_hidden_and_changes_every_day(app):
    day = 20_000 * RATE_LIMIT_KEY_ROTATION
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        morning, evening = rate_limit_key(day + 60), rate_limit_key(day + 80_000)
        tomorrow = rate_limit_key(day + RATE_LIMIT_KEY_ROTATION + 60)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.4"}):
        neighbour = rate_limit_key(day + 60)
    assert morning == evening and len({morning, tomorrow, neighbour}) == 3
    assert "10.1.2.3" not in morning and len(morning) == 32


def test_no_table_stores_the_client_key_or_address(rate_limited, client, survey_consultation):
    address = "192.0.2.77"
    assert _submit(client, survey_consultation, 1, address).status_code == 201
    assert client.post(f"/api/v1/consultations/{survey_consultation.slug}/comments",
                       json={"body": "Kept apart"}, headers=_participant(1),
                       environ_base={"REMOTE_ADDR": address}).status_code == 201
    with rate_limited.test_request_context(environ_base={"REMOTE_ADDR": address}):
        key = rate_limit_key()
    dump = "\n".join(
        repr(tuple(row)) for table in db.metadata.sorted_tables
        for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')))
    assert "Kept apart" in dump  # the dump holds the contributions...
    assert key not in dump and address not in dump  # ...and nothing that ties them to a client


@pytest.mark.parametrize("setting", ["100 per month", "lots", ""])
def test_limit_windows_longer_than_the_key_are_refused_at_start(tmp_path, setting):
    with pytest.raises(RuntimeError, match="SUBMISSION_RATE_LIMIT"):
        create_app({**base_config(f"sqlite:///{tmp_path / 'x.sqlite3'}"),
                    "SUBMISSION_RATE_LIMIT": setting})


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


# CI (.ci/run) starts Redis and sets CONSULT_REQUIRE_REDIS=1, so there a missing Redis fails.
@pytest.mark.skipif(not _redis_answers() and not os.environ.get("CONSULT_REQUIRE_REDIS"),
                    reason="no Redis on 127.0.0.1:6379")
def test_counters_live_in_redis_when_configured(tmp_path):
    import redis

    prefix = f"consult-test-{uuid.uuid4().hex}"
    app = create_app({**base_config(f"sqlite:///{tmp_path / 'redis.sqlite3'}"),
                      "RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": prefix,
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
                      # Every counter of this test under its own prefix, new participants' too.
                      "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix},
                      "COMMENT_RATE_LIMIT": "2 per minute"})
    server = redis.Redis.from_url("redis://127.0.0.1:6379")
    try:
        with app.app_context():
            db.create_all()
            from consult.accounts.models import OrganisationKind
            from consult.accounts.services import create_organisation
            from consult.consultations.services import create_consultation, set_texts

            host = create_organisation("o", "O", OrganisationKind.OTHER)
            consultation = create_consultation(host, "c", "en", ["en"])
            set_texts(consultation, {("title", "en"): "Title"})
            consultation.state = State.OPEN
            db.session.commit()
            limiter.enabled = True
            client = app.test_client()
            statuses = [client.post("/api/v1/consultations/c/comments", json={"body": f"B{n}"},
                                    headers=_participant(n),
                                    environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code
                        for n in range(3)]
            assert statuses == [201, 201, 429]
            keys = [k.decode() for k in server.scan_iter(f"{prefix}*")]
            assert any("comment-client" in k for k in keys)
            assert not any("10.9.8.7" in k for k in keys)
            assert all(server.ttl(k) > 0 for k in keys)  # counters expire with their window
    finally:
        for k in server.scan_iter(f"{prefix}*"):
            server.delete(k)
        limiter.enabled = False
        with app.app_context():
            db.engine.dispose()


def test_refusals_at_the_consultation_ceiling_do_not_use_up_the_clients_allowance(
        rate_limited, client, survey_consultation):
    rate_limited.config["SUBMISSION_RATE_LIMIT"] = "3 per hour"
    rate_limited.config["CONSULTATION_SUBMISSION_RATE_LIMIT"] = "1 per hour"
    statuses = [_submit(client, survey_consultation, n).status_code for n in range(5)]
    assert statuses == [201] + [429] * 4
    # The ceiling rises (a new counter): this client has used one submission of its three.
    rate_limited.config["CONSULTATION_SUBMISSION_RATE_LIMIT"] = "100 per hour"
    statuses = [_submit(client, survey_consultation, n).status_code for n in range(5, 8)]
    assert statuses == [201, 201, 429]
