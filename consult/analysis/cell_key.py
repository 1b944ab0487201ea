"""Cell-key perturbation of published counts (pure: plain data in and out).

The method of the Australian Bureau of Statistics' TableBuilder and the ONS (Fraser & Wooton
2005; Thompson, Broadfoot & Elazar 2013): every record carries a random key fixed when it is
stored (0..KEYS-1, drawn with `secrets`, never derived from anything about the person). A
cell's key is the sum of its records' keys modulo KEYS, so the same records always make the
same key, and adding or removing one record changes it to a fresh, unpredictable value. A
published count is its true count plus a perturbation read from a published table (the
"p-table") at (count, cell key). The same cell therefore always shows the same value, while
an attacker who pads a small group with known records and subtracts them is left with an
unknown error of up to +-MAX_CHANGE, drawn anew by every record they add.

Counts travel through the summary's pure code as CellCount, an int that carries its cell key
and adds keys as it adds counts; the figures shown are perturbed() at the end, after
disclosure control has decided on the true counts what may be published at all.
"""
import secrets
from typing import Mapping

#: Keys are 0..KEYS-1; a cell's key is its records' keys summed modulo KEYS.
KEYS = 256
#: The largest change the p-table makes to a count.
MAX_CHANGE = 2

#: The p-table, by how far a count lies above the smallest value it may be shown as (its
#: floor: 0, or k for counts that disclosure control publishes only from k up): each row
#: lists (perturbation, how many of the KEYS key values give it). Every row has mean 0, so
#: no count is biased; the main row has variance exactly 1, and the rows near the floor
#: never go below it (a count shown under k would tell exactly which true count made it).
P_TABLE: dict[int, tuple[tuple[int, int], ...]] = {
    0: ((0, 256),),
    1: ((-1, 112), (0, 48), (1, 80), (2, 16)),
    2: ((-2, 16), (-1, 64), (0, 96), (1, 64), (2, 16)),
}


def parameters() -> dict:
    """The perturbation's published parameters (the methods box and the summary document)."""
    # The main row's moments: every count at least max(P_TABLE) above its floor uses it.
    mean, variance = row_moments(max(P_TABLE))
    return {"method": "cell-key", "keys": KEYS, "max_change": MAX_CHANGE, "mean": mean,
            "variance": variance}


def new_key() -> int:
    """A record's cell key: uniform over 0..KEYS-1 from the operating system's CSPRNG."""
    return secrets.randbelow(KEYS)


def perturbation(count: int, key: int, floor: int = 0) -> int:
    """The p-table's change for a true count with this cell key (0 for a zero count: zero
    stays zero; a count under its floor, never published, keeps to 0 and up)."""
    if count <= 0:
        return 0
    floor = floor if count >= floor else 0
    row = P_TABLE[min(count - floor, max(P_TABLE))]
    position = key % KEYS
    for change, width in row:
        if position < width:
            return change
        position -= width
    raise AssertionError("a p-table row must cover every key")  # pragma: no cover


def perturb(count: int, key: int, floor: int = 0) -> int:
    """The published value of a true count with this cell key."""
    return count + perturbation(count, key, floor)


def row_moments(distance: int) -> tuple[float, float]:
    """(mean, variance) of the p-table row used at this distance above the floor."""
    row = P_TABLE[min(distance, max(P_TABLE))]
    mean = sum(change * width for change, width in row) / KEYS
    return mean, sum((change - mean) ** 2 * width for change, width in row) / KEYS


class CellCount(int):
    """A true count carrying its cell key and the floor its shown value keeps to.

    Sums and differences of CellCounts are CellCounts whose key is the sum or difference of
    the keys: exactly the key of the records the resulting count counts (a no-answer cell,
    a row total). A plain int in the arithmetic counts as a cell with key 0.
    """

    key: int
    floor: int

    def __new__(cls, value: int, key: int = 0, floor: int = 0) -> "CellCount":
        """A count with its key (reduced modulo KEYS)."""
        made = super().__new__(cls, value)
        made.key, made.floor = key % KEYS, floor
        return made

    def _with(self, value: int, key: int, other: object) -> "CellCount":
        floor = max(self.floor, other.floor) if isinstance(other, CellCount) else self.floor
        return CellCount(value, key, floor)

    def __add__(self, other):
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return self._with(int(self) + int(other), self.key + _key(other), other)

    __radd__ = __add__

    def __sub__(self, other):
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return self._with(int(self) - int(other), self.key - _key(other), other)

    def __rsub__(self, other):
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return self._with(int(other) - int(self), _key(other) - self.key, other)

    def __neg__(self):
        return CellCount(-int(self), -self.key, self.floor)

    def __reduce__(self):
        return CellCount, (int(self), self.key, self.floor)


def _key(value: int) -> int:
    return value.key if isinstance(value, CellCount) else 0


def with_floor(count: int, floor: int) -> int:
    """The count with this floor (a plain int stays plain)."""
    if isinstance(count, CellCount):
        return CellCount(int(count), count.key, floor)
    return count


def shown(count: int | None) -> int | None:
    """The value to publish: a CellCount perturbed, a plain int (perturbation off) as is."""
    if isinstance(count, CellCount):
        return perturb(int(count), count.key, count.floor)
    return count


def shown_counts(counts: Mapping) -> dict:
    """Every count of a mapping shown (for statistics computed from published counts)."""
    return {key: shown(value) for key, value in counts.items()}
