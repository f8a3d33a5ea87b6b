"""The relevance set: what readers type, and the documents each query must and must not find.

The data alone, read by tests/test_search_relevance.py (our engine on the search page, every
check) and by bench/relevance.py (false hits and misses of our engine and of Pagefind), so
that neither imports the other: a Python module rather than a YAML file, since the cases
share their lists of documents (`SYRIA_IS`, `PALMYRA`) by name and keep their comments.

Two archives: the shipped one (`SHIPPED`: its real documents in English, Spanish and French)
and a synthetic one (`SYNTHETIC`, over tests/fixtures/search-relevance: invented names, so the
search is tried on names no code was written for). A document is named by a fragment of its
file name (a slug, or d01… in the synthetic archive).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus

#: Where the synthetic archive's content lives, from the repository's root.
SYNTHETIC_CONTENT = "tests/fixtures/search-relevance"


@dataclass(frozen=True)
class Case:
    """A query (the search page's address parameters) and what it must show."""

    query: str
    must: tuple[str, ...] = ()  # documents (slug fragments) that must be found
    must_not: tuple[str, ...] = ()  # documents that must not be
    first: tuple[str, ...] = ()  # the first results, in this order
    card: str = ""  # the entity card shown first
    suggest: tuple[str, ...] = ()  # "did you mean" proposals
    total: int | None = None
    marked: bool = True  # every excerpt marks a query word (false if a tag alone can match)
    # words no result may ask its document page to mark (?highlight=): "al" of "al-Assad"
    # would mark every "al" of a Spanish text
    unmarked: tuple[str, ...] = ()


SYRIA_IS = (
    "iraqi-army-liberates",
    "russia-to-increase-protection",
    "syrian-army-defeats-another-isis",
    "russian-frigate-hits",
    "us-led-coalition-colluding",
    "les-islamistes-radicaux",
    "ochenta-mercenarios",
    "empresarios-rusos",
    "zapadores-sirios",
)
PALMYRA = ("us-led-coalition-colluding", "empresarios-rusos", "zapadores-sirios")

KYIV = (
    "protesters-in-donetsk-seize",
    "russia-sends-to-kiev-note",
    "russia-announced-first-prison",
    "hay-crimenes-que-no-prescriben",
    "russias-defense-ministry-hande",
    "en-rusia-se-encuentran-mas",
)
LUHANSK = (
    "russian-humanitarian-convoy-arrives",
    "russia-sends-to-kiev-note",
    "russias-tenth-humanitarian-aid",
    "ucrania-declara-que-20",
    "en-rusia-se-encuentran-mas",
)
GADDAFI = (
    "clerics-funeral-turns",
    "nato-airstrike-kills-19",
    "nato-air-raids-shake-tripoli",
    "libyan-government-accuses-nato",
    "libya-army-stages-attack",
)

SHIPPED = {
    "surovikin": Case(
        "q=Surovikin", must=("us-led-coalition-colluding",), total=1, card="Sergey Surovikin"
    ),
    "palmyra-en": Case("q=Palmyra", must=PALMYRA, card="Palmyra", marked=False),
    "palmyra-es": Case("q=Palmira", must=PALMYRA, card="Palmyra", marked=False),
    "palmyra-fr": Case("q=Palmyre", must=PALMYRA, card="Palmyra", marked=False),
    "daesh": Case("q=Daesh", must=SYRIA_IS, card="Islamic State", marked=False),
    "is-es": Case("q=Estado+Isl%C3%A1mico", must=SYRIA_IS, card="Islamic State", marked=False),
    "is-fr": Case("q=%C3%A9tat+islamique", must=SYRIA_IS, card="Islamic State", marked=False),
    "is-capitals": Case("q=IS", must=SYRIA_IS, card="Islamic State", marked=False),
    "damasco": Case("q=Damasco", must=("jefe-de-la-onu-exige",), card="Damascus", marked=False),
    "rakka": Case(
        "q=Rakka",
        must=("us-led-coalition-colluding", "ochenta-mercenarios"),
        card="Raqqa",
        marked=False,
    ),
    "alepo": Case(
        "q=Alepo",
        must=("syriatel-hill", "les-islamistes-radicaux", "aviacion-rusa"),
        must_not=("us-led-coalition-colluding",),
        card="Aleppo",
        marked=False,
    ),
    # Any spelling finds the texts that use another, tagged or not: the same documents.
    "kyiv": Case("q=Kyiv", must=KYIV, must_not=("russian-humanitarian-convoy",), card="Kyiv"),
    "kiev": Case("q=Kiev", must=KYIV, must_not=("russian-humanitarian-convoy",), card="Kyiv"),
    "luhansk": Case(
        "q=Luhansk", must=LUHANSK, must_not=("protesters-in-donetsk-seize",), card="Luhansk"
    ),
    "qaddafi": Case(
        "q=Qaddafi",
        must=GADDAFI,
        must_not=("74-migrant-bodies", "libya-nato-strikes-civilian"),
        card="Muammar Gaddafi",
        marked=False,
    ),
    # The authors of a document are searched as its title is.
    "byline": Case(
        "q=Leith+Fadel",
        must=("syrian-army-captures-syriatel", "iraqi-army-liberates", "syrian-army-defeats"),
        must_not=("russian-frigate-hits",),
        total=3,
        marked=False,  # the byline is not in the excerpt's text
    ),
    # An ending that names one entity; its short word is a name's only beside the rest.
    "al-assad": Case(
        "q=al-Assad",
        must=("empresarios-rusos", "aviacion-rusa", "achevement-de-la-premiere", "des-armes"),
        # Their texts have "al" (Al-Sharia, al-Aziziya, al Qaeda) and never Assad.
        must_not=("libya-army-stages-attack", "nato-airstrike-kills-19", "suicide-car-bomber"),
        card="Bashar al-Assad",
        unmarked=("al",),
    ),
    # Common words that end a name are not the name: their documents stay found.
    "human-rights": Case(
        "q=human+rights",
        must=("russia-announced-first-prison",),
        must_not=("russian-humanitarian-convoy",),
        total=1,
    ),
    "in-syria": Case(
        "q=in+Syria",
        must=("moscow-says-russian-military", "russian-frigate-hits", "israel-strikes-mezzeh"),
        must_not=("russian-humanitarian-convoy", "nato-airstrike-kills-19"),
        card="Syria",
        marked=False,
    ),
    "lugansk": Case(
        "q=Lugansk", must=("russian-humanitarian-convoy-arrives",), card="Luhansk", marked=False
    ),
    "misspelt": Case("q=Surovkin", total=0, suggest=("Sergey Surovikin", "surovikin")),
    "misspelt-place": Case("q=Palmyrra", total=0, suggest=("Palmyra",)),
    "phrase": Case(
        'q="Islamic+State+group"',
        must=("russian-frigate-hits", "us-led-coalition-colluding"),
        must_not=("iraqi-army-liberates", "ochenta-mercenarios"),
        total=2,
    ),
    "tregua": Case(
        "q=tregua",
        must=("casi-300-combatientes", "ucrania-declara-que-20"),
        must_not=("israel-strikes-mezzeh",),
    ),
    "stems": Case("q=airstrikes", must=("nato-airstrike-kills-19",)),
    # Snowball stems: an inflection no document uses finds the other forms of its stem
    # (operation, operated; informó, informaron; déclaré, déclarée), in each language.
    "stem-en": Case(
        "q=operational",
        must=("nato-to-prolong-operation", "russia-to-increase-protection-of-syria-operations"),
    ),
    "stem-es": Case("q=informar", must=("ucrania-declara-que-20", "periodistas-inspeccionan")),
    "stem-fr": Case(
        "q=d%C3%A9clarations",
        must=("achevement-de-la-premiere", "attaque-meurtriere", "syrie-la-crise"),
    ),
    # Typed without accents: "declaree" stems apart from "déclarée" ("declare", "déclar"),
    # so it finds "déclaré" and "déclare" through the archive's "déclarée".
    "no-accents-fr": Case(
        "q=declaree",
        must=("syrie-la-crise", "achevement-de-la-premiere", "attaque-meurtriere"),
    ),
    "no-accents-es": Case(
        "q=declaracion", must=("zapadores-sirios", "ucrania-declara-que-20", "ochenta-mercenarios")
    ),
    "no-accents-es-plural": Case("q=negociacion", must=("la-onu-advierte-contra-escalada",)),
    # A shared start is not a shared stem: "arm" finds arms and armed, never army alone.
    "prefix-not-stem": Case(
        "q=arm",
        must=("moscow-says-idlib", "russian-frigate-hits", "iraqi-army-liberates"),
        must_not=("syrian-army-defeats-another-isis", "russias-defense-ministry-handed-over"),
    ),
    "syria-within": Case(
        "location=Syria",
        must=(
            "us-led-coalition-colluding",
            "empresarios-rusos",
            "israel-strikes-mezzeh",
            "geneve-2-la-lutte",
        ),
        must_not=("nato-airstrike-kills-19", "protesters-in-donetsk"),
    ),
    "years-or": Case(
        "year=2016&year=2017",
        total=11,
        must=("aviacion-rusa", "russian-frigate-hits"),
        must_not=("nato-airstrike-kills-19",),
    ),
    "years-and-language": Case(
        "year=2016&year=2017&language=Espa%C3%B1ol",
        total=4,
        must=("aviacion-rusa", "zapadores-sirios"),
        must_not=("russian-frigate-hits",),
    ),
    "range-collection": Case(
        "from=2011&to=2011&collection=Libya+War",
        total=6,
        must=("nato-airstrike-kills-19",),
        must_not=("libya-army-stages-attack",),
    ),
    "word-and-place": Case(
        "q=NATO&location=Tripoli",
        total=2,
        must=("nato-airstrike-kills-19", "nato-air-raids-shake"),
        marked=False,
    ),
    "oldest": Case(
        "q=convoy&sort=oldest",
        first=(
            "russia-sends-to-kiev",
            "periodistas-inspeccionan",
            "russian-humanitarian-convoy-arrives",
            "russias-tenth-humanitarian",
        ),
    ),
}

SYNTHETIC = {
    "daesh": Case(
        "q=Daesh",
        must=("d01", "d02", "d03", "d09"),
        must_not=("d10",),
        card="Islamic State",
        total=4,
        marked=False,
    ),
    "is-es": Case(
        "q=estado+islamico",
        must=("d01", "d02", "d03", "d09"),
        total=4,
        card="Islamic State",
        marked=False,
    ),
    "is-fr": Case(
        "q=%C3%89TAT+ISLAMIQUE",
        must=("d01", "d02", "d03", "d09"),
        total=4,
        card="Islamic State",
        marked=False,
    ),
    # Any spelling finds the texts that use another, tagged or not: d12 says "Al-Kessar".
    "alias": Case(
        "q=Qessar",
        must=("d01", "d02", "d03", "d12"),
        total=4,
        card="Kessar",
        marked=False,
    ),
    "name-in-text": Case(
        "q=Kessar", must=("d01", "d02", "d03", "d12"), card="Kessar", marked=False
    ),
    "misspelt": Case("q=Kesar", total=0, suggest=("Kessar",)),
    "misspelt-word": Case("q=sheling", total=0, suggest=("shelling",)),
    "person": Case(
        "q=Mirela+Okonkwo", must=("d06", "d07"), total=2, card="Mirela Okonkwo", marked=False
    ),
    "surname": Case("q=Okonkwo", must=("d06",)),
    "actor-es": Case(
        "q=Brigada+Zorvath", must=("d06", "d07"), total=2, card="Zorvath Brigade", marked=False
    ),
    "actor-fr-hyphen": Case(
        "q=croissant+rouge", must=("d04", "d05"), total=2, card="Red Crescent", marked=False
    ),
    "province-fr": Case(
        "q=Province+du+Nord",
        must=("d01", "d02", "d03", "d06", "d07"),
        must_not=("d04", "d11"),
        total=5,
        card="Northern Province",
        marked=False,
    ),
    "country-within": Case(
        "location=Veloria",
        must=("d01", "d02", "d03", "d04", "d05", "d06", "d07", "d11", "d12", "d13"),
        must_not=("d08", "d09", "d10", "d14"),
        total=10,
    ),
    "phrase": Case('q="Islamic+State+group"', must=("d09",), must_not=("d10", "d01"), total=1),
    # A name counts only whole: d10's "state", "islamic" and "group" are apart.
    "entity-and-word": Case(
        "q=Islamic+State+group",
        first=("d09",),
        must_not=("d02", "d10"),
        total=1,
        marked=False,
    ),
    "tregua": Case("q=tregua", must=("d02", "d05"), must_not=("d04", "d07"), total=2),
    "treve": Case("q=tr%C3%AAve", must=("d07", "d14"), total=2),
    "stems": Case("q=attack", must=("d06", "d11"), must_not=("d03",), total=2),
    "years-or": Case("year=2016&year=2017", must=("d03", "d04", "d05"), total=3),
    "years-and-language": Case("year=2016&year=2017&language=Espa%C3%B1ol", must=("d05",), total=1),
    "range": Case("from=2012&to=2013", must=("d08", "d09", "d10"), total=3),
    "facets-and-order": Case(
        "q=convoy&location=Veloria&sort=oldest", first=("d04", "d11"), total=2
    ),
    "place-alias": Case(
        "q=Lisk", must=("d08", "d09", "d14"), total=3, card="Port Lisk", marked=False
    ),
    "hyphenated": Case("q=al-Hamam", must=("d13",), total=1),
    # All ten tagged within Veloria score alike: the page's language (English) comes first.
    "merge-rule": Case(
        "q=Veloria",
        first=("d11", "d13", "d06", "d04", "d01", "d12"),
        total=10,
        card="Veloria",
        marked=False,
    ),
    "no-false-hits": Case("q=market+water", total=0),
    # Arabic (d15, language: ar): the alias "هيئة الإغاثة" asked for without its hamza and
    # with ه for its ة, or with vowel signs and tatweel; words of the document asked for in
    # other forms ("المخيمات" the camps → "مخيم" camp, "النازحة" → "نازحين" displaced).
    "arabic-alias": Case(
        "q=" + quote_plus("هيئه الاغاثه"),
        must=("d15",),
        total=1,
        card="Relief Authority",
        marked=False,
    ),
    "arabic-alias-vowelled": Case(
        "q=" + quote_plus("هَيْئَةُ الإِغـاثَةِ"),
        must=("d15",),
        total=1,
        card="Relief Authority",
        marked=False,
    ),
    "arabic-stem": Case("q=" + quote_plus("مخيم"), must=("d15",), total=1),
    "arabic-stem-plural": Case("q=" + quote_plus("نازحين"), must=("d15",), total=1),
}
