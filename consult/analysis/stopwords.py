"""Function words of the shipped languages, and the folding a word goes through before it is
counted or compared with them.

The lists are stopwords-iso's (the `stopwordsiso` package, MIT licence), the one maintained
collection that covers all six shipped languages, Swahili included. They are used as one set:
people mix languages and a declared language is sometimes wrong, so a French "des" in an
answer labelled English is as empty as in a French one. Two small, explicit corrections:
- KEEP: stopwords-iso merges several sources, some of which list ordinary content words
  ("work", "young", "year", "trabajo", "empleo", "noite", "conselho"). Those that name what
  consultations are about stay terms. A word that is a function word in one shipped language
  stays a stop word even if it means something in another ("car", "son"): the union decides.
- EXTRA: the Swahili list (74 words) lacks common demonstratives, possessives and particles
  ("hii", "yetu", "au", "si"), French elisions leave stems such as "lorsqu", and a few modal
  verbs and conjunctions are missing where other languages' lists have theirs ("must",
  "debe" are listed; "faut", "lazima", "يجب", "لأن", "kwa sababu" are not).
What the lists miss beyond that, the per-language frequency rule of themes.py removes.

Arabic is folded before counting, as Lucene's ArabicNormalizer and the light stemmers of
Larkey, Ballesteros & Connell (2002) do: diacritics (harakat U+064B-U+0652, superscript alef
U+0670, and the combining maddah and hamzas U+0653-U+0655 of decomposed text) and tatweel U+0640
are removed; alef forms أ إ آ ٱ become ا; alef maqsura ى becomes ya ي and ta marbuta ة becomes
ha ه. People type these pairs interchangeably (ى for final ي, ه for ة), so without folding one
word counts as two and neither reaches a theme; the rare words the folding merges (على "on"
and the name علي) cost less than the answers it joins. Words shown keep the spelling people
wrote most often (themes.py); only counting uses the folded form.
"""
import unicodedata
from functools import lru_cache

#: The languages Consult ships in (translations/): their function words apply to every text.
SHIPPED = ("en", "fr", "es", "pt", "ar", "sw")

#: Content words the lists include that stay terms (see the module docstring).
KEEP = frozenset("""
work works worked working young younger youngest year years home fire free information
problem problems system research room rooms world bill state states group groups member
members men man date open
trabajo trabajar trabaja trabajan trabajamos empleo emplear emplean tiempo mayor país pais
horas días dias dia valor
trabalho trabalhar noite conselho povo pessoas sistema local obra tempo grupo área meses ano
anos caminho viagem
muda sauti
""".split())

#: Function words the lists lack (see the module docstring).
EXTRA = frozenset("""
hii hizi huu hao hili hilo hizo hayo haya ile ule hapa pale huko sisi wewe nyinyi ninyi yetu
wetu letu zetu chetu vyetu langu wangu zangu changu yako wako lako zako yenu wenu zao vya
vyake si au ama ila ambao ambayo ambapo ambaye kuna hakuna bado mpaka kabla yote zote vyote
lazima sababu
lorsqu puisqu quelqu presqu quoiqu faut
يجب لأن
""".split())

#: Removed from Arabic: harakat, superscript alef, combining maddah and hamzas, tatweel.
_ARABIC_MARKS = [*range(0x064B, 0x0656), 0x0670, 0x0640]
#: Letters written interchangeably, folded to one (same length: positions stay the same).
_ARABIC_LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}
_STRIP_MARKS = dict.fromkeys(_ARABIC_MARKS)
_FOLD_LETTERS = str.maketrans(_ARABIC_LETTERS)


def strip_marks(text: str) -> str:
    """Lower case, Arabic diacritics and tatweel removed: the spelling shown to people."""
    return text.lower().translate(_STRIP_MARKS)


def fold_letters(text: str) -> str:
    """Arabic alef forms, alef maqsura and ta marbuta folded, one letter for one letter (so a
    word keeps its place and length in the text)."""
    return text.translate(_FOLD_LETTERS)


def fold(word: str) -> str:
    """A word as it is counted: lower case, Arabic diacritics removed and letters folded."""
    return fold_letters(strip_marks(word))


def without_accents(text: str) -> str:
    """Latin accents folded away (é -> e); Arabic letters are left whole by fold() first."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The function words of every shipped language, folded, also without their accents
    (people often type "despues", "tambem")."""
    from stopwordsiso import stopwords

    listed = {fold(w) for w in stopwords(list(SHIPPED)) | EXTRA}
    listed |= {without_accents(w) for w in listed}
    kept = {fold(w) for w in KEEP}
    return frozenset(w for w in listed if w not in kept)


def is_stop_word(word: str) -> bool:
    """Whether a word is a function word in any shipped language (after folding)."""
    return fold(word) in stop_words()
