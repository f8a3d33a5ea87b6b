"""Taking a document down, or a name out of one: `archive withdraw` and `archive redact`.

A human-rights archive must be able to act when publishing puts someone at risk. A
withdrawal keeps the document's address (citations still lead somewhere) and records when and
why in its front matter (archive/model/documents.py::Withdrawal); the command deletes its text,
summary, warning and capture, and its title if the editor withholds it, because the
repository is public too. A redaction replaces a name or passage wherever the document shows
it (text, title, summary, warning, the original's title and author, correction notes) and in
the capture's published copy, whose checksum before is kept with the date (fixity checks still
pass, and say why), and adds a correction saying why, never what.

Then each command looks for what is left: the passage anywhere else in the content folder (a
translation, another document, a registry), in the built site and in the deploy cache, and
says where. Nothing is recorded that would let anyone confirm a guess of what was removed (no
checksum of the passage): what the commands know of it, they know only while they run. What
git keeps of the old text is for the editor to remove (CONTRIBUTING.md, "When a document must
come down").
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from archive.editors.document_edit import EditedDocument
from archive.model.captures import sha256_of
from archive.model.folding import folded
from archive.model.problems import fail
from archive.model.sourcefile import write_source
from archive.site.interface import translations


def N_(message: str) -> str:  # noqa: N802 (the name the catalogs' extractor looks for)
    """Mark a message for the interface catalogs (`make translations`).

    It is translated where it is used, into the document's language.
    """
    return message


#: What stands where a passage was removed, in the document's language (from the catalogs).
WITHHELD = N_("[name withheld]")

#: The front matter's text fields a redaction rewrites: what a reader of the document sees.
#: Other fields (addresses, registry names) are searched, and reported if they hold it.
REWRITTEN = (
    ("title",),
    ("summary",),
    ("content_warning",),
    ("source", "title"),
    ("source", "author"),
)


@dataclass(frozen=True)
class Left:
    """A place where the removed passage is still found: a file, and its line if known."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Withdrawn:
    """What `withdraw` did, in words for the editor, and what it leaves to look for."""

    done: list[str]
    #: The title it withheld ("" when the notice shows it): to look for elsewhere.
    title: str
    #: The document's versions in other languages (their files), which are still published.
    versions: list[str]


def withdraw(
    content: Path, path: Path, settings: dict, reason: str, title_shown: bool
) -> Withdrawn:
    """Withdraw the document at `path`."""
    edited = EditedDocument(content, path, settings)
    document = edited.document
    if document.withdrawn:
        fail(edited.display, None, "this document is already withdrawn", "nothing to do")
    if document.status == "draft":
        fail(
            edited.display,
            None,
            "this draft was never published, so it cannot be withdrawn",
            "delete its file instead",
        )
    data, done = edited.data, ["removed its text"]
    dropped = ["summary", "content_warning", "capture"] + ([] if title_shown else ["title"])
    for name in dropped:
        if name in data:
            del data[name]
            done.append(f"removed its {FIELD_WORDS[name]}")
    if not title_shown and isinstance(data.get("source"), dict) and "title" in data["source"]:
        del data["source"]["title"]
        done.append("removed the original's title")
    data["withdrawn"] = CommentedMap(
        [
            ("date", dt.date.today()),
            ("reason", reason),
            ("title", "shown" if title_shown else "withheld"),
        ]
    )
    edited.save("")
    if document.capture:
        capture = content / document.capture.file
        if capture.is_file() and not _others_naming(content, document.capture.file, path):
            capture.unlink()
            done.append(f"deleted its capture {document.capture.file}")
    versions = _versions(content, document.translation, path) if document.translation else []
    return Withdrawn(done, "" if title_shown else document.title, versions)


#: The fields a withdrawal removes, in words.
FIELD_WORDS = {
    "summary": "summary",
    "content_warning": "content warning",
    "capture": "capture's record",
    "title": "title",
}


def _versions(content: Path, key: str, path: Path) -> list[str]:
    """The other documents sharing the translation key `key` (files, relative to content)."""
    line = re.compile(rf"(?m)^translation:\s*['\"]?{re.escape(key)}['\"]?\s*$")
    return sorted(
        other.relative_to(content).as_posix()
        for other in content.rglob("*.md")
        if other.resolve() != path.resolve() and line.search(other.read_text(encoding="utf-8"))
    )


