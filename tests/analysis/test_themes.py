"""Themes from free text in every shipped language, mixed, with campaigns counted once."""
import random

import pytest

from consult.analysis.themes import find_themes, match_themes, split_theme

#: Per language, per topic: phrases people combine; plus each language's filler words.
PHRASES = {
    "en": {"lights": ["street lights", "broken lamps", "dark road", "harbour road at night"],
           "jobs": ["jobs for young people", "training", "work for youth", "apprenticeships"],
           "patrols": ["night patrols", "market traders", "police at the market", "feel safe"],
           "_": ["the", "and", "we", "is", "of", "it", "please", "more", "our", "for"]},
    "fr": {"lights": ["lampadaires cassés", "rue sombre", "éclairage du port", "la nuit noire"],
           "jobs": ["emplois pour les jeunes", "formation", "travail", "apprentissage"],
           "patrols": ["patrouilles de nuit", "commerçants du marché", "sécurité au marché",
                       "policiers"],
           "_": ["le", "la", "les", "et", "nous", "est", "de", "plus", "notre", "pour"]},
    "sw": {"lights": ["taa za barabarani", "giza usiku", "taa zimeharibika", "njia ya bandari"],
           "jobs": ["kazi kwa vijana", "mafunzo", "ajira", "ufundi stadi"],
           "patrols": ["doria za usiku", "wafanyabiashara sokoni", "usalama sokoni", "polisi"],
           "_": ["na", "ya", "wa", "ni", "kwa", "sisi", "tafadhali", "zaidi", "yetu", "hii"]},
    "ar": {"lights": ["مصابيح الشارع", "الطريق مظلم", "إنارة الميناء", "المصابيح معطلة"],
           "jobs": ["وظائف للشباب", "التدريب المهني", "فرص عمل", "التلمذة المهنية"],
           "patrols": ["الدوريات الليلية", "تجار السوق", "الأمن في السوق", "الشرطة"],
           "_": ["في", "من", "على", "و", "نحن", "هذا", "أكثر", "لنا", "إلى", "مع"]},
}
TOPICS = ["lights", "jobs", "patrols"]


def _corpus(languages, per_topic=30, seed=1):
    """(texts, topics, languages) of generated answers."""
    rng = random.Random(seed)
    texts, topics, langs = [], [], []
    for language in languages:
        for topic in TOPICS:
            for _ in range(per_topic):
                # Function words are in most texts, as in real answers.
                words = rng.sample(PHRASES[language][topic], 2) + \
                    rng.sample(PHRASES[language]["_"], 6)
                rng.shuffle(words)
                texts.append(" ".join(words))
                topics.append(topic)
                langs.append(language)
    return texts, topics, langs


def _purity(theme, topics):
    found = [topics[m] for m in theme.members]
    return max(found.count(t) for t in TOPICS) / len(found)


@pytest.mark.parametrize("language", ["en", "fr", "sw", "ar"])
def test_themes_follow_the_topics_in_each_language(language):
    texts, topics, langs = _corpus([language])
    result = find_themes(texts, langs, max_themes=3)
    assert len(result.themes) == 3
    for theme in result.themes:
        assert _purity(theme, topics) >= 0.8, theme.terms
        assert theme.quotes and set(theme.quotes) <= set(theme.members)
        assert not set(theme.terms) & set(PHRASES[language]["_"])  # no function words


def test_mixed_languages_give_themes_in_their_own_words():
    texts, topics, langs = _corpus(["en", "fr", "sw", "ar"], per_topic=100)
    result = find_themes(texts, langs, max_themes=12)  # 12 language x topic groups
    assert len(result.themes) >= 8
    assigned = sum(len(t.members) for t in result.themes)
    assert assigned + len(result.unassigned) == len(texts)
    for theme in result.themes:
        assert _purity(theme, topics) >= 0.6, theme.terms
        member_words = {w for m in theme.members for w in texts[m].lower().split()}
        assert set(theme.terms) <= member_words


def test_a_campaign_counts_once_in_its_theme():
    texts, topics, langs = _corpus(["en"])
    letter = "We traders ask the council to keep the night patrols at the market please"
    texts += [letter] * 40
    langs += ["en"] * 40
    result = find_themes(texts, langs, max_themes=3)
    assert any(len(c) == 40 for c in result.campaigns)
    holder = next(t for t in result.themes if len(texts) - 1 in t.members)
    assert len(holder.members) - holder.size == 39


def test_too_few_texts_give_no_themes():
    result = find_themes(["one", "two", ""])
    assert result.themes == [] and result.unassigned == (0, 1, 2)


def test_themes_are_deterministic():
    texts, _, langs = _corpus(["en", "sw"])
    assert find_themes(texts, langs) == find_themes(texts, langs)


def test_planner_edits_follow_a_theme_after_recomputation():
    texts, _, langs = _corpus(["en"])
    first = find_themes(texts, langs, max_themes=3)
    more, _, more_langs = _corpus(["en"], per_topic=5, seed=2)
    second = find_themes(texts + more, langs + more_langs, max_themes=3)
    matched = match_themes({t.key: t.terms for t in first.themes}, second.themes)
    assert len(matched) == 3 and len(set(matched.values())) == 3


def test_split_regroups_a_theme_in_two():
    texts, topics, langs = _corpus(["fr"])
    members = [i for i, topic in enumerate(topics) if topic in ("lights", "jobs")]
    parts = split_theme(texts, members, langs)
    assert len(parts.themes) == 2
    covered = sorted([m for t in parts.themes for m in t.members] + list(parts.unassigned))
    assert covered == members
    assert all(_purity(t, topics) >= 0.8 for t in parts.themes)
