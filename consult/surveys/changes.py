"""Changing a counted response: the new answers go to a separate draft until submitted.

The counted response keeps counting, unchanged, while the participant works through the pages
again; submitting swaps its answers for the draft's in one transaction, so a half-finished
change is never counted and an abandoned one expires with the other drafts.
Operations flush, never commit.
"""
import datetime as dt
import re

from consult.analysis.conditions import prune_hidden
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.summaries import tallies_store
from consult.surveys.models import Answer, Response, ResponseState, Survey
from consult.surveys.responses import (
    RECEIPT_ALPHABET,
    answer_rows,
    response_for,
    saved_answers,
)

#: A change draft belongs to the participant's key with this prefix (keys never start so).
CHANGE_PREFIX = "change:"


class ChangeAlreadyApplied(ValueError):
    """The change draft is gone: a repeated or parallel post already applied it."""


def change_key(respondent_key: str) -> str:
    """The respondent key of a participant's change draft."""
    return CHANGE_PREFIX + respondent_key


def change_for(survey: Survey, respondent_key: str) -> Response | None:
    """The participant's change in progress, if any."""
    return response_for(survey, change_key(respondent_key))


def start_change(survey: Survey, counted: Response) -> Response:
    """A change draft holding a copy of the counted answers, made once."""
    draft = change_for(survey, counted.respondent_key)
    if draft is None:
        draft = Response(survey_id=survey.id, respondent_key=change_key(counted.respondent_key),
                         language=counted.language, channel=counted.channel,
                         state=ResponseState.DRAFT, current_page=1)
        draft.answers = [Answer(question_id=a.question_id, option_key=a.option_key, rank=a.rank,
                                number=a.number, text=a.text, language=a.language)
                        for a in counted.answers]
        db.session.add(draft)
        db.session.flush()
    return draft


def cancel_change(survey: Survey, respondent_key: str) -> None:
    """Drop the change in progress; the counted answers stay as they were."""
    draft = change_for(survey, respondent_key)
    if draft is not None:
        db.session.delete(draft)
        db.session.flush()


def apply_change(survey: Survey, counted: Response, draft: Response,
                 idempotency_key: str) -> Response:
    """Replace the counted answers with the draft's (hidden ones dropped) and drop the draft.

    The draft is deleted first, by id: of two parallel posts only one deletes its row, and the
    other gets ChangeAlreadyApplied before it touches the counted answers (never doubled).
    """
    values, others = saved_answers(draft, survey)
    language = draft.language
    if draft in db.session:
        db.session.expunge(draft)
    db.session.execute(db.delete(Answer).where(Answer.response_id == draft.id))
    deleted = db.session.execute(db.delete(Response).where(
        Response.id == draft.id, Response.state == ResponseState.DRAFT)).rowcount
    if deleted != 1:
        raise ChangeAlreadyApplied(counted.receipt)
    kept = prune_hidden([(q.key, q.show_if) for q in survey.questions], values)
    # The summary tallies hold the old answers: undo them, and count the new ones later.
    tallies_store.forget(survey.id, [counted.id])
    counted.answers = [row for q in survey.questions if q.key in kept
                       for row in answer_rows(q, kept[q.key], others.get(q.key), language)]
    counted.language = language
    counted.idempotency_key = idempotency_key
    counted.payload_hash = None
    counted.submitted_on = dt.date.today()
    db.session.flush()
    return counted


def normalise_receipt(text: str) -> str | None:
    """'k7qm 4txd' -> 'K7QM-4TXD'; None when it cannot be a receipt."""
    letters = re.sub(r"[\s\-]", "", text or "").upper()
    if len(letters) != 8 or any(c not in RECEIPT_ALPHABET for c in letters):
        return None
    return f"{letters[:4]}-{letters[4:]}"


def response_by_receipt(text: str) -> Response | None:
    """The counted response with this receipt, or None."""
    receipt = normalise_receipt(text)
    if receipt is None:
        return None
    return db.session.scalar(db.select(Response).filter_by(
        receipt=receipt, state=ResponseState.SUBMITTED))


def counted_responses(respondent_key: str) -> list[tuple[Response, Consultation]]:
    """The participant's counted responses with their consultations, newest first."""
    query = (db.select(Response, Consultation)
             .join(Survey, Survey.id == Response.survey_id)
             .join(Consultation, Consultation.id == Survey.consultation_id)
             .filter(Response.respondent_key == respondent_key,
                     Response.state == ResponseState.SUBMITTED)
             .order_by(Response.id.desc()))
    return [(response, consultation) for response, consultation in db.session.execute(query)]
