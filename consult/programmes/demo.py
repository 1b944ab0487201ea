"""The demo programme "Community safety in Port Amani" (consult/data/demo_programme.json):
four rounds of safer-port-amani's host over a year, three of them published so a newcomer sees
a trend, the fourth open (started with start_next_round) to try voting and self-assessment;
seeded answers by web, paper and SMS; indicators adopted from proposals drawn from comments;
the providers' self-assessments; and an action plan at every stage with dated timelines.
Created once: nothing is done when the programme exists (the auditor's login is still given).
"""
import datetime as dt
import hashlib
import json
import random
from pathlib import Path

from consult.accounts import services as accounts
from consult.accounts.models import User
from consult.comments.models import Comment, CommentState, VoteChoice
from consult.comments.services import post_comment
from consult.comments.votes import cast_vote
from consult.consultations import services as consultations
from consult.consultations.lifecycle import ModerationMode, ParticipationMode, State
from consult.extensions import db
from consult.programmes import commitments as plan
from consult.programmes import indicators, services
from consult.programmes.models import Direction, LinkKind, ProgrammeRound
from consult.summaries import tallies_store
from consult.surveys import services as surveys
from consult.surveys.models import Channel
from consult.surveys.responses import submit_all

DEMO_PROGRAMME = Path(__file__).resolve().parent.parent / "data" / "demo_programme.json"
SEED = 1616
#: The demo's read-only auditor of the programme (same password as the other demo logins).
AUDITOR = ("auditor@demo.example", "Kofi Auditor")

#: Per round: opens and closes (days from today), responses, and the community's answers:
#: weights of "I feel safe" 1 to 5, mean trust in the hotline (0-10), weights of harm
#: yes / no / not sure. Safety rises, trust rises then stalls, harm falls.
ROUNDS = (
    {"opens": -395, "closes": -365, "responses": 300, "safe": (22, 30, 18, 20, 10),
     "trust": 3.6, "harmed": (22, 63, 15)},
    {"opens": -275, "closes": -245, "responses": 380, "safe": (16, 24, 18, 27, 15),
     "trust": 5.1, "harmed": (15, 72, 13)},
    {"opens": -155, "closes": -125, "responses": 460, "safe": (10, 17, 17, 34, 22),
     "trust": 5.2, "harmed": (8, 81, 11)},
    {"opens": -10, "closes": 20, "responses": 60, "safe": (9, 15, 17, 36, 23),
     "trust": 5.4, "harmed": (7, 83, 10)},
)
ROLES = (("trader", 35), ("resident", 35), ("transport", 15), ("student", 15))
AREAS = (("port", 25), ("bus_station", 25), ("market", 30), ("neighbourhood", 20))
LANGUAGES = (("en", 35), ("fr", 30), ("ar", 25), ("es", 10))
CHANNELS = ((Channel.WEB, 55), (Channel.PAPER, 30), (Channel.SMS, 15))
#: Staff who score the indicators on the providers' own form, and how kindly they see things:
#: the host (the CSO), the council and the agency's planner (partners of every round).
ASSESSORS = (("host@demo.example", 0.5), ("council@demo.example", 0.9),
             ("planner@demo.example", 0.7))
#: How each indicator is followed: direction and favourable options (single choice).
FOLLOWED = {"feel_safe": (Direction.HIGHER_IS_BETTER, []),
            "trust_hotline": (Direction.HIGHER_IS_BETTER, []),
            "harmed": (Direction.HIGHER_IS_BETTER, ["no"])}
VOTERS = 50


