"""The request boundary: hostile text, integers and JSON become clean values or a clear 4xx,
never a 500, on SQLite and PostgreSQL."""
import pytest

from consult.boundary import MAX_INT, CleanMultiDict, clean_text, json_int
from consult.comments.models import Comment
from consult.extensions import db

KEY = {"Participant-Key": "boundary-test-participant-0001"}
HUGE = "99999999999999999999"


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()


def _comment(client, consultation, body: dict, **headers):
    return client.post(f"/api/v1/consultations/{consultation.slug}/comments", json=body,
                       headers={**KEY, **headers})


def _stored_bodies() -> list[str]:
    return list(db.session.scalars(db.select(Comment.body).order_by(Comment.id)))


def test_clean_text_drops_nul_controls_and_lone_surrogates_but_keeps_lines():
    assert clean_text("a\x00b\x1b[31mc\ud800d\udfff\te\r\nf") == "ab[31mcd\te\r\nf"
    assert clean_text("\U0001F600 ok") == "\U0001F600 ok"  # a real emoji is not a surrogate


def test_nul_and_lone_surrogate_in_an_api_comment_are_cleaned_not_a_500(client, consultation):
    response = _comment(client, consultation, {"body": "Lights\x00 at the\ud800 port"})
    assert response.status_code == 201
    assert _stored_bodies() == ["Lights at the port"]


def test_lone_surrogate_alone_is_an_empty_comment_422(client, consultation):
    response = _comment(client, consultation, {"body": "\ud800"})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"body"}


def test_nul_in_a_web_comment_form_is_cleaned_not_a_500(client, consultation):
    response = client.post_form(f"/consultations/{consultation.slug}/comments",
                                {"body": "More\x00 buses\x07 please"})
    assert response.status_code == 303
    assert _stored_bodies() == ["More buses please"]


def test_nul_in_an_idempotency_key_header_is_cleaned_not_a_500(client, consultation):
    headers = {"Idempotency-Key": "key\x00one", "Participant-Key": KEY["Participant-Key"] + "\x00"}
    first = _comment(client, consultation, {"body": "Once"}, **headers)
    again = _comment(client, consultation, {"body": "Once"}, **{**headers,
                                                              "Idempotency-Key": "keyone"})
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]


def test_nul_in_json_keys_and_nested_strings_is_cleaned(app):
    from consult.boundary import load_json

    assert load_json(b'{"a\\u0000": ["x\\u0000y", {"z": "\\ud800w"}]}') == \
        {"a": ["xy", {"z": "w"}]}


@pytest.mark.parametrize("path", [
    "/api/v1/consultations/{slug}/comments",
    "/api/v1/consultations/{slug}/responses",
    "/api/v1/comments/1/votes",
])
@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_json_nested_deeply_is_a_clear_400_on_every_api_post(client, consultation, path,
                                                              depth):
    body = '{"body": ' + "[" * depth + "]" * depth + "}"
    response = client.post(path.format(slug=consultation.slug), data=body,
                           content_type="application/json",
                           headers={**KEY, "Idempotency-Key": "deep-1"})
    assert response.status_code in (400, 404)  # vote: the comment does not exist
    if response.status_code == 400:
        assert "nested too deeply" in response.get_json()["message"]


def test_json_nested_a_few_levels_is_accepted(client, consultation):
    nested = {"body": "Fine", "extra": [[[[{"a": [1]}]]]]}
    assert _comment(client, consultation, nested).status_code == 201


def test_nan_and_infinity_are_not_json(client, consultation):
    response = client.post(f"/api/v1/consultations/{consultation.slug}/comments",
                           data='{"body": "x", "section": NaN}',
                           content_type="application/json", headers=KEY)
    assert response.status_code == 400


@pytest.mark.parametrize("url", [
    f"/api/v1/comments/{HUGE}/votes",
    f"/api/v1/comments/{MAX_INT + 1}/votes",
])
def test_integers_beyond_a_column_in_an_api_url_are_404(client, url):
    response = client.post(url, json={"vote": "agree"}, headers=KEY)
    assert response.status_code == 404
    assert response.is_json


@pytest.mark.parametrize("suffix", [f"/comments/{HUGE}", f"/sections/{HUGE}",
                                    f"/comments/{MAX_INT + 1}"])
def test_integers_beyond_a_column_in_a_page_url_are_404(client, consultation, suffix):
    assert client.get(f"/consultations/{consultation.slug}{suffix}").status_code == 404


def test_a_valid_large_id_still_routes(client, consultation):
    # The converter's bound is the column's: an id up to it reaches the view (and is 404 there).
    assert client.post(f"/api/v1/comments/{MAX_INT}/votes", json={"vote": "agree"},
                       headers=KEY).status_code == 404


