"""Import many scraped pages in one run (`archive import PATH…`): drafts, captures, a summary.

A run must be safe to repeat over the same folder and over a folder that overlaps the
archive, because scrapes are redone and reorganised. So a page is recognised by what it is,
not by its file name: by the checksum of its bytes (the capture a document records) it is
"already imported", and by its normalised text it is a "duplicate" of a document made from
another extraction of the same report. A page the importer cannot use is refused with one
line of reason and the run goes on; the summary says which.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import hashlib
import io
import logging
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from archive.editors.custody import complete_custody, via_fields
from archive.editors.drafts import (
    DOCUMENTS_FOLDER,
    document_path,
    document_text,
    escape_unprintable,
    parse_date,
    refuse_outside,
    shown,
    slug_for,
    unprintable,
    write_new,
)
from archive.editors.importer import HTML_FIX, HTML_PROBLEM, Draft, looks_like_html, parse_page
from archive.editors.pdf_originals import pdf_draft, pdf_notes
from archive.model.captures import (
    CAPTURE_KINDS,
    CAPTURES_DIR,
    PDF_CAPTURE,
    TEXT_CAPTURE,
    capture_file,
    capture_record,
    sha256_of,
    store_capture,
)
from archive.model.documents import UNSURE_TITLE, web_address
from archive.model.folding import DASHES
from archive.model.pdf import PDF_MAX_BYTES, PdfOriginal, read_pdf
from archive.model.problems import ArchiveError, Problem, fail
from archive.model.registries import load_registries
from archive.model.sourcefile import MAX_BYTES, decode, split_front_matter

logger = logging.getLogger(__name__)

#: What a folder's pages are called: the kinds of capture (a page's extracted text, a PDF);
#: other files in it (an INDEX.md, a manifest) are skipped. A file named on the command line
#: is imported whatever its name, as a PDF if it ends in .pdf, as a page's text otherwise.
PAGE_SUFFIXES = tuple(CAPTURE_KINDS)
QUOTES = dict.fromkeys(map(ord, "‘’‚‛′"), "'") | dict.fromkeys(map(ord, "“”„‟″«»"), '"')
#: A name must appear in this many pages of a run to be listed for the registries.
FREQUENT = 2
LISTED_NAMES = 25

CUT_OFF = "No source line and no publication notice: the page looks cut short"
#: What the summary's table says of a title the importer is unsure of (importer.title_doubt).
TITLE_UNSURE = "title uncertain ({})"
#: Largest manifest read: a CSV of a line per page.
MANIFEST_MAX_BYTES = 20_000_000
#: Byte-order marks of the encodings an editor's tool may save a page in instead of UTF-8.
OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

IMPORTED = "imported"
ALREADY_IMPORTED = "already imported"
#: Already imported, and what the earlier import did not record of its chain of custody has
#: now been added to the document (archive/editors/custody.py).
COMPLETED = "custody completed"
DUPLICATE = "duplicate"
REFUSED = "refused"


@dataclass(frozen=True)
class PageFile:
    """A page to import, how to name it in the summary, and why it cannot be read, if so."""

    path: Path
    display: str
    problem: str = ""


@dataclass(frozen=True)
class Origin:
    """Where and when a page was captured, as far as the editor knows."""

    url: str = ""
    captured: dt.date | None = None
    #: Why the manifest's row for the page cannot be used ("manifest.csv:4: …"), if so.
    problem: str = ""


@dataclass
class PageResult:
    """What became of one page."""

    page: PageFile
    status: str
    message: str = ""
    draft: Draft | None = None
    document: Path | None = None
    #: The capture date was not given: none was recorded.
    capture_undated: bool = False
    url_unknown: bool = False
    #: The PDF the page is, if it is one: the summary says what its draft needs.
    pdf: PdfOriginal | None = None


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
    always the one imported, the other always the one reported as its duplicate. A file
    reached twice (through a link) is taken once; a link that cannot be followed (a loop,
    a missing target) is a page that will be refused with its reason, not silently lost.
    """
    pages: list[PageFile] = []
    skipped: list[PageFile] = []
    seen: set[str] = set()
    for given in map(Path, paths):
        folder = given.is_dir()
        found = _files_under(given) if folder else [PageFile(given, _display(given.name))]
        for page in found:
            real = os.path.realpath(page.path)
            if real in seen:
                continue
            seen.add(real)
            if folder and page.path.suffix.lower() not in PAGE_SUFFIXES:
                skipped.append(page)
            else:
                pages.append(page)
    return pages, skipped


