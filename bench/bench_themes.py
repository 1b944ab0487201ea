"""Themes for 100,000 free-text answers (issue 14 budget: under 10 s), campaigns included.

Generated answers in the six shipped languages: topic words in each language's own sentences,
written with that language's real function words (articles, prepositions, pronouns, particles:
"des", "les", "de", "un", "au", "ne"; "أن", "من", "في"; "ya", "kwa"...), as many as real answers
carry, a few words of another language now and then (as people mix them), and copy-paste
campaigns with small changes, so that the work (campaigns, vectorising, stop words, NMF) is that
of real input. The same seed gives the same answers.
"""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from consult.analysis.themes import find_themes  # noqa: E402

SIZE, BUDGET = 100_000, 10.0
#: Per language: four topics (lights, jobs, patrols, corruption) of six words each, then more.
WORDS = {
    "en": "street lights harbour road dark lamps jobs youth training apprentices wages work "
          "police patrol market traders officers night bribe hotline corruption council "
          "complaint officials fear trust safe bus station".split(),
    "fr": "lampadaires éclairage port route sombre rue emplois jeunes formation apprentis "
          "salaire travail police patrouille marché commerçants agents nuit pot-de-vin "
          "signalement corruption conseil plainte fonctionnaires peur confiance sûr gare".split(),
    "es": "farolas alumbrado puerto carretera oscura calle empleos jóvenes formación aprendices "
          "salario trabajo policía patrulla mercado comerciantes agentes noche soborno denuncia "
          "corrupción concejo queja funcionarios miedo confianza seguro estación".split(),
    "pt": "postes iluminação porto estrada escura rua empregos jovens formação aprendizes "
          "salário emprego polícia patrulha mercado comerciantes agentes madrugada suborno "
          "denúncia corrupção câmara queixa funcionários medo confiança seguro paragem".split(),
    "sw": "taa barabara bandari giza mtaa umeme ajira vijana mafunzo wanafunzi mshahara "
          "kibarua polisi doria soko wafanyabiashara askari usiku rushwa ripoti ufisadi baraza "
          "malalamiko maafisa hofu imani salama kituo".split(),
    "ar": "مصابيح إنارة ميناء طريق مظلم شارع وظائف شباب تدريب متدربين رواتب عمل شرطة دورية "
          "سوق تجار عناصر ليلاً رشوة بلاغ فساد مجلس شكوى موظفين خوف ثقة آمن محطة".split(),
}
#: Each language's commonest function words, as real answers use them.
FILLER = {
    "en": "the and we is of it our for to in a that are not be with they at this on".split(),
    "fr": "le la les des de du un une et nous est pour au ne pas que qui dans il sur avec".split(),
    "es": "el la los las de del un una y nosotros es para al no que en por con se lo".split(),
    "pt": "o a os as de do da um uma e nós é para ao não que em por com se mais".split(),
    "sw": "na ya wa za kwa ni katika hii sisi yetu au pia kama lakini kuwa la cha huo".split(),
    "ar": "في من على و نحن هذا إلى مع أن لا هذه التي عن ما أو كان الذي قد ذلك".split(),
}


def _answer(rng: random.Random, language: str) -> str:
    """A few topic words with many function words, sometimes a word of another language."""
    topic = rng.randrange(4)
    words = WORDS[language][topic * 6:topic * 6 + 6] + rng.choices(WORDS[language], k=3)
    words = rng.sample(words, rng.randint(4, len(words))) + \
        rng.choices(FILLER[language], k=rng.randint(5, 9))
    if rng.random() < 0.1:  # code-switching: "des" or "the" in an answer labelled otherwise
        words += rng.choices(FILLER[rng.choice(list(FILLER))], k=2)
    rng.shuffle(words)
    return " ".join(words)


def generate(size: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """(texts, languages): 2% from six campaigns (each copy slightly changed), the rest
    generated answers in the six languages."""
    rng = random.Random(seed)
    letters = [(language, _answer(rng, language) + " " + _answer(rng, language))
               for language in rng.choices(list(WORDS), k=6)]
    texts, languages = [], []
    for n in range(size):
        if n % 50 == 0:
            language, letter = rng.choice(letters)
            texts.append(letter + ("" if rng.random() < 0.5 else f" {rng.randrange(1000)}!"))
            languages.append(language)
            continue
        language = rng.choice(list(WORDS))
        texts.append(_answer(rng, language))
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
    for theme in result.themes:
        print(f"  {theme.size:>6,}  {', '.join(theme.terms)}", flush=True)


if __name__ == "__main__":
    main()
