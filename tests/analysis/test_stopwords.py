"""Function words of the six shipped languages, one set for every text; Arabic folded first."""
import pytest
import stopwordsiso

from consult.analysis.stopwords import (
    KEEP,
    SHIPPED,
    fold,
    is_stop_word,
    stop_words,
    strip_marks,
)


@pytest.mark.parametrize("language", SHIPPED)
def test_the_package_lists_every_shipped_language(language):
    assert stopwordsiso.has_lang(language)
    assert len(stopwordsiso.stopwords(language)) >= 70


@pytest.mark.parametrize("word", ["des", "the", "de", "les", "la", "un", "au", "ne", "أن", "من",
                                  "el", "los", "não", "na", "ya", "kwa", "في"])
def test_the_demo_theme_names_are_stop_words(word):
    assert is_stop_word(word)


def test_a_function_word_of_one_language_is_one_in_every_text():
    # A French "des" in an answer labelled English is as empty as in a French one.
    assert is_stop_word("des") and is_stop_word("DES")
    assert is_stop_word("car")  # French "because", though an English noun: the union decides


@pytest.mark.parametrize("word", ["work", "young", "years", "trabajo", "empleo", "noite",
                                  "conselho", "muda", "police", "lights", "rushwa", "الشرطة"])
def test_content_words_stay_terms_even_where_the_lists_include_them(word):
    assert not is_stop_word(word)


def test_every_kept_word_is_no_function_word_of_another_shipped_language():
    listed = {fold(w) for w in stopwordsiso.stopwords(list(SHIPPED))}
    for word in KEEP:
        assert not is_stop_word(word)
        assert fold(word) in listed or word in {"país"}, word  # each corrects a real entry


def test_arabic_is_folded_before_it_is_compared():
    assert fold("أنَّ") == fold("إن") == fold("آن") == fold("ٱن") == "ان"
    assert fold("الإنــــارة") == fold("الاناره") == "الاناره"  # tatweel, alef, ta marbuta
    assert fold("على") == fold("علي")  # alef maqsura written as ya
    assert strip_marks("تُصرف") == "تصرف"  # harakat go, the letters people wrote stay
    assert strip_marks("الإنارة") == "الإنارة"


def test_accentless_spellings_of_function_words_are_stop_words_too():
    assert "despues" in stop_words() and "tambem" in stop_words()
