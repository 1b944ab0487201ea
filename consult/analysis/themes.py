"""Themes in free text: groups of answers with their characteristic terms and quotes.

Method (chosen for many languages, mixed input and no network):
- copy-paste campaigns are found first (duplicates.py) and each counts once;
- texts become TF-IDF vectors of words plus character 4-grams of those words. Words give
  readable terms; character grams join inflected forms (Swahili and Arabic build words from
  affixes) and need no word splitting. Function words go before counting, in two ways: the
  stop-word lists of every shipped language (stopwords.py; one set for all texts, since people
  mix languages), and a term in more than 30% of one language's texts, which catches what the
  lists miss, even when that language is a small part of the input. Arabic is folded first
  (alef forms, diacritics, tatweel: stopwords.py), and each term is shown in the spelling
  people used most;
- non-negative matrix factorisation (NMF, deterministic NNDSVD start) splits them into k
  themes; each text belongs to its strongest theme. NMF gives additive, interpretable parts
  with terms per theme, which k-means on the same vectors does not (Lee & Seung 1999;
  Greene & Cross 2017 compare both on short texts). A theme's quotes are its most typical
  texts among those that use at least one of its terms.
k is sqrt(distinct texts / 10), between 2 and max_themes: a planner can read eight themes,
and merge or split them.
"""
import hashlib
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

import numpy as np

from consult.analysis import text_arrays
from consult.analysis.duplicates import duplicate_groups
from consult.analysis.stopwords import fold, fold_letters, stop_words, without_accents

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

VERSION = "themes-2 (tfidf words+char4, stop words of six languages and per-language " \
    "common terms out, arabic folded, nmf nndsvda)"
MIN_TEXTS = 6
#: A term in more than this share of one language's texts is a function word there.
MAX_SHARE = 0.3
#: Most word and character-gram columns kept (the most frequent), and the fewest texts a
#: column must appear in.
MAX_WORDS, MAX_GRAMS, MIN_TEXTS_PER_TERM = 20000, 30000, 2
#: Arabic diacritics and tatweel, removed before words are found (stopwords.py says why).
_ARABIC_MARKS = np.array([*range(0x064B, 0x0656), 0x0670, 0x0640], dtype=np.uint32)


@dataclass(frozen=True)
class Theme:
    """A group of texts; indexes refer to the input list."""

    key: str  # fingerprint of the top terms, to recognise the theme after recomputation
    terms: tuple[str, ...]
    members: tuple[int, ...]  # every text in the theme, campaign copies included
    size: int  # distinct submissions: a campaign counts once
    quotes: tuple[int, ...]  # the most typical texts, best first


@dataclass(frozen=True)
class ThemeResult:
    """Themes, texts in none, and campaigns (groups of near-identical texts)."""

    themes: list[Theme]
    unassigned: tuple[int, ...]
    campaigns: list[tuple[int, ...]] = field(default_factory=list)
    version: str = VERSION


def theme_key(terms: Sequence[str]) -> str:
    """A short fingerprint of a theme's top terms."""
    return hashlib.sha256("\x1f".join(sorted(terms[:5])).encode()).hexdigest()[:12]


def _common_columns(counts: "csr_matrix", languages: Sequence[str]) -> np.ndarray:
    """Columns found in more than MAX_SHARE of the texts of some language (its function
    words), judged per language so that a language with few texts keeps no stop words."""
    from scipy.sparse import csr_matrix

    names, language_of = np.unique(np.asarray(languages, dtype=str), return_inverse=True)
    sizes = np.bincount(language_of, minlength=len(names))
    members = csr_matrix((np.ones(len(language_of), dtype=np.float32),
                          (language_of, np.arange(len(language_of)))),
                         shape=(len(names), counts.shape[0]))
    share = (members @ (counts > 0).astype(np.float32)).toarray() / np.maximum(sizes, 1)[:, None]
    return ((share > MAX_SHARE) & (sizes >= 5)[:, None]).any(axis=0)


def _frequent(counts: "csr_matrix", languages: Sequence[str], most: int) -> np.ndarray:
    """The columns to keep: in MIN_TEXTS_PER_TERM texts or more, not common in any language,
    the `most` most frequent of them (ties: the first column)."""
    texts_with = np.bincount(counts.indices, minlength=counts.shape[1])
    usable = (texts_with >= MIN_TEXTS_PER_TERM) & ~_common_columns(counts, languages)
    candidates = np.flatnonzero(usable)
    totals = np.asarray(counts.sum(axis=0)).ravel()[candidates]
    return np.sort(candidates[np.argsort(-totals, kind="stable")[:most]])


