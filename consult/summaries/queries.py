"""The summaries' only bridge to the database: counts aggregated in SQL (GROUP BY).

A summary costs the same few statements whatever the number of questions: one per kind of
figure, each across every question at once. Only submitted responses count; drafts never do.
Rows come back as plain tuples for report.py, which knows nothing of SQL.
"""
from dataclasses import dataclass
from typing import Iterator, Sequence

from sqlalchemy import String, and_, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.orm import aliased

from consult.extensions import db
from consult.surveys.models import Answer, Question, Response, ResponseState

#: (language, channel, respondents)
HeadlineRow = tuple[str, str, int]
#: (language, channel, question id, option key, rank, number, answers)
CellRow = tuple[str, str, int, str | None, int | None, float | None, int]
#: (language, channel, question id, respondents who chose at least one option)
AnsweredRow = tuple[str, str, int, int]
#: (segment question id, segment option key, question id, option key, rank, number, answers)
SegmentCellRow = tuple[int, str, int, str | None, int | None, float | None, int]
#: (segment question id, segment option key, question id, respondents who answered)
SegmentAnsweredRow = tuple[int, str, int, int]


@dataclass(frozen=True)
class Aggregates:
    """Every count a summary is made of (see the row types above)."""

    headline: tuple[HeadlineRow, ...]
    cells: tuple[CellRow, ...]
    multi_answered: tuple[AnsweredRow, ...]
    segment_cells: tuple[SegmentCellRow, ...]
    segment_multi_answered: tuple[SegmentAnsweredRow, ...]


def _counted(survey_id: int):
    """The condition on `response` that makes a response count."""
    return and_(Response.survey_id == survey_id, Response.state == ResponseState.SUBMITTED)


