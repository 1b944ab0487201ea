"""The summaries' only bridge to the database: counts aggregated in SQL (GROUP BY).

The counts come from the survey's tallies, kept up to date by tallies_store.py (which
folds new responses in with INSERT ... SELECT ... GROUP BY over just them): a summary sums a
few thousand tally rows whatever the number of responses, in the same few statements
whatever the number of questions. Only submitted responses count; drafts never do.
Rows come back as plain tuples for report.py, which knows nothing of SQL.
"""
import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Sequence

from sqlalchemy import String, and_, func, or_, select, type_coerce

from consult.analysis.cell_key import CellCount
from consult.extensions import db
from consult.summaries import tallies_store
from consult.summaries.tallies_models import (
    CELL,
    HEADLINE,
    MULTI,
    SEGMENT_CELL,
    SEGMENT_MULTI,
)
from consult.surveys.models import Answer, Response, ResponseState

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


def aggregates(survey_id: int, segment_ids: Sequence[int], multi_ids: Sequence[int],
               current: bool = False) -> Aggregates:
    """The counts of a survey's submitted responses, from its tallies (tallies_store.py).

    segment_ids: single-answer questions to break every other question down by;
    multi_ids: questions with several answer rows per response (multiple choice), whose
    respondents are counted once each. One statement sums the survey's tally rows (a few
    thousand) and the rows of the responses not folded in yet, never writing (current is
    kept for callers; the counts are always current). Every count is a CellCount carrying
    its cell key (the sum of its responses' keys), which the published figures are
    perturbed by.
    """
    tally = tallies_store.current_rows(survey_id,
                                       tallies_store.shape_of(segment_ids, multi_ids))
    keys = [tally.c[name] for name in tallies_store.GROUPING[1:]]
    rows = db.session.execute(select(*keys, func.sum(tally.c.n), func.sum(tally.c.key_sum))
                              .group_by(*keys).having(func.sum(tally.c.n) != 0))
    found: dict[str, list] = {kind: [] for kind in (HEADLINE, CELL, MULTI, SEGMENT_CELL,
                                                      SEGMENT_MULTI)}
    for kind, language, channel, segment, segment_option, question, option, rank, number, n, \
            key in rows:
        n = CellCount(int(n), int(key))
        if kind == HEADLINE:
            found[kind].append((language, channel, n))
        elif kind == CELL:
            found[kind].append((language, channel, question, option, rank, number, n))
        elif kind == MULTI:
            found[kind].append((language, channel, question, n))
        elif kind == SEGMENT_CELL:
            found[kind].append((segment, segment_option, question, option, rank, number, n))
        else:
            found[kind].append((segment, segment_option, question, n))
    return Aggregates(tuple(found[HEADLINE]), tuple(found[CELL]), tuple(found[MULTI]),
                      tuple(found[SEGMENT_CELL]), tuple(found[SEGMENT_MULTI]))


def fingerprint(survey_id: int, segment_ids: Sequence[int] = (),
                multi_ids: Sequence[int] | None = None) -> tuple:
    """(survey id, *the tallies' state token): changes whenever a response is submitted,
    changed or removed, or the tallies are folded or rebuilt; read without writing. Two
    indexed lookups; once per request (summary and themes share it). Without the
    questions' shape, the survey's current one is read."""
    shape = None if multi_ids is None else tallies_store.shape_of(segment_ids, multi_ids)
    return survey_id, *tallies_store.state_token(survey_id, shape)


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


def response_rows(survey_id: int, batch: int = 5000,
                  submitted_before: dt.date | None = None) -> Iterator[ExportRow]:
    """Every answer of every counted response (only those submitted before a day, if given),
    a response's rows together (in no particular order within it), streamed from a
    server-side cursor in batches: memory stays constant. Plain Core rows (the channel as its
    stored string): an export reads millions of them."""
    response, answer = Response.__table__, Answer.__table__
    statement = (select(response.c.id, response.c.language,
                        type_coerce(response.c.channel, String), response.c.submitted_on,
                        answer.c.question_id, answer.c.option_key, answer.c.rank,
                        answer.c.number, answer.c.text)
                 .select_from(response.outerjoin(answer, answer.c.response_id == response.c.id))
                 .where(response.c.survey_id == survey_id,
                        response.c.state == ResponseState.SUBMITTED)
                 .order_by(response.c.id))
    if submitted_before is not None:
        statement = statement.where(or_(response.c.submitted_on < submitted_before,
                                        response.c.submitted_on.is_(None)))
    # Options of this statement only: set on the connection, they would stay on the session's
    # connection and send its later statements (an UPDATE) through a server-side cursor too.
    statement = statement.execution_options(stream_results=True, yield_per=batch)
    for rows in db.session.connection().execute(statement).partitions():
        yield from rows
