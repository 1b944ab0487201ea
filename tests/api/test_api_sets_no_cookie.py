"""The JSON API reads no session and sets no cookie (README), whatever the request."""
import pytest

from consult.accounts.models import Role
from consult.comments import services
from consult.extensions import db

KEY = {"Participant-Key": "an-app-made-participant-key-0001"}
LANGUAGES = [{}, {"Accept-Language": "fr-FR,fr;q=0.9"}, {"Accept-Language": "ar"}]


@pytest.fixture
def consultation(make_consultation):
    consultation = make_consultation()
    comment = services.post_comment(consultation, "someone", "A published comment", "en")
    db.session.commit()
    return consultation, comment.id


def _requests(slug: str, comment_id: int):
    """(method, path, JSON body) of every API route, with errors of each kind."""
    base = f"/api/v1/consultations/{slug}"
    return [
        ("GET", "/api/v1/openapi.json", None), ("GET", "/api/v1/consultations", None),
        ("GET", base, None), ("GET", base + "/comments", None),
        ("GET", base + "/summary", None), ("GET", "/api/v1/consultations/nope", None),
        ("GET", base + "?lang=fr", None), ("GET", "/api/v1/no-such-route?lang=ar", None),
        ("POST", base + "/comments", {"body": "From the app"}),
        ("POST", base + "/comments", {"body": ""}),
        ("POST", base + "/responses", {"language": "fr", "answers": {}}),
        ("POST", f"/api/v1/comments/{comment_id}/votes", {"vote": "agree"}),
        ("POST", f"/api/v1/comments/{comment_id}/votes?lang=fr", {"vote": "maybe"}),
        ("POST", base + "/comments", None),  # not JSON: 415
    ]


def _assert_no_cookie(client, consultation, comment_id: int, extra_headers: dict) -> None:
    for language in LANGUAGES:
        for method, path, body in _requests(consultation.slug, comment_id):
            response = client.open(path, method=method, json=body,
                                   headers={**KEY, **language, **extra_headers})
            assert response.status_code < 500, (method, path)
            assert "Set-Cookie" not in response.headers, (method, path, language,
                                                          response.headers["Set-Cookie"])


def test_api_sets_no_cookie_for_any_request_or_language(client, consultation):
    _assert_no_cookie(client, *consultation, {})


def test_api_ignores_and_never_refreshes_a_browser_session_cookie(client, auth, consultation,
                                                                  make_user):
    """A signed-in browser calling the API: the session is neither read nor rewritten."""
    consultation, comment_id = consultation
    user = make_user(consultation.host, Role.PLANNER)
    assert auth.login(user).status_code == 302
    client.get(f"/consultations/{consultation.slug}?lang=fr")  # the language cookie too
    assert client.get_cookie("consult_session") and client.get_cookie("consult_lang")
    _assert_no_cookie(client, consultation, comment_id, {})
    # The website still has its session and language.
    assert client.get("/manage/").status_code == 200
