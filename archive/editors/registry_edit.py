"""Add entries to the registries from the command line (`archive add`), as an editor would.

Editors used to write every new actor, place and collection by hand in YAML, making up slugs
and parents. `add_entry` derives the slug, checks the entry exactly as the build will (its
name and aliases free, its type known, its parent existing), and writes it with a round-trip
YAML library so the file keeps its comments, order and layout. Every value is written so that
the build's own loader reads it back unchanged (`NO`, `on`, `1.10` and dates stay text).

Each change reads, checks and writes its registry while holding the registries' lock (two
editors' commands at once both land, one after the other), and replaces the file whole
(`sourcefile.write_source`): a failed or interrupted write leaves it as it was.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

from pelican.utils import slugify
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from archive.editors.drafts import unprintable
from archive.model.folding import match_key
from archive.model.problems import Problem, fail
from archive.model.registries import REGISTRY_DIR, load_registries
from archive.model.sourcefile import load_yaml, plain_value, write_source
from archive.model.terms import (
    LANGUAGE,
    PUBLISHERS,
    WIKIDATA,
    reserved_address,
    web_address,
)

#: What `archive add` can add: kind -> its registry file.
KINDS = {
    "actor": "actors.yml",
    "location": "locations.yml",
    "publisher": "publishers.yml",
    "collection": "collections.yml",
}
COORDINATES = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
#: The lock file of the registries' folder (hidden: neither read by the build nor committed).
LOCK = ".editing.lock"


@contextlib.contextmanager
def registries_locked(content: Path):
    """Hold the registries' lock: another command changing a registry waits for it."""
    folder = content / REGISTRY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
            else:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


@dataclass
class NewEntry:
    """An entry an editor asks to add, before it is checked."""

    kind: str
    name: str
    type: str = ""
    aliases: list[str] = field(default_factory=list)
    parent: str = ""
    wikidata: str = ""
    coordinates: str = ""
    description: str = ""
    slug: str = ""
    homepage: str = ""
    #: The name in other languages, as (language code, name) pairs: the registry's `names:`.
    names: list[tuple[str, str]] = field(default_factory=list)
    #: The description in other languages: the registry's `descriptions:`.
    descriptions: list[tuple[str, str]] = field(default_factory=list)


#: The longest slug made from a name (cut at a word): an address, not the name itself.
SLUG_LENGTH = 64


