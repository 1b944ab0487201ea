"""New participants: 10 comments a day, 30 s between posts, 2 links a comment (configurable),
answered with the translated 429 page; participants with published comments are not new."""
import datetime as dt

from consult.comments.models import Comment, CommentState
from consult.comments.services import post_comment
from consult.extensions import db
from tests.conftest import translated


def _post(client, consultation, body, **kwargs):
    return client.post_form(f"/consultations/{consultation.slug}/comments", {"body": body},
                            **kwargs)


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(Comment.id)))


def test_more_than_two_links_is_a_429_told_at_the_field_keeping_the_text(client, consultation):
    body = "See https://a.example, https://b.example and www.c.example"
    response = _post(client, consultation, body)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and 'id="body-error"' in html
    assert "a comment can hold up to 2 links" in html and "www.c.example" in html
    assert _count() == 0
    assert _post(client, consultation, "Only https://a.example").status_code == 303


def test_more_than_two_links_in_a_reply_is_a_translated_429(client, consultation):
    _post(client, consultation, "A first comment")
    parent = db.session.scalar(db.select(Comment))
    parent.state = CommentState.PUBLISHED
    db.session.commit()
    response = client.post_form(
        f"/consultations/{consultation.slug}/comments/{parent.id}",
        {"body": "https://a.example https://b.example https://c.example"},
        query_string={"lang": "fr"})
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and 'lang="fr"' in html and 'id="body-error"' in html
    assert "https://c.example" in html and _count() == 1


def test_more_than_two_links_through_the_api_is_a_429_naming_the_field(client, consultation):
    url = f"/api/v1/consultations/{consultation.slug}/comments"
    refused = client.post(url, json={"body": "https://a.example https://b.example www.c.example"},
                          headers={"Participant-Key": "k" * 24})
    assert refused.status_code == 429
    assert "2 links" in refused.get_json()["errors"]["body"] and _count() == 0


def test_a_new_participant_waits_30_seconds_between_posts(rate_limited, client, consultation):
    assert _post(client, consultation, "First").status_code == 303
    response = _post(client, consultation, "Second")
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "please wait 30 seconds between comments" in html
    assert "Error 429" in html and _count() == 1


def test_the_429_page_is_translated(rate_limited, client, consultation):
    _post(client, consultation, "Premier", query_string={"lang": "fr"})
    html = _post(client, consultation, "Deuxième", query_string={"lang": "fr"}).get_data(
        as_text=True)
    # The page is the translated error page (its own messages are extracted for translators
    # and wrapped, as test_pseudo_locale checks).
    assert 'lang="fr"' in html and translated("fr", "Go to the home page") in html


def test_a_new_participant_posts_ten_comments_a_day(rate_limited, app, client, consultation):
    app.config["NEW_PARTICIPANT_SECONDS_BETWEEN_POSTS"] = 1
    from consult.extensions import limiter

    for n in range(10):
        limiter.reset()
        assert _post(client, consultation, f"Comment {n}").status_code == 303, n
    limiter.reset()
    response = _post(client, consultation, "Eleventh")
    assert response.status_code == 429
    assert "you can post 10 comments a day" in response.get_data(as_text=True)
    assert _count() == 10


def test_participants_with_published_comments_are_not_limited(rate_limited, app, client,
                                                              consultation):
    _post(client, consultation, "First, to get a key")
    key = db.session.scalar(db.select(Comment.author_key))
    for n in range(5):
        comment = post_comment(consultation, key, f"Earlier {n} https://a.example "
                               "https://b.example", "en", state=CommentState.PUBLISHED)
        comment.created_on = dt.date.today() - dt.timedelta(days=3)
    db.session.commit()
    assert _post(client, consultation, "Right away, with https://a.example https://b.example "
                 "https://c.example").status_code == 303


def test_limits_are_configurable_and_apply_to_the_api(rate_limited, app, client, consultation):
    app.config["NEW_PARTICIPANT_COMMENTS_PER_DAY"] = 1
    url = f"/api/v1/consultations/{consultation.slug}/comments"
    headers = {"Participant-Key": "k" * 24}
    assert client.post(url, json={"body": "One"}, headers=headers).status_code == 201
    refused = client.post(url, json={"body": "Two"}, headers=headers)
    assert refused.status_code == 429 and "1 comment a day" in refused.get_json()["error"]


def test_the_interval_counter_stores_no_time_with_comments(rate_limited, client, consultation):
    _post(client, consultation, "First")
    columns = {c.name for c in Comment.__table__.columns}
    assert "created_on" in columns and not columns & {"created_at", "posted_at", "time"}
