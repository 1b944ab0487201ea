"""A watched word whose matching form (NFKD, no marks) outgrows its stored column is a clear
error at the field, never a 500: "ﷺ" alone spells out to 18 letters."""
import pytest

from consult.analysis.screening import normalise_phrase
from consult.extensions import db
from consult.moderation.models import WatchedWord
from tests.moderation.conftest import queue_url

LIMIT = WatchedWord.normalised.type.length


@pytest.mark.parametrize("word", ["ﷺ" * 100, "ﷻ" * 100, "ﬃ" * 100, "ﷺ" * 12],
                         ids=["salla-100", "jalla-100", "ffi-ligature-100", "salla-12"])
def test_a_word_that_expands_under_nfkd_past_its_column_is_a_form_error(as_moderator,
                                                                      consultation, word):
    assert len(word) <= 100 and len(normalise_phrase(word)) > LIMIT  # the form's limit passes
    response = as_moderator.post_form(queue_url(consultation, "/words"),
                                      {"word": word, "language": "*", "action": "block"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="word-error"' in html and 'aria-describedby="word-hint word-error"' in html
    assert "too long once written out in full" in html
    assert db.session.scalar(db.select(db.func.count(WatchedWord.id))) == 0


def test_a_word_that_expands_to_exactly_its_column_is_watched(as_moderator, consultation):
    word = "ﷺ" * 11 + "ab"  # 11 x 18 letters and their spaces, then "ab": exactly 200
    assert len(normalise_phrase(word)) <= LIMIT
    response = as_moderator.post_form(queue_url(consultation, "/words"),
                                      {"word": word, "language": "*", "action": "hold"})
    assert response.status_code == 303
    assert db.session.scalar(db.select(WatchedWord.normalised)) == normalise_phrase(word)
