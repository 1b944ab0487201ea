"""Logs leak nothing and cannot be forged: every error path a client can reach, with a
participant key, a distinctive text and a distinctive address, leaves none of them in any
log line (in-process at DEBUG, and in a real gunicorn's log)."""
import json
import logging
import re
import socket
import urllib.error
import urllib.request

import pytest
from sqlalchemy import text as sql

from bench.live_server import gunicorn
from consult.consultations.lifecycle import ParticipationMode, State
from consult.extensions import db
from consult.permissions import public
from consult.security import escape_controls, safe_traceback, scrub

KEY = "Leaky-Participant-Key-7f3a9c41d2"
TEXT = "Zebra quartz whisper 4417"
ADDRESS = "203.0.113.77"
ADDRESS6 = "2001:db8:77::1"
SECRETS = (KEY, TEXT, TEXT.replace(" ", "+"), TEXT.replace(" ", "%20"), ADDRESS, ADDRESS6)
#: What a client sends: its address (directly and through a proxy) and its key.
CLIENT = {"environ_base": {"REMOTE_ADDR": ADDRESS},
          "headers": {"X-Forwarded-For": ADDRESS6, "Participant-Key": KEY}}


def _raises_with_secrets():
    """A view that fails the way a database error would, quoting a participant's data."""
    db.session.execute(sql("SELECT * FROM no_such_table WHERE body = :t AND k = :k"),
                       {"t": TEXT, "k": KEY})


def _raises_plainly():
    raise RuntimeError(f"failed for {KEY} at {ADDRESS}: {TEXT}")


