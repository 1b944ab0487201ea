"""Thread and vote pages kept whole, for readers who are not signed in.

Such a page is the same HTML for every reader of a language but for what belongs to one
reader alone: the CSRF token of their session, the idempotency key of the comment form (new
on every view), the page's own address (forms post back to it) and, on a thread, which vote
buttons are theirs. The kept copy holds placeholders for the first three, filled in on every
request, and no button pressed; `press` marks the reader's own votes. Its key holds the
consultation's revision and its comments' (comments/revisions.py), so a comment published,
hidden, withdrawn, redacted or voted on is seen at the next request, through any worker.

Signed-in staff, a reader with a message waiting, and any query but the page's own few
parameters (with valid values: arbitrary query strings must not fill the cache) get the page
rendered afresh, as does a reader whose own comments are in the thread (comments/views.py).
"""
import secrets
from typing import Callable, Hashable, Iterable

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from consult import fragments
from consult.comments.models import VoteChoice
from consult.security import random_token

#: Random per process, so no comment can contain a placeholder (they never leave the server).
_MARK = secrets.token_hex(12)
TOKEN = Markup(f"\ue000{_MARK}:token\ue000")
HERE = Markup(f"\ue000{_MARK}:here\ue000")
KEY = Markup(f"\ue000{_MARK}:key\ue000")
#: What a kept page is rendered with instead of the reader's own values.
PLACEHOLDERS = {"here": HERE, "idempotency_key": KEY, "csrf_token": lambda: TOKEN}


def shareable(parameters: dict[str, Iterable[str]]) -> bool:
    """Whether this request may get a kept page: a GET by someone not signed in, with no
    message waiting, whose query holds only these parameters, once each, with one of the
    values listed for each."""
    if request.method != "GET" or current_user.is_authenticated or "_flashes" in session:
        return False
    for name, values in request.args.lists():
        if name not in parameters or len(values) != 1 or values[0] not in parameters[name]:
            return False
    return True


def offered_languages() -> list[str]:
    """The languages this request may ask for with ?lang= (i18n.offer_languages)."""
    return (g.get("offered_languages") or (current_app.config["LANGUAGES"],))[0]


def kept(key: Hashable, render: Callable[[], tuple]) -> tuple:
    """The value kept for key (with the request's path and query), rendered the first time."""
    return fragments.cached(("comment-page", request.path, request.query_string, key), render)


def fill(html: str) -> str:
    """A kept page with this reader's CSRF token, a new idempotency key, and its address."""
    if TOKEN in html:
        html = html.replace(TOKEN, generate_csrf())
    if KEY in html:
        html = html.replace(KEY, random_token(16))
    if HERE in html:
        html = html.replace(HERE, escape(request.full_path.rstrip("?")))
    return html


def press(html: str, votes: dict[int, VoteChoice], base: str) -> str:
    """The reader's own votes pressed on a kept thread page (base: the thread's address, as
    in the vote forms' action)."""
    for comment_id, choice in votes.items():
        start = html.find(f'action="{base}/{comment_id}/vote">')
        if start < 0:
            continue
        end = html.find("</form>", start)
        button = f'value="{choice.value}" aria-pressed="'
        at = html.find(button, start, end)
        if at < 0 or not html.startswith("false", at + len(button)):
            continue
        at += len(button)
        html = f"{html[:at]}true{html[at + len('false'):]}"
    return html
