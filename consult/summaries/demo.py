"""Demo results for the closed demo consultation (consult/data/demo_results.json): a short
survey (four questions, so that its public results stay within the participant page budget)
with generated but plausible responses (seeded, so every demo is the same), published comments
with votes, the council's "you said, we did", and its results published. Created once: a
consultation that already has a survey is left alone."""
import datetime as dt
import hashlib
import json
import random
from pathlib import Path

from consult.comments.models import CommentState, VoteChoice
from consult.comments.services import post_comment
from consult.comments.votes import cast_vote
from consult.consultations.lifecycle import State
from consult.consultations.services import get_consultation, touch
from consult.extensions import db
from consult.summaries import planner_responses
from consult.surveys import services as surveys
from consult.surveys.models import Channel
from consult.surveys.responses import submit_all

DEMO_RESULTS = Path(__file__).resolve().parent.parent / "data" / "demo_results.json"
SEED = 2026
RESPONSES = 140
#: Who answered, with weights: enough in each group for figures, few "other residents".
GROUPS = (("young", 42), ("parent", 28), ("harbour", 18), ("resident", 12))
LANGUAGES = (("fr", 55), ("en", 28), ("ar", 17))
#: Paper forms came in from the youth centre; a handful by SMS (a cell below k).
CHANNELS = ((Channel.WEB, 90), (Channel.PAPER, 30), (Channel.SMS, 5))
#: Agreement with the proposal by group: weights of points 1 to 5.
SUPPORT = {"young": (3, 5, 10, 40, 42), "parent": (8, 14, 20, 38, 20),
           "harbour": (12, 20, 18, 34, 16), "resident": (15, 20, 25, 25, 15)}
#: Two camps of voters on the comments: chance to agree / disagree per comment camp.
VOTERS = {"a": 26, "b": 19}
LEANING = {("a", "a"): (0.85, 0.05), ("a", "b"): (0.1, 0.8), ("a", "both"): (0.8, 0.05),
           ("b", "a"): (0.15, 0.7), ("b", "b"): (0.8, 0.1), ("b", "both"): (0.75, 0.1)}


def load_demo_results() -> None:
    """Add the demo survey, responses, comments, votes and planner responses once (flushes)."""
    content = json.loads(DEMO_RESULTS.read_text(encoding="utf-8"))
    consultation = get_consultation(content["slug"])
    if consultation is None or surveys.get_survey(consultation) is not None:
        return
    rng = random.Random(SEED)
    survey, _ = surveys.replace_survey(consultation, surveys.page_specs(content["survey"]))
    _responses(survey, content["ideas"], consultation.closes_on, rng)
    _comments(consultation, content["comments"], rng)
    for spec in content["planner_responses"]:
        texts = {(field, lang): text for field in ("title", "body")
                 for lang, text in spec[field].items()}
        response = planner_responses.save_response(
            consultation, None, spec["topic"], planner_responses.Decision(spec["decision"]),
            texts)
        planner_responses.set_published(response, True)
    consultation.state = State.RESULTS_PUBLISHED
    touch(consultation)
    db.session.flush()


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted)
    return rng.choices(items, weights)[0]


def _responses(survey, ideas: dict[str, list[str]], closed_on, rng: random.Random) -> None:
    last_day = closed_on or dt.date.today()
    for n in range(RESPONSES):
        group = _pick(rng, GROUPS)
        language = _pick(rng, LANGUAGES)
        channel = _pick(rng, CHANNELS)
        values = {"group": group,
                  "support": str(_pick(rng, zip(range(1, 6), SUPPORT[group])))}
        if rng.random() < 0.85:
            values["hours"] = rng.choice((4, 6, 8, 8, 10, 10, 10, 12, 12, 15, 15, 20))
        if channel is not Channel.SMS and rng.random() < 0.55:
            values["ideas"] = rng.choice(ideas[language])
        key = f"demo-results-{n}"
        payload = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
        # Spread over the weeks it was open, so the figures do not all carry one day.
        submit_all(survey, values, {}, language, key, payload, channel, key,
                   submitted_on=last_day - dt.timedelta(days=rng.randint(1, 80)))
    db.session.flush()


def _comments(consultation, specs: list[dict], rng: random.Random) -> None:
    comments = [(post_comment(consultation, f"demo-results-author-{n}", spec["body"],
                              spec["language"], state=CommentState.PUBLISHED), spec["camp"])
                for n, spec in enumerate(specs)]
    for camp, count in VOTERS.items():
        for n in range(count):
            voter = f"demo-results-voter-{camp}-{n}"
            for comment, about in comments:
                if rng.random() < 0.15:
                    continue  # not everybody votes on everything
                agree, disagree = LEANING[(camp, about)]
                draw = rng.random()
                choice = VoteChoice.AGREE if draw < agree else (
                    VoteChoice.DISAGREE if draw < agree + disagree else VoteChoice.PASS)
                cast_vote(comment, voter, choice)