def _files_under(folder: Path) -> list[PageFile]:
    """Every entry under `folder` that is not a folder, hidden ones left out, sorted.

    Linked folders are followed, each once; a link back up (`loop -> ..`) is not, as all it
    holds is searched already. A folder that cannot be listed is a refused page.
    """
    found: list[PageFile] = []
    visited: set[tuple[int, int]] = set()
    root = os.path.realpath(folder)

    def unlisted(err: OSError) -> None:
        path = Path(err.filename or folder)
        found.append(PageFile(path, _display(path, folder), _read_error(err, "folder")))

    for parent, folders, files in os.walk(folder, onerror=unlisted, followlinks=True):
        try:
            info = os.stat(parent)
        except OSError as err:
            unlisted(err)
            folders[:] = []
            continue
        if (info.st_dev, info.st_ino) in visited:
            folders[:] = []
            continue
        visited.add((info.st_dev, info.st_ino))
        folders[:] = [
            name
            for name in folders
            if not name.startswith(".") and not _leads_up(Path(parent) / name, root)
        ]
        for name in files:
            if not name.startswith("."):
                path = Path(parent) / name
                found.append(PageFile(path, _display(path, folder)))
    return sorted(found, key=lambda page: page.path)


def _leads_up(folder: Path, root: str) -> bool:
    """Whether `folder` is a link to the searched folder or one above it (a loop)."""
    real = os.path.realpath(folder)
    return folder.is_symlink() and (real == root or root.startswith(os.path.join(real, "")))


def _display(path: Path | str, folder: Path | None = None) -> str:
    """A page's name in the summary: from the given folder, on one line whatever it holds."""
    if folder is not None:
        path = Path(path).relative_to(folder).as_posix()
    return escape_unprintable(str(path))


def _read_error(err: OSError, what: str = "file") -> str:
    """Why a file or folder could not be read, for an editor."""
    if err.errno == errno.ELOOP:
        return (
            "this is a symbolic link that leads back to itself (a loop); nothing read. "
            "Fix: point the link at the page, or remove it"
        )
    if err.errno == errno.ENOENT:
        return (
            "this is a symbolic link to a file that does not exist; nothing read. "
            "Fix: point the link at the page, or remove it"
        )
    return f"the {what} could not be read: {err.strerror or err}"


def read_manifest(path: Path) -> Callable[[Path], Origin]:
    """A lookup of each page's address and capture date from a CSV of file, url, captured.

    `file` is a path relative to the manifest's folder, or just the file's name. A manifest
    that cannot be read at all stops the run (ArchiveError, one line); a row that cannot be
    used refuses only its page, with the row's line and the fix.
    """
    display = escape_unprintable(str(path))
    text = decode(display, _regular_bytes(path, display, MANIFEST_MAX_BYTES, "manifest"))
    rows = csv.DictReader(io.StringIO(text, newline=""))
    by_path: dict[str, tuple[Origin, int]] = {}
    by_name: dict[str, list[Origin]] = {}
    try:
        if not rows.fieldnames or "file" not in rows.fieldnames:
            fail(display, 1, "the manifest has no 'file' column", "start it with file,url,captured")
        for row in rows:
            name = row.get("file") or ""
            if not name.strip():
                continue
            origin = _row_origin(row, f"{display}:{rows.line_num}")
            key = os.path.realpath(path.parent / name.strip())
            if key in by_path and by_path[key][0] != origin:
                origin = Origin(
                    problem=f"{display}:{rows.line_num}: a second row for this page (the first "
                    f"is on line {by_path[key][1]}) gives another address or date. Fix: keep one"
                )
            by_path[key] = (origin, by_path.get(key, (None, rows.line_num))[1])
            by_name.setdefault(Path(name.strip()).name, []).append(origin)
    except csv.Error as err:
        fail(
            display,
            rows.line_num,
            f"the manifest is not a readable CSV file ({err})",
            "save it as CSV: a header file,url,captured and one line per page",
        )

    def origin_of(page: Path) -> Origin:
        found = by_path.get(os.path.realpath(page), (None,))[0]
        if found is None and len(by_name.get(page.name, ())) == 1:
            found = by_name[page.name][0]
        return found or Origin()

    return origin_of


