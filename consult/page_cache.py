"""Whole public pages kept for readers without a session, keyed by what they show.

The pages everyone reads (a consultation, its published results) are the same HTML for every
reader who is not signed in, has no message waiting and asks in the same language. Such a
page is rendered once per key and kept in the per-process fragment cache; the key holds the
revisions of everything the page shows, read from the database on every request, so a change
made through any worker is seen at the next request. Staff, readers with a flashed message,
and any request with a query other than ?lang= are rendered afresh: their page differs, and
arbitrary query strings must not be able to fill the cache.
"""
from typing import Callable, Hashable

from flask import request, session
from flask_login import current_user

from consult import fragments
from consult.extensions import db
from consult.i18n import LANG_PARAM, current_language


def read_in_autocommit() -> None:
    """On PostgreSQL, run this GET's statements in autocommit, to be called before its first.

    A public page never writes, and each statement of a READ COMMITTED transaction sees the
    latest commits anyway: only the BEGIN and ROLLBACK round trips around a kept page's one
    statement go (that statement's cost on PostgreSQL falls by half). A request that already
    began a transaction (a staff session's check) keeps it; SQLite has no round trips to save.
    """
    if request.method == "GET" and not db.session().in_transaction() and \
            db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def is_cacheable_request() -> bool:
    """Whether this request's page is the one every anonymous reader of its language gets."""
    return (request.method == "GET" and set(request.args) <= {LANG_PARAM}
            and not current_user.is_authenticated and "_flashes" not in session)


def cached_page(key: Hashable, render: Callable[[], str]) -> str:
    """The page for key rendered by render(), kept for anonymous readers; rendered afresh
    (and never kept) for anyone else, or when rendering wrote to the session (a CSRF token
    or a message belongs to one reader only)."""
    if not is_cacheable_request():
        return render()
    full_key = ("page", request.path, request.query_string, current_language(), key)
    found = fragments.peek(full_key)
    if found is not None:
        return found[0]
    page = render()
    if not session.modified:
        fragments.keep(full_key, (page,))
    return page
