"""Screening text for moderation: watched words and personal information. Pure functions.

Matching ignores case, accents and the other marks writers add or drop at will: letters are
decomposed (NFKD) and their combining marks removed, so "Idiót" matches "idiot" and the Arabic
short vowels and hamza seats do not matter; tatweel (the Arabic stretching stroke) and
invisible format characters (zero-width joiners, bidi controls, soft hyphens) are removed, so
they cannot hide a word; and a few Arabic letters that are often written interchangeably are
folded together (alef forms, alef maqsura and yeh, teh marbuta and heh).

Words are runs of letters, marks and digits in any script, so a watched word matches whole
words only ("ass" is not found in "class", nor "كلب" in "كلبة") and a phrase matches the same
words in a row, whatever spaces or punctuation separate them.
"""
import re
import unicodedata
from dataclasses import dataclass

TATWEEL = "\u0640"
#: Arabic letters folded to one form before matching.
_ARABIC_FOLD = str.maketrans({"\u0671": "\u0627",  # alef wasla -> alef
                              "\u0649": "\u064a",  # alef maqsura -> yeh
                              "\u0629": "\u0647",  # teh marbuta -> heh
                              "\u06cc": "\u064a",  # Farsi yeh -> yeh
                              TATWEEL: None})
_WORD = re.compile(r"\w+")

#: E-mail addresses (any script in the local part and domain).
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
#: Candidate phone numbers: an optional +, then digit groups separated by one space, dot,
#: hyphen or bracket. Counted and judged by _is_phone.
_PHONE = re.compile(r"(?<![\w+])(\+\s?)?\(?\d[\d\s().\-]{5,22}\d(?!\w)")


def fold(text: str) -> str:
    """The matching form of text: no case, accents, tatweel or invisible characters."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ARABIC_FOLD))
    kept = "".join(ch for ch in decomposed
                   if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))
    return unicodedata.normalize("NFC", kept).casefold().translate(_ARABIC_FOLD)


def without_format_characters(text: str) -> str:
    """text without invisible format characters (bidi controls, zero-width joiners), which
    have no place in a watched word and could reorder the text shown around it."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def words(text: str) -> list[str]:
    """The folded words of text, in order."""
    return _WORD.findall(fold(text))


def normalise_phrase(phrase: str) -> str:
    """The stored matching form of a watched word or phrase: its folded words, one space
    apart ("" when it has no word at all)."""
    return " ".join(words(phrase))


@dataclass(frozen=True)
class WatchedPhrase:
    """A watched word or phrase as matching needs it: its normalised form and what it does."""

    normalised: str
    action: str
    #: What to call it in messages (as the moderator typed it).
    label: str


def find_watched(text: str, phrases: list[WatchedPhrase]) -> list[WatchedPhrase]:
    """The phrases that occur in text as whole words, in the order given, each once."""
    if not phrases:
        return []
    found_words = words(text)
    joined = " " + " ".join(found_words) + " "
    present = set(found_words)
    found = []
    for phrase in phrases:
        first = phrase.normalised.split(" ", 1)[0]
        if first and first in present and f" {phrase.normalised} " in joined:
            found.append(phrase)
    return found


def _is_phone(candidate: str) -> bool:
    """Whether a run of digits and separators looks like a phone number, not a year, a date,
    an amount ("1 000 000") or a short figure."""
    digits = sum(ch.isdigit() for ch in candidate)
    stripped = candidate.strip()
    if stripped.startswith("+") or stripped.startswith("00"):
        return 8 <= digits <= 15
    groups = re.findall(r"\d+", stripped)
    if stripped.lstrip("(").startswith("0"):
        return 9 <= digits <= 13
    if len(groups) > 1 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return False  # thousands written with spaces or dots: an amount
    return 9 <= digits <= 13


def personal_information(text: str) -> list[str]:
    """The kinds of personal contact details in text: "email", "phone" (each at most once).

    Phone numbers are found in international form (+255 712 345 678, 0033 6 12 34 56 78) and
    local forms with a leading 0 or 9 or more digits (0712 345 678, (020) 7946 0958), written
    with any digits (Arabic-Indic too).
    """
    kinds = []
    if _EMAIL.search(text):
        kinds.append("email")
    normalised = unicodedata.normalize("NFKC", text)
    if any(_is_phone(m.group()) for m in _PHONE.finditer(normalised)):
        kinds.append("phone")
    return kinds

