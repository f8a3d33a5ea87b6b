"""Actors, locations and publishers: curated registries of names.

Each has aliases and a type; places also have a hierarchy.

Documents may name a term by any alias ("ISIL", "Daesh", "Ar-Raqqah"); `TermRegistry.resolve`
maps it to the one canonical entry, so a reader finds everything about an actor or a place on
one page whatever spelling each source used. Both taxonomies share this code; they differ only
in their `TermKind` (which types exist, whether entries have a parent and coordinates).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from urllib.parse import urlsplit

from pyuca import Collator

from archive.model.folding import closest, match_key
from archive.model.problems import Problem, unknown_fields
from archive.model.sourcefile import Located

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Names Windows refuses for a file, whatever follows their first dot.
WINDOWS_RESERVED = re.compile(
    r"^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$",
    re.IGNORECASE,
)


def windows_reserved(name: str) -> bool:
    """Whether Windows refuses a file of this name (`con`, `aux.html`, `LPT1.md`, `nul `…).

    Windows ignores what follows the first dot, and trailing spaces and dots, in this test.
    """
    return bool(WINDOWS_RESERVED.match(name.split(".")[0].rstrip(" .")))


WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")

_collator = Collator()


@lru_cache(maxsize=65536)
def collation_key(name: str) -> tuple:
    """Sort names as a reader expects (Unicode Collation Algorithm): al-Hamam, Ålesund, Zabadani.

    Cached: the pure-Python collator is slow and the same few hundred names sort again and again.
    """
    return _collator.sort_key(name), name


#: Letters of an interface language's alphabet that the Unicode Collation Algorithm's default
#: order (`collation_key`) takes for an accented letter, each with the letter it follows
#: (CLDR's tailorings): Spanish ñ is a letter of its own, after n. English and French need
#: none (CLDR tailors French only for Canada, whose accents sort backwards).
OWN_LETTERS = {"es": {"ñ": "n"}}


@cache
def _tailored_collator(language: str) -> Collator | None:
    """A collator that sorts `language`'s own letters (OWN_LETTERS) as letters of their own.

    Relies on pyuca 1.x: `Collator.table.add(code points, collation elements)` replaces the
    entry of a decomposed letter (n + combining tilde), and `collation_elements(text)` gives
    a letter's [primary, secondary, tertiary] weights. The own letter takes a primary weight
    between its letter's and the next letter's (a float: pyuca only compares weights), and
    keeps its letter's case weight. `tests/test_taxonomies.py` checks Spanish ñ sorts so.
    """
    letters = OWN_LETTERS.get(language)
    if not letters:
        return None
    collator = Collator()
    for letter, after in letters.items():
        (following, *_), *_ = collator.collation_elements(chr(ord(after) + 1))
        for own, base in ((letter, after), (letter.upper(), after.upper())):
            ((_, secondary, tertiary),) = collator.collation_elements(base)
            decomposed = [ord(c) for c in unicodedata.normalize("NFD", own)]
            collator.table.add(decomposed, [[following - 0.5, secondary, tertiary]])
    return collator


@lru_cache(maxsize=65536)
def collation_key_in(name: str, language: str) -> tuple:
    """Sort names as readers of `language` expect: `collation_key`, with their own letters."""
    collator = _tailored_collator(language)
    return collation_key(name) if collator is None else (collator.sort_key(name), name)


def heading_in(name: str, language: str) -> str:
    """The A–Z heading a name is listed under in `language`: its first letter.

    Accents and case are ignored ("État" under E), but a letter of the language's own
    (OWN_LETTERS) has its heading (Spanish "Ñuñoa" under Ñ).
    """
    first = unicodedata.normalize("NFC", name.strip()[:2])[:1].lower()
    if first in OWN_LETTERS.get(language, {}):
        return first.upper()
    return match_key(name)[:1].upper() or "#"


@dataclass(frozen=True)
class TermKind:
    """What distinguishes one taxonomy from another: its name, file and allowed types."""

    name: str  # singular, e.g. "actor"
    plural: str  # e.g. "actors"; also the registry file's and the output folder's name
    types: tuple[str, ...]
    hierarchical: bool = False
    #: Whether entries may give the organisation's own web address (`homepage:`).
    homepage: bool = False

    @property
    def registry_file(self) -> str:
        """The registry file of this kind, under content/registry/."""
        return f"{self.plural}.yml"


ACTORS = TermKind(
    "actor",
    "actors",
    types=(
        "state body",
        "armed forces",
        "armed group",
        "international coalition",
        "international organisation",
        "non-governmental organisation",
        "person",
        "community",
        "media",
        "company",
        "other",
    ),
)
LOCATIONS = TermKind(
    "location",
    "locations",
    types=(
        "country",
        "governorate",
        "district",
        "region",
        "city",
        "town",
        "village",
        "border area",
        "border crossing",
        "site",
        "other",
    ),
    hierarchical=True,
)
#: Who publishes what the archive holds: the original publishers (wires, newspapers,
#: ministries) and the intermediaries that republished a document before this archive did.
#: One entry groups the spellings sources print ("Itar Tass", "ITAR-TASS", "TASS"); pages and
#: citations keep the name as the source printed it.
PUBLISHERS = TermKind(
    "publisher",
    "publishers",
    types=(
        "news agency",
        "newspaper",
        "broadcaster",
        "news website",
        "state body",
        "international organisation",
        "non-governmental organisation",
        "other",
    ),
    homepage=True,
)
#: Every kind of term registry, in the order the registries are read.
TERM_KINDS = (ACTORS, LOCATIONS, PUBLISHERS)


@dataclass(frozen=True)
class Term:
    """One curated actor or location."""

    kind: str
    slug: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str = ""
    parent: str = ""
    coordinates: tuple[float, float] | None = None
    #: Display names in other languages, as (language code, name) pairs.
    names: tuple[tuple[str, str], ...] = ()
    #: The organisation's own web address (publishers only).
    homepage: str = ""
    #: `description` in other languages, as (language code, text) pairs.
    descriptions: tuple[tuple[str, str], ...] = ()

    def name_in(self, language: str) -> str:
        """The name readers of `language` know it by, else the registry's `name`.

        A language without a name of its own (Reuters, Raqqa) writes it as `name` does: an
        entry needs no copies of a name that is the same in every language.
        """
        for code, name in reversed(self.names):  # as dict(self.names) would: the last wins
            if code == language:
                return name
        return self.name

    def description_in(self, language: str) -> tuple[str, str | None]:
        """(`description` for readers of `language`, the code of that text's language).

        The code is None for the registry's own `description` (the archive's default
        language): templates mark that text with it where the reader's language differs.
        """
        return described_in(self.description, self.descriptions, language)

    @property
    def wikidata_url(self) -> str:
        """The Wikidata page of the term, if it has a Q-id."""
        return f"https://www.wikidata.org/wiki/{self.wikidata}" if self.wikidata else ""


@dataclass
class TermRegistry:
    """All terms of one kind, indexed by every name and alias."""

    kind: TermKind
    terms: dict[str, Term] = field(default_factory=dict)
    index: dict[str, str] = field(default_factory=dict)  # match_key -> slug

    def resolve(self, name: str) -> Term | None:
        """The canonical term a name or alias stands for, or None."""
        slug = self.index.get(match_key(name))
        return self.terms[slug] if slug else None

    def suggestions(self, name: str, limit: int = 3) -> list[str]:
        """Canonical names whose name, aliases or names in other languages are close to `name`."""
        spellings = {
            spelling: term.name
            for term in self.terms.values()
            for spelling in (term.name, *term.aliases, *(n for _, n in term.names))
        }
        return closest(name, spellings, limit)

    def ancestors(self, slug: str) -> list[Term]:
        """Parents of a term from the nearest up (Tadia -> Raqqa Governorate -> Syria)."""
        chain = []
        parent = self.terms[slug].parent
        while parent:
            chain.append(self.terms[parent])
            parent = self.terms[parent].parent
        return chain


class _Claims:
    """Which entry each name or alias belongs to: a spelling may belong to one entry only."""

    def __init__(self, display: str, problems: list[Problem]):
        self.display, self.problems = display, problems
        self.claimed: dict[str, tuple[str, str]] = {}  # match_key -> (slug, the spelling)

    def claim(self, spelling: str, slug: str, line: int | None) -> None:
        key = match_key(spelling)
        if key in self.claimed and self.claimed[key][0] != slug:
            other_slug, other = self.claimed[key]
            self.problems.append(
                Problem(
                    self.display,
                    line,
                    f"{spelling!r} of entry {slug!r} is already claimed by entry "
                    f"{other_slug!r} (as {other!r})",
                    "a name or alias may belong to one entry only",
                )
            )
        else:
            self.claimed[key] = (slug, spelling)

    def index(self) -> dict[str, str]:
        """match_key -> slug, for TermRegistry.resolve."""
        return {key: slug for key, (slug, _) in self.claimed.items()}


def load_terms(kind: TermKind, located: Located, display: str) -> tuple[TermRegistry, list]:
    """Build a registry from its YAML, checking names, aliases, types and the hierarchy."""
    registry = TermRegistry(kind)
    problems: list[Problem] = []
    data = located.value or {}
    if not isinstance(data, dict):
        return registry, [
            Problem(
                display,
                1,
                "a registry must be made of 'slug:' entries, each with its fields indented",
                "see the other entries in this file for the layout",
            )
        ]
    claims = _Claims(display, problems)
    for slug, entry in data.items():
        term = _term(kind, str(slug), entry, located, display, problems)
        if term is None:
            continue
        line = located.line(slug)
        claims.claim(term.slug, term.slug, line)
        claims.claim(term.name, term.slug, line)
        for index, alias in enumerate(term.aliases):
            claims.claim(alias, term.slug, located.line(slug, "aliases", index))
        for language, name in term.names:  # a name in another language is also an alias
            claims.claim(name, term.slug, located.line(slug, "names", language))
        registry.terms[term.slug] = term
    registry.index = claims.index()
    problems.extend(_hierarchy_problems(registry, located, display))
    return registry, problems


def _term(
    kind: TermKind, slug: str, entry, located: Located, display: str, problems: list[Problem]
) -> Term | None:
    """One entry as a Term, its problems appended to `problems` (None if it has no name)."""
    line = located.line(slug)
    problems.extend(address_problems(display, line, slug, "slug"))
    if not isinstance(entry, dict):
        problems.append(
            Problem(
                display,
                line,
                f"entry {slug!r} has no fields",
                "indent 'name:' and 'type:' under the slug",
            )
        )
        return None
    allowed = {"name", "names", "type", "aliases", "description", "descriptions", "wikidata"}
    if kind.hierarchical:
        allowed |= {"parent", "coordinates"}
    if kind.homepage:
        allowed.add("homepage")
    problems.extend(unknown_fields(entry, sorted(allowed), display, slug, located.line))
    canonical = entry.get("name")
    if not isinstance(canonical, str) or not canonical.strip():
        problems.append(Problem(display, line, f"entry {slug!r} needs a 'name:'"))
        return None

    def problem(field_name: str, message: str, hint: str = "") -> None:
        problems.append(Problem(display, located.line(slug, field_name), message, hint))

    term_type = entry.get("type")
    if term_type not in kind.types:
        problem(
            "type",
            f"entry {slug!r} has type {term_type!r}, which is not a known {kind.name} type",
            "use one of: " + ", ".join(kind.types),
        )
    aliases = entry.get("aliases") or []
    if isinstance(aliases, str) or not isinstance(aliases, list):
        problem(
            "aliases",
            f"'aliases' of entry {slug!r} must be a list",
            "write each alias on its own line after '- '",
        )
        aliases = []
    wikidata = str(entry.get("wikidata") or "").strip()
    if wikidata and not WIKIDATA.match(wikidata):
        problem("wikidata", f"'wikidata' of entry {slug!r} must be a Q-id like Q858")
    coordinates = entry.get("coordinates")
    if coordinates is not None and not _valid_coordinates(coordinates):
        problem(
            "coordinates",
            f"'coordinates' of entry {slug!r} must be [latitude, longitude]",
            "write e.g. [35.95, 39.01] (decimal degrees, north and east positive)",
        )
        coordinates = None
    names = localized_names(
        entry.get("names"), lambda message, hint: problem("names", message, hint)
    )
    descriptions = localized_names(
        entry.get("descriptions"),
        lambda message, hint: problem("descriptions", message, hint),
        "descriptions",
    )
    return Term(
        kind=kind.name,
        slug=slug,
        name=canonical.strip(),
        type=str(term_type),
        aliases=tuple(str(a).strip() for a in aliases if str(a).strip()),
        description=str(entry.get("description") or "").strip(),
        wikidata=wikidata,
        parent=str(entry.get("parent") or "").strip(),
        coordinates=tuple(coordinates) if coordinates else None,
        names=names,
        homepage=_homepage(slug, entry, problem),
        descriptions=descriptions,
    )


def _homepage(slug: str, entry: dict, problem) -> str:
    """An entry's `homepage:`, if it is a web address (else reported through `problem`)."""
    homepage = str(entry.get("homepage") or "").strip()
    if homepage and not web_address(homepage):
        problem(
            "homepage",
            f"'homepage' of entry {slug!r} is not a web address ({homepage!r})",
            "give the full address starting with https:// or http://",
        )
        return ""
    return homepage


