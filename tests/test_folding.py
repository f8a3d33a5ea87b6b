"""Names and words are folded alike in Python and in the browser, Arabic as its readers expect.

archive/model/folding.py::strip_accents (through plugins/search/offline.py::fold and
::tokens: the index's chunks, entity spellings, registries' comparisons) and
theme/static/js/highlight.js's `fold` and `tokens` (queries, marks) must give the same
answers, or a name found by one side is missed by the other. highlight.js runs under Node
(tests/folding.mjs) on a shared list: Arabic written every way it is (vowel signs, shadda,
tatweel, hamza forms, alef maqsura, ta marbuta, presentation forms, Arabic-Indic digits),
accents and ligatures of other scripts, and every word of the shipped registries.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, node_answers

from archive.model.folding import folded, strip_accents
from plugins.search import offline

NODE_FOLDING = ROOT / "tests" / "folding.mjs"

#: (as written, folded): what an Arabic reader takes for the same word.
ARABIC = [
    ("أَحْمَد", "احمد"),  # fatha, sukun; alef with hamza above
    ("إسلام", "اسلام"),  # hamza below
    ("آمن", "امن"),  # madda
    ("ٱلله", "الله"),  # alef wasla
    ("اللّٰه", "الله"),  # shadda, superscript alef
    ("كِتَابٌ", "كتاب"),  # kasra, dammatan
    ("شكراً", "شكرا"),  # fathatan
    ("مصطفى", "مصطفي"),  # alef maqsura
    ("دولة", "دوله"),  # ta marbuta
    ("ﺩﻭﻟﺔ", "دوله"),  # presentation forms
    ("ﻻ", "لا"),  # lam-alef ligature
    ("داعـــش", "داعش"),  # tatweel
    ("مؤتمر", "موتمر"),  # hamza on waw
    ("سائل", "سايل"),  # hamza on ya
    ("٢٠١٦", "2016"),  # Arabic-Indic digits
    ("طرابلس", "طرابلس"),
]
#: Words of other scripts, with what strip_accents has always done to them.
OTHERS = [
    "Alép",
    "e\u0301te\u0301",
    "ﬁnance",
    "ΟΔΟΣ",
    "İstanbul",
    "½",
    "Ålesund",
    "Ar\u2011Raqqah",
    "Şam",
    "Ñuñoa",
    "हिंदी",
    "ไทย",
    "שָׁלוֹם",
    "Мосул",
    "۱۲۳",
]


def registry_words() -> list[str]:
    """Every word of every name and alias of the shipped registries."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.update(offline.words(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("description", "descriptions"):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((ROOT / "content" / "registry").glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(found)


def node(operation: str, lines: list[str]) -> list:
    """highlight.js's `operation` ("fold" or "tokens") of each line, run under Node."""
    return node_answers(NODE_FOLDING, operation, lines=lines)


@pytest.mark.parametrize(("written", "expected"), ARABIC)
def test_arabic_is_folded_as_its_readers_compare(written, expected):
    assert offline.fold(written) == expected
    assert folded(written) == expected


def test_python_and_the_browser_fold_every_word_alike():
    words = [written for written, _ in ARABIC] + OTHERS + registry_words()
    assert len(words) > 500
    assert node("fold", words) == [offline.fold(word) for word in words]


def test_python_and_the_browser_cut_and_fold_texts_alike():
    texts = [
        "الدَّوْلَة الإسْلامِيَّة ـ داعش",
        "ـــ",
        "في ٢٠١٦ قصفت طائراتٌ مستشفى",
        "Ålesund, al-Hamam's 19 KM: e\u0301te\u0301, ﬁnance",
    ]
    assert node("tokens", texts) == [offline.tokens(text) for text in texts]


def test_a_lone_tatweel_is_no_word_to_search():
    assert offline.tokens("ـ") == []
    assert strip_accents("ـ") == ""
