"""What a participant's own page (/receipt) shows of the action plans: the commitments that
answer what they said, whatever the channel they came by (web, SMS, paper, USSD ...).

Found from the participant's own contributions only: a counted response of a round answers
the questions it has answers to, and the programme's indicators those questions are; a
comment they wrote answers as the statement it is. Nothing is read of anyone else's answers.
A commitment is shown only once its programme's page is public (a round's results
published), as the programme page shows it.
"""
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from consult.comments.models import Comment
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.programmes.commitments import answering, is_overdue, timelines
from consult.programmes.models import Commitment, CommitmentUpdate, Programme, ProgrammeRound
from consult.surveys.models import Answer, Question, Response


@dataclass(frozen=True)
class Answered:
    """A commitment as the receipt page shows it."""

    commitment: Commitment
    programme: Programme
    #: The newest entry of its timeline (None only for a commitment made before timelines).
    latest: CommitmentUpdate | None
    overdue: bool


@dataclass(frozen=True)
class ReceiptCommitments:
    """The commitments answering each counted response (by response id) and the comments."""

    by_response: dict[int, list[Answered]] = field(default_factory=dict)
    for_comments: list[Answered] = field(default_factory=list)


def _is_public(programme: Programme) -> bool:
    """Whether the programme's page is public: a round's results are published."""
    return any(r.consultation.state is State.RESULTS_PUBLISHED for r in programme.rounds)


def _answered_keys(response_ids: list[int]) -> dict[int, set[str]]:
    """The keys of the questions each response has an answer to (one query)."""
    found: dict[int, set[str]] = {i: set() for i in response_ids}
    if response_ids:
        for response_id, key in db.session.execute(
                select(Answer.response_id, Question.key).distinct()
                .join(Question, Question.id == Answer.question_id)
                .where(Answer.response_id.in_(response_ids))):
            found[response_id].add(key)
    return found


def _own_comment_ids(author_key: str | None) -> set[int]:
    """The ids of the comments this participant wrote."""
    if not author_key:
        return set()
    return set(db.session.scalars(select(Comment.id).where(Comment.author_key == author_key)))


def commitments_for(counted: list[tuple[Response, Consultation]],
                    author_key: str | None) -> ReceiptCommitments:
    """The commitments answering the participant's counted responses (counted: (response,
    consultation) pairs, as changes.counted_responses gives them) and their comments."""
    rounds = {}
    if counted:
        rounds = {r.consultation_id: r for r in db.session.scalars(
            select(ProgrammeRound).where(ProgrammeRound.consultation_id.in_(
                {consultation.id for _, consultation in counted})))}
    mine = [(response, rounds[consultation.id]) for response, consultation in counted
            if consultation.id in rounds and _is_public(rounds[consultation.id].programme)]
    comment_ids = _own_comment_ids(author_key)
    if not mine and not comment_ids:
        return ReceiptCommitments()
    keys = _answered_keys([response.id for response, _ in mine])
    by_response: dict[int, list[Commitment]] = {}
    for response, found in mine:
        programme = found.programme
        indicators = {i.id for i in programme.indicators if i.question_key in keys[response.id]}
        by_response[response.id] = [
            c for c in answering(found.consultation_id, keys[response.id], set(), set(),
                                 indicators) if c.programme_id == programme.id]
    for_comments = [c for c in (answering(0, set(), set(), comment_ids, set())
                                if comment_ids else []) if _is_public(c.programme)]
    shown = {c.id for c in for_comments} | {c.id for cs in by_response.values() for c in cs}
    updates = timelines(sorted(shown))
    today = dt.date.today()

    def answered(commitment: Commitment) -> Answered:
        entries = updates.get(commitment.id) or []
        return Answered(commitment, commitment.programme, entries[-1] if entries else None,
                        is_overdue(commitment, today))

    return ReceiptCommitments(
        {i: [answered(c) for c in cs] for i, cs in by_response.items() if cs},
        [answered(c) for c in for_comments])
