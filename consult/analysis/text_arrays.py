"""Many texts as one NumPy array of code points, for the steps that would otherwise run a
regular expression once per text (normalising, finding words): one pass in C over them all.

Python's `re` spends about 100 ns per character on a Unicode class in non-ASCII text, several
seconds for 100,000 answers; these functions give exactly what the patterns they replace give
(tests/analysis/test_text_arrays.py compares them), in a fraction of that.
"""
import unicodedata
from typing import Callable, Sequence

import numpy as np

#: Joins the texts: neither a word character nor changed by case folding or decomposition.
SEPARATOR = "\x00"
_SPACE = np.uint32(ord(" "))
_UNDERSCORE = ord("_")


def join(texts: Sequence[str]) -> str:
    """The texts joined by SEPARATOR (one inside a text becomes a space)."""
    return SEPARATOR.join(text.replace(SEPARATOR, " ") for text in texts)


def codes_of(text: str) -> np.ndarray:
    """The code points of a text."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def text_of(codes: np.ndarray) -> str:
    """The text of an array of code points."""
    return codes.astype(np.uint32).tobytes().decode("utf-32-le")


def _lookup(codes: np.ndarray, test: Callable[[str], bool]) -> np.ndarray:
    """test(character) for each code, computed once per distinct character present."""
    if len(codes) == 0:
        return np.zeros(0, dtype=bool)
    present = np.flatnonzero(np.bincount(codes))
    table = np.zeros(int(present[-1]) + 1, dtype=bool)
    table[present] = [test(chr(c)) for c in present.tolist()]
    return table[codes]


def alphanumeric(codes: np.ndarray) -> np.ndarray:
    """Characters that are not `[\\W_]` (letters and digits of every script)."""
    return _lookup(codes, str.isalnum)


def without_combining(codes: np.ndarray) -> np.ndarray:
    """The codes less every combining mark (accents, once decomposed)."""
    return codes[~_lookup(codes, lambda ch: unicodedata.combining(ch) != 0)]


def normalised_texts(texts: Sequence[str]) -> list[str]:
    """Each text as `" ".join(re.sub(r"[\\W_]+", " ", text).split())` gives it, after case
    folding and (for non-ASCII) decomposition without combining marks."""
    if not texts:
        return []
    folded = join(texts).casefold()
    if folded.isascii():
        codes = codes_of(folded)
    else:
        codes = without_combining(codes_of(unicodedata.normalize("NFKD", folded)))
    separator = codes == ord(SEPARATOR)
    gap = ~alphanumeric(codes) & ~separator
    # A run of gaps becomes one space (its first character), and none is left at either end
    # of a text.
    first = ~gap | ~np.concatenate(([False], gap[:-1]))
    codes, gap, separator = codes[first], gap[first], separator[first]
    edge = np.concatenate(([True], separator[:-1])) | np.concatenate((separator[1:], [True]))
    inside = ~(gap & edge)
    codes, gap = codes[inside].copy(), gap[inside]
    codes[gap] = _SPACE
    return text_of(codes).split(SEPARATOR)


def _word_runs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""(start, length) of each word as `\b[^\W\d_]{2,}\b` finds them: a run of word
    characters (`\w`) of two or more, letters only (a run with a digit or "_" is no word)."""
    word = _lookup(codes, lambda ch: ch.isalnum() or ch == "_")
    letter = _lookup(codes, lambda ch: ch.isalnum() and not ch.isdecimal())
    positions = np.flatnonzero(word)
    if len(positions) == 0:
        return positions, positions
    first = np.empty(len(positions), dtype=bool)
    first[0] = True
    np.not_equal(positions[1:] - positions[:-1], 1, out=first[1:])
    starts = np.flatnonzero(first)
    lengths = np.diff(starts, append=len(positions))
    words = np.minimum.reduceat(letter[positions], starts) & (lengths >= 2)
    return positions[starts[words]], lengths[words]


def words_by_text(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The words of a join(): (each distinct word, in the order they first appear; for every
    word in order, which distinct word it is; and which text it is in). Words are told apart
    by a 64-bit hash of their characters and length, which keeps every step in NumPy."""
    codes = codes_of(text)
    starts, lengths = _word_runs(codes)
    if len(starts) == 0:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # Each character times _BASE ** (its place in its word), summed per word (modulo 2**64).
    offsets = np.cumsum(lengths) - lengths
    places = np.arange(lengths.sum()) - np.repeat(offsets, lengths)
    powers = np.cumprod(np.full(int(lengths.max()), _BASE, dtype=np.uint64))
    hashed = codes[np.repeat(starts, lengths) + places].astype(np.uint64) * powers[places]
    keys = np.add.reduceat(hashed, offsets) ^ (lengths.astype(np.uint64) * _LENGTH_MIX)
    _, first, which = np.unique(keys, return_index=True, return_inverse=True)
    # Distinct words in the order they first appear.
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    first, which = first[order], rank[which.ravel()]
    separators = np.flatnonzero(codes == ord(SEPARATOR))
    in_text = np.searchsorted(separators, starts)
    found = [text[s:s + n] for s, n in zip(starts[first].tolist(), lengths[first].tolist())]
    return found, which, in_text


#: Random odd 64-bit constants (fixed, so results repeat) of the words' hash.
_BASE = np.uint64(0x9E3779B97F4A7C15)
_LENGTH_MIX = np.uint64(0xD6E8FEB86659FD93)
