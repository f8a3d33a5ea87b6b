"""Import many scraped pages in one run (`archive import PATH…`): drafts, captures, a summary.

A run must be safe to repeat over the same folder and over a folder that overlaps the
archive, because scrapes are redone and reorganised. So a page is recognised by what it is,
not by its file name: by the checksum of its bytes (the capture a document records) it is
"already imported", and by its normalised text it is a "duplicate" of a document made from
another extraction of the same report. A page the importer cannot use is refused with one
line of reason and the run goes on; the summary says which.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .captures import capture_file, capture_record, sha256_of, store_capture
from .drafts import document_path, document_text, slug_for, write_new
from .folding import DASHES
from .importer import Draft, parse_page
from .problems import ArchiveError, Problem
from .registries import load_registries
from .sourcefile import decode, split_front_matter

logger = logging.getLogger(__name__)

#: What a folder's page extractions are called; other files in it (an INDEX.md, a manifest)
#: are skipped. A file named on the command line is imported whatever its name.
PAGE_SUFFIXES = (".txt",)
QUOTES = dict.fromkeys(map(ord, "‘’‚‛′"), "'") | dict.fromkeys(map(ord, "“”„‟″«»"), '"')
#: A name must appear in this many pages of a run to be listed for the registries.
FREQUENT = 2
LISTED_NAMES = 25

CUT_OFF = "No source line and no publication notice: the page looks cut short"

IMPORTED = "imported"
ALREADY_IMPORTED = "already imported"
DUPLICATE = "duplicate"
REFUSED = "refused"


@dataclass(frozen=True)
class PageFile:
    """A page to import, and how to name it in the summary."""

    path: Path
    display: str


@dataclass(frozen=True)
class Origin:
    """Where and when a page was captured, as far as the editor knows."""

    url: str = ""
    captured: dt.date | None = None


@dataclass
class PageResult:
    """What became of one page."""

    page: PageFile
    status: str
    message: str = ""
    draft: Draft | None = None
    document: Path | None = None
    #: The capture date was not given: the import date was recorded instead.
    captured_today: bool = False
    url_unknown: bool = False


@dataclass
class ImportRun:
    """Every page's result, in the order the pages were given."""

    content: Path
    results: list[PageResult] = field(default_factory=list)
    skipped: list[PageFile] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def refused(self) -> list[PageResult]:
        """The pages that could not be imported: the run's exit status says so."""
        return [r for r in self.results if r.status == REFUSED]


def collect_pages(paths: Iterable[Path]) -> tuple[list[PageFile], list[PageFile]]:
    """(pages, skipped files): files as given, folders searched recursively in sorted order.

    Sorted so that a run is deterministic: the first of two extractions of one text is
    always the one imported, the other always the one reported as its duplicate.
    """
    pages: list[PageFile] = []
    skipped: list[PageFile] = []
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if given.is_dir():
            found = [
                PageFile(path, path.relative_to(given).as_posix())
                for path in sorted(given.rglob("*"))
                if path.is_file()
                and not any(part.startswith(".") for part in path.relative_to(given).parts)
            ]
        else:
            found = [PageFile(given, given.name)]
        for page in found:
            if page.path.resolve() in seen:
                continue
            seen.add(page.path.resolve())
            if given.is_dir() and page.path.suffix.lower() not in PAGE_SUFFIXES:
                skipped.append(page)
            else:
                pages.append(page)
    return pages, skipped


