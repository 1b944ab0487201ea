"""Every form, staff and participant, sent back with an error answers 4xx (422: something to
correct), never 200 or 500, and the error is tied to its field (id="<field>-error", named by
the field's aria-describedby), so scripts, proxies and screen readers all see the refusal."""
import io
import re
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.comments import services as comments
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import Action, Reason
from consult.surveys import services as surveys
from tests.surveys.specs import options, question

DESCRIBED = re.compile(r'aria-describedby="([^"]*)"')


@pytest.fixture
def world(make_org, make_user, make_consultation):
    """A draft and an open consultation (survey, comments, a decision to appeal) and staff."""
    host_org = make_org("host")
    partner = make_org("partner")
    draft = make_consultation(host=host_org, state=State.DRAFT, languages=("en", "fr"))
    live = make_consultation(host=host_org, languages=("en", "fr"))
    for consultation in (draft, live):
        surveys.replace_survey(consultation, [Spec(key="p1", labels={}, questions=[
            question("role", "single_choice", required=True, options=options("a", "b")),
            question("age", "number", integer=True)])])
    topic = comments.post_comment(live, "someone", "A comment to report", "en")
    held = comments.post_comment(live, "author-key", "A comment waiting in the queue", "en",
                                 state=CommentState.PENDING)
    db.session.commit()
    return Spec(draft=draft, live=live, partner=partner, topic=topic, held=held,
                host=make_user(host_org, Role.HOST),
                moderator=make_user(host_org, Role.MODERATOR),
                planner=make_user(host_org, Role.PLANNER))


def _tied(html: str, field: str) -> bool:
    """The page shows an error for field and the field (or its group) points to it."""
    return f'id="{field}-error"' in html and any(
        f"{field}-error" in described.split() for described in DESCRIBED.findall(html))


def _check(response, field: str, name: str) -> list[str]:
    html = response.get_data(as_text=True)
    problems = []
    if response.status_code != 422:
        problems.append(f"{name}: answered {response.status_code}, not 422")
    if not _tied(html, field):
        shown = re.findall(r'id="([^"]+)-error"', html)
        problems.append(f"{name}: no error tied to the field {field!r} (errors: {shown})")
    return problems


def _staff_cases(world) -> list[tuple[str, str, dict, str]]:
    """(name, url, invalid form, field with the error) of every staff form."""
    draft, live = f"/manage/consultations/{world.draft.slug}", \
        f"/manage/consultations/{world.live.slug}"
    return [
        ("new consultation", "/manage/consultations/new",
         {"title__en": "", "default_language": "en", "languages": ["en"]}, "host"),
        ("consultation settings", f"{draft}/edit", {"default_language": "xx"},
         "default_language"),
        ("new section", f"{draft}/sections/new", {"title__en": ""}, "title__en"),
        ("section", f"{draft}/sections/1/edit", {"title__en": ""}, "title__en"),
        ("partners", f"{draft}/partners", {"partners": "not-a-number"}, "partners"),
        ("new survey page", f"{draft}/survey/pages/new", {"title__en": "x" * 5000},
         "title__en"),
        ("survey page", f"{draft}/survey/pages/p1/edit", {"title__en": "x" * 5000},
         "title__en"),
        ("new question", f"{draft}/survey/pages/p1/questions/new",
         {"key": "has space", "type": "short_text", "label__en": "Q"}, "key"),
        ("question", f"{draft}/survey/questions/age/edit",
         {"key": "age", "type": "number", "label__en": "", "number_kind": "integer"},
         "page"),
        ("new option", f"{draft}/survey/questions/role/options/new",
         {"key": "", "label__en": "C"}, "key"),
        ("option", f"{draft}/survey/questions/role/options/a/edit",
         {"key": "a", "label__en": ""}, "label__en"),
        ("XLSForm import", f"{draft}/survey/import", {"action": "check"}, "file"),
        ("paper upload", f"{live}/survey/paper", {}, "file"),
    ]


def _moderator_cases(world) -> list[tuple[str, str, dict, str]]:
    live = f"/manage/consultations/{world.live.slug}"
    return [
        ("moderation queue", f"{live}/moderation",
         {"comments": [str(world.held.id)], "action": "", "reason": ""}, "action"),
        ("moderation decision", f"{live}/moderation/comments/{world.topic.id}",
         {"action": "reject", "reason": ""}, "reason"),
        ("comment translation", f"{live}/comments/{world.topic.id}/translation",
         {"language": "fr", "body": ""}, "body"),
        ("watched word", f"{live}/moderation/words",
         {"word": "", "language": "*", "action": "block"}, "word"),
    ]


def _planner_cases(world) -> list[tuple[str, str, dict, str]]:
    live = f"/manage/consultations/{world.live.slug}"
    return [("you said, we did", f"{live}/responses/new", {"title__en": ""}, "topic")]


def _post(client, url: str, data: dict):
    """POST as the page's form does (file uploads are multipart)."""
    if url.endswith(("/survey/import", "/survey/paper")):
        return client.post_form(url, data, content_type="multipart/form-data")
    return client.post_form(url, data)


def test_every_staff_form_sent_back_with_an_error_answers_422_with_the_error_at_its_field(
        app, client, auth, world):
    problems = []
    for user, cases in ((world.host, _staff_cases(world)),
                        (world.moderator, _moderator_cases(world)),
                        (world.planner, _planner_cases(world))):
        auth.logout()
        auth.login(user)
        for name, url, data, field in cases:
            problems += _check(_post(client, url, data), field, name)
    auth.logout()
    problems += _check(client.post_form("/manage/login", {"email": "", "password": ""}),
                       "email", "sign-in")
    assert problems == [], "\n".join(problems)


def test_every_participant_form_sent_back_with_an_error_answers_422_with_the_error_at_its_field(
        app, client, world, moderator_decision):
    slug = f"/consultations/{world.live.slug}"
    cases = [
        ("comment", f"{slug}/comments", {"body": ""}, "body"),
        ("reply", f"{slug}/comments/{world.topic.id}", {"body": ""}, "body"),
        ("report", f"{slug}/comments/{world.topic.id}/report", {"reason": ""}, "reason"),
        ("survey", f"{slug}/survey", {"age": "not a number"}, "age"),
        ("receipt", "/receipt", {"receipt": ""}, "receipt"),
        ("codename", "/receipt", {"codename": ""}, "codename"),
        ("appeal", f"/receipt/decisions/{moderator_decision}/appeal", {"statement": ""},
         "statement"),
    ]
    problems = []
    for name, url, data, field in cases:
        problems += _check(client.post_form(url, data), field, name)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def moderator_decision(app, client, world):
    """The id of a decision on a comment this client wrote (so it may appeal it)."""
    slug = f"/consultations/{world.live.slug}"
    client.post_form(f"{slug}/comments", {"body": "My own comment, soon hidden"})
    mine = db.session.scalar(db.select(Comment).filter_by(
        body="My own comment, soon hidden"))
    decision = moderation.decide(mine, Action.HIDE, Reason.OFF_TOPIC, world.moderator)[0]
    db.session.commit()
    return decision.id


def test_an_invalid_xlsform_upload_is_a_422_even_when_the_file_is_readable(client, auth,
                                                                            world):
    auth.login(world.host)
    response = client.post_form(f"/manage/consultations/{world.draft.slug}/survey/import",
                                {"file": (io.BytesIO(b"not a workbook"), "form.xlsx"),
                                 "action": "check"}, content_type="multipart/form-data")
    assert _check(response, "file", "XLSForm import") == []
