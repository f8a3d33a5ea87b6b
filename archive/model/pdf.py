"""A PDF original: read safely, or refused in one line.

A PDF an editor receives is evidence, and also a program: it can carry JavaScript, actions
that launch other programs, whole files inside it, and streams that inflate to gigabytes.
The archive keeps the PDF byte for byte as the document's capture and serves it to readers'
browsers, so it accepts only a PDF that does none of this, and says in one line why it
refuses another: at import (archive/editors/pdf_originals.py), and again in every check and
build (archive/model/captures.py::capture_problems), since a PDF can also be put under
captures/ by hand. Everything here uses pypdf's public API (PdfReader, its generic objects,
its Configuration limits).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

import pypdf
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from archive.model.problems import fail
from archive.model.sourcefile import MAX_BYTES

#: Largest PDF imported: a scanned report of a hundred pages is a few tens of MB, and every
#: capture is kept in git and published with the site.
PDF_MAX_BYTES = 50_000_000
#: Largest output of one decompressed stream: a page's text is a few kB, a drawing a few MB;
#: more is a decompression bomb (a few kB of zeros that inflate to gigabytes).
STREAM_MAX_BYTES = 20_000_000
#: Largest extracted text, the largest document the archive accepts (sourcefile.MAX_BYTES).
TEXT_MAX_CHARS = MAX_BYTES
#: Most objects looked at for scripts and launchers: a hundred-page scan has a few thousand.
OBJECTS_MAX = 500_000
#: The spec allows junk before the header and after the end mark, within this many bytes.
MARK_WINDOW = 1024

#: The limits pypdf applies while it reads this PDF (pypdf.Configuration): every kind of
#: compression bounded, and no external decoder (jbig2dec) run on an untrusted file.
LIMITS = {
    "zlib_maximum_output_length": STREAM_MAX_BYTES,
    "lzw_maximum_output_length": STREAM_MAX_BYTES,
    "run_length_maximum_output_length": STREAM_MAX_BYTES,
    "brotli_maximum_output_length": STREAM_MAX_BYTES,
    "jbig2_maximum_output_length": STREAM_MAX_BYTES,
    "array_based_stream_maximum_output_length": STREAM_MAX_BYTES,
    "image_maximum_buffer_size": STREAM_MAX_BYTES,
    "stream_decoding_work_maximum_length": 4 * STREAM_MAX_BYTES,
    "jbig2dec_binary": None,
}

#: Keys that hold or name JavaScript: an action's script (/JS), the document's named
#: scripts (/JavaScript in /Names), and XFA forms, whose scripts some viewers run.
SCRIPT_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript", "/XFA": "an XFA form (scripts)"}
#: Action types (/S) refused wherever they stand (/OpenAction, /AA, annotations, outlines):
#: a script, or a launch of another program or file on the reader's machine.
REFUSED_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "a launch action"}
#: Keys of files carried inside the PDF: a reader's viewer offers to open them, so the
#: archive would publish a file no editor has seen.
EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF", "/EmbeddedFile"}

HOSTILE_FIX = (
    "ask the source for a copy without it, or print the PDF to a new PDF and import that, "
    "noting in the draft that the capture is a re-saved copy"
)


@dataclass(frozen=True)
class PdfOriginal:
    """What the importer takes from a PDF: its text, page count and metadata."""

    text: str
    pages: int
    #: The PDF's metadata, as its writing software recorded it.
    title: str = ""
    created: dt.date | None = None
    modified: dt.date | None = None

    @property
    def scanned(self) -> bool:
        """No text layer: the pages are images, whose text must be typed or recognised."""
        return not self.text.strip()


def read_pdf(display: str, data: bytes) -> PdfOriginal:
    """The PDF's text, pages and metadata, or ArchiveError with the one reason to refuse it.

    Refused: a file that is not a whole PDF (cut short, or not a PDF), an encrypted one, one
    with JavaScript, a launch action or embedded files, and one whose streams or text exceed
    the limits above.
    """
    if not data[:MARK_WINDOW].lstrip().startswith(b"%PDF-") or b"%%EOF" not in data[-MARK_WINDOW:]:
        fail(
            display,
            None,
            "this is not a whole PDF file (no '%PDF-' header or no '%%EOF' end: cut short, "
            "or another kind of file named .pdf)",
            "download or save the PDF again, whole",
        )
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # its recoveries from small faults are not the editor's
    try:
        with pypdf.apply_configuration(**LIMITS):
            return _read(display, pypdf.PdfReader(io.BytesIO(data)))
    except pypdf.errors.LimitReachedError:
        fail(
            display,
            None,
            f"this PDF holds a stream that inflates past {STREAM_MAX_BYTES:,} bytes (a "
            "decompression bomb, or not a document)",
            HOSTILE_FIX,
        )
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        fail(
            display,
            None,
            f"this PDF cannot be read: it is damaged or malformed ({type(err).__name__}: {err})",
            "download or save the PDF again, or ask the source for an intact copy",
        )
    finally:
        pypdf_log.setLevel(level)


def _read(display: str, reader: pypdf.PdfReader) -> PdfOriginal:
    if reader.is_encrypted:
        fail(
            display,
            None,
            "this PDF is encrypted (protected by a password or by restrictions), so the "
            "archive can neither read its text nor check what it holds",
            "ask the source for an unencrypted copy, or save one with a PDF tool and note "
            "in the draft that the capture is a re-saved copy",
        )
    found = hostile_content(reader)
    if found:
        fail(
            display,
            None,
            f"this PDF carries {found}, which a reader's viewer could run or open",
            HOSTILE_FIX,
        )
    text = _text(display, reader)
    metadata = reader.metadata or {}
    return PdfOriginal(
        text=text,
        pages=len(reader.pages),
        title=" ".join(str(getattr(metadata, "title", None) or "").split()),
        created=_metadata_date(metadata, "creation_date"),
        modified=_metadata_date(metadata, "modification_date"),
    )


def hostile_content(reader: pypdf.PdfReader) -> str:
    """What the PDF carries that the archive refuses to publish, in words, or "".

    Every object reachable from the trailer is looked at (the catalog, its /Names,
    /OpenAction and /AA, pages and their annotations, outlines, forms), without decoding a
    stream: a script or launcher can hide anywhere an action may stand.
    """
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    looked_at = 0
    while pending:
        looked_at += 1
        if looked_at > OBJECTS_MAX:
            return f"more than {OBJECTS_MAX:,} objects (too many to check)"
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found = _refused_in(item)
            if found:
                return found
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return ""


def _refused_in(dictionary: DictionaryObject) -> str:
    """What one dictionary holds that is refused: a script, a launcher, an embedded file."""
    for key in dictionary:
        if key in SCRIPT_KEYS:
            return SCRIPT_KEYS[key]
        if key in EMBEDDED_KEYS:
            return "embedded files"
    action = dictionary.get("/S")
    if isinstance(action, NameObject) and action in REFUSED_ACTIONS:
        return REFUSED_ACTIONS[action]
    if dictionary.get("/Type") == "/EmbeddedFile":
        return "embedded files"
    return ""


def _text(display: str, reader: pypdf.PdfReader) -> str:
    """The text layer, page after page, refused once it is longer than a document may be."""
    pages, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        length += len(text)
        if length > TEXT_MAX_CHARS:
            fail(
                display,
                None,
                f"the text of this PDF is longer than the {TEXT_MAX_CHARS:,} characters a "
                "document may be",
                "import the PDF of one report, not a collection of them",
            )
        pages.append(text)
    return "\n\n".join(pages)


def _metadata_date(metadata, name: str) -> dt.date | None:
    """A date of the PDF's metadata, or None when it has none or one that does not parse."""
    try:
        value = getattr(metadata, name, None)
    except ValueError:  # a malformed date string is no date, not a damaged PDF
        return None
    return value.date() if isinstance(value, dt.datetime) else None
