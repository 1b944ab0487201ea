"""Fixtures for moderation: a host organisation with two moderators, an open consultation,
comments, and a moderator's signed-in client."""
import pytest

from consult.accounts.models import Role
from consult.comments import services
from consult.comments.models import CommentState
from consult.extensions import db


@pytest.fixture
def host(make_org):
    """The host organisation."""
    return make_org("host")


@pytest.fixture
def moderator(host, make_user):
    """A moderator of the host organisation."""
    return make_user(host, Role.MODERATOR, email="mod@example.org")


@pytest.fixture
def second_moderator(host, make_user):
    """Another moderator of the host organisation (appeals go to a different one)."""
    return make_user(host, Role.MODERATOR, email="mod2@example.org")


@pytest.fixture
def consultation(host, make_consultation):
    """An open, post-moderated consultation in en/fr/ar hosted by host."""
    return make_consultation(host=host)


@pytest.fixture
def make_comment(app):
    """Factory: a comment in a given state (published by default), committed, unscreened."""
    counter = iter(range(1, 100_000))

    def make(consultation, body=None, author="author-key", state=CommentState.PUBLISHED,
             language="en", parent=None, section=None):
        comment = services.post_comment(consultation, author, body or f"Comment {next(counter)}",
                                        language, parent=parent, section=section, state=state)
        db.session.commit()
        return comment

    return make


@pytest.fixture
def as_moderator(client, auth, moderator):
    """The client, signed in as the moderator."""
    auth.login(moderator)
    return client


def queue_url(consultation, rest: str = "") -> str:
    """A URL of the consultation's moderation pages."""
    return f"/manage/consultations/{consultation.slug}/moderation{rest}"
