"""A PDF original's draft for `archive import`: its text, a title to check, and notes.

The PDF itself is read, or refused, by archive/model/pdf.py. Its text layer becomes the
draft's body (for reading and search). Its metadata (title, dates) is the writing
software's record, not the source's word: it is proposed in the draft, labelled as coming
from the PDF, never written as the source's own.
"""

from __future__ import annotations

from pathlib import Path

from archive.editors.importer import (
    Draft,
    clean_lines,
    detect_language,
    paragraphs_of,
    propose,
    unmatched_names,
)
from archive.model.documents import UNTYPED_SCAN_TEXT
from archive.model.pdf import PdfOriginal
from archive.model.registries import Registries


def pdf_draft(original: PdfOriginal, page: Path, registries: Registries) -> Draft:
    """The draft of a PDF: its text as paragraphs, a title to check, proposals from its text.

    The title is the metadata's, else the first line of the text, else the file's name,
    and the notes (pdf_notes) say which. A scan's body is UNTYPED_SCAN_TEXT.
    """
    paragraphs = paragraphs_of(clean_lines(original.text)) or [UNTYPED_SCAN_TEXT]
    first_line = next((line for line in clean_lines(original.text) if line), "")
    draft = Draft(title=original.title or first_line or page.stem, paragraphs=paragraphs)
    draft.language = detect_language(original.text)
    draft.actors = propose(registries.actors, original.text)
    draft.locations = propose(registries.locations, original.text)
    draft.unmatched_names = unmatched_names(original.text, registries)
    draft.unknown = ["source publisher", "source date", "collection", "rights notice"]
    if not draft.language:
        draft.unknown.append("language")
    return draft


def pdf_notes(original: PdfOriginal, page: Path) -> list[str]:
    """What the editor must know of a PDF's draft: where its title and dates come from."""
    if original.title:
        notes = [
            "The title is the PDF's metadata title (its writing software's), not read "
            "from the document: check it against the PDF."
        ]
    elif not original.scanned:
        notes = ["The title is the first line of the PDF's text: check it against the PDF."]
    else:
        notes = [
            f"The title is the file's name ({page.name}): neither the PDF's metadata nor "
            "a text layer gives one. Write the document's title."
        ]
    for what, day in (("created", original.created), ("last modified", original.modified)):
        if day:
            notes.append(
                f"The PDF's metadata says it was {what} on {day.isoformat()}: that is its "
                "file's date, not necessarily the source's. Write 'date:' under 'source:' only "
                "if the document itself bears it."
            )
    notes.append(f"The PDF has {original.pages} page(s); its text is below for reading and search.")
    if original.scanned:
        notes.append(
            "This PDF is a scan with no text layer: type its text or OCR it before "
            "publishing (the build refuses to publish the importer's note)."
        )
    return notes
