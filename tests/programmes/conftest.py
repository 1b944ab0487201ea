"""Fixtures of programme tests: a programme whose first round asks indicator questions."""
import pytest

from consult.extensions import db
from consult.programmes import indicators as indicator_services
from consult.programmes import services
from consult.programmes.models import Direction
from consult.surveys import services as surveys
from tests.surveys.specs import Spec, options, question


def round_survey() -> list[Spec]:
    """A round's survey: a Likert, a 0-10 scale and a single-choice indicator question, an
    area segment and free text."""
    likert = options("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
    return [Spec(key="p1", labels={"en": "Safety", "fr": "Sécurité"}, questions=[
        question("feel_safe", "likert", options=likert,
                 labels={"en": "I feel safe at night", "fr": "Je me sens en sécurité la nuit"}),
        question("trust_hotline", "scale", labels={"en": "Trust in the hotline (0-10)"}),
        question("harmed", "single_choice", options=options("yes", "no", "unsure"),
                 labels={"en": "Did the pilot harm anyone you know?"}),
        question("area", "single_choice", options=options("north", "south"), is_segment=True),
        question("why", "long_text"),
    ])]


@pytest.fixture
def make_programme(app, make_org, make_consultation):
    """Factory: a programme with a first round (its survey asks round_survey()) and, unless
    indicators=False, its three indicators adopted."""
    counter = iter(range(1, 10_000))

    def make(host=None, state=None, indicators=True, languages=("en", "fr")):
        n = next(counter)
        host = host or make_org()
        settings = {} if state is None else {"state": state}
        first = make_consultation(host=host, languages=languages, **settings)
        surveys.replace_survey(first, round_survey())
        programme = services.create_programme(
            host, f"programme-{n}", languages[0], list(languages),
            {("title", "en"): f"Programme {n}", ("title", "fr"): f"Programme {n} [fr]"}, None)
        services.add_round(programme, first, None)
        if indicators:
            for key, name, direction, favourable in (
                    ("feel_safe", "Feeling safe", Direction.HIGHER_IS_BETTER, []),
                    ("trust_hotline", "Trust in the hotline", Direction.HIGHER_IS_BETTER, []),
                    ("harmed", "Harm from the pilot", Direction.HIGHER_IS_WORSE, ["no"])):
                indicator_services.add_indicator(
                    programme, indicator_services.question_in(first, key), {"en": name},
                    direction, favourable, None)
        db.session.commit()
        return programme

    return make