@pytest.mark.parametrize("query", [f"after={HUGE}", f"after=-{HUGE}", "after=abc"])
def test_integers_beyond_a_column_in_a_query_are_ignored(client, consultation, query):
    response = client.get(f"/api/v1/consultations/{consultation.slug}/comments?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("query", [
    f"after={HUGE}", f"sort=agreed&after={HUGE}_{HUGE}", f"sort=unvoted&after=nan_{HUGE}",
    "sort=unvoted&after=inf_1", "sort=unvoted&after=1e999_1", f"sort=discussed&after=1_{HUGE}",
])
def test_a_thread_cursor_beyond_a_column_or_not_finite_is_ignored(client, consultation,
                                                                   query):
    for page in ("comments", "sections/1"):
        response = client.get(f"/consultations/{consultation.slug}/{page}?{query}")
        assert response.status_code == 200, page


def test_a_survey_page_number_beyond_a_column_is_not_a_500(client, consultation):
    response = client.get(f"/consultations/{consultation.slug}/survey?page={HUGE}")
    assert response.status_code < 500


def test_clean_multidict_get_with_int_type_bounds_the_value():
    args = CleanMultiDict([("page", HUGE), ("n", "12"), ("t\x00ab", "x\x00")])
    assert args.get("page", type=int) is None
    assert args.get("page", 1, type=int) == 1
    assert args.get("n", type=int) == 12
    assert args["tab"] == "x"


@pytest.mark.parametrize("field,value", [
    ("parent_id", True), ("parent_id", int(HUGE) ** 2), ("parent_id", -int(HUGE)),
    ("parent_id", 1.0), ("parent_id", "1"), ("section", True), ("section", int(HUGE)),
])
def test_a_json_id_that_is_true_or_beyond_a_column_is_422(client, consultation, field,
                                                          value):
    first = _comment(client, consultation, {"body": "First"})
    assert first.get_json()["id"] == 1  # so that true would have meant this comment
    response = _comment(client, consultation, {"body": "Reply", field: value})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {field}


def test_json_int_refuses_booleans_floats_and_oversized_integers():
    assert json_int(7) == 7 and json_int(MAX_INT) == MAX_INT
    for value in (True, False, 7.0, "7", None, MAX_INT + 1, -MAX_INT - 1):
        assert json_int(value) is None


@pytest.mark.parametrize("slug", ["a%00b", "%00", "x%0ay", "%1b%5b31m"])
def test_a_slug_with_a_nul_or_control_character_is_404(client, slug):
    for url in (f"/consultations/{slug}", f"/consultations/{slug}/comments",
                f"/api/v1/consultations/{slug}", f"/api/v1/consultations/{slug}/summary"):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/api/v1/consultations/{slug}/comments", json={"body": "x"},
                           headers=KEY)
    assert response.status_code == 404


@pytest.mark.parametrize("target", [
    "/manage\r\nSet-Cookie: stolen=1", "/\r\n/evil.example", "/\t/evil.example",
    "/%0d%0a", "//evil.example", "/\\evil.example", "https://evil.example/",
    "/manage\x00", "/ok\u2028", "/ok\x85",
])
def test_next_with_line_breaks_or_another_site_goes_home_after_sign_in(client, auth,
                                                                      make_user, target):
    user = make_user()
    response = client.post_form("/manage/login", {"email": user.email,
                                                   "password": "correct horse battery"},
                                query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location and "\r" not in location and "\n" not in location
    assert "Set-Cookie" not in location and "stolen" not in response.headers.get(
        "Set-Cookie", "")
    assert location.startswith("/") and not location.startswith("//")
    assert location.isprintable()  # the boundary dropped the NUL of "/manage\x00"


def test_next_to_a_same_site_path_is_kept(client, make_user):
    user = make_user()
    response = client.post_form("/manage/login", {"email": user.email,
                                                   "password": "correct horse battery"},
                                query_string={"next": "/manage/consultations?tab=é"})
    assert response.headers["Location"].startswith("/manage/consultations")


@pytest.fixture
def survey(make_consultation):
    """An open consultation whose survey asks for a number and a text."""
    from types import SimpleNamespace as Spec

    from consult.consultations.lifecycle import State
    from consult.surveys import services
    from tests.surveys.specs import question

    consultation = make_consultation(state=State.DRAFT)
    services.replace_survey(consultation, [Spec(key="p1", labels={"en": "About you"}, questions=[
        question("age", "number", integer=True), question("why", "long_text")])])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def _respond(client, consultation, answers: dict, key: str = "response-1"):
    return client.post(f"/api/v1/consultations/{consultation.slug}/responses",
                       json={"answers": answers}, headers={"Idempotency-Key": key})


def test_nul_and_lone_surrogate_in_an_api_answer_are_cleaned_not_a_500(client, survey):
    from consult.surveys.models import Answer

    response = _respond(client, survey, {"why": "Safer\x00 streets\ud800\x1b please"})
    assert response.status_code == 201
    assert db.session.scalar(db.select(Answer.text)) == "Safer streets please"


@pytest.mark.parametrize("age", [True, False, int(HUGE) ** 4, [True]])
def test_true_or_a_huge_integer_as_a_number_answer_is_422(client, survey, age):
    response = _respond(client, survey, {"age": age})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"age"}
