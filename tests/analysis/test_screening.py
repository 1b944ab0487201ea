"""Watched words match whole words whatever the case, accents, tatweel or invisible
characters, in every script we ship; phone numbers and e-mail addresses are found."""
import pytest

from consult.analysis.screening import (
    WatchedPhrase,
    find_watched,
    fold,
    normalise_phrase,
    personal_information,
)


def _found(text: str, *phrases: str) -> list[str]:
    watched = [WatchedPhrase(normalise_phrase(p), "hold", p) for p in phrases]
    return [w.label for w in find_watched(text, watched)]


@pytest.mark.parametrize("language,word,text", [
    ("en", "idiot", "You IDIOT!"),
    ("fr", "crétin", "Quel CRETIN, vraiment."),
    ("fr", "fils de pute", "Espèce de FILS-DE-PUTE."),
    ("es", "imbécil", "eres un imbecil"),
    ("pt", "estúpido", "Que ESTÚPIDO."),
    ("sw", "mjinga", "Wewe ni Mjinga kabisa"),
    ("ar", "كلب", "انت كـــلب"),  # tatweel
    ("ar", "كلب", "انت كَلْبٌ"),  # short vowels
    ("ar", "أحمق", "يا احمق"),  # hamza seat written or not
    ("ar", "مدرسة", "هذه مدرسه"),  # teh marbuta or heh
    ("en", "idiot", "id\u200biot"),  # a zero-width space does not hide it
    ("en", "idiot", "\u202eidiot\u202c"),  # nor do bidi controls
])
def test_a_watched_word_matches_across_case_accents_and_arabic_marks(language, word, text):
    assert _found(text, word) == [word]


@pytest.mark.parametrize("word,text", [
    ("ass", "a class of students"),
    ("con", "la condition des femmes"),
    ("mjinga", "wajinga"),
    ("كلب", "كلبة"),
    ("pute", "réputé"),
    ("fils de pute", "fils de la pute"),
])
def test_a_watched_word_matches_whole_words_only(word, text):
    assert _found(text, word) == []


def test_phrases_and_words_are_reported_once_each_in_the_order_given():
    assert _found("idiot idiot imbécil", "imbecil", "idiot", "nothing") == ["imbecil", "idiot"]


def test_fold_removes_case_accents_and_marks():
    assert fold("ÉCOLE Ça") == "ecole ca" and fold("أُمّة") == "امه"
    assert normalise_phrase("  !!  ") == ""


@pytest.mark.parametrize("text", [
    "Call me on +255 712 345 678", "ring 0712 345 678", "(020) 7946 0958 after six",
    "06 12 34 56 78", "+33612345678", "0033 6 12 34 56 78", "٠٧١٢٣٤٥٦٧٨",
    "0712-345-678",
])
def test_phone_numbers_in_international_and_local_forms_are_found(text):
    assert personal_information(text) == ["phone"]


@pytest.mark.parametrize("text", [
    "In 2026 we met", "on 2020-01-01", "12.03.2026", "1 000 000 people", "100 000 000",
    "1,000,000 shillings", "price 12345", "bus 42 at 7.30",
])
def test_years_dates_and_amounts_are_not_phone_numbers(text):
    assert personal_information(text) == []


def test_email_addresses_are_found():
    assert personal_information("write to juma.k@example.co.tz") == ["email"]
    assert personal_information("both a@b.org and 0712345678") == ["email", "phone"]
