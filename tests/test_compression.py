"""Gzip: pages, CSS and JS compressed for clients that accept it, with sane ETags and Vary,
and never for what must not or need not be (ranges, streams, encoded or tiny bodies)."""
import gzip

from flask import Response

from consult.compression import MIN_SIZE, compress_response

GZIP = {"Accept-Encoding": "gzip, deflate"}
CSS = "/static/consult.css"


def test_pages_are_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/")
    packed = client.get("/", headers=GZIP)
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.get_data()).decode()
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(html)
    assert packed.headers["Cache-Control"] == "no-store"  # the other hooks still ran


def test_no_gzip_without_accept_encoding_or_when_refused(client):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0"}):
        response = client.get("/", headers=headers)
        assert "Content-Encoding" not in response.headers, headers
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.get_data(as_text=True).startswith("<!doctype html>")


def test_error_pages_are_gzipped_too(client):
    response = client.get("/no-such-page", headers=GZIP)
    assert response.status_code == 404
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.get_data())


def test_static_css_is_gzipped_with_a_weak_etag(client, app):
    plain = client.get(CSS)
    packed = client.get(CSS, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert packed.headers["Content-Type"].startswith("text/css")
    assert "Accept-Encoding" in plain.headers["Vary"]
    strong, packed_etag = plain.headers["ETag"], packed.headers["ETag"]
    assert not strong.startswith("W/") and packed_etag == f"W/{strong}"
    plain.close()
    packed.close()


def test_conditional_requests_still_end_in_not_modified(client):
    """The browser sends back the ETag it was given, weak or strong: both mean 'unchanged'."""
    first = client.get(CSS, headers=GZIP)
    with client.get(CSS, headers={**GZIP, "If-None-Match": first.headers["ETag"]}) as again:
        assert again.status_code == 304
        assert not again.get_data()
        assert again.headers["ETag"] == first.headers["ETag"]
    assert "Content-Encoding" not in again.headers
    plain = client.get(CSS)
    again = client.get(CSS, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["ETag"] == plain.headers["ETag"]
    for response in (first, plain, again):
        response.close()


def test_static_javascript_is_gzipped_when_large_enough(client, app):
    plain = client.get("/static/comments.js")
    packed = client.get("/static/comments.js", headers=GZIP)
    if len(plain.get_data()) >= MIN_SIZE:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.get_data()) == plain.get_data()
    else:
        assert "Content-Encoding" not in packed.headers
    plain.close()
    packed.close()


def test_range_requests_are_answered_from_the_plain_file(client):
    with client.get(CSS, headers={**GZIP, "Range": "bytes=0-99"}) as response:
        assert response.status_code == 206
        assert "Content-Encoding" not in response.headers
        assert len(response.get_data()) == 100


def test_small_bodies_are_left_alone(client):
    response = client.get("/ping", headers=GZIP)
    assert "Content-Encoding" not in response.headers


def test_cross_site_requests_with_our_cookies_are_not_compressed(client):
    """BREACH: another site must not get to measure compressed pages holding our secrets."""
    cross_site = {**GZIP, "Sec-Fetch-Site": "cross-site"}
    first = client.get("/codename", headers=cross_site)  # no cookie yet: a shared link
    assert first.headers["Content-Encoding"] == "gzip"
    assert client.get_cookie("consult_session") is not None
    again = client.get("/codename", headers=cross_site)
    assert "Content-Encoding" not in again.headers
    assert client.get("/codename", headers={**GZIP, "Sec-Fetch-Site": "same-origin"}) \
        .headers["Content-Encoding"] == "gzip"
    static = client.get(CSS, headers=cross_site)  # holds no secret
    assert static.headers["Content-Encoding"] == "gzip"
    static.close()


def _through_hook(app, response: Response, headers=GZIP) -> Response:
    with app.test_request_context("/", headers=headers):
        return compress_response(response)


def test_already_encoded_bodies_are_left_alone(app):
    body = b"x" * 5000
    response = _through_hook(app, Response(body, mimetype="text/html",
                                           headers={"Content-Encoding": "br"}))
    assert response.headers["Content-Encoding"] == "br"
    assert response.get_data() == body


def test_streamed_bodies_are_left_alone(app):
    def rows():
        yield "a,b\n" * 1000

    response = _through_hook(app, Response(rows(), mimetype="text/plain"))
    assert "Content-Encoding" not in response.headers
    assert response.is_streamed


def test_binary_types_are_left_alone(app):
    body = bytes(range(256)) * 20
    response = _through_hook(app, Response(body, mimetype="image/png"))
    assert "Content-Encoding" not in response.headers
    assert "Vary" not in response.headers


def test_a_strong_etag_on_a_page_becomes_weak(app):
    response = Response("<p>" + "word " * 1000, mimetype="text/html")
    response.set_etag("abc")
    response = _through_hook(app, response)
    assert response.headers["ETag"] == 'W/"abc"'


def test_a_body_compressed_lately_is_taken_from_memory_and_identical(app):
    import secrets

    from consult import compression

    # The memory is the process's: a body of its own, so other tests (and the other database's
    # run of this one) cannot have put it there first.
    body = f"<p>{secrets.token_hex(8)}" + "kept page " * 500
    first = _through_hook(app, Response(body, mimetype="text/html")).get_data()
    remembered = len(compression._remembered)
    second = _through_hook(app, Response(body, mimetype="text/html")).get_data()
    other = _through_hook(app, Response(body + "!", mimetype="text/html")).get_data()
    assert first == second and gzip.decompress(second).decode() == body
    assert gzip.decompress(other).decode() == body + "!"
    assert len(compression._remembered) == remembered + 1  # the other body only