def _words(texts: Sequence[str]) -> tuple["csr_matrix", np.ndarray, np.ndarray]:
    """(a sparse texts x words count matrix of every word that is no stop word, the words
    folded, and each in the spelling people used most)."""
    from scipy.sparse import csr_matrix

    codes = text_arrays.codes_of(text_arrays.join(texts).lower())
    spellings, spelling_of, text_index = text_arrays.words_by_text(
        text_arrays.text_of(codes[~np.isin(codes, _ARABIC_MARKS)]))
    folded: dict[str, int] = {}
    word_of_spelling = np.array([folded.setdefault(fold_letters(w), len(folded))
                                 for w in spellings], dtype=np.int64)
    # The spelling used most for each word (the first seen of equally used ones).
    uses = np.bincount(spelling_of, minlength=len(spellings))
    order = np.lexsort((np.arange(len(spellings)), -uses))
    _, first = np.unique(word_of_spelling[order], return_index=True)
    shown = np.array(spellings, dtype=object)[order[first]]
    stop = stop_words()
    keep = np.array([w not in stop for w in folded], dtype=bool)
    word_index = word_of_spelling[spelling_of]
    kept = keep[word_index]
    counts = csr_matrix((np.ones(int(kept.sum()), dtype=np.float32),
                         (text_index[kept], word_index[kept])),
                        shape=(len(texts), len(folded)))
    counts.sum_duplicates()
    return counts, np.array(list(folded), dtype=object), shown


def _grams(words: np.ndarray) -> "csr_matrix":
    """A sparse words x character 4-grams count matrix: each word's grams once padded with a
    space each side (scikit-learn's char_wb), accents folded."""
    from scipy.sparse import csr_matrix

    grams: dict[str, int] = {}
    rows, columns = [], []
    for row, word in enumerate(words):
        padded = f" {without_accents(word)} "
        for start in range(max(1, len(padded) - 3)):
            rows.append(row)
            columns.append(grams.setdefault(padded[start:start + 4], len(grams)))
    matrix = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                        shape=(len(words), len(grams)))
    matrix.sum_duplicates()
    return matrix


def _vectorise(texts: Sequence[str], languages: Sequence[str]
               ) -> tuple["csr_matrix | None", np.ndarray, int]:
    """(TF-IDF matrix of words and character 4-grams, each word column's shown spelling,
    word column count)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfTransformer

    word_counts, words, shown = _words(texts)
    gram_counts = (word_counts @ _grams(words)).tocsr()
    keep_words = _frequent(word_counts, languages, MAX_WORDS)
    keep_grams = _frequent(gram_counts, languages, MAX_GRAMS)
    if len(keep_words) == 0:
        return None, shown[:0], 0
    tfidf = TfidfTransformer(sublinear_tf=True)
    word_matrix = tfidf.fit_transform(word_counts[:, keep_words]).astype(np.float32)
    parts = [word_matrix]
    if len(keep_grams):
        grams = TfidfTransformer(sublinear_tf=True).fit_transform(gram_counts[:, keep_grams])
        parts.append(grams.astype(np.float32) * 0.5)  # grams support, words lead
    return hstack(parts).tocsr(), shown[keep_words], word_matrix.shape[1]


def find_themes(texts: Sequence[str], languages: Sequence[str] | None = None,
                max_themes: int = 8, terms_per_theme: int = 8,
                quotes_per_theme: int = 3) -> ThemeResult:
    """Themes of the texts (empty when there are too few to group); languages: each text's
    language code, so that each language's function words are recognised."""
    campaigns = duplicate_groups(texts)
    copy_of = {m: g.members[0] for g in campaigns for m in g.members[1:]}
    distinct = [i for i in range(len(texts)) if i not in copy_of and texts[i].strip()]
    nothing = ThemeResult([], tuple(range(len(texts))), [g.members for g in campaigns])
    if len(distinct) < MIN_TEXTS:
        return nothing
    matrix, vocabulary, word_columns = _vectorise(
        [texts[i] for i in distinct], [languages[i] if languages else "" for i in distinct])
    if matrix is None or matrix.shape[1] == 0:  # every term too rare: nothing to group on
        return nothing
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    k = int(min(max_themes, max(2, round(np.sqrt(len(distinct) / 10)))))
    k = min(k, matrix.shape[0], matrix.shape[1])
    model = NMF(n_components=k, init="nndsvda", max_iter=300, random_state=0)
    with warnings.catch_warnings():
        # Short of the tolerance after max_iter, the factors still group the texts (and the
        # same input gives the same factors): worth no warning to the job's log. A few texts
        # can be fitted exactly, and scikit-learn's error measure (unused here) then takes the
        # square root of a rounding error below zero.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", "invalid value encountered in sqrt", RuntimeWarning)
        weights = model.fit_transform(matrix)
    strongest = weights.argmax(axis=1)
    assigned = weights.max(axis=1) > 1e-6
    words = matrix[:, :word_columns]
    overall = np.asarray(words.mean(axis=0)).ravel()
    themes = []
    followers: dict[int, list[int]] = {}
    for copy, first in copy_of.items():
        followers.setdefault(first, []).append(copy)
    for topic in range(k):
        rows = np.flatnonzero(assigned & (strongest == topic))
        columns = _characteristic_terms(words, rows, overall, terms_per_theme) \
            if len(rows) else []
        if not columns:  # no word sets these texts apart: no theme a reader could name
            assigned[rows] = False
            continue
        terms = tuple(str(vocabulary[j]) for j in columns)
        # The most typical texts that use one of the theme's terms, so a quote shows them
        # (each term is used by one of the theme's texts at least).
        uses = np.asarray(words[rows][:, columns].sum(axis=1)).ravel() > 0
        typical = rows[uses][np.argsort(-weights[rows[uses], topic],
                                        kind="stable")][:quotes_per_theme]
        members = sorted(m for r in rows for m in [distinct[r], *followers.get(distinct[r], [])])
        themes.append(Theme(theme_key(terms), terms, tuple(members), len(rows),
                            tuple(distinct[r] for r in typical)))
    themes.sort(key=lambda t: (-t.size, t.key))
    unassigned = sorted(m for r in np.flatnonzero(~assigned)
                        for m in [distinct[r], *followers.get(distinct[r], [])])
    return ThemeResult(themes, tuple(unassigned), [g.members for g in campaigns])


