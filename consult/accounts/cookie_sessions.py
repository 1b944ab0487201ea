"""The signed-cookie session, kept off the JSON API: /api/v1 reads no session and sets none."""
from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

#: Paths served by the JSON API (consult/api): they authenticate with headers only.
API_PATH_PREFIX = "/api/"


#: Other paths that read no session and set none: the load balancers' health check.
SESSIONLESS_PATHS = frozenset({"/healthz"})


def is_api_path(path: str) -> bool:
    """Whether a request path belongs to the JSON API."""
    return path == API_PATH_PREFIX.rstrip("/") or path.startswith(API_PATH_PREFIX)


def is_sessionless(path: str) -> bool:
    """Whether a request path reads no session and sets none (the API, the health check)."""
    return is_api_path(path) or path in SESSIONLESS_PATHS


class SiteOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session for the website; an empty, never-saved one for the API.

    A browser that also calls the API sends its session cookie along: the API must not read
    it (a staff session must not act through the API) nor refresh it (Set-Cookie).
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The cookie's session, or a fresh empty one on API paths."""
        if is_sessionless(request.path):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SecureCookieSession,
                     response: Response) -> None:
        """Write the cookie, except on API paths."""
        from flask import request

        if is_sessionless(request.path):
            return
        super().save_session(app, session, response)