def web_address(url: str) -> bool:
    """Whether `url` is an http(s) address with a host, as every address the archive links is."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


#: Each field holding one text per language, with the example its problems show.
LOCALIZED_FIELDS = {
    "names": ("name", "es: Estado Islámico"),
    "descriptions": ("description", "es: La organización intergubernamental de los Estados."),
    "labels": ("label", "es: Uso legítimo (17 U.S.C. § 107)"),
    "texts": ("text", "es: Conforme al título 17 U.S.C., sección 107, …"),
}


def localized_names(value, problem, field_name: str = "names") -> tuple[tuple[str, str], ...]:
    """Check an entry's `names: {es: …, fr: …}` (or `descriptions:`); report via `problem`.

    `problem(message, hint)` is called for each wrong line; the texts are returned sorted
    by language code, one per language.
    """
    if value is None:
        return ()
    singular, example = LOCALIZED_FIELDS[field_name]
    hint = f"write one line per language under '{field_name}:', e.g. '  {example}'"
    if not isinstance(value, dict):
        problem(f"'{field_name}' must list one {singular} per language code", hint)
        return ()
    texts = []
    for language, text in value.items():
        if not (isinstance(language, str) and LANGUAGE.match(language)):
            problem(
                f"{language!r} under '{field_name}' is not a language code", "use e.g. es, fr, ar"
            )
        elif not isinstance(text, str) or not text.strip():
            problem(f"the {language!r} {singular} under '{field_name}' must be a text", hint)
        else:
            texts.append((language, text.strip()))
    return tuple(sorted(texts))


def described_in(
    own: str, translations: tuple[tuple[str, str], ...], language: str
) -> tuple[str, str | None]:
    """A registry text for readers of `language`: its translation, else the registry's own.

    Returns (text, code of the translation's language, or None for the registry's own).
    """
    for code, text in translations:
        if code == language:
            return text, code
    return own, None


#: The name of each registry's overview page (actors/index.html): no entry's address.
OVERVIEW = "index"


def reserved_address(slug: str) -> str:
    """Why a registry entry cannot have this slug although it is well formed, or ""."""
    if slug == OVERVIEW:
        return "is the address of the overview page of its registry"
    if windows_reserved(slug):
        return "is a name Windows cannot store as a file (a copy of the site on a USB stick fails)"
    return ""


def address_problems(display: str, line: int | None, value: str, what: str) -> list[Problem]:
    """A registry key that cannot be a page's address (`what`: "slug", "collection key")."""
    if not SLUG.match(value):
        return [
            Problem(
                display,
                line,
                f"{what} {value!r} is not a valid address",
                "use lowercase ASCII letters, digits and single hyphens, e.g. syria-war; "
                "it is the page's address, so never change it",
            )
        ]
    reserved = reserved_address(value)
    if reserved:
        return [Problem(display, line, f"{what} {value!r} {reserved}", f"use e.g. {value}-entry")]
    return []


