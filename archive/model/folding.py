"""How names and words are compared: the one place that folds accents, case and dashes.

Editors, sources and readers spell the same name differently: "Alep" and "Alép", "Ar-Raqqah"
and "Ar‑Raqqah", "DAESH" and "Daesh". Registries, the importer and the search index all
compare through these functions, so a spelling that matches in one matches in all.
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

#: Dash and hyphen variants, mapped to an ASCII hyphen.
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
#: Every combining mark (accents and the like), for str.translate to delete in one pass.
_MARKS = dict.fromkeys(c for c in range(0x30000) if unicodedata.combining(chr(c)))


def strip_accents(text: str) -> str:
    """The text without accents or other combining marks ("Alép" -> "Alep")."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_MARKS)


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
