"""How many SMS segments a text costs: GSM-7 (160 characters, 153 per part of a long
message, the extension table's characters counting 2) or UCS-2 (70, 67 per part) as soon as
one character is outside GSM-7 (Arabic always is). Pure: plain text in, numbers out."""
from dataclasses import dataclass

#: GSM 03.38 basic character set (one septet each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
#: GSM 03.38 extension table: an escape septet plus one, so two each.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class Segments:
    """A text's encoding ("gsm7" or "ucs2"), its length in that encoding's units, and parts."""

    encoding: str
    units: int
    count: int


def _parts(units: int, single: int, part: int) -> int:
    if units == 0:
        return 1  # an empty message still costs one
    return 1 if units <= single else -(-units // part)


def is_gsm7(text: str) -> bool:
    """Whether every character of text has a GSM-7 encoding."""
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def count_segments(text: str) -> Segments:
    """The encoding and number of segments one SMS carrying text costs."""
    if is_gsm7(text):
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        return Segments("gsm7", units, _parts(units, GSM7_SINGLE, GSM7_PART))
    # UCS-2 counts UTF-16 code units: a character outside the BMP (an emoji) takes two.
    units = len(text.encode("utf-16-le")) // 2
    return Segments("ucs2", units, _parts(units, UCS2_SINGLE, UCS2_PART))