def read_manifest(path: Path) -> Callable[[Path], Origin]:
    """A lookup of each page's address and capture date from a CSV of file, url, captured.

    `file` is a path relative to the manifest's folder, or just the file's name.
    """
    display = str(path)
    by_path: dict[Path, Origin] = {}
    by_name: dict[str, list[Origin]] = {}
    problems = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        if not rows.fieldnames or "file" not in rows.fieldnames:
            raise ArchiveError(
                [
                    Problem(
                        display,
                        1,
                        "the manifest has no 'file' column",
                        "start it with file,url,captured",
                    )
                ]
            )
        for row in rows:
            name = (row.get("file") or "").strip()
            if not name:
                continue
            captured_text = (row.get("captured") or "").strip()
            captured = None
            if captured_text:
                try:
                    captured = dt.date.fromisoformat(captured_text)
                except ValueError:
                    problems.append(
                        Problem(
                            display,
                            rows.line_num,
                            f"capture date {captured_text!r} of {name} is not YYYY-MM-DD",
                            "write it like 2018-09-25, or leave it empty if unknown",
                        )
                    )
            origin = Origin((row.get("url") or "").strip(), captured)
            by_path[(path.parent / name).resolve()] = origin
            by_name.setdefault(Path(name).name, []).append(origin)
    if problems:
        raise ArchiveError(problems)

    def origin_of(page: Path) -> Origin:
        found = by_path.get(page.resolve())
        if found is None and len(by_name.get(page.name, ())) == 1:
            found = by_name[page.name][0]
        return found or Origin()

    return origin_of


def origins_for(
    pages: list[PageFile], url: str = "", captured: dt.date | None = None, manifest=None
) -> Callable[[Path], Origin]:
    """Each page's origin: from the manifest, or the one page's --url and --captured."""
    if (url or captured) and (len(pages) != 1 or manifest):
        raise ValueError("--url and --captured describe one page; use --manifest for several")
    if manifest:
        return read_manifest(Path(manifest))
    origin = Origin(url, captured)
    return lambda page: origin


def text_fingerprint(text: str) -> str:
    """A checksum of a text as read, not as typed: what two extractions of one report share.

    Unicode compatibility forms, case, typographic quotes and dashes, Markdown heading marks
    and white space are normalised away.
    """
    text = re.sub(r"(?m)^\s*#{1,6}\s+", "", text)
    text = unicodedata.normalize("NFKC", text).translate(DASHES).translate(QUOTES).casefold()
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


@dataclass
class _ArchiveIndex:
    """The documents already in the archive, by capture checksum and by text fingerprint."""

    by_capture: dict[str, Path] = field(default_factory=dict)
    by_text: dict[str, tuple[Path, str]] = field(default_factory=dict)  # -> (document, from)

    @classmethod
    def of(cls, content: Path) -> _ArchiveIndex:
        """Read every document's capture checksum and text (a broken one is left out)."""
        index = cls()
        for path in sorted((content / "articles").rglob("*.md")):
            try:
                front, body, _ = split_front_matter(str(path), decode(str(path), path.read_bytes()))
            except (ArchiveError, OSError):
                continue  # `archive check` reports it; it cannot be compared here
            fields = front.value if isinstance(front.value, dict) else {}
            capture = fields.get("capture")
            if isinstance(capture, dict) and capture.get("sha256"):
                index.by_capture[str(capture["sha256"]).lower()] = path
            if body.strip():
                index.by_text.setdefault(text_fingerprint(body), (path, ""))
        return index


def import_pages(
    content: Path,
    pages: Iterable[PageFile],
    origin_of: Callable[[Path], Origin] = lambda page: Origin(),
    today: dt.date | None = None,
    skipped: Iterable[PageFile] = (),
) -> ImportRun:
    """Import each page as a draft with its capture; see the module docstring.

    `skipped` are files of the given folders that are not pages, for the summary to list.
    """
    run = ImportRun(content, skipped=list(skipped), today=today or dt.date.today())
    registries = load_registries(content)
    index = _ArchiveIndex.of(content)
    for page in pages:
        try:
            result = _import_page(run, page, registries, index, origin_of(page.path))
        except Exception as err:  # one page's surprise must not cost the others their import
            logger.debug("importing %s failed", page.path, exc_info=True)
            result = PageResult(page, REFUSED, f"the importer failed on it: {err!r}")
        run.results.append(result)
    return run