def _valid_coordinates(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        and -90 <= value[0] <= 90
        and -180 <= value[1] <= 180
    )


def _hierarchy_problems(registry: TermRegistry, located: Located, display: str) -> list[Problem]:
    """Every parent must exist, and following parents must never come back to an entry.

    A loop is reported once, on the entries in it, not on every place below it.
    """
    problems = []
    for slug, term in registry.terms.items():
        if term.parent and term.parent not in registry.terms:
            problems.append(
                Problem(
                    display,
                    located.line(slug, "parent"),
                    f"entry {slug!r} names parent {term.parent!r}, which is not an entry",
                    "use the slug of an existing entry",
                )
            )
    reported: set[str] = set()
    for slug in registry.terms:
        chain, current = [], slug
        while current in registry.terms and current not in chain and current not in reported:
            chain.append(current)
            current = registry.terms[current].parent
        if current in chain:  # came back to an entry of this chain: the loop is its tail
            loop = chain[chain.index(current) :]
            reported.update(loop)
            problems.append(
                Problem(
                    display,
                    located.line(loop[0], "parent"),
                    f"the places {' → '.join(loop + [loop[0]])} contain each other in a loop",
                    "fix the 'parent:' lines so that each place is inside a larger one",
                )
            )
        reported.update(chain)
    return problems + _depth_problems(registry, located, display, reported)


#: The most places one place may be within (a town in a district in a province in a country
#: is 3): deeper is a typo in 'parent:' lines, and every page, map and search filter that
#: walks a place's ancestors or descendants would walk them all.
MAX_DEPTH = 16


def _depth_problems(registry, located: Located, display: str, checked: set[str]) -> list[Problem]:
    """Entries more than MAX_DEPTH places deep: reported once per chain, where it goes over."""
    depth: dict[str, int] = {}
    problems = []
    for slug in registry.terms:
        chain, current = [], slug
        while current in registry.terms and current not in depth and current not in chain:
            chain.append(current)
            current = registry.terms[current].parent
        below = depth.get(current, -1) if current in registry.terms else -1
        for entry in reversed(chain):
            below = depth[entry] = below + 1
            if below == MAX_DEPTH + 1 and entry in checked:
                problems.append(
                    Problem(
                        display,
                        located.line(entry, "parent"),
                        f"entry {entry!r} is inside {below} places, one inside the other; a "
                        f"place is within {MAX_DEPTH} others at most",
                        "check the 'parent:' lines: each names the larger place that contains "
                        "the entry (a town's parent is its district or province, not a "
                        "neighbouring town)",
                    )
                )
    return problems
