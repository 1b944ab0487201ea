"""Copy-paste campaigns and form letters are found in every script, and nothing else is."""
import random

from consult.analysis.duplicates import duplicate_groups, normalise

LETTER = ("We the traders of the old market ask the council to keep the night patrols and to "
          "light the road to the harbour before the rainy season.")


def test_normalise_folds_case_accents_punctuation_and_spacing():
    assert normalise("  Éclairez   la RUE, s'il vous plaît!! ") == "eclairez la rue s il vous plait"
    assert normalise("مصابيح الشارع!") == "مصابيح الشارع"


def test_identical_and_near_identical_texts_are_grouped():
    texts = [LETTER, "Other view entirely about jobs for young people.",
             LETTER.upper(), LETTER.replace("rainy season", "rainy season!!"),
             LETTER.replace("We the traders", "We, the traders,") + " Thank you.",
             "Youth need training and jobs, not only patrols."]
    groups = duplicate_groups(texts)
    assert [g.members for g in groups] == [(0, 2, 3, 4)]
    assert groups[0].size == 4


def test_texts_that_merely_share_words_are_not_grouped():
    texts = ["The patrols at night make the market safer for everyone.",
             "The patrols at night frighten the young people near the market.",
             "Lights at the market would help more than patrols at night."]
    assert duplicate_groups(texts) == []


def test_campaigns_in_arabic_and_swahili_are_found():
    arabic = "نطالب المجلس بإنارة الطريق إلى الميناء قبل موسم الأمطار وبإبقاء الدوريات الليلية"
    swahili = "Tunaomba baraza liweke taa barabarani kuelekea bandari kabla ya msimu wa mvua"
    texts = [arabic, swahili, arabic + ".", swahili.lower(), "Kitu kingine kabisa."]
    assert sorted(g.members for g in duplicate_groups(texts)) == [(0, 2), (1, 3)]


def test_a_large_campaign_among_many_distinct_texts():
    rng = random.Random(4)
    words = "market port lights patrol youth jobs council road night safety trust fear".split()
    texts = [" ".join(rng.choice(words) for _ in range(14)) + f" {n}" for n in range(400)]
    for n in range(0, 400, 8):
        texts[n] = LETTER + (" Please." if n % 16 else "")
    groups = duplicate_groups(texts)
    assert groups[0].size == 50 and all(texts[i].startswith(LETTER) for i in groups[0].members)


def _components(texts, similarity=0.8):
    """Groups by comparing every pair exactly (the slow reference)."""
    from consult.analysis.duplicates import SHINGLE

    norms = [normalise(t).ljust(SHINGLE, "\0") for t in texts]
    grams = [{n[i:i + SHINGLE] for i in range(len(n) - SHINGLE + 1)} for n in norms]
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i):
            if len(grams[i] & grams[j]) / len(grams[i] | grams[j]) >= similarity:
                parent[max(find(i), find(j))] = min(find(i), find(j))
    groups = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return sorted(tuple(g) for g in groups.values() if len(g) > 1)


def test_groups_are_those_of_comparing_every_pair():
    rng = random.Random(11)
    words = "market port lights patrol youth jobs council road night safety trust fear the of " \
            "la les des na ya في من".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 16))) for _ in range(500)]
    for n in range(0, 500, 9):  # near copies of earlier texts: a word changed or added
        source = texts[rng.randrange(n + 1)].split()
        source[rng.randrange(len(source))] = rng.choice(words)
        texts[n] = " ".join(source + ([rng.choice(words)] if n % 2 else []))
    assert sorted(g.members for g in duplicate_groups(texts)) == _components(texts)


def test_a_campaign_signed_with_different_names_among_many_answers_is_one_group():
    rng = random.Random(5)
    words = "market port lights patrol youth jobs council road night safety trust fear".split()
    texts = [" ".join(rng.choice(words) for _ in range(12)) + f" {n}" for n in range(3000)]
    signed = list(range(7, 3000, 50))
    for n in signed:
        texts[n] = f"{LETTER} Signed, resident {rng.randrange(10_000)}"
    groups = duplicate_groups(texts)
    assert groups[0].members == tuple(signed)
