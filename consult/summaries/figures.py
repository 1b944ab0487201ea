"""Published figures: a count (or why it is hidden) with its share and 95% interval (pure).

A count given as a CellCount (analysis/cell_key.py) is published perturbed by its cell key,
and so is the base of its share: disclosure control has already decided on the true counts
what may be shown, and everything shown (numbers, shares, bars) comes from perturbed counts.
"""
from dataclasses import dataclass, field

from consult.analysis.cell_key import shown
from consult.analysis.disclosure import Hidden
from consult.analysis.tallies import wilson_interval

#: Why a count is not shown, as the summary document says it.
SMALL = "small"  # from 1 to k-1: "fewer than k"
HIDDEN = "hidden"  # hidden so that a small count cannot be worked out from the others

#: What a share is a share of.
OF_ANSWERED = "answered"
OF_RESPONDENTS = "respondents"


@dataclass(frozen=True)
class Figure:
    """A published count: the number, or None and the reason (SMALL or HIDDEN); with its
    share of a base and the share's Wilson 95% interval when both are published."""

    count: int | None
    hidden: str | None = None
    share: float | None = None
    low: float | None = None
    high: float | None = None
    base: str | None = None


def reason(why: Hidden | None) -> str | None:
    """The document's word for a disclosure reason."""
    if why is None:
        return None
    return SMALL if why is Hidden.SMALL else HIDDEN


def figure(count: int | None, why: Hidden | None = None, base: int | None = None,
           base_kind: str | None = None) -> Figure:
    """A count with its share of base, the share only when both are published; both as
    published (perturbed when they carry a cell key)."""
    if count is None:
        return Figure(None, reason(why) or HIDDEN)
    count, base = shown(count), shown(base)
    if not base:
        return Figure(count)
    # Perturbed apart, a part may come out above its whole: its share is then 100%.
    part = min(count, base)
    interval = wilson_interval(part, base)
    return Figure(count, None, part / base, interval[0], interval[1], base_kind)


@dataclass
class Suppression:
    """What was hidden in a summary, for the methods box."""

    small: int = 0
    complementary: int = 0
    withheld_tables: int = 0
    statistics: int = 0
    notes: set[str] = field(default_factory=set)

    def count(self, figures) -> None:
        """Add the hidden counts among figures."""
        for item in figures:
            if item.hidden == SMALL:
                self.small += 1
            elif item.hidden == HIDDEN:
                self.complementary += 1
