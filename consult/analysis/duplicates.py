"""Identical and near-identical texts: copy-paste campaigns and form letters.

Texts are compared after normalising case, accents, punctuation and spacing, as sets of
character 5-grams (which work the same in every script and need no word splitting). Near
pairs are found with MinHash and locality-sensitive hashing (Broder 1997; Leskovec, Rajaraman
& Ullman, Mining of Massive Datasets, ch. 3) and confirmed by their exact Jaccard similarity,
so a reported group never rests on a hash collision.
"""
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

#: Two texts whose 5-gram sets overlap at least this much are near-duplicates.
SIMILARITY = 0.8
SHINGLE = 5
BANDS, ROWS = 16, 4  # 64 hash functions; pairs at 0.8 similarity meet in a band 99.9% of time
_SEED = 20261125

_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Case, accents (not Arabic letters), punctuation and spacing folded away."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


@dataclass(frozen=True)
class DuplicateGroup:
    """Texts that say the same thing; `members` are indexes into the input, first one kept."""

    members: tuple[int, ...]

    @property
    def size(self) -> int:
        """How many submissions share this text."""
        return len(self.members)


def _gram_hashes(norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(hashes of every character 5-gram of every text, start offset of each text's grams),
    computed for all texts at once; a text shorter than 5 characters is one gram."""
    padded = [norm.ljust(SHINGLE, "\0") for norm in norms]
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=len(padded))
    text_starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    grams = lengths - SHINGLE + 1
    gram_starts = np.concatenate(([0], np.cumsum(grams)[:-1]))
    # Position of every gram in `codes`: its text's start plus its offset in the text.
    positions = np.repeat(text_starts - gram_starts, grams) + np.arange(grams.sum())
    hashes = np.zeros(len(positions), dtype=np.uint64)
    for offset in range(SHINGLE):  # polynomial rolling hash, kept below 2**32
        hashes = (hashes * np.uint64(1000003) + codes[positions + offset]) % np.uint64(2**32)
    return hashes, gram_starts


def _signatures(hashes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """MinHash signatures: one row per text, BANDS * ROWS columns."""
    rng = np.random.default_rng(_SEED)
    # Multiply-shift hashing (Dietzfelbinger et al. 1997): a random odd 64-bit multiplier,
    # wrapping arithmetic, the high 32 bits kept; no slow modulo.
    a = rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
    signatures = np.empty((len(starts), BANDS * ROWS), dtype=np.uint32)
    shift = np.uint64(32)
    for n in range(BANDS * ROWS):
        mixed = (hashes * a[n] + b[n]) >> shift
        signatures[:, n] = np.minimum.reduceat(mixed, starts)
    return signatures


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _candidate_buckets(signatures: np.ndarray):
    """Groups of texts (positions) that share all ROWS values of some band."""
    for band in range(BANDS):
        block = np.ascontiguousarray(signatures[:, band * ROWS:(band + 1) * ROWS])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * ROWS))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        shared = np.flatnonzero(counts[inverse] > 1)
        order = shared[np.argsort(inverse[shared], kind="stable")]
        boundaries = np.flatnonzero(np.diff(inverse[order])) + 1
        yield from np.split(order, boundaries)


def duplicate_groups(texts: Sequence[str], similarity: float = SIMILARITY,
                     min_size: int = 2) -> list[DuplicateGroup]:
    """Groups of identical or near-identical texts, largest first (singletons left out)."""
    parent = list(range(len(texts)))

    def join(i: int, j: int) -> None:
        root_i, root_j = _find(parent, i), _find(parent, j)
        if root_i != root_j:
            parent[max(root_i, root_j)] = min(root_i, root_j)

    norms = [normalise(text) for text in texts]
    first_with: dict[str, int] = {}
    for index, key in enumerate(norms):  # identical after normalising: no hashing needed
        if key in first_with:
            join(first_with[key], index)
        else:
            first_with[key] = index
    distinct = sorted(first_with.values())
    if len(distinct) > 1:
        hashes, starts = _gram_hashes([norms[i] for i in distinct])
        ends = np.append(starts[1:], len(hashes))
        signatures = _signatures(hashes, starts)
        sets: dict[int, set] = {}

        def gram_set(position: int) -> set:
            if position not in sets:
                sets[position] = set(hashes[starts[position]:ends[position]].tolist())
            return sets[position]

        for members in _candidate_buckets(signatures):
            members = members.tolist()
            for n, other in enumerate(members[1:], start=1):
                # Against a bounded number of earlier members: a huge bucket is a campaign
                # whose texts are near one another anyway.
                for earlier in members[max(0, n - 20):n]:
                    if _find(parent, distinct[earlier]) == _find(parent, distinct[other]):
                        break
                    # The signatures estimate the similarity cheaply; only likely pairs
                    # pay for the exact comparison.
                    estimate = (signatures[earlier] == signatures[other]).mean()
                    if estimate >= similarity - 0.2 and \
                            _jaccard(gram_set(earlier), gram_set(other)) >= similarity:
                        join(distinct[earlier], distinct[other])
                        break
    groups: dict[int, list[int]] = {}
    for index in range(len(texts)):
        groups.setdefault(_find(parent, index), []).append(index)
    found = [DuplicateGroup(tuple(m)) for m in groups.values() if len(m) >= min_size]
    return sorted(found, key=lambda g: (-g.size, g.members[0]))


def _jaccard(first: set[int], second: set[int]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 1.0
