"""A Pol.is export folder becomes a closed consultation with its statements, votes and
moderation states; Pol.is participant and comment ids are kept as external ids.

Data exported from Pol.is conversations is often CC BY 4.0: the consultation's text names
where it came from, and whoever publishes it keeps the attribution its licence asks for.
"""
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from consult.accounts.models import Organisation
from consult.analysis.routing import priority
from consult.comments.language import comment_language
from consult.comments.models import Comment, CommentState, Vote, VoteChoice
from consult.comments.polis_files import (
    AGREE,
    DISAGREE,
    PolisFormatError,
    read_comments,
    read_summary,
    read_votes,
)
from consult.comments.text import normalise
from consult.consultations import services as consultations
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db

#: Prefix of participant keys that stand for a Pol.is participant id ("polis:17").
KEY_PREFIX = "polis:"
#: Longest slug accepted from --slug (the column holds 80; titles make at most 60 + "-n").
MAX_SLUG = 60
CHOICES = {AGREE: VoteChoice.AGREE, DISAGREE: VoteChoice.DISAGREE, 0: VoteChoice.PASS}


class ImportRefused(ValueError):
    """The import cannot go ahead; the message says why."""


@dataclass
class PolisImport:
    """What an import made."""

    consultation: Consultation
    states: Counter
    participants: int
    votes: int
    vote_rows: int
    source: str
    #: Votes on statements that comments.csv does not have (not imported).
    skipped_votes: int
    #: (row, comment id, reason) of each statement of comments.csv not imported.
    skipped_statements: list[tuple[int, str, str]]


def external_id(key: str) -> str | None:
    """The Pol.is participant id behind a participant key, if it is one."""
    return key[len(KEY_PREFIX):] if key.startswith(KEY_PREFIX) else None


def import_polis(folder: Path, slug: str | None = None) -> PolisImport:
    """Import folder as a new closed consultation (flushes; the caller commits)."""
    # Everything is read and checked before the first row is written: a bad folder leaves
    # nothing behind, and the database never sees a value it would refuse mid-import.
    try:
        comments_file, votes, summary = (read_comments(folder), read_votes(folder),
                                         read_summary(folder))
    except PolisFormatError as error:
        raise ImportRefused(f"not a Pol.is export we can read: {error}") from error
    statements = comments_file.statements
    if slug and (len(slug) > MAX_SLUG or not consultations.SLUG_PATTERN.match(slug)):
        raise ImportRefused(f"{slug[:MAX_SLUG]!r} is not a slug (at most {MAX_SLUG} lower-case "
                            "letters, digits and hyphens)")
    if slug and consultations.get_consultation(slug) is not None:
        raise ImportRefused(f"a consultation with the slug {slug!r} already exists")
    consultation = _consultation(folder, slug, summary)
    known = {s.comment_id for s in statements}
    kept = {pair: vote for pair, vote in votes.votes.items() if pair[1] in known}
    tallies: dict[str, Counter] = {s.comment_id: Counter() for s in statements}
    for (_, comment_id), vote in kept.items():
        tallies[comment_id][vote] += 1
    comments = {s.comment_id: _comment(consultation, s, tallies[s.comment_id])
                for s in statements}
    db.session.add_all(comments.values())
    db.session.flush()
    rows = [{"comment_id": comments[comment_id].id, "consultation_id": consultation.id,
             "voter_key": KEY_PREFIX + voter, "choice": CHOICES[vote], "previous": None}
            for (voter, comment_id), vote in kept.items()]
    if rows:  # one executemany, not a round trip per vote
        db.session.execute(db.insert(Vote), rows)
    return PolisImport(consultation, Counter(s.state for s in statements),
                       len({voter for voter, _ in kept}), len(kept), votes.rows, votes.source,
                       len(votes.votes) - len(kept), comments_file.skipped)


def _consultation(folder: Path, slug: str | None, summary: dict[str, str]) -> Consultation:
    host = db.session.scalar(db.select(Organisation).order_by(Organisation.id))
    if host is None:
        raise ImportRefused("there is no organisation yet: create one first "
                            "(consult create-organisation)")
    language = current_app.config["BABEL_DEFAULT_LOCALE"]
    title = summary.get("topic") or folder.resolve().name
    consultation = consultations.create_consultation(
        host, slug or consultations.unique_slug(title), language, [language])
    origin = summary.get("url") or folder.resolve().name
    consultations.set_texts(consultation, {
        ("title", language): title,
        ("summary", language): summary.get("conversation-description", ""),
        ("body", language): f"Imported from the Pol.is conversation {origin}. Data gathered "
                            "using the Polis software (compdemocracy.org/polis)."})
    consultation.state = State.CLOSED
    return consultation


def _comment(consultation: Consultation, statement, tally: Counter) -> Comment:
    body = normalise(statement.body)
    agrees, disagrees, passes = tally[AGREE], tally[DISAGREE], tally[0]
    total = agrees + disagrees + passes
    return Comment(
        consultation_id=consultation.id, author_key=KEY_PREFIX + statement.author_id,
        body=body, language=comment_language(body, consultation.default_language),
        state=CommentState(statement.state), is_meta=statement.is_meta,
        external_id=statement.comment_id, created_on=statement.created_on or dt.date.today(),
        agree_count=agrees, disagree_count=disagrees, pass_count=passes, reply_count=0,
        priority=priority(total, agrees, passes, meta=statement.is_meta))
