"""Security baseline: headers, CSRF, cookies, size cap, error pages, logs without IPs."""
import re
import socket
import urllib.request

import pytest

from bench.live_server import gunicorn
from consult.security import render_host_text, sanitise_html
from tests.conftest import translated


def test_every_page_sends_the_security_headers(client):
    headers = client.get("/").headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"


def test_participant_pages_are_not_cached_but_static_files_are(client, make_consultation):
    consultation = make_consultation()
    for url in ("/", f"/consultations/{consultation.slug}", "/codename", "/receipt"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    with client.get("/static/consult.css") as response:
        assert response.headers.get("Cache-Control") != "no-store"


def test_no_page_has_inline_script_or_third_party_assets(client, make_consultation):
    consultation = make_consultation()
    for url in ("/", f"/consultations/{consultation.slug}", "/manage/login", "/codename"):
        html = client.get(url).get_data(as_text=True)
        assert "<script" not in html, url
        assert not re.search(r'(src|href)="(https?:)?//', html.replace(
            'href="https://www.wikipedia.org/"', "")), url


def test_post_without_csrf_token_is_refused_with_translated_page(client):
    response = client.post("/codename", headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert translated("fr", "This form has expired") in response.get_data(as_text=True)


def test_csrf_token_lives_as_long_as_the_session(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["WTF_CSRF_ENABLED"] is not False


def test_session_cookie_is_httponly_samesite_and_secure_in_production(tmp_path, monkeypatch):
    from consult import create_app

    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path}/db"})
    client = app.test_client()
    response = client.get("/codename", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_request_larger_than_the_cap_gets_translated_413(client, app):
    body = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/receipt", data={"codename": body},
                           headers={"Accept-Language": "es"})
    assert response.status_code == 413
    assert translated("es", "What you sent is too large") in response.get_data(as_text=True)


@pytest.mark.parametrize("code,url,method", [
    (404, "/no-such-page", "get"), (405, "/manage/logout", "get"),
])
def test_error_pages_are_translated(client, code, url, method):
    response = getattr(client, method)(url, headers={"Accept-Language": "ar"})
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert 'lang="ar" dir="rtl"' in html
    assert re.search(r"<h1>[\u0600-\u06FF]", html)


def test_unexpected_error_shows_translated_500_page(app, client):
    from consult.permissions import public

    @public
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/broken", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    assert translated("fr", "Something went wrong on our side") in response.get_data(as_text=True)


def test_host_rich_text_is_sanitised_and_plain_text_escaped():
    assert sanitise_html('<p onclick="x()">Hi<script>alert(1)</script></p>') == "<p>Hi</p>"
    assert 'rel="nofollow noopener noreferrer"' in sanitise_html('<a href="https://x.org">x</a>')
    assert "javascript" not in sanitise_html('<a href="javascript:alert(1)">x</a>')
    assert str(render_host_text("a & b\n\nsecond\nline")) == \
        "<p>a &amp; b</p><p>second<br>line</p>"


@pytest.mark.slow
def test_served_access_log_records_no_ip_user_agent_referrer_or_query(tmp_path):
    with gunicorn(tmp_path, workers=1, demo=False) as port:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/ping?receipt=SECRET-RECEIPT",
            headers={"User-Agent": "DistinctiveAgent/9.9", "Referer": "https://ref.example/"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        with socket.create_connection(("127.0.0.1", port), timeout=5) as malformed:
            malformed.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            malformed.recv(1024)
    text = (tmp_path / "gunicorn.log").read_text()
    assert "Invalid request from ip=[removed]" in text
    assert '"GET /ping?receipt=SECRET-RECEIPT" 200' not in text
    assert text.count('"GET /ping" 200') >= 2  # the readiness probe and the request above
    for leak in ("127.0.0.1 -", "DistinctiveAgent", "ref.example", "SECRET-RECEIPT"):
        assert leak not in text


def test_error_log_messages_lose_addresses_and_query_strings():
    from consult.serving import scrub

    assert scrub("Invalid request from ip=10.1.2.3: bad") == \
        "Invalid request from ip=[removed]: bad"
    assert scrub("Error handling request GET /receipt?code=ABC") == \
        "Error handling request GET /receipt?[query removed]"
    assert "2001:db8" not in scrub("peer 2001:db8::1 closed")
    assert scrub("Booting worker with pid: 12078") == "Booting worker with pid: 12078"