def _characteristic_terms(words: "csr_matrix", rows: np.ndarray, overall: np.ndarray,
                          count: int) -> list[int]:
    """The word columns most over-represented in these texts compared with all texts (so
    always words the theme's own answers use, in their own language)."""
    inside = np.asarray(words[rows].mean(axis=0)).ravel()
    lift = inside - overall
    best = np.argsort(-lift, kind="stable")[:count]
    return [int(j) for j in best if lift[j] > 0 and inside[j] > 0]


def term_uses(texts: Sequence[str], themes: Sequence[tuple[Sequence[int], Sequence[str]]]
              ) -> list[list[int]]:
    """For each theme given as (members, terms): how many of its members' texts use each term,
    counted as themes count words (folded, stop words out). Publishing a term that fewer than
    k answers used could tell what a few people wrote."""
    if not themes:
        return []
    counts, words, _ = _words(texts)
    used = (counts > 0).astype(np.int32).tocsr()
    column = {word: j for j, word in enumerate(words)}
    found = []
    for members, terms in themes:
        columns = [column.get(fold(term), -1) for term in terms]
        totals = np.asarray(used[list(members)].sum(axis=0)).ravel() if len(members) else \
            np.zeros(used.shape[1], dtype=np.int64)
        found.append([int(totals[j]) if j >= 0 else 0 for j in columns])
    return found


def match_themes(previous: dict[str, Sequence[str]], current: Sequence[Theme],
                 threshold: float = 0.3) -> dict[str, str]:
    """Which earlier theme (key -> its terms) each new theme continues: new key -> old key.

    Planners' names, merges and splits are stored against theme keys; after a recomputation
    a new theme inherits them when its terms overlap an earlier theme's enough (Jaccard of
    the term sets), each earlier theme going to its best match only.
    """
    pairs = []
    for theme in current:
        for old_key, old_terms in previous.items():
            union = set(theme.terms) | set(old_terms)
            overlap = len(set(theme.terms) & set(old_terms)) / len(union) if union else 0.0
            if overlap >= threshold:
                pairs.append((overlap, theme.key, old_key))
    matched: dict[str, str] = {}
    taken: set[str] = set()
    for _, new_key, old_key in sorted(pairs, reverse=True):
        if new_key not in matched and old_key not in taken:
            matched[new_key] = old_key
            taken.add(old_key)
    return matched


def split_theme(texts: Sequence[str], members: Sequence[int],
                languages: Sequence[str] | None = None) -> ThemeResult:
    """A planner's split: the theme's texts regrouped into (at most) two themes."""
    found = find_themes([texts[m] for m in members],
                        [languages[m] for m in members] if languages else None, max_themes=2)
    return ThemeResult(
        [Theme(t.key, t.terms, tuple(members[i] for i in t.members), t.size,
               tuple(members[i] for i in t.quotes)) for t in found.themes],
        tuple(members[i] for i in found.unassigned),
        [tuple(members[i] for i in c) for c in found.campaigns])
