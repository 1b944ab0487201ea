"""One column of counts as published: protected on the true values, then shown perturbed.

Pure: the moderation and grievance statistics publish their tables through it."""
from dataclasses import replace

from consult.analysis.cell_key import CellCount, shown
from consult.analysis.disclosure import ProtectedTable, protect_counts


def published_column(counts: list[CellCount], k: int, perturbed: bool) -> ProtectedTable:
    """The counts protected on their true values (no cell below k, no hidden cell
    recoverable), then shown perturbed (or exact when perturbation is off): the same cells
    always show the same values."""
    table = protect_counts([int(n) for n in counts], k)
    if not perturbed:
        return table
    keyed = [CellCount(int(n), n.key, k) for n in counts]
    total = sum(keyed, CellCount(0, 0, k))

    def show(value: int | None, count: CellCount) -> int | None:
        return None if value is None else shown(count)

    cells = tuple((show(row[0], count),) for row, count in zip(table.cells, keyed))
    return replace(table, cells=cells, row_totals=tuple(cell[0] for cell in cells),
                   column_totals=(show(table.total, total),), total=show(table.total, total))
