"""SMS segment counting: GSM-7 (160, 153 per part, extension characters count 2) or UCS-2
(70, 67 per part); Arabic is always UCS-2."""
import pytest

from consult.channels.segments import count_segments, is_gsm7


@pytest.mark.parametrize("text,encoding,units,count", [
    ("", "gsm7", 0, 1),
    ("a" * 160, "gsm7", 160, 1),
    ("a" * 161, "gsm7", 161, 2),
    ("a" * 306, "gsm7", 306, 2),
    ("a" * 307, "gsm7", 307, 3),
    ("€" * 80, "gsm7", 160, 1),  # the extension table: two septets each
    ("€" * 81, "gsm7", 162, 2),
    ("[x]" + "a" * 156, "gsm7", 161, 2),
    ("Votre rôle ?", "ucs2", 12, 1),  # ô is not GSM-7 (é, è, à are)
    ("é" * 160, "gsm7", 160, 1),
    ("د" * 70, "ucs2", 70, 1),
    ("دورك؟" * 14 + "د", "ucs2", 71, 2),
    ("د" * 134, "ucs2", 134, 2),
    ("د" * 135, "ucs2", 135, 3),
    ("👍" * 35, "ucs2", 70, 1),  # outside the BMP: two UTF-16 units each
])
def test_segments_are_counted_as_handsets_count_them(text, encoding, units, count):
    segments = count_segments(text)
    assert (segments.encoding, segments.units, segments.count) == (encoding, units, count)


def test_one_non_gsm_character_makes_the_whole_message_ucs2():
    assert is_gsm7("Habari yako? 100%")
    assert not is_gsm7("Habari yako? 100% ✓")
    assert count_segments("a" * 100 + "ç").count == 2  # ç is not GSM-7; Ç is
