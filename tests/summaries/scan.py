"""The summary's counts by GROUP BY over every answer: the path summaries took before the
tallies (consult/summaries/tallies_store.py), kept as the reference the tallies must equal."""
from typing import Sequence

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from consult.extensions import db
from consult.summaries.queries import Aggregates
from consult.surveys.models import Answer, Response, ResponseState


def _counted(survey_id: int):
    return and_(Response.survey_id == survey_id, Response.state == ResponseState.SUBMITTED)


def _answered(response_id, question_id: int):
    other = aliased(Answer)
    return select(other.id).where(other.response_id == response_id,
                                  other.question_id == question_id).exists()


def _rows(statement) -> tuple:
    return tuple(tuple(getattr(value, "value", value) for value in row)
                 for row in db.session.execute(statement))


def scan_aggregates(survey_id: int, segment_ids: Sequence[int],
                    multi_ids: Sequence[int]) -> Aggregates:
    """The counts of a survey's submitted responses, straight from its answers."""
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
        segment = aliased(Answer)
        joined = (segment.question_id, segment.option_key)
        where = (counted, segment.question_id.in_(segment_ids),
                 Answer.question_id != segment.question_id, segment.option_key.is_not(None),
                 or_(Answer.rank.is_(None), Answer.rank == 1))
        result["segment_cells"] = _rows(
            select(*joined, *keys, func.count()).select_from(Answer)
            .join(segment, segment.response_id == Answer.response_id)
            .join(Response, Response.id == Answer.response_id)
            .where(*where).group_by(*joined, *keys))
        if multi_ids:
            result["segment_multi_answered"] = _rows(union_all(*(
                select(*joined, literal(question_id), func.count()).select_from(segment)
                .join(Response, Response.id == segment.response_id)
                .where(counted, segment.question_id.in_(segment_ids),
                       segment.option_key.is_not(None),
                       _answered(segment.response_id, question_id))
                .group_by(*joined) for question_id in multi_ids)))
    return Aggregates(**result)