#: What the import says of a capture address that is not http(s)://host/… (javascript:, data:).
NOT_A_WEB_ADDRESS = "{} is not a web address"
WEB_ADDRESS_FIX = (
    "give the full address the page was captured from, starting with https:// or http://, "
    "or leave it out if unknown"
)


def _row_origin(row: dict, where: str) -> Origin:
    """A manifest row's address and capture date, or the reason its page must wait."""
    url = (row.get("url") or "").strip()
    captured_text = (row.get("captured") or "").strip()
    if unprintable(url):
        return Origin(
            problem=f"{where}: the address {shown(url)} contains {unprintable(url)}. "
            "Fix: write the address on one line"
        )
    if url and not web_address(url):
        return Origin(
            problem=f"{where}: {NOT_A_WEB_ADDRESS.format(shown(url))}. Fix: {WEB_ADDRESS_FIX}"
        )
    captured = None
    if captured_text:
        try:
            captured = parse_date("captured", captured_text)
        except ArchiveError as err:
            problem = err.problems[0]
            return Origin(
                problem=f"{where}: capture date {problem.message}. "
                f"Fix: {problem.hint}, or leave it empty if unknown"
            )
    return Origin(url, captured)


def origins_for(
    pages: list[PageFile], url: str = "", captured: dt.date | str | None = None, manifest=None
) -> Callable[[Path], Origin]:
    """Each page's origin: from the manifest, or the one page's --url and --captured.

    --captured may be given as the editor typed it: it is read as YYYY-MM-DD.
    """
    if (url or captured) and (len(pages) != 1 or manifest):
        raise ValueError("--url and --captured describe one page; use --manifest for several")
    if unprintable(url or ""):
        fail("--url", None, f"{shown(url)} contains {unprintable(url)}", "give it on one line")
    if url and not web_address(url.strip()):
        fail("--url", None, NOT_A_WEB_ADDRESS.format(shown(url)), WEB_ADDRESS_FIX)
    if isinstance(captured, str):
        captured = parse_date("--captured", captured.strip())
    if manifest:
        return read_manifest(Path(manifest))
    origin = Origin(url.strip(), captured)
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
        for path in sorted((content / DOCUMENTS_FOLDER).rglob("*.md")):
            try:
                data = _regular_bytes(path, str(path), MAX_BYTES)
                front, body, _ = split_front_matter(str(path), decode(str(path), data))
            except ArchiveError:
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
    max_bytes: int = MAX_BYTES,
) -> ImportRun:
    """Import each page as a draft with its capture; see the module docstring.

    `skipped` are files of the given folders that are not pages, for the summary to list;
    a page larger than `max_bytes` (the largest document) is refused before it is read.
    """
    run = ImportRun(content, skipped=list(skipped), today=today or dt.date.today())
    registries = load_registries(content)
    index = _ArchiveIndex.of(content)
    for page in pages:
        try:
            result = _import_page(run, page, registries, index, origin_of(page.path), max_bytes)
        except Exception as err:  # one page's surprise must not cost the others their import
            logger.debug("importing %s failed", page.path, exc_info=True)
            result = PageResult(page, REFUSED, f"the importer failed on it: {err!r}")
        run.results.append(result)
    return run


