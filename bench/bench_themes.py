"""Themes for 100,000 free-text answers (issue 7 budget: under 60 s), campaigns included.

Generated answers in four languages from topic phrases and each language's function words,
with copy-paste campaigns, so the work (vectorising, campaigns, NMF) is that of real input.
"""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from consult.analysis.themes import find_themes  # noqa: E402

SIZE, BUDGET = 100_000, 60.0
WORDS = {
    "en": "street lights harbour road dark night jobs youth training police patrol market "
          "traders safe fear trust council bribe hotline report corruption".split(),
    "fr": "lampadaires port route sombre nuit emplois jeunes formation police patrouille "
          "marché commerçants sûr peur confiance conseil pot-de-vin signalement".split(),
    "sw": "taa barabara bandari giza usiku kazi vijana mafunzo polisi doria soko "
          "wafanyabiashara salama hofu imani baraza rushwa ripoti".split(),
    "ar": "مصابيح طريق ميناء مظلم ليل وظائف شباب تدريب شرطة دورية سوق تجار آمن خوف ثقة "
          "مجلس رشوة بلاغ فساد".split(),
}
FILLER = {"en": "the and we is of it our for".split(),
          "fr": "le la les et nous est de pour".split(),
          "sw": "na ya wa ni kwa sisi hii yetu".split(),
          "ar": "في من على و نحن هذا إلى مع".split()}


def generate(size: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """(texts, languages): topic words plus function words, 2% from six campaigns."""
    rng = random.Random(seed)
    campaigns = [" ".join(rng.choices(WORDS["en"], k=20)) for _ in range(6)]
    texts, languages = [], []
    for n in range(size):
        language = rng.choice(list(WORDS))
        if n % 50 == 0:
            texts.append(rng.choice(campaigns))
            languages.append("en")
            continue
        topic = rng.randrange(4)
        words = WORDS[language][topic * 4:topic * 4 + 6] + rng.choices(WORDS[language], k=3)
        words = rng.sample(words, rng.randint(4, len(words))) + rng.choices(FILLER[language],
                                                                            k=5)
        rng.shuffle(words)
        texts.append(" ".join(words))
        languages.append(language)
    return texts, languages


def main() -> None:
    """Print the time to find themes in SIZE answers, against the budget."""
    texts, languages = generate(SIZE)
    start = time.perf_counter()
    result = find_themes(texts, languages)
    elapsed = time.perf_counter() - start
    verdict = "within" if elapsed < BUDGET else "OVER"
    print(f"themes: {SIZE:,} answers -> {len(result.themes)} themes, {len(result.campaigns)} "
          f"campaigns in {elapsed:.1f} s ({verdict} the {BUDGET:.0f} s budget)", flush=True)


if __name__ == "__main__":
    main()