def slug_for_name(name: str) -> str:
    """The address part for a new entry: lowercase ASCII words joined by hyphens.

    A long name's slug is cut at a word; one that is reserved (`index`, `con`) gets `-entry`.
    """
    slug = slugify(name, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")]).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0].strip("-")
    if not slug:
        return ""
    return f"{slug}-entry" if reserved_address(slug) else slug


#: A command-line value given for one language: `es=Estado Islámico`.
IN_LANGUAGE = re.compile(r"^([a-z]{2,3})=(.*)$", re.S)


def by_language(values) -> tuple[list[str], list[tuple[str, str]]]:
    """Split option values into plain texts and `code=text` pairs, in the order given.

    A text that starts with two or three lowercase letters and '=' is that language's: an
    English description never starts so.
    """
    plain, pairs = [], []
    for value in values:
        match = IN_LANGUAGE.match(value)
        if match:
            pairs.append((match[1], match[2]))
        else:
            plain.append(value)
    return plain, pairs


def untranslated(entry: NewEntry, languages, registry: str) -> list[str]:
    """What readers of the other interface languages will see as it is, said after adding.

    Not an error: a name is often the same in every language (Reuters, Raqqa). A description
    is prose, so `archive check` also lists those without a translation
    (archive/model/registries.py::untranslated_texts).
    """
    lines = []
    other = languages[1:]
    no_name = [code for code in other if code not in dict(entry.names)]
    if no_name:
        lines.append(
            f"Its name shows as {entry.name!r} on the {', '.join(no_name)} site(s). If readers "
            f"there know it by another name, add it under 'names:' in {registry}."
        )
    if entry.description:
        no_text = [code for code in other if code not in dict(entry.descriptions)]
        if no_text:
            lines.append(
                f"Its description shows in the archive's own language on the "
                f"{', '.join(no_text)} site(s): add it under 'descriptions:' in {registry}."
            )
    return lines


def add_entry(content: Path, entry: NewEntry) -> tuple[str, str]:
    """Check `entry` and append it to its registry; return (registry file, slug).

    Raises ArchiveError, naming the option to change, when the build would refuse it.
    """
    if entry.kind not in KINDS:
        fail(
            "archive add",
            None,
            f"unknown kind {entry.kind!r}",
            "use " + ", ".join(list(KINDS)[:-1]) + " or " + list(KINDS)[-1],
        )
    with registries_locked(content):
        registries = load_registries(content)
        slug = entry.slug or slug_for_name(entry.name)
        problems = _entry_problems(entry, slug, registries)
        if problems:
            fail("archive add", None, problems[0].message, problems[0].hint)
        display = f"{REGISTRY_DIR}/{KINDS[entry.kind]}"
        path = content / display
        _append(path, slug, _fields(entry))
        load_registries(content)  # the file as the build reads it: any problem stops here
    return display, slug


def _entry_problems(entry: NewEntry, slug: str, registries) -> list[Problem]:
    """What the build would refuse in this entry, worded for the command's options."""
    found: list[Problem] = []

    def refuse(message: str, hint: str) -> None:
        found.append(Problem("archive add", None, message, hint))

    _name_problems(entry, slug, refuse)
    _language_problems(entry, refuse)
    taken = _spellings(entry.kind, registries)
    if slug in taken.values() or match_key(slug) in taken:
        refuse(f"the slug {slug!r} is taken", "give another with --slug")
    for spelling in (entry.name, *entry.aliases, *(name for _, name in entry.names)):
        owner = taken.get(match_key(spelling))
        if owner:
            refuse(
                f"{spelling!r} already names the {entry.kind} {owner!r}",
                f"add it to that entry's aliases in {REGISTRY_DIR}/{KINDS[entry.kind]} instead",
            )
    if entry.kind != "collection":
        _term_problems(entry, registries, refuse)
    return found


def _name_problems(entry: NewEntry, slug: str, refuse) -> None:
    """Names on one line, and a slug that can be the entry's address."""
    if not entry.name.strip():
        refuse("the name is empty", "give the name as readers know it, in quotes")
    for spelling in (entry.name, *entry.aliases):
        if unprintable(spelling):
            refuse(f"{spelling!r} holds {unprintable(spelling)}", "write each name on one line")
    if not slug or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        refuse(
            f"{slug!r} cannot be an address",
            "give --slug with lowercase ASCII letters, digits and single hyphens",
        )
    elif reserved_address(slug):
        refuse(f"the slug {slug!r} {reserved_address(slug)}", f"give --slug, e.g. {slug}-entry")


def _language_problems(entry: NewEntry, refuse) -> None:
    """`--name` and `--description` per language: a language code, one text each, one line."""
    for option, pairs in (("--name", entry.names), ("--description", entry.descriptions)):
        seen = set()
        for language, text in pairs:
            if not LANGUAGE.match(language):
                refuse(
                    f"{option} {language}=… does not start with a language code",
                    f"write e.g. {option} es=… (two or three lowercase letters, then '=')",
                )
            elif language in seen:
                refuse(f"{option} gives {language}= twice", "give one per language")
            elif not text.strip():
                refuse(f"{option} {language}= is empty", "write the text after '='")
            elif option == "--name" and unprintable(text):
                refuse(f"{text!r} holds {unprintable(text)}", "write each name on one line")
            seen.add(language)


def _term_problems(entry: NewEntry, registries, refuse) -> None:
    kind = registries.terms_of(entry.kind).kind
    if entry.type not in kind.types:
        refuse(
            f"--type {entry.type!r} is not a {kind.name} type"
            if entry.type
            else "--type is missing",
            "use one of: " + ", ".join(kind.types),
        )
    if entry.parent and entry.parent not in registries.locations.terms:
        term = registries.locations.resolve(entry.parent)
        if term is None:
            refuse(
                f"--parent {entry.parent!r} is not a location of the registry",
                "give the slug or name of an existing place (add that first)",
            )
        else:
            entry.parent = term.slug
    if entry.parent and entry.kind != "location":
        refuse("--parent is for locations only", "remove --parent")
    if entry.homepage and not kind.homepage:
        refuse(f"--homepage is for {PUBLISHERS.plural} only", "remove --homepage")
    if entry.homepage and not web_address(entry.homepage):
        refuse(
            f"--homepage {entry.homepage!r} is not a web address",
            "give the full address starting with https:// or http://",
        )
    if entry.wikidata and not WIKIDATA.match(entry.wikidata):
        refuse(f"--wikidata {entry.wikidata!r} is not a Q-id", "write it like Q858")
    if entry.coordinates:
        match = COORDINATES.match(entry.coordinates)
        if not match or not (-90 <= float(match[1]) <= 90 and -180 <= float(match[2]) <= 180):
            refuse(
                f"--coordinates {entry.coordinates!r} is not 'latitude,longitude'",
                "write e.g. --coordinates 35.95,39.01 (decimal degrees, north and east positive)",
            )


def _spellings(kind: str, registries) -> dict[str, str]:
    """Every folded spelling of the kind's entries -> the entry's slug or key."""
    if kind == "collection":
        return {
            match_key(spelling): entry.key
            for entry in registries.collections.values()
            for spelling in entry.spellings
        }
    return dict(registries.terms_of(kind).index)


def _fields(entry: NewEntry) -> CommentedMap:
    """The entry's fields in the order the registries use, each written to read back as is."""
    fields = CommentedMap()
    fields["name"] = _text(entry.name.strip())
    if entry.kind != "collection":
        fields["type"] = _text(entry.type)
    if entry.parent:
        fields["parent"] = _text(entry.parent)
    if entry.coordinates:
        match = COORDINATES.match(entry.coordinates)
        pair = CommentedSeq([float(match[1]), float(match[2])])
        pair.fa.set_flow_style()
        fields["coordinates"] = pair
    aliases = [alias.strip() for alias in entry.aliases if alias.strip()]
    if aliases:
        fields["aliases"] = CommentedSeq([_text(alias) for alias in aliases])
    if entry.names:
        fields["names"] = _by_language(entry.names)
    if entry.description:
        fields["description"] = _text(entry.description)
    if entry.descriptions:
        fields["descriptions"] = _by_language(entry.descriptions)
    if entry.homepage:
        fields["homepage"] = _text(entry.homepage)
    if entry.wikidata:
        fields["wikidata"] = _text(entry.wikidata)
    return fields


def _by_language(pairs: list[tuple[str, str]]) -> CommentedMap:
    """`names:` or `descriptions:`: one line per language, in the order the editor gave them."""
    return CommentedMap((language, _text(text.strip())) for language, text in pairs)


def _text(value: str):
    """The value as YAML text that the build's loader reads back as this very string."""
    if plain_value(value) == value and "\n" not in value:
        return value
    return DoubleQuotedScalarString(value)


def round_trip() -> YAML:
    """A YAML reader/writer that keeps comments, order, quotes and the editors' line breaks."""
    yaml = YAML()
    yaml.width = 4096  # never re-wrap the editors' long lines
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _append(path: Path, slug: str, fields: CommentedMap) -> None:
    """Add `slug: fields` at the end of the registry file, keeping everything else as it is.

    The entry is written on its own and its text added after the file's, a blank line
    between them as editors write them: every byte before it stays, however YAML would
    write the key (quoted, as `'2014':`, or in the long form a long key takes).
    """
    original = path.read_text(encoding="utf-8") if path.exists() else ""
    out = io.StringIO()
    round_trip().dump(CommentedMap([(slug, fields)]), out)
    text = (original.rstrip("\n") + "\n\n" if original.strip() else original) + out.getvalue()
    _check_and_write(path, text)


def _write(path: Path, yaml: YAML, data) -> None:
    """Write the registry back, checked by the build's loader first (never a broken file)."""
    out = io.StringIO()
    yaml.dump(data, out)
    _check_and_write(path, out.getvalue())


def _check_and_write(path: Path, text: str) -> None:
    load_yaml(str(path), text)
    write_source(path, text)


def add_alias(content: Path, kind: str, slug: str, alias: str) -> str:
    """Add `alias` to the entry `slug` of the kind's registry; return the registry file."""
    with registries_locked(content):
        return _add_alias(content, kind, slug, alias)


def _add_alias(content: Path, kind: str, slug: str, alias: str) -> str:
    registries = load_registries(content)
    owner = _spellings(kind, registries).get(match_key(alias))
    if owner:
        fail(
            "archive add",
            None,
            f"{alias!r} already names the {kind} {owner!r}",
            "nothing to add",
        )
    display = f"{REGISTRY_DIR}/{KINDS[kind]}"
    path = content / display
    yaml = round_trip()
    data = yaml.load(path.read_text(encoding="utf-8"))
    if slug not in data:
        fail(display, None, f"there is no {kind} {slug!r}", "give the slug of an existing entry")
    entry = data[slug]
    if "aliases" not in entry or not isinstance(entry["aliases"], list):
        entry["aliases"] = CommentedSeq()
    entry["aliases"].append(_text(alias.strip()))
    _write(path, yaml, data)
    load_registries(content)
    return display
