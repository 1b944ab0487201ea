"""One cheap reading of everything a public results page shows, to key the kept page by.

The published results of a consultation change only when its data does: a response counted
or waiting, a vote, a comment published, hidden or withdrawn, a moderation decision, a stored
analysis, a planner's theme edit. Each of those moves a count, a highest id or a time read
here; the consultation's own revision (k, texts, survey, state) is read with its facts. One
statement of indexed scalar subqueries, so a results page that is kept costs about as much
as the trivial page.
"""
from functools import cache

from sqlalchemy import bindparam, func, select

from consult.comments.models import Comment, CommentState, Vote
from consult.extensions import db
from consult.moderation.models import ModerationDecision
from consult.summaries.snapshots import AnalysisSnapshot
from consult.summaries.tallies_models import SurveyTallyState
from consult.summaries.tallies_store import SUBMITTED
from consult.summaries.theme_models import ThemeEdit
from consult.surveys.models import Response, Survey


@cache
def _statement():
    """The stamp's SELECT, with the consultation id as a bound parameter (built once:
    composing fifteen subqueries costs more than running them)."""
    consultation_id = bindparam("consultation_id")
    survey_id = select(Survey.id).where(Survey.consultation_id == consultation_id) \
        .limit(1).scalar_subquery()
    response = Response.__table__
    waiting = (response.c.survey_id == survey_id, response.c.state == SUBMITTED,
               response.c.untallied.is_not(None))
    published = (Comment.consultation_id == consultation_id,
                 Comment.state == CommentState.PUBLISHED)
    parts = (
        select(SurveyTallyState.revision).where(SurveyTallyState.survey_id == survey_id),
        select(SurveyTallyState.shape).where(SurveyTallyState.survey_id == survey_id),
        select(func.count()).where(*waiting),
        select(func.max(response.c.id)).where(*waiting),
        select(func.count(Vote.id)).where(Vote.consultation_id == consultation_id),
        select(func.max(Vote.id)).where(Vote.consultation_id == consultation_id),
        select(func.count(Comment.id)).where(*published),
        select(func.max(Comment.id)).where(*published),
        select(func.max(ModerationDecision.id))
        .where(ModerationDecision.consultation_id == consultation_id),
        select(func.count(AnalysisSnapshot.id))
        .where(AnalysisSnapshot.consultation_id == consultation_id),
        select(func.max(AnalysisSnapshot.computed_at))
        .where(AnalysisSnapshot.consultation_id == consultation_id),
        select(func.count(ThemeEdit.id)).where(ThemeEdit.consultation_id == consultation_id),
        select(func.max(ThemeEdit.id)).where(ThemeEdit.consultation_id == consultation_id),
        select(func.max(ThemeEdit.created_at))
        .where(ThemeEdit.consultation_id == consultation_id),
    )
    return select(survey_id, *(part.scalar_subquery() for part in parts))


def results_stamp(consultation_id: int) -> tuple:
    """A tuple that changes whenever anything the consultation's results pages show does."""
    return tuple(db.session.execute(_statement(), {"consultation_id": consultation_id}).one())
