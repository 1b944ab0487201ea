"""Gzip for text responses (pages, CSS, JS, JSON) when the client accepts it: a 3G phone
downloads a fifth of the bytes. Static files are compressed too, with a weak ETag so that
conditional requests still end in 304 Not Modified."""
import gzip
import hashlib
from collections import OrderedDict
from threading import Lock

from flask import Flask, Response, request

#: Bodies smaller than this gain nothing worth the CPU (one TCP segment carries them).
MIN_SIZE = 1024

#: Larger bodies are left alone: nothing we serve is this big, except exports, which stream.
MAX_SIZE = 4 * 1024 * 1024

COMPRESSIBLE = {"text/html", "text/css", "text/plain", "text/javascript",
                "application/javascript", "application/json", "image/svg+xml"}

#: Fast, and within a few per cent of level 9 on HTML.
LEVEL = 6

#: Compressed bodies remembered per process: the kept public pages are the same bytes for
#: every reader, and gzip costs more than serving them (a 16-byte digest finds them).
REMEMBERED = 64
_remembered: OrderedDict[bytes, bytes] = OrderedDict()
_lock = Lock()


def init_app(app: Flask) -> None:
    """Register the compressing after_request hook."""
    app.after_request(compress_response)


def compress_response(response: Response) -> Response:
    """Gzip the body when the client accepts it and compressing is worth it and safe."""
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code == 304:
        _echo_weak_etag(response)
        return response
    if not _accepts_gzip():
        return response
    if not _worth_compressing(response):
        return response
    static = request.endpoint == "static"
    if not static and _cross_site_with_credentials():
        return response
    if response.direct_passthrough:
        if not static:  # a file someone streams on purpose: leave it as it is
            return response
        body = _read_file(response)
    else:
        body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(_gzipped(body))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        # Another representation of the same resource: equal by weak comparison only. The
        # client sends W/"..." back in If-None-Match and send_file's weak match answers 304.
        response.set_etag(etag, weak=True)
    return response


def _gzipped(body: bytes) -> bytes:
    """body compressed, from memory when the same bytes were compressed lately."""
    digest = hashlib.blake2b(body, digest_size=16).digest()
    with _lock:
        found = _remembered.get(digest)
        if found is not None:
            _remembered.move_to_end(digest)
            return found
    compressed = gzip.compress(body, compresslevel=LEVEL, mtime=0)
    with _lock:
        _remembered[digest] = compressed
        while len(_remembered) > REMEMBERED:
            _remembered.popitem(last=False)
    return compressed


def _echo_weak_etag(response: Response) -> None:
    """A 304 carries the ETag the client holds: the weak one, if it got the gzipped body."""
    etag, weak = response.get_etag()
    if etag and not weak and f'W/"{etag}"' in request.headers.get("If-None-Match", ""):
        response.set_etag(etag, weak=True)


def _read_file(response: Response) -> bytes:
    """The whole of a small static file's body, its file closed at once."""
    source = response.response
    try:
        body = b"".join(source)
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()
    response.direct_passthrough = False
    response.response = [body]
    return body


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _worth_compressing(response: Response) -> bool:
    """A whole body (no range, no stream, not already encoded) of a useful size."""
    if response.status_code < 200 or response.status_code in (204, 206) \
            or "Content-Encoding" in response.headers or "Content-Range" in response.headers \
            or response.is_streamed and not response.direct_passthrough:
        return False
    length = response.content_length
    return length is None or MIN_SIZE <= length <= MAX_SIZE


def _cross_site_with_credentials() -> bool:
    """True for a request another site made the browser send with our cookies.

    BREACH: a page that reflects the attacker's text next to a secret (a CSRF token) leaks
    the secret through the compressed size, if the attacker can make the victim's browser
    fetch it many times and watch the sizes. Such requests are cross-site and carry our
    cookies; a person opening a shared link for the first time carries none and still gets
    the compressed page.
    """
    return request.headers.get("Sec-Fetch-Site") == "cross-site" and bool(request.cookies)
