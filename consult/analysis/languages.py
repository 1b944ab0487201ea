"""Which language a piece of participant free text is written in.

The participant's interface language is what they declare; an offline detector (lingua, in its
low-accuracy mode: 30 MB rather than 200 MB per worker, and still sure on a sentence) corrects
it only when the text clearly is another language. Short text ("ok", "yes") is never
re-labelled: a guess on a word would mislabel more than it fixes.
"""
from functools import lru_cache
from typing import Iterable

#: Fewer letters than this and the declared language stands.
MIN_LETTERS = 16
#: The detector's confidence needed to override what the participant declared.
MIN_CONFIDENCE = 0.9


@lru_cache(maxsize=32)
def _detector(candidates: frozenset[str]):
    """A detector restricted to the candidate languages it knows (None if fewer than two)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    known = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
             for code in sorted(candidates) if hasattr(IsoCode639_1, code.upper())]
    if len(known) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*known).with_low_accuracy_mode().build()


def _base(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def written_language(text: str, declared: str, candidates: Iterable[str]) -> str:
    """The declared language, unless the text clearly is another of the candidates.

    candidates: every language the platform knows (not only the consultation's): a detector
    offered too few languages picks the nearest one with confidence.
    """
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return declared
    by_base = {_base(code): code for code in candidates}
    by_base.setdefault(_base(declared), declared)
    detector = _detector(frozenset(by_base))
    if detector is None:
        return declared
    best = detector.compute_language_confidence_values(text)[0]
    found = best.language.iso_code_639_1.name.lower()
    if best.value >= MIN_CONFIDENCE and found in by_base:
        return by_base[found]
    return declared
