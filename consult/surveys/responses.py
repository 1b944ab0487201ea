"""Responses: drafts saved page by page, then one submission per participant, exactly once.

Operations flush, never commit. A submission carries an idempotency key: a replay with the
same key (a double tap, a retry after a lost reply) finds the response it already made.
"""
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, Sequence

from consult.analysis.cell_key import new_key
from consult.analysis.conditions import prune_hidden
from consult.extensions import db
from consult.i18n import text_language
from consult.surveys.models import (
    CHOICE_TYPES,
    Answer,
    Channel,
    Question,
    QuestionType,
    Response,
    ResponseState,
    Survey,
)
from consult.surveys.response_store import AnswerRow, Guard, NewResponse, insert_response

#: Questions whose answers are participants' own words.
FREE_TEXT_TYPES = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)

#: Receipt letters: no 0/O, 1/I/L, 2/Z, 5/S or 8/B, which are confused when read aloud or typed.
RECEIPT_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


class AlreadySubmitted(ValueError):
    """The participant's response was already submitted (with another key)."""


def new_receipt() -> str:
    """A short, unguessable code like 'K7QM-4TXD' (8 symbols, about 37 bits)."""
    # One draw of the whole number, written in the alphabet's base: as uniform as eight
    # draws of a symbol, at a tenth of the cost on the API's busiest path.
    number = secrets.randbelow(len(RECEIPT_ALPHABET) ** 8)
    code = ""
    for _ in range(8):
        number, symbol = divmod(number, len(RECEIPT_ALPHABET))
        code += RECEIPT_ALPHABET[symbol]
    return f"{code[:4]}-{code[4:]}"


def response_for(survey: Survey, respondent_key: str) -> Response | None:
    """The participant's response to this survey, draft or submitted."""
    return db.session.scalar(db.select(Response).filter_by(survey_id=survey.id,
                                                           respondent_key=respondent_key))


def start_draft(survey: Survey, respondent_key: str, language: str,
                channel: Channel = Channel.WEB) -> Response:
    """The participant's response, created as an empty draft the first time."""
    response = response_for(survey, respondent_key)
    if response is None:
        response = Response(survey_id=survey.id, respondent_key=respondent_key,
                            language=language, channel=channel, state=ResponseState.DRAFT)
        db.session.add(response)
        db.session.flush()
    return response


def saved_answers(response: Response, survey: Survey) -> tuple[dict[str, Any], dict[str, str]]:
    """(values by question key, "other" texts by key) of a response, as conditions read them."""
    by_id = {q.id: q for q in survey.questions}
    values: dict[str, Any] = {}
    others: dict[str, str] = {}
    for answer in sorted(response.answers, key=lambda a: (a.question_id, a.rank or 0, a.id)):
        question = by_id.get(answer.question_id)
        if question is None:
            continue
        if question.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING):
            values.setdefault(question.key, []).append(answer.option_key)
        elif question.type in CHOICE_TYPES:
            values[question.key] = answer.option_key
        elif question.type in (QuestionType.NUMBER, QuestionType.SCALE):
            number = answer.number
            values[question.key] = int(number) if float(number).is_integer() else number
        else:
            values[question.key] = answer.text
        if answer.option_key == "other" and answer.text:
            others[question.key] = answer.text
    return values, others


def save_page(response: Response, questions: Sequence[Question], values: dict[str, Any],
              others: dict[str, str], next_page: int) -> None:
    """Replace the answers to these questions and remember where the participant goes next."""
    ids = {q.id for q in questions}
    response.answers = [a for a in response.answers if a.question_id not in ids]
    for question in questions:
        if question.key in values:
            response.answers.extend(answer_rows(question, values[question.key],
                                                others.get(question.key), response.language))
    response.current_page = next_page
    response.saved_on = dt.date.today()
    db.session.flush()


def answer_rows(question: Question, value: Any, other: str | None,
                declared: str | None = None) -> list[Answer]:
    """The Answer rows that store one checked value; free text keeps the language it was
    written in (declared: the response's language)."""
    return [Answer(**row._asdict()) for row in answer_values(question, value, other, declared)]


def answer_values(question, value: Any, other: str | None,
                  declared: str | None = None) -> list[AnswerRow]:
    """answer_rows as plain rows (question may be a Question or its shape)."""
    if question.type in CHOICE_TYPES:
        chosen = value if isinstance(value, list) else [value]
        ranked = question.type is QuestionType.RANKING
        return [AnswerRow(question.id, option_key=key, rank=position if ranked else None,
                          text=other if key == "other" else None,
                          language=_written_in(other, declared) if key == "other" else None)
                for position, key in enumerate(chosen, start=1)]
    if question.type in (QuestionType.NUMBER, QuestionType.SCALE):
        return [AnswerRow(question.id, number=value)]
    if question.type in FREE_TEXT_TYPES:
        return [AnswerRow(question.id, text=str(value),
                          language=_written_in(str(value), declared))]
    return [AnswerRow(question.id, text=str(value))]


