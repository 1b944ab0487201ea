"""The NumPy passes over many texts give exactly what the per-text regular expressions give."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis import text_arrays
from consult.analysis.duplicates import normalise

#: Letters of several scripts, digits of two, underscore, punctuation, spaces, combining
#: marks, ligatures, case oddities, and the separator the texts are joined with.
ALPHABET = list("aZé_1٣ عأَـ!\x00\n\t'’-²ﬁİßΣ \u0301\u064b")
TEXTS = st.lists(st.text(alphabet=ALPHABET, max_size=14), max_size=8)
WORD = re.compile(r"\b[^\W\d_]{2,}\b")


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_normalised_texts_equal_normalise_of_each_text(texts):
    assert text_arrays.normalised_texts(texts) == \
        [normalise(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_words_by_text_finds_the_words_the_pattern_finds(texts):
    words, which, text_index = text_arrays.words_by_text(text_arrays.join(texts))
    found = [[] for _ in texts]
    for word, index in zip(which.tolist(), text_index.tolist()):
        found[index].append(words[word])
    assert found == [WORD.findall(t.replace("\x00", " ")) for t in texts]
    assert len(set(words)) == len(words)  # each distinct word once, first seen first


def test_words_of_no_text():
    assert text_arrays.words_by_text(text_arrays.join([]))[0] == []
    assert text_arrays.normalised_texts([]) == []