def _import_page(run, page, registries, index, origin, max_bytes=MAX_BYTES) -> PageResult:
    """Read, recognise and write one page, unless it is known or not an article."""
    try:
        data, draft, pdf = _read_page(page, registries, max_bytes)
    except ArchiveError as err:
        return PageResult(page, REFUSED, _reason(err.problems[0]))
    checksum = sha256_of(data)
    if checksum in index.by_capture:
        document = index.by_capture[checksum]
        added = complete_custody(run.content, document, draft, registries)
        if added:
            return PageResult(
                page,
                COMPLETED,
                f"already imported as {_shown(document, run.content)}; added its "
                + ", ".join(added),
                draft,
                document,
            )
        return PageResult(
            page,
            ALREADY_IMPORTED,
            f"already imported as {_shown(document, run.content)}; nothing written",
            draft,
            document,
        )
    refusal = "" if pdf else draft.refusal  # a PDF is a document, not a scraped site page
    if refusal or origin.problem:
        return PageResult(page, REFUSED, refusal or origin.problem, draft)
    # A scan's body is the importer's note, the same for every scan: no text to compare.
    fingerprint = "" if pdf and pdf.scanned else text_fingerprint("\n\n".join(draft.paragraphs))
    if fingerprint in index.by_text:
        document, source = index.by_text[fingerprint]
        origin_note = f", imported from {source} in this run" if source else ""
        return PageResult(
            page,
            DUPLICATE,
            f"duplicate: same text as {_shown(document, run.content)}{origin_note} (another "
            "extraction of the same report); not imported",
            draft,
            document,
        )
    result = _write_draft(run, page, draft, data, origin, registries, pdf)
    if result.status == IMPORTED:
        index.by_capture[checksum] = result.document
        if fingerprint:
            index.by_text[fingerprint] = (result.document, page.display)
    return result


def _read_page(page: PageFile, registries, max_bytes: int) -> tuple[bytes, Draft, PdfOriginal]:
    """The page's bytes, its draft and, for a PDF, what was read of it; ArchiveError if refused.

    A PDF may be larger than a document (its images), and is read by archive/model/pdf.py,
    which refuses a hostile one before anything is written.
    """
    if page.path.suffix.lower() == PDF_CAPTURE:
        data = _page_bytes(page, PDF_MAX_BYTES)
        try:
            pdf = read_pdf(page.display, data)
        except ArchiveError as err:  # said at the import: its refusal writes no draft
            raise ArchiveError(
                [replace(p, message=p.message + "; nothing written") for p in err.problems]
            ) from None
        return data, pdf_draft(pdf, page.path, registries), pdf
    data = _page_bytes(page, max_bytes)
    return data, parse_page(_page_text(page, data), registries), None


def _write_draft(run, page, draft, data, origin, registries, pdf=None) -> PageResult:
    """Store the capture and write the draft, both inside their folders, or refuse the page.

    A PDF's draft is dated by no date of its own (its metadata's is the file's, not the
    source's), so it goes under the year of the import, as any page without a date.
    """
    content = run.content
    date = draft.source_date or draft.via_date or run.today
    # A title the importer is unsure of may be a label or a link, and a page may have none:
    # the files, the capture's public copy too, are then named after the page's file.
    slug = slug_for(page.path.stem if draft.title_unsure else draft.title)
    path = document_path(content, draft.collection, date, slug)
    if path.exists():
        return PageResult(
            page,
            REFUSED,
            f"a document with another text already exists at {_shown(path, content)} "
            "(same title and year): compare them, rename one, and import again",
            draft,
        )
    suffix = PDF_CAPTURE if pdf else TEXT_CAPTURE
    file = capture_file(draft.collection, date, slug, suffix)
    capture = capture_record(file, data, origin.url, origin.captured, pdf and pdf.pages)
    notes = _notes(draft, page, origin) + (pdf_notes(pdf, page.path) if pdf else [])
    try:
        fields = _fields(draft, capture, registries)
        text = document_text(fields, draft.paragraphs, notes)
        refuse_outside(path, content / DOCUMENTS_FOLDER, _shown(path, content))
        refuse_outside(content / capture["file"], content / CAPTURES_DIR, capture["file"])
        store_capture(content, capture["file"], data)
        write_new(path, text, content / DOCUMENTS_FOLDER)
    except ArchiveError as err:
        problem = err.problems[0]
        return PageResult(page, REFUSED, f"{problem.path}: {_reason(problem)}", draft)
    except OSError as err:
        return PageResult(page, REFUSED, f"the capture could not be stored: {err.strerror}", draft)
    return PageResult(
        page,
        IMPORTED,
        f"draft written to {_shown(path, content)}",
        draft,
        path,
        capture_undated=origin.captured is None,
        url_unknown=not origin.url,
        pdf=pdf,
    )


