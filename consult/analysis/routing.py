"""Which statement to show next: the Pol.is routing priority (specs/opinion-groups.md §9).

Pure: plain numbers in, a number out.
"""
import math

#: Pol.is gives meta statements (about the conversation itself) this fixed priority.
META_PRIORITY = 49.0


def priority(votes: int, agrees: int, passes: int, extremity: float = 0.0,
             meta: bool = False) -> float:
    """Routing priority of a statement with `votes` votes in all, of which `agrees` agree and
    `passes` pass; higher is shown sooner.

    extremity is the length of the statement's own projection on the two opinion components;
    until opinion groups are computed it is 0, which leaves the order to the vote counts
    (few votes and a strong, non-pass signal first).
    """
    if meta:
        return META_PRIORITY
    p = (passes + 1) / (votes + 2)
    a = (agrees + 1) / (votes + 2)
    importance = (1 - p) * (extremity + 1) * a
    return (importance * (1 + 8 * math.pow(2, -votes / 5))) ** 2