def _import_page(run, page, registries, index, origin) -> PageResult:
    """Read, recognise and write one page, unless it is known or not an article."""
    content = run.content
    try:
        data = page.path.read_bytes()
    except OSError as err:
        return PageResult(page, REFUSED, f"could not be read: {err.strerror or err}")
    try:
        text = decode(page.display, data)
    except ArchiveError as err:
        return PageResult(page, REFUSED, err.problems[0].message)
    draft = parse_page(text, registries)
    checksum = sha256_of(data)
    if checksum in index.by_capture:
        document = index.by_capture[checksum]
        return PageResult(
            page,
            ALREADY_IMPORTED,
            f"already imported as {_shown(document, content)}; nothing written",
            draft,
            document,
        )
    if draft.refusal:
        return PageResult(page, REFUSED, draft.refusal, draft)
    fingerprint = text_fingerprint("\n\n".join(draft.paragraphs))
    if fingerprint in index.by_text:
        document, source = index.by_text[fingerprint]
        origin_note = f", imported from {source} in this run" if source else ""
        return PageResult(
            page,
            DUPLICATE,
            f"duplicate: same text as {_shown(document, content)}{origin_note} (another "
            "extraction of the same report); not imported",
            draft,
            document,
        )

    date = draft.source_date or draft.published or run.today
    slug = slug_for(draft.title)
    path = document_path(content, draft.collection, date, slug)
    if path.exists():
        return PageResult(
            page,
            REFUSED,
            f"a document with another text already exists at {_shown(path, content)} "
            "(same title and year): compare them, rename one, and import again",
            draft,
        )
    captured = origin.captured or run.today
    capture = capture_record(capture_file(draft.collection, date, slug), data, origin.url, captured)
    try:
        store_capture(content, capture["file"], data)
        write_new(
            path,
            document_text(_fields(draft, capture), draft.paragraphs, _notes(draft, page, origin)),
        )
    except ArchiveError as err:
        return PageResult(
            page, REFUSED, f"{err.problems[0].path}: {err.problems[0].message}", draft
        )
    index.by_capture[checksum] = path
    index.by_text[fingerprint] = (path, page.display)
    return PageResult(
        page,
        IMPORTED,
        f"draft written to {_shown(path, content)}",
        draft,
        path,
        captured_today=origin.captured is None,
        url_unknown=not origin.url,
    )


def _fields(draft: Draft, capture: dict) -> dict:
    source = {
        "publisher": draft.publisher,
        "place": draft.place,
        "author": draft.author,
        "date": draft.source_date,
    }
    return {
        "title": draft.title,
        "published": draft.published,
        "collection": draft.collection,
        "language": draft.language or None,
        "status": "draft",
        "source": {key: value for key, value in source.items() if value},
        "capture": capture,
        "rights": draft.rights,
        "actors": draft.actors,
        "locations": draft.locations,
    }


def _notes(draft: Draft, page: PageFile, origin: Origin) -> list[str]:
    """The YAML comments that tell the reviewing editor what to check."""
    notes = [f"Imported from {page.display}: check every field against the capture."]
    if draft.cut_off:
        notes.append(CUT_OFF + ": compare the text with the original page.")
    if draft.unknown:
        notes.append("Could not determine: " + ", ".join(draft.unknown) + ".")
    if draft.collection_line and not draft.collection:
        notes.append(
            f"The page's collection line {draft.collection_line!r} is no collection's name or "
            "alias in registry/collections.yml."
        )
    if origin.captured is None:
        notes.append("Capture date unknown: the import date was recorded.")
    notes.append(
        "Actors and locations are proposals found in the text: remove any that do not fit."
    )
    if draft.unmatched_names:
        names = [name for name, _ in draft.unmatched_names.most_common(12)]
        notes.append("Names in the text that no registry entry has: " + ", ".join(names) + ".")
    return notes


def _shown(path: Path, content: Path) -> str:
    """A document's path as editors see it: from the archive folder (content/…)."""
    return os.path.relpath(path, content.parent)


COLUMNS = (
    # header, maximum width
    ("file", 28),
    ("status", 16),
    ("title", 40),
    ("publisher", 20),
    ("place", 18),
    ("author", 18),
    ("source date", 11),
    ("archive date", 12),
    ("collection", 24),
    ("lang", 4),
    ("could not determine", 0),
)


