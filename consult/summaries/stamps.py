"""One cheap reading of everything a public results page shows, to key the kept page by.

The published results of a consultation change only when its data does: a response counted
or waiting, a vote, a comment published, hidden or withdrawn, a moderation decision, a stored
analysis, a planner's theme edit. Each of those moves a count, a highest id or a time read
here, with the consultation's own revision (k, texts, survey, state) and facts: one
statement of indexed scalar subqueries whose cost does not grow with the consultation, so a
results page that is kept costs about as much as the trivial page.
"""
from functools import cache

from sqlalchemy import bindparam, func, select

from consult.comments.revisions import CommentRevision
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
    once: composing the subqueries costs more than running them)."""
    consultation, survey = Consultation.__table__, Survey.__table__
    tally, response = SurveyTallyState.__table__, Response.__table__
    consultation_id = consultation.c.id
    waiting = (response.c.survey_id == survey.c.id, response.c.state == SUBMITTED,
               response.c.untallied.is_not(None))
    counters = CommentRevision.__table__
    parts = (
        select(func.count()).where(*waiting),
        select(func.max(response.c.id)).where(*waiting),
        # Every change to a comment or a vote moves these counters (comments.revisions):
        # reading them costs the same whatever the number of comments and votes.
        select(func.coalesce(func.sum(counters.c.revision), 0))
        .where(counters.c.consultation_id == consultation_id),
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
    # A consultation has at most one survey and a survey one tally state: joined, not
    # looked up again by every subquery.
    joined = consultation.outerjoin(survey, survey.c.consultation_id == consultation_id) \
        .outerjoin(tally, tally.c.survey_id == survey.c.id)
    return select(*(consultation.c[name] for name in FACT_COLUMNS), survey.c.id,
                  tally.c.revision, tally.c.shape,
                  *(part.scalar_subquery() for part in parts)) \
        .select_from(joined).where(consultation.c.slug == bindparam("slug"))


def results_facts(slug: str) -> tuple[ConsultationFacts, tuple] | None:
    """(the consultation's facts, a tuple that changes whenever anything its results pages
    show does), or None for an unknown slug."""
    row = db.session.execute(_statement(), {"slug": slug}).one_or_none()
    if row is None:
        return None
    return facts_of(row), tuple(row)[len(FACT_COLUMNS):]
