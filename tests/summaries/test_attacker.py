"""An attacker who differences the totals of the published summary (and solves every sum rule
exactly) recovers no hidden count: not from the pure report on random data, not from the API."""
import random
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.summaries.document import summary_document
from consult.summaries.report import build_summary
from consult.summaries.services import Meta
from consult.summaries.tally import tally
from consult.surveys.models import Channel
from tests.summaries.attacker import recovered, values
from tests.summaries.helpers import respond, survey_consultation
from tests.summaries.reference import QUESTIONS, reference_aggregates

LANGUAGES, CHANNELS = ["en", "fr", "ar"], ["web", "paper", "sms"]


def _random_records(seed: int, size: int) -> list:
    """Skewed answers, so that small groups and small cells are common."""
    rng = random.Random(seed)

    def pick(options, weights=None, skip=0.0):
        return None if rng.random() < skip else rng.choices(options, weights)[0]

    records = []
    for _ in range(size):
        answers = {
            "role": pick(["trader", "resident", "official", "other"], [6, 5, 1, 1], .05),
            "area": pick(["port", "market"], [3, 1], .2),
            "support": pick(list("12345"), [1, 1, 2, 4, 3], .1),
            "priorities": rng.sample(["jobs", "light", "buses"], rng.randint(1, 3))
            if rng.random() > .2 else None,
            "trust": pick(list(range(11)), skip=.15),
            "age": pick(list(range(16, 80)), skip=.3),
            "order": rng.sample(["jobs", "safety", "lights"], rng.randint(1, 3))
            if rng.random() > .3 else None,
            "ideas": "x" if rng.random() < .4 else None,
        }
        records.append((pick(LANGUAGES, [6, 3, 1]), pick(CHANNELS, [7, 2, 1]),
                        {k: v for k, v in answers.items() if v is not None}))
    return records


def _document(records, k: int) -> dict:
    summary = build_summary(QUESTIONS, tally(reference_aggregates(records), QUESTIONS), k,
                            languages=LANGUAGES, channels=CHANNELS)
    options = {q.key: [SimpleNamespace(key=o, texts_for=lambda f: {}) for o in q.options]
               for q in QUESTIONS}
    survey = SimpleNamespace(questions=[SimpleNamespace(key=q.key, options=options[q.key],
                                                        texts_for=lambda f: {})
                                        for q in QUESTIONS])
    consultation = SimpleNamespace(slug="c", state=State.RESULTS_PUBLISHED, min_cell_size=k)
    return summary_document(consultation, survey, summary, Meta("", "", ()), planner=False)


def assert_nothing_small_is_given_away(published: dict, truth: dict, k: int) -> None:
    """No figure from 1 to k-1 is published, and no hidden one can be worked out."""
    shown, actual = values(published), values(truth)
    assert shown.keys() == actual.keys()
    small = {v for v, n in shown.items() if n is not None and 0 < n < k}
    assert not small, f"published counts from 1 to {k - 1}: {sorted(small, key=repr)[:5]}"
    for variable in recovered(published):
        assert shown[variable] is None
        assert False, f"{variable} = {actual[variable]} can be worked out"


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 90), st.sampled_from([3, 5, 10]))
def test_differencing_the_published_totals_recovers_no_hidden_count(seed, size, k):
    records = _random_records(seed, size)
    assert_nothing_small_is_given_away(_document(records, k), _document(records, 1), k)


def test_the_attacker_finds_what_an_unprotected_document_gives_away():
    # The check is real: with k = 1 nothing is hidden, with k = 10 counts are hidden, and
    # hiding only the small counts (no complements) would let the attacker work them out.
    records = _random_records(7, 60)
    document = _document(records, 10)
    hidden = [v for v, n in values(document).items() if n is None]
    assert hidden and not recovered(document)
    naive = _document(records, 1)
    naive["respondents"]["count"] = None  # hide one total: the parts give it back
    assert ("respondents",) in recovered(naive)


@pytest.mark.parametrize("k", [10])
def test_the_published_api_document_gives_nothing_away(client, make_consultation, k):
    consultation = survey_consultation(make_consultation, k=k)
    for language, channel, answers in _random_records(3, 70):
        respond(consultation, answers, language=language, channel=Channel(channel))
    url = f"/api/v1/consultations/{consultation.slug}/summary"
    published = client.get(url).get_json()
    consultation.min_cell_size = 1
    consultation.revision += 1
    db.session.commit()
    truth = client.get(url).get_json()
    assert published["k"] == k and truth["k"] == 1
    assert any(f is None for f in values(published).values())
    assert_nothing_small_is_given_away(published, truth, k)
