"""Fixtures for comments: an open consultation and a factory of comments."""
import pytest

from consult.comments import services
from consult.comments.models import CommentState
from consult.extensions import db


@pytest.fixture
def consultation(make_consultation):
    """An open, post-moderated consultation in en/fr/ar with two sections."""
    return make_consultation()


@pytest.fixture
def make_comment(app):
    """Factory: a comment (published unless state says otherwise), committed."""
    counter = iter(range(1, 100_000))

    def make(consultation, body=None, author="author-key", parent=None, section=None,
             state=CommentState.PUBLISHED, language="en"):
        comment = services.post_comment(consultation, author, body or f"Comment {next(counter)}",
                                        language, section=section, parent=parent, state=state)
        db.session.commit()
        return comment

    return make