def _reason(problem: Problem) -> str:
    """A problem as the one line of a refusal: what, where in the file, and the fix."""
    where = f" (line {problem.line})" if problem.line else ""
    return f"{problem.message}{where}" + (f". Fix: {problem.hint}" if problem.hint else "")


def _regular_bytes(path: Path, display: str, max_bytes: int, what: str = "page") -> bytes:
    """The bytes of a regular file of at most `max_bytes`, refused before reading otherwise.

    A device, pipe or socket could be read for ever, and a file of many megabytes is no
    page: both are refused with one line (ArchiveError) before a byte is read.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            fail(
                display,
                None,
                f"this is not a file but a {_kind(info.st_mode)}; nothing read",
                f"give the {what}'s file",
            )
        if info.st_size > max_bytes:
            _too_large(display, info.st_size, max_bytes, what)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        fail(display, None, _read_error(err))
    if len(data) > max_bytes:
        _too_large(display, len(data), max_bytes, what)
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def _too_large(display: str, size: int, max_bytes: int, what: str) -> None:
    sizes = f"{size / 1e6:.1f} MB", f"{max_bytes / 1e6:g} MB"
    if float(sizes[0].split()[0]) <= max_bytes / 1e6:  # "2.0 MB, more than 2 MB" says nothing
        sizes = f"{size:,} bytes", f"{max_bytes:,} bytes"
    fail(
        display,
        None,
        f"the {what} is {sizes[0]}, more than the {sizes[1]} a document may be; nothing read",
        "import the extracted text of one article, not a whole site, an HTML file or a dump",
    )


def _page_bytes(page: PageFile, max_bytes: int) -> bytes:
    """The page's bytes, or ArchiveError with the one reason it cannot be imported."""
    if page.problem:
        fail(page.display, None, page.problem)
    return _regular_bytes(page.path, page.display, max_bytes)


def _other_encoding(data: bytes) -> str:
    """The encoding ("UTF-16", "UTF-32") a page is saved in instead of UTF-8, or "".

    Without a mark, UTF-16 text of a Latin-script page has a NUL byte in every other place.
    """
    for mark, encoding in OTHER_ENCODINGS:
        if data.startswith(mark):
            return encoding
    head = data[:2000]
    if len(head) >= 4 and max(head[0::2].count(0), head[1::2].count(0)) > len(head) / 4:
        return "UTF-16"
    return ""


def _page_text(page: PageFile, data: bytes) -> str:
    """The page's text; an empty, binary, UTF-16, non-UTF-8 or HTML file is refused."""
    encoding = _other_encoding(data)
    if encoding:
        fail(
            page.display,
            None,
            f"the page is saved as {encoding} text, not UTF-8",
            f"save it as UTF-8 in your editor, or convert it with "
            f"'iconv -f {encoding} -t UTF-8 page.txt > page-utf8.txt'",
        )
    text = decode(page.display, data)
    if not text.strip():
        fail(page.display, None, "the file is empty", "extract the page's text into it again")
    if looks_like_html(text):
        fail(page.display, None, HTML_PROBLEM, HTML_FIX)
    return text


