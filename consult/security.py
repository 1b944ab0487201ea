"""Security policy in one place: headers, sanitising, codenames, keyed hashes, logging policy."""
import hashlib
import hmac
import re
import secrets
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
    if request.endpoint != "static":
        # A shared or seized phone must not hold copies of what was read or written.
        headers["Cache-Control"] = "no-store"
    return response


def keyed_hash(value: str, purpose: str) -> str:
    """Hex HMAC of value under the app's secret, separated by purpose; not reversible."""
    key = hashlib.sha256(f"{purpose}:{current_app.secret_key}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def rate_limit_key() -> str:
    """Key for rate-limit counters: a keyed hash of the client address, never the address."""
    return keyed_hash(request.remote_addr or "-", "rate-limit")[:32]


def session_fingerprint() -> str:
    """What ties a staff session to its browser: a keyed hash of address and user agent."""
    agent = request.headers.get("User-Agent", "")
    return keyed_hash(f"{request.remote_addr}|{agent}", "staff-session")


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
