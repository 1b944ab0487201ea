"""Helpers of the public programme page's tests: answers, published rounds, commitments."""
import datetime as dt
from types import SimpleNamespace

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import commitments, services
from consult.programmes.commitments import CommitmentState, Link
from consult.surveys import services as surveys
from tests.summaries.helpers import respond
from tests.surveys.specs import options, question

#: A word only the free-text answers hold: it must never reach the page or the data.
SECRET = "Zanzibarquokka"
SAFE = {"feel_safe": "agree", "trust_hotline": 8, "harmed": "no", "area": "north",
        "why": f"Street lights {SECRET}"}
UNSAFE = {"feel_safe": "disagree", "trust_hotline": 3, "harmed": "yes", "area": "north",
          "why": f"Nobody came {SECRET}"}
SOUTH = {"feel_safe": "agree", "trust_hotline": 8, "harmed": "no",
         "area": "south"}


def publish(consultation) -> None:
    """Publish a round's results."""
    consultation.state = State.RESULTS_PUBLISHED
    db.session.commit()


def next_round(programme, slug: str, answers: list[tuple[dict, int]],
               state: State = State.RESULTS_PUBLISHED):
    """Start the next round (a copy of the last), answer it, and leave it in state."""
    found = services.start_next_round(programme, slug, None)
    consultation = found.consultation
    consultation.state = State.OPEN
    db.session.commit()
    for answer, times in answers:
        respond(consultation, answer, times=times)
    consultation.state = state
    db.session.commit()
    return consultation


def commit_to(programme, title: str, status_key: str = "under_way", progress: int = 40,
              due_on: dt.date | None = None, links=(), note: str = "", **texts):
    """A commitment of the programme's action plan."""
    status = next(s for s in programme.statuses if s.key == status_key)
    state = CommitmentState({("title", "en"): title, **{
        (field, "en"): text for field, text in texts.items()}}, "Port Authority", due_on,
        status, progress)
    made = commitments.create_commitment(programme, state, list(links),
                                         {"en": note} if note else {}, None)
    db.session.commit()
    return made


def indicator_link(indicator) -> Link:
    """A link to an indicator."""
    from consult.programmes.models import LinkKind

    return Link(LinkKind.INDICATOR, indicator_id=indicator.id)


def wide_survey(indicators: int) -> list[SimpleNamespace]:
    """A survey of `indicators` Likert questions, an area segment and free text."""
    likert = options("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
    return [SimpleNamespace(key="p1", labels={"en": "Questions"}, questions=[
        *(question(f"q{n}", "likert", options=likert, labels={"en": f"Statement number {n}"})
          for n in range(1, indicators + 1)),
        question("area", "single_choice", options=options("north", "south"), is_segment=True,
                 labels={"en": "Area"}),
        question("why", "long_text"),
    ])]


def replace(consultation, specs) -> None:
    """Give a consultation this survey."""
    surveys.replace_survey(consultation, specs)
    db.session.commit()
