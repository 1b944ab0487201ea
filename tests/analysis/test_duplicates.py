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