def load_demo_programme() -> list[tuple[str, str]]:
    """Create the demo programme once (flushes); returns the auditor's (e-mail, role)."""
    from consult.demo import DEMO_PASSWORD

    email, name = AUDITOR
    auditor = accounts.get_user_by_email(email) or accounts.create_user(
        email, DEMO_PASSWORD, name)
    content = json.loads(DEMO_PROGRAMME.read_text(encoding="utf-8"))
    host = accounts.get_organisation(content["host"])
    if host is None or services.get_programme(content["slug"]) is not None:
        return [(email, "auditor")]
    actor = accounts.get_user_by_email("host@demo.example")
    rng = random.Random(SEED)
    programme = services.create_programme(
        host, content["slug"], content["default_language"], content["languages"],
        _pairs(content["texts"]), actor)
    rounds = _rounds(programme, content, actor)
    for position, round_ in enumerate(rounds, start=1):
        _responses(round_, ROUNDS[position - 1], content["ideas"], rng)
    comments = _comments(rounds, content["comments"], rng)
    _proposals(programme, rounds, content["proposals"], comments, actor, rng)
    _self_assessments(programme, rounds[:3], rng)
    _commitments(programme, rounds, content["commitments"], comments, actor)
    services.add_auditor(programme, auditor, actor)
    for round_ in rounds:  # published only now: proposals and scores need open rounds
        consultation = round_.consultation
        consultation.state = State.RESULTS_PUBLISHED if round_ is not rounds[-1] else State.OPEN
        consultations.touch(consultation)
        tallies_store.fold(surveys.get_survey(consultation).id)
    services.touch(programme)
    db.session.flush()
    return [(email, "auditor")]


def _pairs(texts: dict[str, dict[str, str]], **fill) -> dict[tuple[str, str], str]:
    return {(field, language): text.format(**fill) if fill else text
            for field, by_language in texts.items() for language, text in by_language.items()}


def _day(days: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=days)


def _rounds(programme, content: dict, actor: User | None) -> list[ProgrammeRound]:
    """Round 1 made like any consultation, the next ones with "start the next round"."""
    first = consultations.create_consultation(
        programme.host, f"{content['slug']}-1", content["default_language"],
        content["languages"], moderation_mode=ModerationMode.POST,
        participation_mode=ParticipationMode.ANONYMOUS, publish_themes=True)
    consultations.add_section(first, _pairs(content["section"]))
    consultations.set_partners(first, [accounts.get_organisation(slug)
                                       for slug in content["partners"]])
    surveys.replace_survey(first, surveys.page_specs(content["survey"]))
    rounds = [services.add_round(programme, first, actor)]
    for position in range(2, len(ROUNDS) + 1):
        rounds.append(services.start_next_round(
            programme, f"{content['slug']}-{position}", actor))
    for position, round_ in enumerate(rounds, start=1):
        consultation = round_.consultation
        consultations.set_texts(consultation, _pairs(content["round_texts"], n=position))
        consultation.opens_on = _day(ROUNDS[position - 1]["opens"])
        consultation.closes_on = _day(ROUNDS[position - 1]["closes"])
        consultation.state = State.OPEN
    db.session.flush()
    return rounds


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted)
    return rng.choices(items, weights)[0]


def _trust(rng: random.Random, mean: float) -> int:
    """A 0-10 answer around mean (a rounded normal, spread 2.6, kept in range)."""
    return min(10, max(0, round(rng.gauss(mean, 2.6))))


def _responses(round_: ProgrammeRound, spec: dict, ideas: dict[str, list[str]],
               rng: random.Random) -> None:
    """Seeded answers, submitted through the same path as the API's (tallies counted)."""
    consultation = round_.consultation
    survey = surveys.get_survey(consultation)
    likert = ("1", "2", "3", "4", "5")
    for n in range(spec["responses"]):
        language, channel = _pick(rng, LANGUAGES), _pick(rng, CHANNELS)
        values = {"feel_safe": _pick(rng, zip(likert, spec["safe"])),
                  "harmed": _pick(rng, zip(("yes", "no", "unsure"), spec["harmed"]))}
        if rng.random() < 0.9:
            values["trust_hotline"] = _trust(rng, spec["trust"])
        if rng.random() < 0.92:
            values["role"] = _pick(rng, ROLES)
        if rng.random() < 0.88:
            values["area"] = _pick(rng, AREAS)
        if channel is not Channel.SMS and rng.random() < 0.2:
            values["safer"] = rng.choice(ideas[language])
        key = f"demo-programme-{round_.position}-{n}"
        payload = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
        submit_all(survey, values, {}, language, key, payload, channel, key,
                   submitted_on=consultation.opens_on + dt.timedelta(
                       days=rng.randint(0, (consultation.closes_on - consultation.opens_on).days)))
    db.session.flush()


def _comments(rounds: list[ProgrammeRound], specs: list[dict],
              rng: random.Random) -> dict[str, Comment]:
    """Published comments of the rounds, by their key in the demo data."""
    found = {}
    for n, spec in enumerate(specs):
        consultation = rounds[spec["round"] - 1].consultation
        comment = post_comment(consultation, f"demo-programme-author-{n}", spec["body"],
                               spec["language"], state=CommentState.PUBLISHED)
        comment.created_on = consultation.opens_on + dt.timedelta(days=rng.randint(2, 20))
        found[spec["key"]] = comment
    db.session.flush()
    return found


