"""Identical and near-identical texts: copy-paste campaigns and form letters.

Texts are compared after normalising case, accents, punctuation and spacing, as sets of
character 5-grams (which work the same in every script and need no word splitting). Near
pairs are found with MinHash and locality-sensitive hashing (Broder 1997; Leskovec, Rajaraman
& Ullman, Mining of Massive Datasets, ch. 3) and confirmed by their exact Jaccard similarity,
so a reported group never rests on a hash collision.

Everything up to the confirmation works on all texts at once in NumPy: normalising (one pass
over the texts joined), hashing grams, signatures, the candidate pairs of every band and their
estimated similarity. Only likely pairs (estimate within 0.2 of the threshold) reach the exact
comparison, most similar first, and a pair already in one group is skipped.
"""
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from consult.analysis import text_arrays

#: Two texts whose 5-gram sets overlap at least this much are near-duplicates.
SIMILARITY = 0.8
SHINGLE = 5
BANDS, ROWS = 16, 4  # 64 hash functions; pairs at 0.8 similarity meet in a band 99.9% of time
#: In a band's bucket, each text is compared with this many texts before it.
WINDOW = 20
_SEED = 20261125

_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Case, accents (not Arabic letters), punctuation and spacing folded away."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def normalise_all(texts: Sequence[str]) -> list[str]:
    """normalise() of every text, in one pass over them all (the same results)."""
    return text_arrays.normalised_texts(texts)


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
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=len(padded))
    grams = lengths - SHINGLE + 1
    gram_starts = np.concatenate(([0], np.cumsum(grams)[:-1]))
    # A polynomial rolling hash modulo 2**32 (uint32 arithmetic wraps) of every window of the
    # joined text, by Horner's rule on shifted views; then the windows inside one text (not
    # those that start in a text's last SHINGLE - 1 characters).
    windows = len(codes) - SHINGLE + 1
    hashes = codes[:windows].copy()
    for offset in range(1, SHINGLE):
        hashes *= np.uint32(1000003)
        hashes += codes[offset:offset + windows]
    inside = np.ones(len(codes), dtype=bool)
    inside[(np.cumsum(lengths)[:, None] - np.arange(1, SHINGLE)[None, :]).ravel()] = False
    return hashes[inside[:windows]].astype(np.uint64), gram_starts


def _signatures(hashes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """MinHash signatures: one row per text, BANDS * ROWS columns."""
    rng = np.random.default_rng(_SEED)
    # Multiply-shift hashing (Dietzfelbinger et al. 1997): a random odd 64-bit multiplier,
    # wrapping arithmetic, the high 32 bits kept; no slow modulo.
    a = rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
    signatures = np.empty((len(starts), BANDS * ROWS), dtype=np.uint32)
    shift = np.uint64(32)
    mixed = np.empty_like(hashes)
    for n in range(BANDS * ROWS):
        np.multiply(hashes, a[n], out=mixed)
        mixed += b[n]
        mixed >>= shift
        signatures[:, n] = np.minimum.reduceat(mixed, starts)
    return signatures


def _candidate_pairs(signatures: np.ndarray) -> np.ndarray:
    """(earlier, later) positions of texts that share all ROWS values of some band, each
    text paired with the WINDOW texts before it in the band's bucket (a huge bucket is a
    campaign whose texts are near one another anyway), as an (n, 2) array; a pair met in
    several bands comes several times."""
    found = []
    mix = np.random.default_rng(_SEED + 1).integers(1, 2**63, size=ROWS, dtype=np.uint64) | \
        np.uint64(1)
    for band in range(BANDS):
        # The band's ROWS values as one 64-bit key (a chance collision adds a candidate,
        # which the estimate and the exact comparison then reject).
        keys = np.zeros(len(signatures), dtype=np.uint64)
        for row in range(ROWS):
            keys ^= signatures[:, band * ROWS + row].astype(np.uint64) * mix[row]
            keys = (keys << np.uint64(17)) | (keys >> np.uint64(47))
        order = np.argsort(keys, kind="stable")
        bucket = keys[order]
        for distance in range(1, WINDOW + 1):
            same = np.flatnonzero(bucket[distance:] == bucket[:-distance])
            if len(same) == 0:
                break
            found.append(np.stack([order[same], order[same + distance]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(found)


def _estimates(signatures: np.ndarray, pairs: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """The share of equal signature values of each pair: an estimate of its similarity."""
    # The low byte of each value is enough to tell equal from different (1 in 256 differ
    # only above it, a negligible bias), and reads four times less memory.
    low = signatures.astype(np.uint8)
    found = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), chunk):
        part = pairs[start:start + chunk]
        found[start:start + chunk] = (low[part[:, 0]] == low[part[:, 1]]).mean(axis=1)
    return found


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def duplicate_groups(texts: Sequence[str], similarity: float = SIMILARITY,
                     min_size: int = 2) -> list[DuplicateGroup]:
    """Groups of identical or near-identical texts, largest first (singletons left out)."""
    parent = list(range(len(texts)))

    def join(i: int, j: int) -> None:
        root_i, root_j = _find(parent, i), _find(parent, j)
        if root_i != root_j:
            parent[max(root_i, root_j)] = min(root_i, root_j)

    norms = normalise_all(texts)
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
        pairs = _candidate_pairs(signatures)
        # The signatures estimate the similarity cheaply; only likely pairs pay for the exact
        # comparison, the most similar first, so that most of the rest are already joined.
        estimates = _estimates(signatures, pairs)
        likely = np.flatnonzero(estimates >= similarity - 0.2)
        _, once = np.unique(pairs[likely, 0] * len(distinct) + pairs[likely, 1],
                            return_index=True)
        likely = likely[once]
        likely = likely[np.argsort(-estimates[likely], kind="stable")]
        sets: dict[int, set] = {}

        def gram_set(position: int) -> set:
            if position not in sets:
                sets[position] = set(hashes[starts[position]:ends[position]].tolist())
            return sets[position]

        for earlier, later in pairs[likely].tolist():
            first, second = distinct[earlier], distinct[later]
            if _find(parent, first) != _find(parent, second) and \
                    _jaccard(gram_set(earlier), gram_set(later)) >= similarity:
                join(first, second)
    groups: dict[int, list[int]] = {}
    for index in range(len(texts)):
        groups.setdefault(_find(parent, index), []).append(index)
    found = [DuplicateGroup(tuple(m)) for m in groups.values() if len(m) >= min_size]
    return sorted(found, key=lambda g: (-g.size, g.members[0]))


def _jaccard(first: set[int], second: set[int]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 1.0
