"""Rename a document (`archive rename OLD NEW`) without breaking a single address.

A document's file name is its page's address, and its capture is published beside it. An
editor renames one the importer named badly (`russkii.md`), or one whose name says too much:
the file and its capture move, every link of the archive to either follows, and the old
addresses are recorded in the document (`moved:`), so that the build keeps answering them
(plugins/moves): readers' bookmarks, citations and other archives' links still arrive.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from archive.editors.document_edit import EditedDocument
from archive.model.documents import SLUG, parse_document, site_defaults
from archive.model.inventory import is_document_file
from archive.model.problems import ArchiveError, fail
from archive.model.registries import load_registries
from archive.model.sourcefile import decode, read_source, write_source
from archive.site.articles import document_address


def rename(content: Path, path: Path, new_name: str, settings: dict) -> list[str]:
    """Rename the document at `path` to `new_name` (a slug, or a file name in its folder).

    Returns what it did, in words for the editor, the renaming first.

    Refused, with nothing changed, when the new name is not a slug, is taken, or the
    document does not pass the check (a broken document is fixed first, then renamed).
    """
    content = content.resolve()
    path = path.resolve()
    edited = EditedDocument(content, path, settings)
    document = edited.document
    target = _new_file(content, edited, new_name)
    slug = target.stem
    old_address = document_address(document, str(path), settings)
    new_address = document_address(document, str(target), settings)
    taken = _holder_of(content, settings, new_address, slug, path)
    if taken:
        fail(
            "archive rename",
            None,
            f"the address {new_address} is already {taken}",
            "choose another name",
        )
    capture = _capture_target(content, document, slug)
    done = [f"renamed {edited.display} to {_shown(content, target)}"]
    move = CommentedMap([("date", dt.date.today()), ("address", old_address)])
    if capture:
        move["capture"] = document.capture.file
        edited.data["capture"]["file"] = capture
    if document.status != "draft":  # a draft was never at an address readers could keep
        if not isinstance(edited.data.get("moved"), list):
            edited.data["moved"] = CommentedSeq()
        edited.data["moved"].append(move)
    edited.save(edited.body, target)
    path.unlink()
    if capture:
        (content / document.capture.file).rename(content / capture)
        done.append(f"moved its capture {document.capture.file} to {capture}")
    moves = {path: target}
    if capture:
        moves[content / document.capture.file] = content / capture
    for changed, count in _relink(content, settings, moves):
        done.append(f"updated {count} link(s) in {changed}")
    if document.status != "draft":
        done.append(
            f"recorded its old address {old_address} under 'moved:': the site sends readers "
            f"from it to {new_address}, in every interface language"
        )
    return done


def _new_file(content: Path, edited: EditedDocument, new_name: str) -> Path:
    """The document's new file: `new_name` (with or without its extension) in its folder."""
    path = edited.path.resolve()
    slug = new_name.removesuffix(path.suffix)
    if "/" in slug or not SLUG.match(slug):
        fail(
            "archive rename",
            None,
            f"{new_name!r} cannot be a document's name",
            "give the new name in lowercase ASCII letters, digits and single hyphens, without "
            "a folder: the document stays in its collection's folder",
        )
    target = path.with_name(slug + path.suffix)
    if target.exists():
        fail("archive rename", None, f"{_shown(content, target)} exists", "choose another name")
    if "slug" in edited.data:
        fail(
            edited.display,
            None,
            "its address comes from its 'slug:' line, not its file name",
            "change the 'slug:' line instead, or delete it and rename the file",
        )
    return target


def _holder_of(content: Path, settings: dict, address: str, slug: str, renamed: Path) -> str:
    """Which document already has `address` (now, or before a rename of its own), or "".

    Only the documents that could have it are read: those named `slug` or with a `slug:`
    or `address:` line naming it.
    """
    folders = settings.get("ARTICLE_PATHS", ["articles"])
    candidates = [
        path
        for folder in folders
        for path in (content / folder).rglob("*")
        if path.is_file() and is_document_file(path) and path.resolve() != renamed
    ]
    registries = load_registries(content)
    for path in candidates:
        display = path.relative_to(content).as_posix()
        raw = read_source(path, content, display)
        if path.stem != slug and slug.encode() not in raw:
            continue
        try:
            document, _ = parse_document(display, raw, registries, site_defaults(settings))
        except ArchiveError:
            continue  # `archive check` reports it; it holds no address until it is fixed
        if document_address(document, str(path), settings) == address:
            return f"the address of {display}"
        if any(move.address == address for move in document.moved):
            return f"a former address of {display}, which leads there"
    return ""


def _capture_target(content: Path, document, slug: str) -> str:
    """The capture's new path (named after the document, in its folder), or "" if it stays.

    A capture named otherwise than its document (several documents from one page) keeps its
    name: it is not this document's alone.
    """
    if document.capture is None:
        return ""
    old = Path(document.capture.file)
    if old.stem != Path(document.path).stem:
        return ""
    new = old.with_name(slug + old.suffix).as_posix()
    if (content / new).exists():
        fail("archive rename", None, f"the capture {new} exists", "choose another name")
    return new


def _relink(content: Path, settings: dict, moves: dict[Path, Path]):
    """Point every link of the archive's documents and pages at the moved files.

    Yields (file, number of links changed). A link to a file of the content folder is
    written with one of Pelican's placeholders (`{filename}`, `{static}`, `{attach}`, in
    the form its INTRASITE_LINK_REGEX reads, `|filename|` too), relative to the linking
    file or, with a leading '/', to the content folder: one whose target is a moved file
    gets the new name in place of the old, in the same form, in the text as in `summary:`.
    """
    placeholder = settings["INTRASITE_LINK_REGEX"].replace(
        "(?P<what>.*?)", "(?:filename|static|attach)"
    )
    link = re.compile(f"(?P<lead>{placeholder})" + r"(?P<path>[^\s)<>\"'\]#?]+)")
    moved = {old.resolve(): new.name for old, new in moves.items()}
    folders = list(settings.get("ARTICLE_PATHS", ["articles"])) + list(
        settings.get("PAGE_PATHS", ["pages"])
    )
    for source in sorted({p for f in folders for p in (content / f).rglob("*")}):
        if not (source.is_file() and is_document_file(source)):
            continue
        display = source.relative_to(content).as_posix()
        text = decode(display, read_source(source, content, display))
        count = 0

        def renamed(match: re.Match, source=source) -> str:
            nonlocal count
            written = unquote(match["path"])
            base = content if written.startswith("/") else source.parent
            new_name = moved.get((base / written.lstrip("/")).resolve())
            if new_name is None:
                return match[0]
            count += 1
            cut = match["path"].rfind("/") + 1
            return match["lead"] + match["path"][:cut] + new_name

        changed = link.sub(renamed, text)
        if count:
            write_source(source, changed)
            yield display, count


def _shown(content: Path, path: Path) -> str:
    return path.relative_to(content).as_posix()
