"""A national-scale comment thread for `make bench`: 20,000 comments (a fifth of them
replies, on the whole consultation and on three sections) and 1,000,000 votes by 50,000
participants, with counters and routing priorities as the services keep them.

Written straight into the tables in large batches (the services would take an hour).
"""
import datetime as dt
import random
from collections import Counter

from consult.analysis.routing import priority
from consult.comments.models import Comment, CommentState, Vote, VoteChoice
from consult.extensions import db

SLUG = "bench-comments"
COMMENTS = 20_000
VOTES = 1_000_000
VOTERS = 50_000
AUTHORS = 8_000
REPLY_SHARE = 0.2
WORDS = ("the bus station needs more light at night and the market road too safer walk home "
         "traders youth jobs patrol hotline trust police council money school port ferry "
         "families water health fair open transparent community meeting report every month "
         "please listen to us we want").split()


def _body(rng: random.Random) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 60))).capitalize() + "."
    if rng.random() < 0.05:
        text += " More at https://example.org/report-" + str(rng.randint(1, 999)) + "."
    return text


def _state(rng: random.Random) -> CommentState:
    roll = rng.random()
    return (CommentState.PUBLISHED if roll < 0.97 else CommentState.PENDING if roll < 0.98
            else CommentState.WITHDRAWN if roll < 0.99 else CommentState.HIDDEN)


def build(seed: int = 2026) -> int:
    """Create the consultation and fill it; returns its id. Commits."""
    from consult.accounts.models import Organisation
    from consult.consultations import services

    rng = random.Random(seed)
    host = db.session.scalars(db.select(Organisation).order_by(Organisation.id)).first()
    consultation = services.create_consultation(host, SLUG, "en", ["en", "fr"])
    services.set_texts(consultation, {("title", "en"): "A national conversation"})
    sections = [services.add_section(consultation, {("title", "en"): f"Part {n}",
                                                    ("body", "en"): f"What part {n} proposes."})
                for n in (1, 2, 3)]
    services.change_state(consultation, "open")
    db.session.commit()
    first = (db.session.scalar(db.select(db.func.max(Comment.id))) or 0) + 1
    rows, tops, published = [], [], []
    start = dt.date.today() - dt.timedelta(days=60)
    for n in range(COMMENTS):
        comment_id = first + n
        parent = rng.choice(published[-3000:]) if published and rng.random() < REPLY_SHARE \
            else None
        row = {"id": comment_id, "consultation_id": consultation.id,
               "section_id": parent["section_id"] if parent else rng.choice(
                   [None, None, *(s.id for s in sections)]),
               "parent_id": parent["id"] if parent else None,
               "depth": parent["depth"] + 1 if parent else 0,
               "author_key": f"bench-author-{rng.randrange(AUTHORS)}", "body": _body(rng),
               "language": "en", "state": _state(rng),
               "created_on": start + dt.timedelta(days=n * 60 // COMMENTS), "is_meta": False,
               "agree_count": 0, "disagree_count": 0, "pass_count": 0, "reply_count": 0,
               "priority": 0.0}
        rows.append(row)
        if row["state"] is CommentState.PUBLISHED:
            published.append(row)
            if parent is not None:
                parent["reply_count"] += 1
            else:
                tops.append(row)
    votes = _votes(rng, consultation.id, published)
    for row in rows:
        row["priority"] = priority(row["agree_count"] + row["disagree_count"]
                                   + row["pass_count"], row["agree_count"], row["pass_count"])
    for batch in range(0, len(rows), 5000):
        db.session.execute(db.insert(Comment.__table__), rows[batch:batch + 5000])
    for batch in range(0, len(votes), 50_000):
        db.session.execute(db.insert(Vote.__table__), votes[batch:batch + 50_000])
    db.session.commit()
    return consultation.id


def _votes(rng: random.Random, consultation_id: int, published: list[dict]) -> list[dict]:
    """VOTES distinct (voter, comment) votes: half on the 2,000 most visible comments."""
    per_voter = VOTES // VOTERS
    popular = published[:2000]
    lean = {row["id"]: rng.random() for row in published}
    votes, choices = [], (VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.PASS)
    counters = {VoteChoice.AGREE: "agree_count", VoteChoice.DISAGREE: "disagree_count",
                VoteChoice.PASS: "pass_count"}
    tally: Counter = Counter()
    for voter in range(VOTERS):
        chosen = {r["id"]: r for r in rng.sample(popular, per_voter // 2)}
        while len(chosen) < per_voter:
            row = rng.choice(published)
            chosen[row["id"]] = row
        for comment_id, row in chosen.items():
            roll = rng.random()
            choice = choices[0] if roll < lean[comment_id] * 0.8 else \
                choices[2] if roll > 0.9 else choices[1]
            row[counters[choice]] += 1
            tally[choice] += 1
            votes.append({"comment_id": comment_id, "consultation_id": consultation_id,
                          "voter_key": f"bench-voter-{voter}", "choice": choice,
                          "previous": None})
    return votes