@pytest.fixture
def failing_app(app):
    """The app with two test-only routes that raise (500), and real exception handling."""
    for name, view in (("db_error", _raises_with_secrets), ("plain_error", _raises_plainly)):
        app.add_url_rule(f"/test-only/{name}", name, public(view), methods=["GET", "POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _all_logs(caplog, capsys) -> str:
    """Every captured log line: records as formatted, tracebacks included, and the output of
    the app's own handler (standard error)."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    lines = [formatter.format(record) for record in caplog.records]
    captured = capsys.readouterr()
    return "\n".join([*lines, caplog.text, captured.out, captured.err])


def test_every_error_path_logs_no_participant_key_text_or_address(failing_app, client, caplog,
                                                                 capsys, make_consultation):
    caplog.set_level(logging.DEBUG)
    for name in ("consult", "werkzeug", "sqlalchemy", "flask_limiter"):
        caplog.set_level(logging.DEBUG, logger=name)
    open_ = make_consultation()
    closed = make_consultation(state=State.CLOSED)
    codename = make_consultation(participation_mode=ParticipationMode.CODENAME)
    comments = f"/api/v1/consultations/{open_.slug}/comments"
    body = {"body": TEXT}
    statuses = {
        client.post(comments, data=json.dumps(body), content_type="text/plain", **CLIENT)
        .status_code,  # 415
        client.post(comments, data='{"body": "' + TEXT + '", "x": ' + "[" * 5000 + "]" * 5000
                    + "}", content_type="application/json", **CLIENT).status_code,  # 400
        client.post(f"/api/v1/consultations/{codename.slug}/comments", json=body, **CLIENT)
        .status_code,  # 403
        client.post(f"/api/v1/consultations/{TEXT}/comments", json=body, **CLIENT)
        .status_code,  # 404
        client.get(f"/consultations/{TEXT}?receipt={KEY}", **CLIENT).status_code,  # 404
        client.put(comments, json=body, **CLIENT).status_code,  # 405
        client.post(f"/api/v1/consultations/{closed.slug}/comments", json=body, **CLIENT)
        .status_code,  # 409
        client.post(comments, data="x" * (failing_app.config["MAX_CONTENT_LENGTH"] + 1) + TEXT,
                    content_type="application/json", **CLIENT).status_code,  # 413
        client.post(comments, json={"body": TEXT, "parent_id": True}, **CLIENT)
        .status_code,  # 422
        client.post(comments, json={"body": f"{TEXT}\x00\ud800"}, **CLIENT).status_code,  # 201
        client.post(comments, json={"body": f"{TEXT} " + " ".join(
            f"https://{n}.example.org" for n in range(9))}, **CLIENT).status_code,  # 429
        client.post(f"/consultations/{open_.slug}/comments", data={"body": TEXT}, **CLIENT)
        .status_code,  # 400: no CSRF token
        client.get(f"/test-only/db_error?body={TEXT}", **CLIENT).status_code,  # 500
        client.get(f"/test-only/plain_error?text={TEXT}", **CLIENT).status_code,  # 500
        client.get(f"/x%0a{ADDRESS}%20-%20forged", **CLIENT).status_code,  # 404
        client.get(comments, **CLIENT).status_code,  # 200, the comment's row read back
        client.get(f"/consultations/{open_.slug}/comments", **CLIENT).status_code,  # 200
    }
    assert {400, 403, 404, 405, 409, 413, 415, 422, 429, 500} <= statuses
    logs = _all_logs(caplog, capsys)
    assert "Exception on /test-only/db_error" in logs  # the 500s were logged, and scrubbed
    assert "[message not logged]" in logs
    for secret in SECRETS:
        assert secret not in logs, secret


def test_a_database_error_on_a_real_query_hides_its_parameters(failing_app, client, caplog,
                                                               capsys):
    caplog.set_level(logging.DEBUG)
    assert client.get("/test-only/db_error").status_code == 500
    logs = _all_logs(caplog, capsys)
    assert "sqlalchemy.exc" in logs and TEXT not in logs and KEY not in logs
    assert failing_app.extensions["sqlalchemy"].engine.hide_parameters


def test_a_log_line_cannot_be_forged_with_line_breaks_or_escapes(failing_app, client, caplog,
                                                                 capsys):
    caplog.set_level(logging.DEBUG)
    failing_app.logger.warning("path %s", "/x\n2026-01-01 forged line\r\x1b[2J\u2028")
    client.get("/test-only/plain_error/%0aforged")  # a 404 nobody logs
    record = caplog.records[-1]
    assert "\n" not in record.getMessage() and "\r" not in record.getMessage()
    assert record.getMessage() == "path /x\\x0a2026-01-01 forged line\\x0d\\x1b[2J\\u2028"


def test_scrub_escapes_controls_and_drops_addresses_and_queries():
    assert escape_controls("a\nb\x00c\x85d\ud800") == "a\\x0ab\\x00c\\x85d\\ud800"
    assert scrub(f"GET /receipt?code={KEY} from {ADDRESS}\n") == \
        "GET /receipt?[query removed] from [address removed]\\x0a"


def test_safe_traceback_keeps_frames_and_types_but_no_message():
    try:
        try:
            raise KeyError(TEXT)
        except KeyError as error:
            raise ValueError(KEY) from error
    except ValueError as error:
        written = safe_traceback(error)
    assert "builtins.ValueError: [message not logged]" in written
    assert "builtins.KeyError: [message not logged]" in written
    assert "test_safe_traceback_keeps_frames" in written
    assert TEXT not in written and KEY not in written


_SETUP = """
from consult import create_app
from consult.accounts import services as accounts
from consult.accounts.models import OrganisationKind
from consult.consultations import services
from consult.consultations.lifecycle import State
from consult.extensions import db
with create_app().app_context():
    org = accounts.create_organisation("org", "Org", OrganisationKind.CIVIL_SOCIETY)
    c = services.create_consultation(org, "open", "en", ["en"])
    services.set_texts(c, {("title", "en"): "Open"})
    c.state = State.OPEN
    db.session.commit()
"""


def _send(port: int, method: str, path: str, body: bytes | None = None,
          content_type: str = "application/json") -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, method=method,
        headers={"Content-Type": content_type, "X-Forwarded-For": ADDRESS,
                 "Participant-Key": KEY, "User-Agent": f"Agent {ADDRESS}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_served_logs_carry_no_key_text_or_address_and_cannot_be_forged(tmp_path,
                                                                       monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")  # the address arrives as a proxy would send it
    with gunicorn(tmp_path, workers=1, demo=False, setup=_SETUP) as port:
        comments = "/api/v1/consultations/open/comments"
        statuses = [
            _send(port, "POST", comments, json.dumps({"body": TEXT}).encode()),
            _send(port, "POST", comments, json.dumps({"body": TEXT + "\x00\ud800"}).encode()),
            _send(port, "POST", comments, b'{"body": "' + TEXT.encode() + b'", "x": '
                  + b"[" * 5000 + b"]" * 5000 + b"}"),
            _send(port, "POST", comments, json.dumps({"body": TEXT, "section": True}).encode()),
            _send(port, "POST", comments, TEXT.encode(), "text/plain"),
            _send(port, "PUT", comments, json.dumps({"body": TEXT}).encode()),
            _send(port, "POST", "/api/v1/comments/99999999999999999999/votes", b"{}"),
            _send(port, "GET", f"/consultations/open%00?receipt={KEY}"),
            _send(port, "GET", "/ping%0a127.0.0.1%20-%20%22GET%20/forged%22%20200%0d%1b[2J"),
            _send(port, "GET", "/manage/login?next=/%0d%0aSet-Cookie:%20x=1"),
        ]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as malformed:
            malformed.sendall(f"GET /{TEXT} HTTP/1.1\r\nHost: {ADDRESS}\r\n"
                              f"X-Forwarded-For: {ADDRESS}\r\n\x00bad\r\n\r\n".encode())
            malformed.recv(1024)
    assert 500 not in statuses and {201, 400, 404, 405, 415, 422} <= set(statuses)
    log = (tmp_path / "gunicorn.log").read_text()
    for secret in SECRETS:
        assert secret not in log, secret
    assert '"GET /ping\\x0a[address removed] - \\"GET /forged\\" 200\\x0d\\x1b[2J" 404' in log
    assert "Invalid request from ip=[removed]: Invalid HTTP Version: [details removed]" in log
    assert "quartz" not in log  # not even a part of the text, from the malformed request
    assert not re.search(r"^127\.0\.0\.1 - ", log, re.MULTILINE)
    assert not re.search(r'^"GET /forged', log, re.MULTILINE)


def test_a_gunicorn_reload_adds_each_log_filter_once():
    from gunicorn.config import Config

    from consult.security import ScrubFilter
    from consult.serving import BadRequestDetailFilter, PrivacyLogger

    config = Config()
    logger = PrivacyLogger(config)
    logger.setup(config)  # what the arbiter does on every HUP
    logger.setup(config)
    kinds = [type(f) for f in logger.error_log.filters]
    assert kinds.count(ScrubFilter) == 1 and kinds.count(BadRequestDetailFilter) == 1
    assert kinds.index(ScrubFilter) < kinds.index(BadRequestDetailFilter)
    assert [type(f) for f in logger.access_log.filters].count(ScrubFilter) == 1
