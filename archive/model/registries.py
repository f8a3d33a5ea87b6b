"""The curated registries under content/registry/.

Collections, rights, actors, locations and publishers.

Editors change a collection's name, a rights notice's wording or an actor's aliases here,
once, and every document that names the entry follows.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from archive.model.folding import closest, match_key
from archive.model.problems import WARNING, ArchiveError, Problem, unknown_fields
from archive.model.sourcefile import Located, read_yaml_file
from archive.model.terms import (
    TERM_KINDS,
    TermRegistry,
    address_problems,
    described_in,
    load_terms,
    localized_names,
    web_address,
)

REGISTRY_DIR = "registry"
#: The registry files the archive reads, under REGISTRY_DIR.
REGISTRY_FILES = (
    "collections.yml",
    "rights.yml",
    "actors.yml",
    "locations.yml",
    "publishers.yml",
)


@dataclass(frozen=True)
class Collection:
    """A named set of documents, e.g. one conflict ("Syria War").

    Sources name one conflict in several ways ("Syria War", "War in Syria"): the others are
    its aliases, and `names` holds its name in other languages; documents and the importer
    may use any of them.
    """

    key: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    names: tuple[tuple[str, str], ...] = ()
    #: `description` in other languages, as (language code, text) pairs.
    descriptions: tuple[tuple[str, str], ...] = ()

    def name_in(self, language: str) -> str:
        """The name readers of `language` know it by, else `name`."""
        return dict(self.names).get(language, self.name)

    def description_in(self, language: str) -> tuple[str, str | None]:
        """As Term.description_in: (text, its language's code or None for the registry's own)."""
        return described_in(self.description, self.descriptions, language)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way a document may name it: key, name, aliases, names in other languages."""
        return (self.key, self.name, *self.aliases, *(name for _, name in self.names))


@dataclass(frozen=True)
class Rights:
    """A rights notice: the legal basis on which a document is republished.

    `labels` and `texts` give the label and the notice in other languages, as (language
    code, text) pairs; readers of a language without one read the registry's own.
    """

    key: str
    label: str
    text: str
    url: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    texts: tuple[tuple[str, str], ...] = ()

    def label_in(self, language: str) -> tuple[str, str | None]:
        """(the label for readers of `language`, its language's code or None if the own)."""
        return described_in(self.label, self.labels, language)

    def text_in(self, language: str) -> tuple[str, str | None]:
        """(the notice for readers of `language`, its language's code or None if the own)."""
        return described_in(self.text, self.texts, language)


@dataclass(frozen=True)
class Registries:
    """Everything curated that documents refer to by key."""

    collections: dict[str, Collection]
    rights: dict[str, Rights]
    actors: TermRegistry
    locations: TermRegistry
    publishers: TermRegistry

    def terms_of(self, kind: str) -> TermRegistry:
        """The term registry of a kind's singular name: "actor", "location" or "publisher"."""
        return getattr(self, next(known.plural for known in TERM_KINDS if known.name == kind))

    def collection(self, value: str) -> Collection | None:
        """Find a collection by key, name, alias or name in another language.

        Case, accents and dashes are ignored, as for actors and locations.
        """
        wanted = match_key(value)
        for entry in self.collections.values():
            if any(match_key(spelling) == wanted for spelling in entry.spellings):
                return entry
        return None

    def closest_collections(self, value: str, limit: int = 3) -> list[Collection]:
        """The collections spelt most like an unknown `value` ('Siria' -> Syria War), best first.

        Every spelling counts (key, name, aliases, names in other languages), as for actors
        and locations (archive/model/folding.py::closest).
        """
        spellings = {
            spelling: entry.key
            for entry in self.collections.values()
            for spelling in entry.spellings
        }
        return [self.collections[key] for key in closest(value, spellings, limit)]