def _tune_postgres() -> None:
    """These are a few large aggregates: JIT compilation costs more than it saves, and hash
    aggregation needs more than the default 4 MB to stay in memory (transaction-local)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.text("SET LOCAL jit = off"))
        db.session.execute(db.text("SET LOCAL work_mem = '64MB'"))


def aggregates(survey_id: int, segment_ids: Sequence[int],
               multi_ids: Sequence[int]) -> Aggregates:
    """The counts of a survey's submitted responses.

    segment_ids: single-answer questions to break every other question down by;
    multi_ids: questions with several answer rows per response (multiple choice), whose
    respondents are counted once each (EXISTS, one UNION ALL branch per question).
    """
    _tune_postgres()
    counted = _counted(survey_id)
    headline = select(Response.language, Response.channel, func.count()) \
        .where(counted).group_by(Response.language, Response.channel)
    keys = (Answer.question_id, Answer.option_key, Answer.rank, Answer.number)
    cells = select(Response.language, Response.channel, *keys, func.count()) \
        .join(Response, Response.id == Answer.response_id).where(counted) \
        .group_by(Response.language, Response.channel, *keys)
    result = {"headline": _rows(headline), "cells": _rows(cells), "multi_answered": (),
              "segment_cells": (), "segment_multi_answered": ()}
    if multi_ids:
        result["multi_answered"] = _rows(union_all(*(
            select(Response.language, Response.channel, literal(question_id), func.count())
            .where(counted, _answered(Response.id, question_id))
            .group_by(Response.language, Response.channel) for question_id in multi_ids)))
    if segment_ids:
        result["segment_cells"], result["segment_multi_answered"] = _segment_rows(
            survey_id, segment_ids, multi_ids)
    return Aggregates(**result)


def _segment_rows(survey_id: int, segment_ids: Sequence[int], multi_ids: Sequence[int]):
    """Every question's counts within each answer of each segment question: a self-join of
    answers on the response, one statement for all segments and questions."""
    segment = aliased(Answer)
    joined = (segment.question_id, segment.option_key)

    def joined_select(*columns):
        return (select(*columns).select_from(Answer)
                .join(segment, segment.response_id == Answer.response_id)
                .join(Response, Response.id == Answer.response_id))

    # A ranking is broken down by the option ranked first: its later ranks stay out.
    where = (_counted(survey_id), segment.question_id.in_(segment_ids),
             Answer.question_id != segment.question_id, segment.option_key.is_not(None),
             or_(Answer.rank.is_(None), Answer.rank == 1))
    keys = (Answer.question_id, Answer.option_key, Answer.rank, Answer.number)
    cells = _rows(joined_select(*joined, *keys, func.count()).where(*where)
                  .group_by(*joined, *keys))
    answered: tuple = ()
    if multi_ids:
        answered = _rows(union_all(*(
            select(*joined, literal(question_id), func.count()).select_from(segment)
            .join(Response, Response.id == segment.response_id)
            .where(_counted(survey_id), segment.question_id.in_(segment_ids),
                   segment.option_key.is_not(None),
                   _answered(segment.response_id, question_id))
            .group_by(*joined) for question_id in multi_ids)))
    return cells, answered


def _answered(response_id, question_id: int):
    """Whether the response answered the question: a semi-join, which counts a multiple
    choice respondent once, without the sort COUNT(DISTINCT) needs (4x faster measured)."""
    other = aliased(Answer)
    return select(other.id).where(other.response_id == response_id,
                                  other.question_id == question_id).exists()


def _rows(statement) -> tuple:
    """The result as tuples, enum members (the channel) as their stored values."""
    return tuple(tuple(getattr(value, "value", value) for value in row)
                 for row in db.session.execute(statement))


def fingerprint(survey_id: int) -> tuple[int, int, int]:
    """(submitted responses, highest submitted response id, highest answer id of the
    survey's questions): cheap with the summary indexes, and it changes whenever a response
    is submitted, changed (its answers are rewritten) or removed."""
    count, highest = db.session.execute(
        select(func.count(), func.max(Response.id)).where(_counted(survey_id))).one()
    per_question = select(func.max(Answer.id)).where(Answer.question_id == Question.id) \
        .scalar_subquery()
    answers = db.session.scalar(select(func.max(per_question))
                                .where(Question.survey_id == survey_id))
    return count, highest or 0, answers or 0


def quotes(survey_id: int, question_ids: Sequence[int], per_question: int) -> dict[int, list]:
    """Up to per_question free-text answers of each question, newest first, as (language it
    is written in, else the response's; text) pairs (planners only)."""
    if not question_ids:
        return {}
    number = func.row_number().over(partition_by=Answer.question_id,
                                    order_by=Answer.id.desc()).label("n")
    language = func.coalesce(Answer.language, Response.language)
    inner = (select(Answer.question_id, language, Answer.text, number)
             .join(Response, Response.id == Answer.response_id)
             .where(_counted(survey_id), Answer.question_id.in_(question_ids),
                    Answer.text.is_not(None), Answer.text != "")).subquery()
    found: dict[int, list] = {}
    for question_id, written_in, text, _ in db.session.execute(
            select(inner).where(inner.c.n <= per_question)
            .order_by(inner.c.question_id, inner.c.n)):
        found.setdefault(question_id, []).append((written_in, text))
    return found


#: (response id, language, channel, submitted day, question id, option key, rank, number, text)
ExportRow = tuple


def response_rows(survey_id: int, batch: int = 5000) -> Iterator[ExportRow]:
    """Every answer of every counted response, a response's rows together (in no particular
    order within it), streamed from a server-side cursor in batches: memory stays constant.
    Plain Core rows (the channel as its stored string): an export reads millions of them."""
    response, answer = Response.__table__, Answer.__table__
    statement = (select(response.c.id, response.c.language,
                        type_coerce(response.c.channel, String), response.c.submitted_on,
                        answer.c.question_id, answer.c.option_key, answer.c.rank,
                        answer.c.number, answer.c.text)
                 .select_from(response.outerjoin(answer, answer.c.response_id == response.c.id))
                 .where(response.c.survey_id == survey_id,
                        response.c.state == ResponseState.SUBMITTED)
                 .order_by(response.c.id))
    connection = db.session.connection().execution_options(stream_results=True,
                                                           yield_per=batch)
    for rows in connection.execute(statement).partitions():
        yield from rows
