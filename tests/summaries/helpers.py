"""A consultation with a survey of every kind of question, and responses made in bulk."""
import itertools
from types import SimpleNamespace as Spec

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services
from consult.surveys.models import Channel
from consult.surveys.responses import submit_all
from tests.surveys.specs import options, question

_keys = itertools.count(1)


def survey_consultation(make_consultation, state=State.RESULTS_PUBLISHED, k=10):
    """A consultation (English and French) whose survey has two segments and one question of
    each summarised kind."""
    consultation = make_consultation(state=State.DRAFT, languages=("en", "fr"),
                                     min_cell_size=k)
    services.replace_survey(consultation, [
        Spec(key="about", labels={"en": "About you"}, questions=[
            question("role", "single_choice", is_segment=True, allow_other=True,
                     options=options("trader", "resident", "official")),
            question("area", "single_choice", is_segment=True, options=options("port", "market")),
        ]),
        Spec(key="views", labels={}, questions=[
            question("support", "likert", options=options("1", "2", "3", "4", "5")),
            question("priorities", "multiple_choice", options=options("jobs", "light", "buses")),
            question("trust", "scale"),
            question("age", "number", integer=True),
            question("order", "ranking", options=options("jobs", "safety", "lights")),
            question("ideas", "long_text"),
            question("info", "note"),
        ]),
    ])
    consultation.state = state
    db.session.commit()
    return consultation


def respond(consultation, answers: dict, times: int = 1, language="en", channel=Channel.WEB,
            others: dict | None = None):
    """Submit the same answers `times` times, as different participants."""
    survey = services.get_survey(consultation)
    for _ in range(times):
        n = next(_keys)
        submit_all(survey, answers, others or {}, language, f"idem-{n}", "hash", channel,
                   respondent_key=f"participant-{n}")
    db.session.commit()
