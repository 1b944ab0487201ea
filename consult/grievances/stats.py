"""Public grievance statistics of a consultation: cases by category and by stage, and how many
were acknowledged and resolved within their deadlines.

Protected like every published figure (analysis.disclosure: no count from 1 to k-1, with
complementary suppression), then perturbed by the cases' cell keys (analysis.cell_key) like the
survey results and the moderation statistics, and counted up to the end of yesterday: someone
filing cases one at a time to pad a small cell gets one perturbed reading a day, not one a
case. Only days, categories and stages are counted: nothing sealed is read.
"""
import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from consult.analysis.cell_key import MAX_CHANGE, CellCount
from consult.analysis.disclosure import ProtectedTable
from consult.analysis.published_counts import published_column
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.grievances.models import CLOSED_STAGES, Case, Category, Stage

KEY_SUM = func.coalesce(func.sum(Case.cell_key), 0)


@dataclass(frozen=True)
class Deadline:
    """Cases whose deadline came (or that met it early): within it and late, protected."""

    table: ProtectedTable

    @property
    def share(self) -> float | None:
        """The share within the deadline, from published counts only (None when hidden)."""
        within, total = self.table.cells[0][0], self.table.total
        return None if within is None or not total else within / total


@dataclass(frozen=True)
class GrievanceStatistics:
    """What the public page shows, each line protected with k."""

    k: int
    categories: tuple[Category, ...]
    by_category: ProtectedTable
    stages: tuple[Stage, ...]
    by_stage: ProtectedTable
    acknowledged: Deadline
    resolved: Deadline
    perturbed: bool
    max_change: int = MAX_CHANGE
    counted_until: dt.date | None = None


def _grouped(column, base) -> dict:
    rows = db.session.execute(base.add_columns(column, func.count(), KEY_SUM).group_by(column))
    return {value: CellCount(n, int(key)) for value, n, key in rows}


def _counted(base, *conditions) -> CellCount:
    n, key = db.session.execute(base.add_columns(func.count(), KEY_SUM).filter(*conditions)
                                ).one()
    return CellCount(n, int(key))


def statistics(consultation: Consultation, today: dt.date | None = None
               ) -> GrievanceStatistics:
    """The consultation's grievance statistics (a handful of GROUP BY queries)."""
    today = today or dt.date.today()
    k = consultation.min_cell_size
    perturbed = bool(current_app.config.get("CELL_KEY_PERTURBATION", True))
    yesterday_only = current_app.config.get("GRIEVANCE_STATISTICS_UNTIL_YESTERDAY", True)
    base = select().select_from(Case).filter(Case.consultation_id == consultation.id)
    if yesterday_only:
        base = base.filter(Case.filed_on < today)
    by_category = _grouped(Case.category_id, base)
    categories = tuple(db.session.scalars(select(Category).filter(
        Category.id.in_(by_category.keys()) | (Category.active.is_(True) & (
            Category.organisation_id == consultation.reviewer_organisation_id)))
        .order_by(Category.organisation_id, Category.position)))
    by_stage = _grouped(Case.stage, base)
    stages = tuple(Stage)
    zero = CellCount(0)
    acknowledged_due = (Case.acknowledged_on.is_not(None)) | (Case.acknowledge_by < today)
    acknowledged_in_time = Case.acknowledged_on <= Case.acknowledge_by
    closed = Case.stage.in_(CLOSED_STAGES)
    resolved_due = closed | (Case.resolve_by < today)
    resolved_in_time = closed & (Case.closed_on <= Case.resolve_by)
    return GrievanceStatistics(
        k=k, categories=categories,
        by_category=published_column([by_category.get(c.id, zero) for c in categories], k,
                               perturbed),
        stages=stages,
        by_stage=published_column([by_stage.get(s, zero) for s in stages], k, perturbed),
        acknowledged=_deadline(base, acknowledged_due, acknowledged_in_time, k, perturbed),
        resolved=_deadline(base, resolved_due, resolved_in_time, k, perturbed),
        perturbed=perturbed,
        counted_until=today - dt.timedelta(days=1) if yesterday_only else None)


def _deadline(base, due, in_time, k: int, perturbed: bool) -> Deadline:
    within, everyone = _counted(base, due, in_time), _counted(base, due)
    return Deadline(published_column([within, everyone - within], k, perturbed))
