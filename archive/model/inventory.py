"""Every file under the content folder is read by the build or reported: nothing is lost.

Pelican reads documents only from its article and page folders and only with the exact
extensions its readers know: a document saved as `report.MD`, or in `Articles/` or `article/`
instead of `articles/`, would be skipped without a word. Here each file is accounted for —
a document, a page, a registry, a capture — or reported with what to do about it. A capture
is evidence shown as plain text or a PDF (captures.CAPTURE_KINDS): one under any other
extension (`.htm`, `.svg`, `.js`) would be published as a live page of the archive, so it is
reported too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from archive.model.captures import (
    CAPTURE_KINDS,
    CAPTURES_DIR,
    TEXT_CAPTURE,
    capture_kinds_named,
)
from archive.model.link_states import LINKS_FILE
from archive.model.problems import Problem, suggest
from archive.model.registries import REGISTRY_DIR, REGISTRY_FILES
from archive.model.sourcefile import UNSAVED_SUFFIX

#: The extensions the archive reads documents and pages from (exactly these, lower case).
DOCUMENT_SUFFIXES = (".md", ".markdown")
#: Extensions editors may mean as Markdown, which are not read.
MARKDOWN_LOOKALIKES = {".md", ".markdown", ".mkd", ".mdown", ".mdwn", ".mkdn", ".mdtxt"}
#: Hidden files that editors' systems, tools and commands leave in folders: never an editor's
#: document, so neither read nor reported. Any other hidden file is reported.
SYSTEM_FILES = re.compile(
    r"\.DS_Store|\._.+|\.git(?:keep|ignore|attributes)|\.directory|\.#.+|\..+\.sw[a-p]"
    r"|\.editing\.lock"  # the registries' lock (archive/editors/registry_edit.py)
)


def is_document_file(path: Path) -> bool:
    """Whether the build reads this file as a document or a page (by its extension)."""
    return path.suffix in DOCUMENT_SUFFIXES


def linked_folders(content: Path) -> list[Problem]:
    """Symbolic links to folders under content/: never followed (they may loop or lead out)."""
    problems = []
    for folder, folders, _ in os.walk(content):
        for name in sorted(folders):
            path = Path(folder) / name
            if path.is_symlink():
                problems.append(
                    Problem(
                        path.relative_to(content).as_posix(),
                        None,
                        "this is a link to a folder, which the archive does not follow",
                        "copy the folder's files into content/ instead of linking to them",
                    )
                )
    return problems


def inventory_problems(content: Path, settings: dict) -> list[Problem]:
    """Every file under `content` the archive would not read, with what to do about it."""
    readers = {
        "document": list(settings.get("ARTICLE_PATHS", ["articles"])),
        "page": list(settings.get("PAGE_PATHS", ["pages"])),
        "static": list(settings.get("STATIC_PATHS", [])),
    }
    known = [folder for folders in readers.values() for folder in folders] + [REGISTRY_DIR]
    templates = set(settings.get("TEMPLATE_PAGES") or {})  # pages rendered from content files
    problems = []
    for folder, folders, files in os.walk(content):
        folders[:] = sorted(f for f in folders if not (Path(folder) / f).is_symlink())
        for name in sorted(files):
            path = Path(folder) / name
            relative = path.relative_to(content)
            if SYSTEM_FILES.fullmatch(name) or relative.as_posix() in templates:
                continue
            problem = _linked_out(path, relative, content)
            problem = problem or (_unsaved(relative) if name.endswith(UNSAVED_SUFFIX) else None)
            problem = problem or (_hidden(relative) if name.startswith(".") else None)
            problem = problem or _unread(relative, readers, known)
            if problem:
                problems.append(problem)
    return problems


def _linked_out(path: Path, relative: Path, content: Path) -> Problem | None:
    """A link to a file outside the content folder, where the archive does not read it.

    Documents and registries are read through sourcefile.read_source, which refuses such a
    link itself; any other file (a capture) Pelican would copy into the site as it finds it,
    publishing whatever the link points at (a key, the build's environment).
    """
    if not path.is_symlink() or is_document_file(path) or relative.parts[0] == REGISTRY_DIR:
        return None
    if os.path.realpath(path).startswith(os.path.join(os.path.realpath(content), "")):
        return None
    return Problem(
        relative.as_posix(),
        None,
        "this is a link to a file outside the content folder, and the site would publish that file",
        "copy the file into content/ instead of linking to it",
    )


def _unsaved(relative: Path) -> Problem | None:
    """What a command killed while it saved a file left beside it (the file is as it was)."""
    saved = relative.name.removesuffix(UNSAVED_SUFFIX)[1:].rpartition(".")[0]  # .NAME.RANDOM
    if not (relative.name.startswith(".") and saved):
        return None
    return Problem(
        relative.as_posix(),
        None,
        f"this file was left by a command that was interrupted while it saved {saved}; "
        f"{saved} is as it was before that command",
        "delete it, and run the command again if its change is still wanted",
    )


def _hidden(relative: Path) -> Problem:
    """A hidden file (its name starts with a dot) that no system or tool of ours leaves."""
    return Problem(
        relative.as_posix(),
        None,
        "this file is hidden (its name starts with a dot), so editors do not see it, and it "
        "would not be published as it is",
        f"rename it to {relative.name.lstrip('.') or 'a visible name'}, or delete it",
    )


def _unread(relative: Path, readers: dict, known: list[str]) -> Problem | None:
    display = relative.as_posix()
    if display == LINKS_FILE:  # what `archive links` found, read by the build
        return None
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    if top == CAPTURES_DIR and relative.suffix not in CAPTURE_KINDS:
        return Problem(
            display,
            None,
            f"captures are published only as {capture_kinds_named()}, and this one ends in "
            f"{relative.suffix or 'nothing'!r}: a browser would open it as a page (or run it)",
            f"rename it to {relative.stem}{TEXT_CAPTURE} if it is text, and give that name in "
            "its document's 'capture: file:'",
        )
    if top in readers["static"]:
        return None
    if top == REGISTRY_DIR:
        if len(relative.parts) == 2 and relative.name in REGISTRY_FILES:
            return None
        return Problem(
            display,
            None,
            "this is not a registry the archive reads",
            "the registries are " + ", ".join(REGISTRY_FILES) + " in registry/",
        )
    if top in readers["document"] + readers["page"] or "" in readers["document"]:
        if is_document_file(relative):
            return None
        if relative.suffix.lower() in MARKDOWN_LOOKALIKES:
            return Problem(
                display,
                None,
                f"this file ends in {relative.suffix!r}, which is not read, so it would not "
                "be published",
                f"rename it to {relative.stem}.md",
            )
        return Problem(
            display,
            None,
            "this file is not a document and would not be published",
            "documents must end in .md; move other files elsewhere",
        )
    near = suggest(top, known) if top else ""
    return Problem(
        display,
        None,
        "this file is outside the folders the archive reads, so it would not be published",
        (near + " " if near else "")
        + "documents go in articles/<collection>/<year>/, pages in pages/",
    )
