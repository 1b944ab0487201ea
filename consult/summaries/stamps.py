"""One cheap reading of everything a public results page shows, to key the kept page by.

The published results of a consultation change only when its data does: a response counted
or waiting, a vote, a comment published, hidden or withdrawn, a moderation decision, a stored
analysis, a planner's theme edit. Each of those moves a count, a highest id or a time read
here, with the consultation's own revision (k, texts, survey, state) and facts: one
statement of indexed scalar subqueries, so a results page that is kept costs about as much
as the trivial page.
"""
from functools import cache

from sqlalchemy import bindparam, func, select

from consult.comments.models import Comment, CommentState, Vote
from consult.consultations.models import Consultation
from consult.consultations.services import FACT_COLUMNS, ConsultationFacts, facts_of
from consult.extensions import db
from consult.moderation.models import ModerationDecision
from consult.summaries.snapshots import AnalysisSnapshot
from consult.summaries.tallies_models import SurveyTallyState
from consult.summaries.tallies_store import SUBMITTED
from consult.summaries.theme_models import ThemeEdit
from consult.surveys.models import Response, Survey


@cache
def _statement():
    """The facts and the stamp in one SELECT, with the slug as a bound parameter (built
    once: composing fifteen subqueries costs more than running them)."""
    consultation_id = Consultation.id
    # Correlated explicitly: nested two levels down (in the tallies' subqueries), automatic
    # correlation would read the first consultation's survey instead of this one's.
    survey_id = select(Survey.id).where(Survey.consultation_id == consultation_id) \
        .correlate(Consultation).limit(1).scalar_subquery()
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
    return select(*(getattr(Consultation, name) for name in FACT_COLUMNS), survey_id,
                  *(part.scalar_subquery() for part in parts)) \
        .where(Consultation.slug == bindparam("slug"))


def results_facts(slug: str) -> tuple[ConsultationFacts, tuple] | None:
    """(the consultation's facts, a tuple that changes whenever anything its results pages
    show does), or None for an unknown slug."""
    row = db.session.execute(_statement(), {"slug": slug}).one_or_none()
    if row is None:
        return None
    return facts_of(row), tuple(row)[len(FACT_COLUMNS):]
