"""Themes of real text name no function word of any shipped language, and quote their terms.

Real text: the Pol.is conversations the tests carry (English comments, tests/data/polis) and
answers written for the tests in each of the six shipped languages (tests/data/answers).
"""
import csv
import re
from pathlib import Path

import pytest
import stopwordsiso

from consult.analysis.stopwords import KEEP, SHIPPED, fold, is_stop_word
from consult.analysis.themes import find_themes

DATA = Path(__file__).resolve().parents[1] / "data"
WORD = re.compile(r"\b[^\W\d_]{2,}\b")
#: Every shipped language's list as the package gives it, folded, less the content words that
#: stopwords.py keeps on purpose.
LISTED = {fold(w) for w in stopwordsiso.stopwords(list(SHIPPED))} - {fold(w) for w in KEEP}


def _answers(language: str) -> list[str]:
    return (DATA / "answers" / f"{language}.txt").read_text(encoding="utf-8").splitlines()


def _polis(name: str) -> list[str]:
    with open(DATA / "polis" / name / "comments.csv", newline="", encoding="utf-8") as file:
        return [row["comment-body"] for row in csv.DictReader(file)]


def _corpora():
    """(name, texts, languages) of each corpus the themes are tried on."""
    everything = [(text, language) for language in SHIPPED for text in _answers(language)]
    yield "all six languages", [t for t, _ in everything], [lang for _, lang in everything]
    for language in SHIPPED:
        texts = _answers(language)
        yield language, texts, [language] * len(texts)
    for name in ("15-per-hour-seattle", "bg2050-volunteers"):
        texts = _polis(name)
        yield name, texts, ["en"] * len(texts)


CORPORA = {name: (texts, languages) for name, texts, languages in _corpora()}


@pytest.fixture(scope="module")
def themes():
    return {name: find_themes(texts, languages) for name, (texts, languages) in CORPORA.items()}


@pytest.mark.parametrize("corpus", CORPORA)
def test_no_theme_term_is_a_function_word_of_any_shipped_language(themes, corpus):
    found = themes[corpus].themes
    assert len(found) >= 2
    for theme in found:
        assert theme.terms
        for term in theme.terms:
            assert not is_stop_word(term) and fold(term) not in LISTED, (term, theme.terms)


@pytest.mark.parametrize("corpus", CORPORA)
def test_each_quote_of_a_theme_uses_one_of_its_terms(themes, corpus):
    texts, _ = CORPORA[corpus]
    for theme in themes[corpus].themes:
        terms = {fold(term) for term in theme.terms}
        assert theme.quotes
        for quote in theme.quotes:
            assert terms & {fold(w) for w in WORD.findall(texts[quote])}, (theme.terms, quote)


def test_terms_are_shown_as_people_wrote_them(themes):
    terms = {term for theme in themes["all six languages"].themes for term in theme.terms}
    texts = " ".join(CORPORA["all six languages"][0]).lower()
    assert all(term in texts for term in terms)  # accents, hamzas and ta marbuta kept


def test_a_french_function_word_in_answers_labelled_english_is_no_term():
    texts = [f"{text} des" for text in _answers("en")] + \
        ["les jeunes des villages et des quartiers"] * 3
    found = find_themes(texts, ["en"] * len(texts))
    assert found.themes
    assert not {"des", "les", "et"} & {t for theme in found.themes for t in theme.terms}


def test_arabic_spellings_of_one_word_count_together_shown_as_most_written():
    lights = ["الإنارة معطلة في شارع السوق", "نريد الإنارة قرب المحطة ليلاً",
              "الإنارة ضعيفة عند الميناء", "الاناره معطله في الحي", "الإنـارة مطلوبة في الأزقة"]
    jobs = ["وظائف للشباب في الميناء", "التدريب المهني للشباب", "الشباب يحتاجون وظائف",
            "وظائف وتدريب للشباب", "فرص عمل وتدريب للشباب"]
    bribes = ["الرشوة عند الحاجز كل صباح", "الموظفون يطلبون الرشوة من التجار",
              "نريد خطاً للإبلاغ عن الرشوة", "الرشوة في الميناء ترفع الأسعار",
              "معاقبة من يأخذ الرشوة"]
    police = ["دوريات الشرطة في السوق ليلاً", "الشرطة تصل متأخرة دائماً",
              "نريد مركز الشرطة قريباً", "لقاءات شهرية مع الشرطة", "الشرطة تستمع إلى السكان"]
    texts = lights + jobs + bribes + police  # each word in fewer than 30% of the texts
    found = find_themes(texts, ["ar"] * len(texts), max_themes=4)
    lit = next(t for t in found.themes if 0 in t.members)
    assert "الإنارة" in lit.terms  # as four of the five wrote it
    assert "الاناره" not in {term for theme in found.themes for term in theme.terms}
    assert 3 in lit.members  # "الاناره معطله" is "الإنارة معطلة" typed without hamza and ة
