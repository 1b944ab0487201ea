"""Demo comments, replies and votes for the demo consultations (consult/data/
demo_comments.json), created once: a consultation that has comments is left alone."""
import json
from pathlib import Path

from consult.comments.models import Comment, VoteChoice
from consult.comments.services import post_comment
from consult.comments.votes import cast_vote
from consult.consultations.services import get_consultation, get_section
from consult.extensions import db

DEMO_COMMENTS = Path(__file__).resolve().parent.parent / "data" / "demo_comments.json"
CHOICES = (VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.PASS)


def load_demo_comments() -> None:
    """Add the demo comments to each demo consultation that has none yet (flushes)."""
    for slug, comments in json.loads(DEMO_COMMENTS.read_text(encoding="utf-8")).items():
        consultation = get_consultation(slug)
        if consultation is None or db.session.scalar(
                db.select(Comment.id).filter_by(consultation_id=consultation.id).limit(1)):
            continue
        voter = iter(range(1, 100_000))
        for spec in comments:
            section = get_section(consultation, spec["section"]) if spec["section"] else None
            top = _comment(consultation, spec, voter, section=section)
            for reply in spec["replies"]:
                _comment(consultation, reply, voter, parent=top)


def _comment(consultation, spec: dict, voter, **where) -> Comment:
    comment = post_comment(consultation, spec["author"], spec["body"], spec["language"],
                           **where)
    for choice, count in zip(CHOICES, spec["votes"]):
        for _ in range(count):
            cast_vote(comment, f"demo-voter-{next(voter)}", choice)
    return comment