def summary(run: ImportRun) -> str:
    """The run's report: a table of every page's fields, then what needs the editor."""
    rows = [_row(result) for result in run.results]
    lines = [_table(rows)] if rows else ["No pages to import."]
    lines.append("")
    for result in run.results:
        if result.status != IMPORTED:
            refused = "refused: " if result.status == REFUSED else ""
            lines.append(f"{result.page.display}: {refused}{result.message}")
        elif result.draft.cut_off:
            lines.append(f"{result.page.display}: imported, but {CUT_OFF[0].lower()}{CUT_OFF[1:]}")
    dated_today = [r for r in run.results if r.captured_today]
    if dated_today:
        lines.append(
            f"Capture date unknown for {len(dated_today)} page(s): recorded as today, "
            f"{run.today.isoformat()} (give --captured, or a 'captured' column in the manifest)."
        )
    no_url = [r for r in run.results if r.url_unknown]
    if no_url:
        lines.append(
            f"Capture address unknown for {len(no_url)} page(s): none recorded "
            "(give --url, or a 'url' column in the manifest)."
        )
    names = frequent_names(run)
    if names:
        lines.append(
            f"Names in {FREQUENT} or more pages that match no actor or location (add them to "
            "registry/actors.yml or locations.yml, as a name or an alias):"
        )
        lines.append("  " + ", ".join(f"{name} ({pages})" for name, pages in names))
    if run.skipped:
        lines.append(
            f"Skipped {len(run.skipped)} file(s) in the folders that are not page extractions "
            f"({', '.join(PAGE_SUFFIXES)}): " + ", ".join(p.display for p in run.skipped)
        )
    counts = Counter(result.status for result in run.results)
    totals = (
        f"{len(run.results)} page(s): {counts[IMPORTED]} imported as drafts, "
        f"{counts[ALREADY_IMPORTED]} already imported, {counts[DUPLICATE]} duplicate(s), "
        f"{counts[REFUSED]} refused"
    )
    if run.refused:
        totals += " (" + ", ".join(r.page.display for r in run.refused) + ")"
    lines.append(totals + ".")
    if counts[IMPORTED] == 0 and run.results and not run.refused:
        lines.append("Nothing new: no file was written.")
    return "\n".join(lines)


def frequent_names(run: ImportRun) -> list[tuple[str, int]]:
    """Unmatched names by the number of distinct texts they appear in, most frequent first."""
    pages: Counter = Counter()
    for result in run.results:
        if result.draft and result.status in (IMPORTED, ALREADY_IMPORTED):
            pages.update(set(result.draft.unmatched_names))
    frequent = [(name, count) for name, count in pages.items() if count >= FREQUENT]
    return sorted(frequent, key=lambda item: (-item[1], item[0].casefold()))[:LISTED_NAMES]


def _row(result: PageResult) -> list[str]:
    draft = result.draft
    if draft is None or result.status == REFUSED:
        return [result.page.display, result.status] + [""] * (len(COLUMNS) - 2)
    if draft.collection:
        collection = draft.collection
    elif draft.collection_line:
        collection = f"? {draft.collection_line}"
    else:
        collection = "–"
    missing = []
    for name in draft.unknown:
        if name == "collection":
            missing.append(
                f"collection: {draft.collection_line!r} not in the registry"
                if draft.collection_line
                else "collection: not found"
            )
        else:
            missing.append(name)
    return [
        result.page.display,
        result.status,
        draft.title,
        draft.publisher,
        draft.place,
        draft.author,
        draft.source_date.isoformat() if draft.source_date else "",
        draft.published.isoformat() if draft.published else "",
        collection,
        draft.language,
        "; ".join(missing),
    ]


def _table(rows: list[list[str]]) -> str:
    """Columns as wide as their widest cell (up to a limit, cut with an ellipsis)."""
    cells = [[header for header, _ in COLUMNS]] + [
        [value or "–" for value in row[:-1]] + [row[-1]] for row in rows
    ]
    widths = []
    for column, (_, limit) in enumerate(COLUMNS):
        widest = max(len(row[column]) for row in cells)
        widths.append(min(widest, limit) if limit else widest)
    lines = []
    for row in cells:
        parts = [
            value if len(value) <= width else value[: width - 1] + "…"
            for value, width in zip(row, widths, strict=True)
        ]
        lines.append("  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip())
    return "\n".join(lines)