def _written_in(text: str | None, declared: str | None) -> str | None:
    return text_language(text, declared) if text and declared else None


def submit(response: Response, survey: Survey, idempotency_key: str) -> Response:
    """Count the response once: hidden answers dropped, a receipt given, the key recorded.

    Submitting again with the same key returns the response unchanged.
    """
    if response.state is ResponseState.SUBMITTED:
        if response.idempotency_key == idempotency_key:
            return response
        raise AlreadySubmitted(response.receipt)
    values, _ = saved_answers(response, survey)
    kept = prune_hidden([(q.key, q.show_if) for q in survey.questions], values)
    hidden_ids = {q.id for q in survey.questions if q.key in values and q.key not in kept}
    response.answers = [a for a in response.answers if a.question_id not in hidden_ids]
    response.state = ResponseState.SUBMITTED
    response.idempotency_key = idempotency_key
    response.receipt = new_receipt()
    response.submitted_on = dt.date.today()
    db.session.flush()
    _fold_now_and_then(survey.id, response.id)
    return response


def _fold_now_and_then(survey_id: int, response_id: int) -> None:
    """Keep the summary tallies near current (one submission in FOLD_EVERY folds the others
    waiting), so a summary view never faces a large backlog."""
    from consult.summaries import tallies_store

    tallies_store.after_submission(survey_id, response_id)


def response_by_key(idempotency_key: str) -> Response | None:
    """The response a submission with this key made, if any."""
    return db.session.scalar(db.select(Response).filter_by(idempotency_key=idempotency_key))


class KeyReused(ValueError):
    """The idempotency key was already used for a different submission."""


def replayed(idempotency_key: str, payload_hash: str, survey_id: int):
    """The receipt and state of the response an earlier submission with this key made (a
    row), if its payload was the same; KeyReused if the key was used for something else."""
    earlier = db.session.execute(
        db.select(Response.receipt, Response.state, Response.payload_hash, Response.survey_id)
        .filter_by(idempotency_key=idempotency_key)).one_or_none()
    if earlier is not None and (earlier.payload_hash != payload_hash
                                or earlier.survey_id != survey_id):
        raise KeyReused(idempotency_key)
    return earlier


@dataclass(frozen=True)
class Submitted:
    """What a caller needs of a response stored by submit_all."""

    id: int
    receipt: str
    state: ResponseState


def submit_all(survey, values: dict[str, Any], others: dict[str, str], language: str,
               idempotency_key: str, payload_hash: str, channel: Channel,
               respondent_key: str, submitted_on: dt.date | None = None,
               guard: Guard | None = None) -> Submitted | None:
    """Store and count a complete, checked response in one step (API, imports).

    survey may be a Survey or its shape (shapes.py); values must come from answer checking,
    which already dropped hidden questions. The key is unique in the database: a replay fails
    the insert (IntegrityError), and the caller then answers with replayed(). With a guard,
    nothing is stored (None) unless the consultation row is still as checked. One statement
    on PostgreSQL, two on SQLite (response_store.py): this is the hot path of the API (see
    bench/run.py).
    """
    rows = [row for q in survey.questions if q.key in values
            for row in answer_values(q, values[q.key], others.get(q.key), language)]
    today = dt.date.today()
    receipt = new_receipt()
    response_id = insert_response(NewResponse(
        survey_id=survey.id, respondent_key=respondent_key, language=language,
        channel=channel.value, state=ResponseState.SUBMITTED.value,
        idempotency_key=idempotency_key, payload_hash=payload_hash, receipt=receipt,
        current_page=len(survey.pages), submitted_on=submitted_on or today, saved_on=today,
        cell_key=new_key()), rows, guard)
    if response_id is None:
        return None
    _fold_now_and_then(survey.id, response_id)
    return Submitted(response_id, receipt, ResponseState.SUBMITTED)


def purge_drafts(older_than_days: int, today: dt.date | None = None) -> int:
    """Delete drafts last saved more than older_than_days ago; returns how many."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=older_than_days)
    stale = db.select(Response.id).filter(Response.state == ResponseState.DRAFT,
                                          Response.saved_on < cutoff)
    ids = list(db.session.scalars(stale))
    if ids:
        db.session.execute(db.delete(Answer).filter(Answer.response_id.in_(ids)))
        db.session.execute(db.delete(Response).filter(Response.id.in_(ids)))
    return len(ids)
