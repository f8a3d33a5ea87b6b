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
        menu = choices_for(unknown, registry.suggestions(unknown.name))
        for choice in menu:
            click.echo(f"  {choice.key:<3}{choice.text}")
        answer = click.prompt(
            "Choice", type=click.Choice([choice.key for choice in menu]), default=menu[0].key
        )
        chosen = next(choice for choice in menu if choice.key == answer)
        try:
            resolved += _apply(chosen, unknown, registry, content)
        except ArchiveError as err:
            click.echo("Not done: " + str(err.problems[0]), err=True)
        registries = load_registries(content)
    return resolved


@dataclass(frozen=True)
class Choice:
    """One answer to an unknown name: the key typed, what it does, and to which entry."""

    key: str
    action: str  # "correct", "alias", "correct-other", "new" or "skip"
    text: str
    name: str = ""  # the known name it corrects to or is an alias of


def choices_for(unknown: UnknownName, close: list[str]) -> list[Choice]:
    """The menu for one unknown name, its default first.

    A close known name is most often a typo of it, so correcting the documents comes first
    and is the default. Keeping the spelling as an alias is offered apart and says what it
    does: the spelling becomes that entry's for good. A publisher's name is a printed fact:
    it is grouped under the entry by an alias, never respelt.
    """
    menu = []
    if unknown.kind == "publisher":
        menu += [
            Choice(
                str(n),
                "alias",
                f"{name!r}, spelt another way by the source: add this spelling to its "
                "aliases (the document keeps it as printed)",
                name,
            )
            for n, name in enumerate(close, 1)
        ]
    else:
        menu += [
            Choice(
                str(n), "correct", f"a misspelling of {name!r}: correct it in the documents", name
            )
            for n, name in enumerate(close, 1)
        ]
        menu += [
            Choice(
                f"k{n}",
                "alias",
                f"the sources' own spelling of {name!r}: keep it, and add it to that "
                "entry's aliases for good",
                name,
            )
            for n, name in enumerate(close, 1)
        ]
        menu.append(Choice("c", "correct-other", "a misspelling of another name: type it"))
    menu.append(Choice("a", "new", f"a new {unknown.kind}: add it to the registry"))
    skip = Choice("s", "skip", "skip it for now")
    return menu + [skip] if close else [skip, *menu]


def _apply(choice: Choice, unknown: UnknownName, registry, content: Path) -> int:
    if choice.action == "alias":
        term = registry.resolve(choice.name)
        file = add_alias(content, unknown.kind, term.slug, unknown.name)
        click.echo(
            f"Added {unknown.name!r} to the aliases of {term.slug!r} in {file}: documents may "
            "now spell it so (delete that line if it was a typo)."
        )
        return 1
    if choice.action == "new":
        entry = NewEntry(unknown.kind, unknown.name)
        entry.type = click.prompt("Type", type=click.Choice(registry.kind.types))
        if registry.kind.hierarchical:
            entry.parent = _parent(registry)
        file, slug = add_entry(content, entry)
        click.echo(f"Added {unknown.kind} {unknown.name!r} as {slug!r} to {file}.")
        return 1
    if choice.action in ("correct", "correct-other"):
        replacement = choice.name or click.prompt("Correct spelling").strip()
        if registry.resolve(replacement) is None:
            close = registry.suggestions(replacement)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            click.echo(f"{replacement!r} is not in the registry either{hint}; nothing changed.")
            return 0
        if not correct(unknown, replacement):
            click.echo(f"No line names {unknown.name!r} on its own; nothing changed.")
            return 0
        click.echo(
            f"Replaced {unknown.name!r} by {replacement!r} in {len(unknown.places)} file(s)."
        )
        return 1
    return 0


def _parent(registry) -> str:
    """The place a new one lies in, asked until it is a known place's name or slug, or none.

    A misspelt parent is met with the closest known places, the first as the default answer.
    """
    question = "Inside which place (slug or name; empty for none)"
    answer = click.prompt(question, default="").strip()
    while answer and registry.resolve(answer) is None and answer not in registry.terms:
        close = registry.suggestions(answer)
        known = " or ".join(map(repr, close))
        click.echo(
            f"{answer!r} is not a place of the registry: "
            + (f"did you mean {known}?" if close else "add it first, or leave this empty.")
        )
        answer = click.prompt(question, default=close[0] if close else "").strip()
    return answer
