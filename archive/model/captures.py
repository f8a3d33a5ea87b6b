"""Captures: the raw scraped pages kept beside the documents made from them, with fixity.

A document's text is an editor's reading of a page; the capture is the evidence. Each is
stored byte for byte as received under content/captures/ (served as plain text or as a PDF,
never as a page) and the document records its SHA-256, so `archive check` can prove that the
evidence has not changed since it was imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archive.model.pdf import read_pdf
from archive.model.problems import ArchiveError, Problem

CAPTURES_DIR = "captures"


@dataclass(frozen=True)
class CaptureKind:
    """A kind of file the archive keeps as evidence: how it is served, and what it is called."""

    media_type: str
    name: str


#: The only kinds of capture, by extension: inventory, check, build, import and the preview
#: server all read this table. Any other extension is refused: a capture saved as .htm,
#: .svg or .js would be published as a live page of the archive, and its scripts would run.
#: A PDF is served to the browser's own viewer, with its scripts kept off (netlify.toml);
#: the importer, check and build refuse one that carries scripts at all (archive/model/pdf.py).
CAPTURE_KINDS = {
    ".txt": CaptureKind("text/plain; charset=utf-8", "plain text"),
    ".pdf": CaptureKind("application/pdf", "PDF"),
}
#: The extension of a page's extracted text, the capture of a scraped page.
TEXT_CAPTURE = ".txt"
#: The extension of a PDF original, kept as its own capture.
PDF_CAPTURE = ".pdf"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: A capture's path as a document's text gives it (`file: captures/…`), even one that does
#: not parse.
NAMED_CAPTURE = re.compile(
    rf"""(?m)^\s*file:\s*['"]?({CAPTURES_DIR}/[^'"\n#]*?)['"]?\s*(?:#.*)?$"""
)


def sha256_of(data: bytes) -> str:
    """The checksum a document records for its capture: 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def capture_kinds_named() -> str:
    """The accepted capture kinds as editors read them: "plain text (.txt) or PDF (.pdf)"."""
    return " or ".join(f"{kind.name} ({suffix})" for suffix, kind in CAPTURE_KINDS.items())


def capture_file(collection: str, date: dt.date, slug: str, suffix: str = TEXT_CAPTURE) -> str:
    """Where a document's capture lives, relative to the content folder.

    The same collection/year/slug as the document itself, so each has an obvious partner;
    `suffix` is its kind's (a key of CAPTURE_KINDS).
    """
    return f"{CAPTURES_DIR}/{collection or 'unsorted'}/{date.year}/{slug}{suffix}"


def capture_record(
    file: str, data: bytes, url: str, captured: dt.date, pages: int | None = None
) -> dict:
    """The `capture:` front matter of a document: file, checksum, pages, address, date.

    `pages` is a PDF original's page count, recorded at import; check and build, which read
    every PDF again, refuse a count that is not the PDF's.
    """
    record = {
        "file": file,
        "sha256": sha256_of(data),
        "pages": pages,
        "url": url,
        "captured": captured,
    }
    return {key: value for key, value in record.items() if value}


def store_capture(content: Path, file: str, data: bytes) -> None:
    """Write the page's bytes as received; an existing capture is kept only if identical."""
    path = content / file
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as handle:
            handle.write(data)
    except FileExistsError:
        if path.read_bytes() != data:
            raise ArchiveError(
                [
                    Problem(
                        file,
                        None,
                        "another capture already exists at this path",
                        "compare it with the page; remove or rename one of them and import again",
                    )
                ]
            ) from None


def capture_problems(
    path: str, capture: dict, content: Path, line: int | None = None
) -> list[Problem]:
    """Fixity check of one document's capture: missing, moved out of place, or changed.

    `path` is the document (as shown to editors), `capture` its `capture:` front matter and
    `line` the line of that field, for the problem's location.
    """
    if not isinstance(capture, dict) or not capture.get("file") or not capture.get("sha256"):
        return [
            Problem(
                path,
                line,
                "the 'capture' record needs 'file' and 'sha256'",
                "re-import the page to record its capture, or remove the 'capture' field",
            )
        ]
    file, recorded = str(capture["file"]), str(capture["sha256"]).strip().lower()
    restore = f"restore it from git (git checkout -- content/{file})"
    relative = PurePosixPath(file)
    if relative.is_absolute() or ".." in relative.parts or relative.parts[0] != CAPTURES_DIR:
        return [
            Problem(
                path,
                line,
                f"the capture file {file!r} of {path} is not under content/{CAPTURES_DIR}/",
                f"give its path relative to the content folder, e.g. {CAPTURES_DIR}/…/….txt",
            )
        ]
    if relative.suffix not in CAPTURE_KINDS:
        return [
            Problem(
                path,
                line,
                f"the capture {file} of {path} is not a kind the archive publishes "
                f"({capture_kinds_named()}): a browser could open it as a page and run it",
                "import the page's text or its PDF again, and name that file",
            )
        ]
    if not SHA256.match(recorded):
        return [
            Problem(
                path,
                line,
                f"the checksum recorded for capture {file} of {path} is not a SHA-256 "
                "(64 hexadecimal digits)",
                "re-import the page, or copy the checksum the import recorded from git",
            )
        ]
    capture_path = content / file
    if not capture_path.is_file():
        return [
            Problem(
                path,
                line,
                f"the capture {file} of {path} has disappeared",
                f"{restore}; if it was removed on purpose, re-import the page "
                "or remove the 'capture' field",
            )
        ]
    data = capture_path.read_bytes()
    actual = sha256_of(data)
    if actual != recorded:
        return [
            Problem(
                path,
                line,
                f"the capture {file} of {path} has changed since it was imported "
                f"(SHA-256 {actual}, recorded {recorded})",
                f"{restore}; if the change is intended, re-import the page or record "
                f"'sha256: {actual}'",
            )
        ]
    if relative.suffix == PDF_CAPTURE:
        # Read again whatever its checksum: a PDF put here by hand never met the importer.
        try:
            pages = read_pdf(file, data).pages
        except ArchiveError as err:
            return err.problems
        if capture.get("pages") not in (None, pages):
            return [
                Problem(
                    path,
                    line,
                    f"the capture {file} of {path} records {capture['pages']} page(s), and the "
                    f"PDF has {pages}: its page says how many",
                    f"record 'pages: {pages}'",
                )
            ]
    return []


def unclaimed_captures(content: Path, named: set[str]) -> list[Problem]:
    """Captures no document names (`named`: the `capture.file` of every document).

    Everything under captures/ is published as it is: one no document names is published on
    its own, unseen by any editor (a withdrawn document's capture left behind, a stray copy).
    """
    folder = content / CAPTURES_DIR
    found = sorted(
        path.relative_to(content).as_posix()
        for path in folder.rglob("*")
        if path.is_file() or path.is_symlink()
    )
    return [
        Problem(
            file,
            None,
            "no document names this capture, so it would be published on its own (a "
            "withdrawn document's capture left behind, or a stray copy)",
            "delete it, or name it in its document's 'capture:' ('  file: " + file + "')",
        )
        for file in found
        if file not in named
    ]