def _entries(located: Located, display: str, fields: dict[str, bool]) -> tuple[dict, list]:
    """Check a registry's shape: a mapping of key -> mapping with the given (required) fields."""
    problems = []
    data = located.value or {}
    if not isinstance(data, dict):
        return {}, [
            Problem(
                display,
                1,
                "a registry must be made of 'key:' entries, each with its fields indented, "
                "not a list of '- ' items",
                "see the other entries in this file for the layout",
            )
        ]
    entries = {}
    for key, entry in data.items():
        line = located.line(key)
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    display,
                    line,
                    f"entry {key!r} has no fields",
                    "indent its fields (name:, …) under the key",
                )
            )
            continue
        for name, required in fields.items():
            value = entry.get(name)
            if required and not (isinstance(value, str) and value.strip()):
                problems.append(Problem(display, line, f"entry {key!r} needs a text '{name}:'"))
        problems.extend(unknown_fields(entry, fields, display, key, located.line))
        entries[str(key)] = {name: str(entry.get(name) or "").strip() for name in fields}
    return entries, problems


def load_registries(content_path: str | Path) -> Registries:
    """Load and check every registry; all problems are reported together.

    The result is shared by every reader and plugin of a build (and reused by the next build
    while the files are unchanged), so registries are parsed once, not once per document.
    """
    folder = Path(os.path.abspath(content_path)) / REGISTRY_DIR
    stamp = tuple(
        (entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
        for entry in sorted(folder.glob("*.yml"))
        if entry.exists()
    )
    return _load_registries(folder, stamp)


@functools.lru_cache(maxsize=4)
def _load_registries(folder: Path, stamp: tuple) -> Registries:
    problems: list[Problem] = []

    def read(name: str) -> tuple[Located | None, str]:
        path = folder / name
        display = f"{REGISTRY_DIR}/{name}"
        if not path.exists():
            problems.append(
                Problem(display, None, "the registry file is missing", f"create content/{display}")
            )
            return None, display
        try:
            return read_yaml_file(path, folder.parent, display), display
        except ArchiveError as err:
            problems.extend(err.problems)
            return None, display

    def load(name: str, fields: dict[str, bool]) -> dict:
        located, display = read(name)
        if located is None:
            return {}
        entries, found = _entries(located, display, fields)
        problems.extend(found)
        return entries

    def terms(kind) -> TermRegistry:
        located, display = read(kind.registry_file)
        if located is None:
            return TermRegistry(kind)
        registry, found = load_terms(kind, located, display)
        problems.extend(found)
        return registry

    located, display = read("collections.yml")
    collections, found = load_collections(located, display) if located else ({}, [])
    problems.extend(found)
    located, display = read("rights.yml")
    rights, found = load_rights(located, display) if located else ({}, [])
    problems.extend(found)
    # Each kind's registry under its plural: Registries.actors, .locations, .publishers.
    term_registries = {kind.plural: terms(kind) for kind in TERM_KINDS}
    if problems:
        raise ArchiveError(problems)
    return Registries(collections=collections, rights=rights, **term_registries)


def load_collections(located: Located, display: str) -> tuple[dict[str, Collection], list]:
    """Collections from their registry: key -> name, description, aliases, names.

    Keys are page addresses (collections/<key>.html) and parts of every document's address,
    so they are checked like slugs; no two collections may share a spelling.
    """
    fields = {
        "name": True,
        "description": False,
        "aliases": False,
        "names": False,
        "descriptions": False,
    }
    entries, problems = _entries(located, display, fields)
    collections, claimed = {}, {}
    data = located.value if isinstance(located.value, dict) else {}
    raw_entries = {str(key): value for key, value in data.items()}
    for key, entry in entries.items():
        line = located.line(key)
        problems.extend(address_problems(display, line, key, "collection key"))
        raw = raw_entries[key]
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(
                Problem(
                    display,
                    located.line(key, "aliases"),
                    f"'aliases' of collection {key!r} must be a list of names",
                    "write each alias on its own line after '- '",
                )
            )
            aliases = []
        names = localized_names(
            raw.get("names"),
            lambda message, hint, key=key: problems.append(
                Problem(display, located.line(key, "names"), message, hint)
            ),
        )
        descriptions = localized_names(
            raw.get("descriptions"),
            lambda message, hint, key=key: problems.append(
                Problem(display, located.line(key, "descriptions"), message, hint)
            ),
            "descriptions",
        )
        collection = Collection(
            key,
            entry["name"],
            entry["description"],
            tuple(a.strip() for a in aliases if a.strip()),
            names,
            descriptions,
        )
        for spelling in collection.spellings:
            other = claimed.setdefault(match_key(spelling), key)
            if other != key:
                problems.append(
                    Problem(
                        display,
                        line,
                        f"{spelling!r} of collection {key!r} also names collection {other!r}",
                        "a name or alias may belong to one collection only",
                    )
                )
        collections[key] = collection
    return collections, problems


def load_rights(located: Located, display: str) -> tuple[dict[str, Rights], list]:
    """Rights notices: key -> label, text, and a web address for the notice (http/https only)."""
    fields = {"label": True, "text": True, "url": False, "labels": False, "texts": False}
    entries, problems = _entries(located, display, fields)
    if not entries and not problems:
        problems.append(
            Problem(
                display,
                1,
                "the rights registry has no notice",
                "add at least the notice your documents use (see README, 'Registries')",
            )
        )
    rights = {}
    data = located.value if isinstance(located.value, dict) else {}
    raw_entries = {str(key): value for key, value in data.items()}
    for key, fields in entries.items():
        for name in ("labels", "texts"):
            fields[name] = localized_names(
                raw_entries[key].get(name),
                lambda message, hint, key=key, name=name: problems.append(
                    Problem(display, located.line(key, name), message, hint)
                ),
                name,
            )
        url = fields["url"]
        if url and not web_address(url):
            problems.append(
                Problem(
                    display,
                    located.line(key, "url"),
                    f"'url' of rights notice {key!r} is not a web address ({url!r})",
                    "give the full address starting with https:// or http://",
                )
            )
            fields["url"] = ""
        rights[key] = Rights(key, **fields)
    return rights, problems


#: How many entries an untranslated-texts warning names before "and N more".
NAMED_ENTRIES = 8


def untranslated_texts(registries: Registries, languages: list[str]) -> list[Problem]:
    """Registry texts readers of another interface language read in the archive's own.

    One problem per registry file and kind of text (descriptions; rights labels and
    notices), naming the entries without a translation in one of `languages` (the
    interface languages after the first, the archive's own). The site shows the original,
    marked with its language, so this is a warning, not an error. Names are not listed: one
    not given for a language is the same in it (Reuters, Raqqa).
    """

    def described(entry) -> tuple[str, tuple]:
        return entry.description, entry.descriptions

    texts = [
        ("collections.yml", "description", "descriptions", registries.collections, described),
        ("rights.yml", "label", "labels", registries.rights, lambda r: (r.label, r.labels)),
        ("rights.yml", "notice", "texts", registries.rights, lambda r: (r.text, r.texts)),
    ] + [
        (
            kind.registry_file,
            "description",
            "descriptions",
            registries.terms_of(kind.name).terms,
            described,
        )
        for kind in TERM_KINDS
    ]
    problems = []
    for file, what, field_name, entries, text_of in texts:
        missing = {}
        for key, entry in entries.items():
            own, translations = text_of(entry)
            lacking = [code for code in languages if code not in dict(translations)]
            if own and lacking:
                missing[key] = lacking
        if not missing:
            continue
        codes = sorted({code for lacking in missing.values() for code in lacking})
        named = ", ".join(list(missing)[:NAMED_ENTRIES])
        more = len(missing) - NAMED_ENTRIES
        problems.append(
            Problem(
                f"{REGISTRY_DIR}/{file}",
                None,
                f"{len(missing)} {what}(s) have no translation in {', '.join(codes)}, so those "
                f"sites show them in the archive's own language: {named}"
                + (f" and {more} more" if more > 0 else ""),
                f"add '{field_name}:' with one line per language under each entry, e.g. '  es: …'",
                WARNING,
            )
        )
    return problems
