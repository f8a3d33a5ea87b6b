"""How names and words are compared: the one place that folds accents, case and dashes.

Editors, sources and readers spell the same name differently: "Alep" and "Alép", "Ar-Raqqah"
and "Ar‑Raqqah", "DAESH" and "Daesh". Registries, the importer and the search index all
compare through these functions, so a spelling that matches in one matches in all.
"""

from __future__ import annotations

import itertools
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

#: Dash and hyphen variants, mapped to an ASCII hyphen.
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
#: Arabic letters written one way by some hands and another by others, each mapped to the
#: form compared (see strip_accents): tatweel dropped, alef wasla as alef, alef maqsura as
#: ya, ta marbuta as ha, Arabic-Indic digits as ASCII ones. highlight.js::ARABIC is the same.
ARABIC = {
    0x0640: None,  # ـ tatweel (kashida), a stretch of the line, not a letter
    0x0671: "\u0627",  # ٱ alef wasla -> ا
    0x0649: "\u064a",  # ى alef maqsura -> ي
    0x0629: "\u0647",  # ة ta marbuta -> ه
    **{0x0660 + digit: str(digit) for digit in range(10)},  # ٠١٢…٩ -> 0 1 2 … 9
}
#: Every mark (Unicode's categories Mn, Mc, Me, highlight.js's /\p{M}/: accents, Arabic
#: vowel signs, shadda, sukun, superscript alef...), deleted, and the Arabic letters above,
#: mapped, by str.translate in one pass. Unicode assigns marks in planes 0, 1 and 14 only.
_FOLD = {
    **dict.fromkeys(
        code
        for code in itertools.chain(range(0x20000), range(0xE0000, 0xF0000))
        if unicodedata.category(chr(code)).startswith("M")
    ),
    **ARABIC,
}


def strip_accents(text: str) -> str:
    """The text without accents or other marks ("Alép" -> "Alep"), Arabic written plainly.

    The text is decomposed (NFKD) and its marks dropped: accents, and in Arabic the harakat,
    tanwin, shadda, sukun and superscript alef; the hamza and madda on an alef (أ إ آ), on a
    waw (ؤ) and on a ya (ئ) too, which leaves the bare letter (ا, و, ي); presentation forms
    (ﻻ, ﺔ) become the letters they draw. Then, as Arabic readers and search engines compare
    (Lucene's ArabicNormalizer, Larkey's light stemmers): tatweel goes, alef wasla ٱ is
    alef, alef maqsura ى is ya ي, ta marbuta ة is ha ه ("دولة" and "دوله" match), and
    Arabic-Indic digits are ASCII ones.

    Snowball's Arabic stemmer (stemmers.js), through which words of an Arabic document are
    also compared, agrees: it drops the vowel signs, shadda, sukun and tatweel, writes those
    digits and presentation forms so, and in the stem a hamza's seat as the bare letter (a
    final one as ء) and a final ى as ي where no other ending goes. It does not fold ة into
    ه but removes it, as the feminine ending, from words long enough ("دولة" and "دوله" both
    give "دول"); its stems are folded by this same function before they are compared, so
    the two spellings meet either way. Like everyone folding ة into ه, this also joins words
    that differ only there ("كتابة" writing, "كتابه" his book): a reader finds both, which
    costs less than missing the one a source spelt otherwise.
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_FOLD)


def folded(text: str) -> str:
    """How names and texts are compared: case, accents, dash variants and spacing ignored."""
    return " ".join(strip_accents(text.translate(DASHES)).casefold().split())


@lru_cache(maxsize=65536)
def match_key(name: str) -> str:
    """A name's folded form, kept: the same names are compared again and again."""
    return folded(name)


#: How alike (difflib's ratio of folded spellings) a name must be to be suggested: below
#: this, "did you mean" misleads more than it helps ('Moscou' is not 'Damascus').
SIMILAR = 0.75


def closest(wanted: str, spellings: dict[str, str], limit: int = 3) -> list[str]:
    """The canonical names whose spellings are closest to `wanted`, best first.

    `spellings` maps every spelling (name, alias, name in another language) to its canonical
    name, so a Spanish or French spelling suggests the entry it belongs to. A one-word query
    is also compared with each word of a longer spelling ('Surovkin' → 'Sergey Surovikin').
    """
    key = match_key(wanted)
    scored: dict[str, float] = {}
    for spelling, canonical in spellings.items():
        folded = match_key(spelling)
        parts = [folded] + (folded.split() if " " not in key else [])
        score = max(SequenceMatcher(None, key, part).ratio() for part in parts)
        if score >= SIMILAR and score > scored.get(canonical, 0):
            scored[canonical] = score
    return sorted(scored, key=lambda name: (-scored[name], name))[:limit]
