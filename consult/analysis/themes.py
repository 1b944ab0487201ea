"""Themes in free text: groups of answers with their characteristic terms and quotes.

Method (chosen for many languages, mixed input and no network):
- copy-paste campaigns are found first (duplicates.py) and each counts once;
- texts become TF-IDF vectors of words plus character 4-grams. Words give readable terms;
  character grams join inflected forms (Swahili and Arabic build words from affixes) and need
  no word splitting. No stop-word lists: a term in more than 30% of one language's texts is
  dropped, which removes "the", "la", "na", "في" in every language alike, even when that
  language is a small part of the input;
- non-negative matrix factorisation (NMF, deterministic NNDSVD start) splits them into k
  themes; each text belongs to its strongest theme. NMF gives additive, interpretable parts
  with terms per theme, which k-means on the same vectors does not (Lee & Seung 1999;
  Greene & Cross 2017 compare both on short texts).
k is sqrt(distinct texts / 10), between 2 and max_themes: a planner can read eight themes,
and merge or split them.
"""
import hashlib
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from consult.analysis.duplicates import duplicate_groups

VERSION = "themes-1 (tfidf words+char4, per-language common terms out, nmf nndsvda)"
MIN_TEXTS = 6
#: A term in more than this share of one language's texts is a function word there.
MAX_SHARE = 0.3


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


def _common_columns(matrix, languages: Sequence[str]) -> np.ndarray:
    """Columns found in more than MAX_SHARE of the texts of some language (its function
    words), judged per language so that a language with few texts keeps no stop words."""
    common = np.zeros(matrix.shape[1], dtype=bool)
    languages = np.asarray(languages)
    for language in set(languages.tolist()):
        rows = np.flatnonzero(languages == language)
        if len(rows) >= 5:
            share = (matrix[rows] > 0).sum(axis=0).A1 / len(rows)
            common |= share > MAX_SHARE
    return common


def _vectorise(texts: Sequence[str], languages: Sequence[str]):
    """(TF-IDF matrix of words and character 4-grams, word vocabulary, word column count)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = {"lowercase": True, "sublinear_tf": True, "min_df": 2, "dtype": np.float32}
    # Words keep their accents, to be shown as people wrote them; grams fold them.
    words = TfidfVectorizer(token_pattern=r"(?u)\b[^\W\d_]{2,}\b", max_features=20000, **common)
    grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), max_features=30000,
                            strip_accents="unicode", **common)
    word_matrix = words.fit_transform(texts).tocsc()
    gram_matrix = grams.fit_transform(texts).tocsc() * 0.5  # grams support, words lead
    vocabulary = words.get_feature_names_out()
    keep_words = np.flatnonzero(~_common_columns(word_matrix, languages))
    keep_grams = np.flatnonzero(~_common_columns(gram_matrix, languages))
    word_matrix = word_matrix[:, keep_words]
    return hstack([word_matrix, gram_matrix[:, keep_grams]]).tocsr(), vocabulary[keep_words], \
        word_matrix.shape[1]


def find_themes(texts: Sequence[str], languages: Sequence[str] | None = None,
                max_themes: int = 8, terms_per_theme: int = 8,
                quotes_per_theme: int = 3) -> ThemeResult:
    """Themes of the texts (empty when there are too few to group); languages: each text's
    language code, so that each language's function words are recognised."""
    campaigns = duplicate_groups(texts)
    copy_of = {m: g.members[0] for g in campaigns for m in g.members[1:]}
    distinct = [i for i in range(len(texts)) if i not in copy_of and texts[i].strip()]
    if len(distinct) < MIN_TEXTS:
        return ThemeResult([], tuple(range(len(texts))), [g.members for g in campaigns])
    try:
        matrix, vocabulary, word_columns = _vectorise(
            [texts[i] for i in distinct], [languages[i] if languages else "" for i in distinct])
    except ValueError:  # every term too rare: nothing to group on
        return ThemeResult([], tuple(range(len(texts))), [g.members for g in campaigns])
    if matrix.shape[1] == 0:
        return ThemeResult([], tuple(range(len(texts))), [g.members for g in campaigns])
    from sklearn.decomposition import NMF

    k = int(min(max_themes, max(2, round(np.sqrt(len(distinct) / 10)))))
    k = min(k, matrix.shape[0], matrix.shape[1])
    model = NMF(n_components=k, init="nndsvda", max_iter=300, random_state=0)
    weights = model.fit_transform(matrix)
    strongest = weights.argmax(axis=1)
    assigned = weights.max(axis=1) > 1e-6
    overall = np.asarray(matrix[:, :word_columns].mean(axis=0)).ravel()
    themes = []
    followers: dict[int, list[int]] = {}
    for copy, first in copy_of.items():
        followers.setdefault(first, []).append(copy)
    for topic in range(k):
        rows = np.flatnonzero(assigned & (strongest == topic))
        if len(rows) == 0:
            continue
        terms = _characteristic_terms(matrix, rows, vocabulary, word_columns,
                                      overall, terms_per_theme)
        typical = rows[np.argsort(-weights[rows, topic], kind="stable")][:quotes_per_theme]
        members = sorted(m for r in rows for m in [distinct[r], *followers.get(distinct[r], [])])
        themes.append(Theme(theme_key(terms), terms, tuple(members), len(rows),
                            tuple(distinct[r] for r in typical)))
    themes.sort(key=lambda t: (-t.size, t.key))
    unassigned = sorted(m for r in np.flatnonzero(~assigned)
                        for m in [distinct[r], *followers.get(distinct[r], [])])
    return ThemeResult(themes, tuple(unassigned), [g.members for g in campaigns])


def _characteristic_terms(matrix, rows, vocabulary, word_columns, overall, count):
    """The words most over-represented in these texts compared with all texts (so always
    words the theme's own answers use, in their own language)."""
    inside = np.asarray(matrix[rows, :word_columns].mean(axis=0)).ravel()
    lift = inside - overall
    best = np.argsort(-lift, kind="stable")[:count]
    return tuple(str(vocabulary[j]) for j in best if lift[j] > 0 and inside[j] > 0)


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
