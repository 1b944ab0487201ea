"""Security policy in one place: headers, sanitising, codenames, keyed hashes, logging policy."""
import hashlib
import hmac
import logging
import re
import secrets
import time
import traceback
from functools import lru_cache

import nh3
from flask import current_app, request
from markupsafe import Markup

#: Gunicorn access-log line: method, path without query string, status, size, duration.
#: Deliberately no client address, user agent, referrer or query string (receipts travel there).
ACCESS_LOG_FORMAT = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

#: Words of a codename; 2,048 words, each identified by its first four letters.
CODENAME_WORDS = 7
_CODENAME_SPLIT = re.compile(r"[\s\-_.,;:]+")


def set_security_headers(response):
    """Add the headers every response carries; participant pages are never cached."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static" and not headers.get("Cache-Control", "").startswith("public"):
        # A shared or seized phone must not hold copies of what was read or written (a view
        # that serves public aggregates, the same for everyone, may say "public" instead).
        headers["Cache-Control"] = "no-store"
    return response


def keyed_hash(value: str, purpose: str) -> str:
    """Hex HMAC of value under the app's secret, separated by purpose; not reversible."""
    key = hashlib.sha256(f"{purpose}:{current_app.secret_key}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


#: Seconds a client's rate-limit key lasts: it changes at each UTC midnight, so counters
#: from one day cannot be linked to the next. No limit window may be longer (limits.py).
RATE_LIMIT_KEY_ROTATION = 24 * 60 * 60


def rate_limit_key(now: float | None = None) -> str:
    """Key for rate-limit counters: a keyed hash of the client address and the current
    period (UTC day), never the address; the same address gets an unrelated key tomorrow.

    At each change of period a client's counters start afresh: with windows of at most a
    period, a client can reach at most twice a limit around midnight, and the ceilings per
    consultation (keyed by consultation, not client) are not affected at all.
    """
    period = int((time.time() if now is None else now) // RATE_LIMIT_KEY_ROTATION)
    return keyed_hash(f"{period}|{request.remote_addr or '-'}", "rate-limit")[:32]


def session_fingerprint() -> str:
    """What ties a staff session to its browser: a keyed hash of address and user agent."""
    agent = request.headers.get("User-Agent", "")
    return keyed_hash(f"{request.remote_addr}|{agent}", "staff-session")


#: A path on this site: no scheme or host, no spaces, controls or backslashes (browsers drop
#: tabs and line breaks from an address, so "/\t/evil.org" would be "//evil.org", and a line
#: break in Location would split the response).
_SAME_SITE_PATH = re.compile(r"/(?![/\\])[^\s\\\x00-\x1f\x7f]*")


def same_site_path(target: str | None) -> str | None:
    """target when it is a path on this site that is safe to redirect to, else None."""
    if target and _SAME_SITE_PATH.fullmatch(target) and target.isprintable():
        return target
    return None


def random_token(nbytes: int = 24) -> str:
    """An unguessable URL-safe token (participant keys, API tokens)."""
    return secrets.token_urlsafe(nbytes)


@lru_cache(maxsize=1)
def _wordlist() -> tuple[str, ...]:
    from mnemonic import Mnemonic

    return tuple(Mnemonic("english").wordlist)


@lru_cache(maxsize=1)
def _word_by_prefix() -> dict[str, str]:
    return {word[:4]: word for word in _wordlist()}


def generate_codename() -> str:
    """A new codename: CODENAME_WORDS random words (77 bits), shown to the participant once."""
    words = _wordlist()
    return " ".join(secrets.choice(words) for _ in range(CODENAME_WORDS))


def normalise_codename(text: str) -> str | None:
    """Canonical form of a typed codename, or None when it cannot be one.

    Each word is recognised by its first four letters, so a typo after them still signs in.
    """
    by_prefix = _word_by_prefix()
    parts = [p for p in _CODENAME_SPLIT.split(text.strip().lower()) if p]
    if len(parts) != CODENAME_WORDS:
        return None
    words = [by_prefix.get(part[:4]) for part in parts]
    if None in words:
        return None
    return " ".join(words)


def hash_codename(canonical: str) -> str:
    """Stored form of a codename: SHA-256, unsalted so it can be looked up.

    77 bits of entropy make guessing infeasible even with the hash in hand, and no secret is
    mixed in so that rotating SECRET_KEY does not lock participants out.
    """
    return hashlib.sha256(f"consult-codename:{canonical}".encode()).hexdigest()


#: Tags and attributes host-written rich text may keep; everything else is stripped.
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@lru_cache(maxsize=512)
def render_host_text(text: str) -> Markup:
    """Host-written body text as safe HTML: plain paragraphs, or sanitised rich text."""
    if "<" not in text:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return Markup("".join(
            Markup("<p>%s</p>") % Markup("<br>").join(p.splitlines()) for p in paragraphs
        ))
    return Markup(sanitise_html(text))


def sanitise_html(html: str) -> str:
    """Clean host-written rich text with nh3's allow-list; links get rel=nofollow noopener."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


# --- Logging policy: what any log line may carry -------------------------------------------
# No client address, no query string (receipts travel there), no participant key and no text a
# participant wrote. Keys and texts reach a log only through exception messages (a database
# error quoting its parameters or a row), so exceptions are logged by type and frames alone,
# and the engine is built with hide_parameters. Control characters are escaped so a path like
# /x%0a... cannot forge a second log line.

_IP_FIELD = re.compile(r"\bip=\S+?(?=:\s|\s|$)")
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_IPV6 = re.compile(r"\b(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}\b")
_QUERY = re.compile(r"(/\S*?)\?\S*")
#: C0 and C1 controls, DEL, Unicode line separators and lone surrogates.
_LOG_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def escape_controls(text: str) -> str:
    """text with every control character written as an escape (\\x0a), so it stays one line."""
    return _LOG_UNSAFE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256 else f"\\u{ord(m[0]):04x}", text)


def scrub(message: str) -> str:
    """A log message without client addresses or query strings, and on one line."""
    message = _IP_FIELD.sub("ip=[removed]", message)
    message = _IPV4.sub("[address removed]", message)
    message = _IPV6.sub("[address removed]", message)
    return escape_controls(_QUERY.sub(r"\1?[query removed]", message))


def safe_traceback(error: BaseException) -> str:
    """The traceback of error and its causes: types and frames, never messages or values."""
    parts, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        kind = type(current)
        parts.append(f"Traceback (most recent call last):\n{frames}"
                     f"{kind.__module__}.{kind.__qualname__}: [message not logged]")
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__)
    return "\n\nThe above was raised while handling:\n\n".join(parts)


class ScrubFilter(logging.Filter):
    """Rewrites each record through the logging policy before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call must not log its raw arguments instead
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info:
            error = record.exc_info[1]
            record.exc_text = safe_traceback(error) if error is not None else None
            record.exc_info = None
        return True


class DropRowsFilter(logging.Filter):
    """Drops the rows SQLAlchemy logs at DEBUG: they hold participants' keys and texts, and
    hide_parameters does not cover them (the statements, without values, still log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


#: Loggers Consult writes to (the app's, and the development server's request lines).
APP_LOGGERS = ("consult", "werkzeug", "huey")
#: SQLAlchemy's engine logger (statements at INFO, rows at DEBUG).
ENGINE_LOGGER = "sqlalchemy.engine.Engine"


def install_log_policy() -> None:
    """Scrub every record of Consult's loggers, at the logger and at each of its handlers,
    and keep result rows out of SQLAlchemy's log."""
    for name in APP_LOGGERS:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, ScrubFilter) for f in target.filters):
                target.addFilter(ScrubFilter())
    engine = logging.getLogger(ENGINE_LOGGER)
    if not any(isinstance(f, DropRowsFilter) for f in engine.filters):
        engine.addFilter(DropRowsFilter())
