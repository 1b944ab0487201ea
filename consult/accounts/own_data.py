"""Everything one participant contributed, as one JSON document they can download.

Found by their participant key alone (the session's: a receipt or codename brought them
here), so a person gets their own contributions and nothing else: their responses and drafts
with the answers, their comments with their states and the moderators' decisions and notes
addressed to them, their votes, reports and appeals. Nobody else's words, keys or votes
appear; ids appear only where they are already public (comment numbers, in every thread's
links), never response, decision or staff ids.
"""
import datetime as dt
from typing import Any

from sqlalchemy import select

from consult.comments.models import Comment, Vote
from consult.consultations.models import Consultation, Section
from consult.extensions import db
from consult.moderation.models import Appeal, ModerationDecision, Report
from consult.surveys.changes import CHANGE_PREFIX
from consult.surveys.deletion import deleted_for
from consult.surveys.models import Response, Survey
from consult.surveys.responses import saved_answers

#: Changes whenever the document's shape does, so that programs reading it can tell.
FORMAT = "consult-contributions/1"


def _slugs(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Consultation.id, Consultation.slug)
                                   .where(Consultation.id.in_(ids))).all())


def _responses(key: str) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Response, Survey, Consultation.slug)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Response.respondent_key.in_([key, CHANGE_PREFIX + key]))
        .order_by(Response.id)).all()
    found = []
    for response, survey, slug in rows:
        values, others = saved_answers(response, survey)
        found.append({
            "consultation": slug,
            "state": ("change in progress" if response.respondent_key.startswith(CHANGE_PREFIX)
                      else response.state.value),
            "receipt": response.receipt, "language": response.language,
            "channel": response.channel.value,
            "submitted_on": _day(response.submitted_on), "saved_on": _day(response.saved_on),
            "answers": values, "other_answers": others})
    return found


def _comments(key: str) -> list[dict[str, Any]]:
    comments = list(db.session.scalars(select(Comment).where(Comment.author_key == key)
                                       .order_by(Comment.id)))
    slugs = _slugs(c.consultation_id for c in comments)
    section_ids = {c.section_id for c in comments if c.section_id is not None}
    sections = dict(db.session.execute(select(Section.id, Section.number).where(
        Section.id.in_(section_ids))).all()) if section_ids else {}
    decisions: dict[int, list[dict]] = {}
    appeals: list[dict] = []
    if comments:
        ids = [c.id for c in comments]
        for decision, appeal in db.session.execute(
                select(ModerationDecision, Appeal)
                .outerjoin(Appeal, Appeal.decision_id == ModerationDecision.id)
                .where(ModerationDecision.comment_id.in_(ids))
                .order_by(ModerationDecision.id)):
            decisions.setdefault(decision.comment_id, []).append({
                "action": decision.action.value, "reason": decision.reason.value,
                "note": decision.note, "day": _day(decision.decided_on),
                "from_state": decision.from_state.value, "to_state": decision.to_state.value})
            if appeal is not None:
                appeals.append({"comment": decision.comment_id,
                                "statement": appeal.statement,
                                "day": _day(appeal.created_on),
                                "outcome": appeal.outcome.value if appeal.outcome else None})
    return [{
        "id": c.id, "consultation": slugs.get(c.consultation_id),
        "section": sections.get(c.section_id),
        "reply_to": c.parent_id, "day": _day(c.created_on), "language": c.language,
        "state": c.state.value, "text": c.body or None, "redacted": c.redacted,
        "decisions": decisions.get(c.id, [])} for c in comments], appeals


def _votes(key: str) -> list[dict[str, Any]]:
    rows = db.session.execute(select(Vote.consultation_id, Vote.comment_id, Vote.choice)
                              .where(Vote.voter_key == key).order_by(Vote.id)).all()
    slugs = _slugs(r.consultation_id for r in rows)
    return [{"consultation": slugs.get(r.consultation_id), "comment": r.comment_id,
             "vote": r.choice.value} for r in rows]


def _reports(key: str) -> list[dict[str, Any]]:
    rows = db.session.execute(select(Report.consultation_id, Report.comment_id, Report.reason,
                                     Report.note, Report.created_on)
                              .where(Report.reporter_key == key).order_by(Report.id)).all()
    slugs = _slugs(r.consultation_id for r in rows)
    return [{"consultation": slugs.get(r.consultation_id), "comment": r.comment_id,
             "reason": r.reason.value, "note": r.note, "day": _day(r.created_on)}
            for r in rows]


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def contributions(key: str) -> dict[str, Any]:
    """The document of everything the participant with this key contributed."""
    comments, appeals = _comments(key)
    return {
        "format": FORMAT,
        "made_on": dt.date.today().isoformat(),
        "responses": _responses(key),
        "deleted_responses": [{"consultation": consultation.slug,
                               "deleted_on": _day(note.deleted_on),
                               "by": "staff" if note.by_staff else "you"}
                              for note, consultation in deleted_for(key)],
        "comments": comments,
        "votes": _votes(key),
        "reports": _reports(key),
        "appeals": appeals,
    }
