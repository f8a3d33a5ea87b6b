"""`archive check --fix-names`: walk through the names the registries lack.

For each unknown actor, place or publisher an editor chooses: it is another spelling of an
entry (added as its alias), a new entry (added with `archive add`'s checks), a typo
(corrected in every document that has it; not a publisher, whose name stays as the source
printed it), or left for later. The registries and documents are edited the same way the
commands would, so the result passes `archive check` or says why not.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from archive.editors.registry_edit import NewEntry, add_alias, add_entry
from archive.model.documents import parse_document, site_defaults
from archive.model.inventory import is_document_file
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries
from archive.model.sourcefile import read_source, write_source


@dataclass
class UnknownName:
    """One name the registries lack, and the documents (path -> lines) that use it."""

    kind: str  # "actor", "location" or "publisher"
    name: str
    places: dict[Path, list[int]] = field(default_factory=lambda: defaultdict(list))


def unknown_names(content: Path, settings: dict) -> list[UnknownName]:
    """Every name of an actor, location or publisher that no registry entry has, in file order."""
    registries = load_registries(content)
    found: dict[tuple[str, str], UnknownName] = {}
    defaults = site_defaults(settings, unknown_terms="warn")  # unknown names kept, to list
    for folder in settings["ARTICLE_PATHS"]:
        for path in sorted((content / folder).rglob("*")):
            if not (path.is_file() and is_document_file(path)):
                continue
            display = path.relative_to(content).as_posix()
            try:
                document, _ = parse_document(
                    display, read_source(path, content, display), registries, defaults
                )
            except ArchiveError:
                continue  # other problems: `archive check` reports them
            for plural, name in document.unresolved:
                key = (plural[:-1], name)
                entry = found.setdefault(key, UnknownName(plural[:-1], name))
                entry.places[path] += _lines_naming(path, name, plural == "publishers")
    return list(found.values())


def _lines_naming(path: Path, name: str, publisher: bool = False) -> list[int]:
    """The lines of a document's list items that are exactly `- name`.

    For a publisher, its `publisher: name` line.
    """
    lead = r"publisher:" if publisher else r"-"
    item = re.compile(rf"^\s*{lead}\s*['\"]?{re.escape(name)}['\"]?\s*$")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if item.match(line)]


def correct(unknown: UnknownName, replacement: str) -> int:
    """Write `replacement` on the list lines that name the unknown name; return how many.

    The line is written anew as a YAML list item (`- name`, quoted if YAML needs it), not
    edited in place: a name with an apostrophe inside a single-quoted item would break it.
    """
    changed = 0
    for path, numbers in unknown.places.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for number in numbers:
            line = lines[number - 1]
            indent = line[: len(line) - len(line.lstrip())]
            ending = "\r" if line.endswith("\r") else ""
            lines[number - 1] = f"{indent}- {_list_item(replacement)}{ending}"
            changed += 1
        write_source(path, "\n".join(lines))
    return changed


def _list_item(name: str) -> str:
    """`name` as a YAML list item's text: plain if YAML reads it back as it is, else quoted."""
    try:
        if yaml.safe_load(f"- {name}") == [name]:
            return name
    except yaml.YAMLError:
        pass
    return json.dumps(name, ensure_ascii=False)  # a JSON string is a double-quoted YAML one


def walk(content: Path, settings: dict) -> int:
    """Ask about each unknown name in turn; return how many were resolved."""
    resolved = 0
    registries = load_registries(content)
    for unknown in unknown_names(content, settings):
        where = ", ".join(
            f"{path.relative_to(content).as_posix()}:{lines[0] if lines else '?'}"
            for path, lines in unknown.places.items()
        )
        click.echo(f"\nUnknown {unknown.kind} {unknown.name!r} in {where}")
        registry = registries.terms_of(unknown.kind)
        close = registry.suggestions(unknown.name)
        for number, name in enumerate(close, 1):
            click.echo(f"  {number}  it is {name!r}: add {unknown.name!r} as its alias")
        click.echo("  a  add it as a new entry")
        # A publisher's name is a printed fact: it is grouped by an alias, never respelt.
        corrects = unknown.kind != "publisher"
        if corrects:
            click.echo("  c  correct the spelling in the documents")
        click.echo("  s  skip")
        choices = [str(n) for n in range(1, len(close) + 1)] + ["a", *"c" * corrects, "s"]
        answer = click.prompt("Choice", type=click.Choice(choices), default="s")
        try:
            resolved += _apply(answer, unknown, close, registry, content)
        except ArchiveError as err:
            click.echo("Not done: " + str(err.problems[0]), err=True)
        registries = load_registries(content)
    return resolved


def _apply(answer: str, unknown: UnknownName, close: list[str], registry, content: Path) -> int:
    if answer.isdigit():
        term = registry.resolve(close[int(answer) - 1])
        file = add_alias(content, unknown.kind, term.slug, unknown.name)
        click.echo(f"Added {unknown.name!r} to the aliases of {term.slug!r} in {file}.")
        return 1
    if answer == "a":
        entry = NewEntry(unknown.kind, unknown.name)
        entry.type = click.prompt("Type", type=click.Choice(registry.kind.types))
        if registry.kind.hierarchical:
            entry.parent = click.prompt("Inside which place (slug or name)", default="")
        file, slug = add_entry(content, entry)
        click.echo(f"Added {unknown.kind} {unknown.name!r} as {slug!r} to {file}.")
        return 1
    if answer == "c":
        replacement = click.prompt("Correct spelling").strip()
        if registry.resolve(replacement) is None:
            click.echo(f"{replacement!r} is not in the registry either; nothing changed.")
            return 0
        if not correct(unknown, replacement):
            click.echo(f"No line names {unknown.name!r} on its own; nothing changed.")
            return 0
        click.echo(
            f"Replaced {unknown.name!r} by {replacement!r} in {len(unknown.places)} file(s)."
        )
        return 1
    return 0