def redact(
    content: Path,
    path: Path,
    settings: dict,
    passage: str,
    reason: str,
    replacement: str | None = None,
    note: str = "",
) -> list[str]:
    """Replace `passage` in the document at `path` and its capture: what was done, in words.

    The replacement is WITHHELD in the document's language unless the editor gives one.
    """
    if not passage.strip():
        fail(str(path), None, "the passage to remove is empty", "give the name or passage")
    edited = EditedDocument(content, path, settings)
    document, found = edited.document, _pattern(passage)
    if replacement is None:
        replacement = translations(settings, document.language).gettext(WITHHELD)
    if document.withdrawn:
        fail(
            edited.display,
            None,
            "this document is withdrawn: its text is no longer in the archive",
            "nothing to redact; look for the passage elsewhere with 'archive redact' on the "
            "documents that still have it",
        )
    if document.capture and document.capture.is_pdf:
        # Its text is drawn in content streams, compressed: no byte replacement removes a
        # name from it, and the PDF would go on publishing what the text no longer says.
        fail(
            edited.display,
            None,
            f"this document's capture {document.capture.file} is a PDF, from which 'archive "
            "redact' cannot remove a passage, so it would stay published there; nothing changed",
            "withdraw the document ('archive withdraw' deletes its capture), then import a "
            "redacted PDF made with a tool that removes the text itself, not a box drawn over it",
        )
    body, count = found.subn(replacement, edited.body)
    done = [f"replaced it {count} time(s) in the text"] if count else []
    done += _redact_front_matter(edited.data, found, replacement)
    redacted = _redacted_capture(content, edited, found, replacement)
    if redacted:
        done.append(redacted)
    if not done:
        fail(
            edited.display,
            None,
            f"the passage {passage!r} is not in this document or its capture (compared "
            "ignoring case and line breaks)",
            "copy it from the document exactly, or check the other documents it may be in",
        )
    correction = CommentedMap([("date", dt.date.today()), ("removed", reason)])
    if note:
        correction["note"] = note
    corrections = edited.data.setdefault("corrections", [])
    corrections.append(correction)
    edited.data["updated"] = dt.date.today()
    edited.save(body)
    done.append("added a correction saying why (never what) and set 'updated' to today")
    return done


def _redact_front_matter(data: dict, found: re.Pattern, replacement: str) -> list[str]:
    """Replace the passage in the fields a reader sees: what was done, in words."""
    done = []
    for key in REWRITTEN:
        if _replace_in(data, key, found, replacement):
            done.append(f"replaced it in '{'.'.join(key)}'")
    for item in data.get("corrections") or []:
        if isinstance(item, dict) and isinstance(item.get("note"), str):
            item["note"], count = found.subn(replacement, item["note"])
            if count:
                done.append("replaced it in a correction's note")
    return done


def _redacted_capture(content: Path, edited: EditedDocument, found, replacement: str) -> str:
    """Replace the passage in the capture's published copy, recording the checksum before.

    Returns what was done, in words ("" if the capture does not hold it). The bytes are
    rewritten as they were but for the passage: line endings and all.
    """
    capture = edited.document.capture
    if capture is None:
        return ""
    path = content / capture.file
    redacted, count = found.subn(replacement, path.read_bytes().decode("utf-8"))
    if not count:
        return ""
    record = edited.data["capture"]
    before = CommentedMap([("date", dt.date.today()), ("sha256", record["sha256"])])
    record.setdefault("redacted", []).append(before)
    record["sha256"] = sha256_of(redacted.encode("utf-8"))
    write_source(path, redacted)
    return (
        f"replaced it {count} time(s) in the capture {capture.file}, keeping the checksum of "
        "the copy before"
    )


def left_behind(passage: str, folders: list[Path], root: Path) -> list[Left]:
    """Where `passage` is still found in the files under `folders`, shown relative to `root`.

    Compared ignoring case, accents, dashes, spacing and markup.
    """
    needle = folded(passage)
    wanted = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for file in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            try:
                text = _readable(file.read_bytes().decode("utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
            if not wanted.search(folded(text)):
                continue
            lines = [n for n, line in enumerate(text.split("\n"), 1) if wanted.search(folded(line))]
            shown = Path(os.path.relpath(file, root)).as_posix()
            found += [Left(shown, line) for line in lines] or [Left(shown)]
    return found


def _pattern(passage: str) -> re.Pattern:
    """The passage as written in a text.

    Any case, any spacing or line break between its words, and not inside a longer word.
    """
    words = unicodedata.normalize("NFC", passage).split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    if re.match(r"\w", words[0]):
        pattern = r"(?<!\w)" + pattern
    if re.search(r"\w$", words[-1]):
        pattern += r"(?!\w)"
    return re.compile(pattern, re.IGNORECASE)


def _replace_in(data: dict, key: tuple, found: re.Pattern, replacement: str) -> int:
    """Replace in one front-matter field (a text, or a list of texts): how many times."""
    *parents, name = key
    for parent in parents:
        data = data.get(parent) if isinstance(data, dict) else None
    if not isinstance(data, dict) or name not in data:
        return 0
    value = data[name]
    if isinstance(value, str):
        data[name], count = found.subn(replacement, value)
        return count
    if isinstance(value, list):
        total = 0
        for index, item in enumerate(value):
            if isinstance(item, str):
                value[index], count = found.subn(replacement, item)
                total += count
        return total
    return 0


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_TAG = re.compile(r"<[^>]*>")


def _readable(text: str) -> str:
    """The text a reader would read in a file of the site.

    No tags; entities and JSON's escapes decoded: a name split by markup, or escaped in a
    search index, is still the name.
    """
    text = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return html.unescape(_TAG.sub(" ", text))


def _others_naming(content: Path, file: str, path: Path) -> bool:
    """Whether a document other than `path` names the capture `file`."""
    for other in content.rglob("*.md"):
        if other.resolve() != path.resolve() and file in other.read_text(encoding="utf-8"):
            return True
    return False
