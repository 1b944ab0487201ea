"""Comment bodies: plain text in, safe HTML out (escaped, links and line breaks only)."""
import re
from functools import lru_cache

from markupsafe import Markup, escape

#: Longest comment body accepted, in characters (stated next to the field).
MAX_LENGTH = 2000

#: Web addresses written in a comment; only http(s), so no javascript: or data: link is made.
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"»›”’)]}"
_PARAGRAPHS = re.compile(r"\n\s*\n")


def normalise(body: str) -> str:
    """The body as stored: one kind of line break, no trailing spaces, at most one blank line
    between paragraphs."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _link(url: str) -> Markup:
    href = url if "://" in url else "https://" + url
    return Markup('<a href="{0}" rel="nofollow ugc noopener">{1}</a>').format(href, url)


def _split_url(match: str) -> tuple[str, str]:
    """(url, trailing text) of a matched address: closing punctuation is not part of it,
    except a ")" that closes a "(" inside the address."""
    url = match
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url, match[len(url):]


def _line(line: str) -> Markup:
    out, last = [], 0
    for match in _URL.finditer(line):
        url, rest = _split_url(match.group())
        out.append(escape(line[last:match.start()]))
        out.append(_link(url) if len(url) > 4 else escape(url))
        out.append(escape(rest))
        last = match.end()
    out.append(escape(line[last:]))
    return Markup("").join(out)


@lru_cache(maxsize=2048)
def render_body(body: str) -> Markup:
    """A comment body as HTML paragraphs: text escaped, line breaks kept, web addresses made
    into links that search engines ignore and that cannot reach back to this page."""
    paragraphs = [p for p in _PARAGRAPHS.split(body) if p.strip()]
    return Markup("").join(
        Markup("<p>{0}</p>").format(Markup("<br>").join(_line(line) for line in p.split("\n")))
        for p in paragraphs)


def link_count(body: str) -> int:
    """How many web addresses a body holds (each one render_body would make a link)."""
    return len(_URL.findall(body))