def _proposals(programme, rounds: list[ProgrammeRound], specs: list[dict],
               comments: dict[str, Comment], actor: User | None, rng: random.Random) -> None:
    """Proposals put to the vote in their round, voted on, then adopted (in the survey's
    order) or declined; the open one of the last round stays open."""
    adopted = {}
    for spec in specs:
        round_ = rounds[spec["round"] - 1]
        opened = round_.consultation.opens_on
        proposal = indicators.propose(programme, round_, spec["texts"], actor,
                                      comment=comments.get(spec["from"]))
        proposal.created_on = opened
        statement = db.session.get(Comment, proposal.statement_id)
        statement.created_on = opened
        agree, disagree = spec["votes"]
        voters = VOTERS if spec["outcome"] != "open" else VOTERS // 6
        for n in range(voters):
            draw = rng.random()
            cast_vote(statement, f"demo-programme-voter-{round_.position}-{n}",
                      VoteChoice.AGREE if draw < agree else VoteChoice.DISAGREE
                      if draw < agree + disagree else VoteChoice.PASS)
        if spec["outcome"] == "adopted":
            adopted[spec["indicator"]] = (proposal, round_)
        elif spec["outcome"] == "declined":
            indicators.decline(proposal, actor)
    for key, (direction, favourable) in FOLLOWED.items():
        proposal, round_ = adopted[key]
        indicator = indicators.add_indicator(
            programme, indicators.question_in(round_.consultation, key),
            proposal.texts_for("text"), direction, favourable, actor, proposal=proposal)
        indicator.adopted_on = round_.consultation.closes_on
    db.session.flush()


def _self_assessments(programme, rounds: list[ProgrammeRound], rng: random.Random) -> None:
    """Each provider's own score of every indicator in each published round: kinder than the
    community's, and kinder still in later rounds."""
    for position, round_ in enumerate(rounds, start=1):
        for email, kindness in ASSESSORS:
            user = accounts.get_user_by_email(email)
            organisation = next(iter(sorted(user.organisation_ids
                                             & round_.consultation.organisation_ids())))
            lift = kindness + 0.15 * position
            for indicator in programme.indicators:
                value = {"feel_safe": str(min(5, 2 + round(lift * 2 + rng.random()))),
                         "trust_hotline": min(10, round(4 + lift * 4 + rng.random() * 2)),
                         "harmed": "no" if rng.random() < 0.5 + lift / 2 else "unsure",
                         }[indicator.question_key]
                found = indicators.score(round_, indicator, user, organisation, value)
                found.scored_on = round_.consultation.closes_on - dt.timedelta(days=3)
    db.session.flush()


def _commitments(programme, rounds: list[ProgrammeRound], specs: list[dict],
                 comments: dict[str, Comment], actor: User | None) -> None:
    """The action plan, each commitment's timeline written on the days it happened."""
    statuses = {status.key: status for status in programme.statuses}
    followed = {indicator.question_key: indicator.id for indicator in programme.indicators}
    for spec in specs:
        links = []
        for kind, key in spec["links"]:
            if kind == "indicator":
                links.append(plan.Link(LinkKind.INDICATOR, indicator_id=followed[key]))
            elif kind == "statement":
                comment = comments[key]
                links.append(plan.Link(LinkKind.STATEMENT, consultation_id=comment.consultation_id,
                                       comment_id=comment.id))
            else:  # a question of the last published round
                links.append(plan.Link(LinkKind.QUESTION, consultation_id=rounds[2].consultation_id,
                                       key=key))
        texts = _pairs({"title": spec["title"], "description": spec["description"]})
        commitment = None
        for entry in spec["timeline"]:
            due = _day(entry.get("due", spec["due"]))
            state = plan.CommitmentState(texts, spec["responsible"], due,
                                         statuses[entry["status"]], entry["progress"])
            if commitment is None:
                commitment = plan.create_commitment(programme, state, links, entry["note"],
                                                    actor, on=_day(entry["on"]))
            else:
                plan.update_commitment(commitment, state, entry["note"], actor,
                                       on=_day(entry["on"]))
    db.session.flush()