def _fields(draft: Draft, capture: dict, registries) -> dict:
    """The draft's front matter, with no `published:` (set when an editor publishes it).

    That date is the day an editor publishes the draft, never a date read from the page.
    """
    source = {
        "publisher": draft.publisher,
        "place": draft.place,
        "author": draft.author,
        "date": draft.source_date,
    }
    return {
        "title": f"{UNSURE_TITLE} {draft.title}".rstrip() if draft.title_unsure else draft.title,
        "collection": draft.collection,
        "language": draft.language or None,
        "status": "draft",
        "source": {key: value for key, value in source.items() if value},
        "via": via_fields(draft, capture.get("url", ""), registries),
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
    if draft.title_doubt:
        notes.append(
            f"The title is uncertain ({draft.title_doubt}): it may be a label or a link of the "
            "site, not the headline. Check it against the capture, correct it if the headline "
            f"is another line, then delete {UNSURE_TITLE} from it: 'archive check' refuses to "
            "publish the document until then."
        )
    elif not draft.title:
        notes.append(
            "No headline found: the page's text starts at once. Write the document's title in "
            f"place of {UNSURE_TITLE} ('archive check' refuses to publish the document until "
            "then)."
        )
    if draft.title_unsure:
        notes.append(
            f"The file is named after the page's file ({page.path.name}), as the importer is "
            "not sure of the title."
        )
    if draft.unknown:
        notes.append("Could not determine: " + ", ".join(draft.unknown) + ".")
    if draft.collection_line and not draft.collection:
        notes.append(
            f"The page's collection line {draft.collection_line!r} is no collection's name or "
            "alias in registry/collections.yml."
        )
    if origin.captured is None:
        notes.append(
            "Capture date unknown: none recorded (add '  captured: YYYY-MM-DD' under "
            "'capture:' if you know it)."
        )
    notes.append(
        "To publish: replace 'status: draft' by 'published: YYYY-MM-DD', the day you publish."
    )
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
    ("via", 14),
    ("via date", 10),
    ("collection", 24),
    ("lang", 4),
    ("could not determine", 0),
)


def summary(run: ImportRun) -> str:
    """The run's report: a table of every page's fields, then what needs the editor."""
    rows = [_row(result) for result in run.results]
    lines = [_table(rows)] if rows else ["No pages to import."]
    lines.append("")
    lines.extend(line for line in map(_result_line, run.results) if line)
    undated = [r for r in run.results if r.capture_undated]
    if undated:
        lines.append(
            f"Capture date unknown for {len(undated)} page(s): none recorded (give --captured, "
            "or a 'captured' column in the manifest)."
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
        f"{counts[ALREADY_IMPORTED] + counts[COMPLETED]} already imported"
        + (f" ({counts[COMPLETED]} with their custody completed)" if counts[COMPLETED] else "")
        + f", {counts[DUPLICATE]} duplicate(s), "
        f"{counts[REFUSED]} refused"
    )
    if run.refused:
        totals += " (" + ", ".join(r.page.display for r in run.refused) + ")"
    lines.append(totals + ".")
    if counts[IMPORTED] == counts[COMPLETED] == 0 and run.results and not run.refused:
        lines.append("Nothing new: no file was written.")
    return "\n".join(lines)


def _result_line(result: PageResult) -> str:
    """The summary's line about one page, if it needs the editor's attention."""
    if result.status != IMPORTED:
        refused = "refused: " if result.status == REFUSED else ""
        return f"{result.page.display}: {refused}{result.message}"
    if result.pdf:
        return f"{result.page.display}: {_pdf_line(result.pdf)}"
    if result.draft.cut_off:
        return f"{result.page.display}: imported, but {CUT_OFF[0].lower()}{CUT_OFF[1:]}"
    return ""


def _pdf_line(pdf: PdfOriginal) -> str:
    """What the summary says of an imported PDF: its pages, its metadata, a missing text."""
    line = f"imported from a PDF of {pdf.pages} page(s)"
    if pdf.title:
        line += f"; title {pdf.title!r} from the PDF's metadata (check it)"
    if pdf.created:
        line += (
            f"; the metadata says created {pdf.created.isoformat()} "
            "(not written as the source's date)"
        )
    if pdf.scanned:
        line += "; it is a scan with no text layer: type its text or OCR it before publishing"
    return line + "."


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
    missing = [TITLE_UNSURE.format(draft.title_doubt)] if draft.title_doubt else []
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
        f"? {draft.title}" if draft.title_doubt else draft.title,
        draft.publisher,
        draft.place,
        draft.author,
        draft.source_date.isoformat() if draft.source_date else "",
        draft.via,
        draft.via_date.isoformat() if draft.via_date else "",
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
