"""Citations of archived documents: one CSL-JSON record each, formatted Chicago, APA, BibTeX.

A citation cites the archive's copy of a document with the original's facts: its title,
authors, newspaper or agency and date, this archive as the archive holding the copy, and the
copy's address. No official style prints the whole chain of custody (the intermediary, the
capture, the day this archive published the copy), so the record carries it for reference
managers (`csl_record`: Zotero and others import it) and the page shows it. Entries are
formatted by a CSL processor from the official styles (archive/model/csl.py), in the
reader's interface language where the style has a locale.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from archive.model.csl import STYLE_FILES, entry
from archive.model.documents import Document

BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: The babel-style names BibTeX's `langid` (biblatex) expects for the archive's languages.
BIBTEX_LANGUAGES = {"en": "english", "es": "spanish", "fr": "french", "ar": "arabic"}


@dataclass(frozen=True)
class CopyInArchive:
    """Where the cited copy lives: the archive's name and the document's public address.

    The addresses are empty when the archive has none yet (a local build): citations then
    name the archive without a made-up domain, and the page says why.
    """

    site_name: str
    url: str
    #: The public address of the document's capture, if it has one and the archive an address.
    capture_url: str = ""


@dataclass(frozen=True)
class Citation:
    """One style's citation: its name, its HTML (values escaped) and its plain text."""

    style: str
    html: str
    text: str


def _date_parts(date: dt.date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def csl_name(name: str) -> dict:
    """A person's name as CSL-JSON has it: 'Leith Fadel' or 'Fadel, Leith' -> family, given.

    A name of one word is kept whole (`literal`): nothing says which part it is.
    """
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    parts = name.rsplit(" ", 1)
    return {"family": parts[1], "given": parts[0]} if len(parts) == 2 else {"literal": name}


def csl_record(document: Document, copy: CopyInArchive, key: str) -> dict:
    """The document's CSL-JSON record: its citation, and its whole chain of custody.

    `title`, `container-title`, `author` and `issued` are the original's; `archive` and
    `URL` are this archive's copy; `original-*` repeat the original's facts where reference
    managers look for a reprint's source; `available-date` is the day this archive published
    the copy; `source` is the intermediary; `note` tells the whole chain in words.
    """
    source = document.source
    record = {
        "id": key,
        "type": "article-newspaper",
        "title": source.title or document.title,
        "container-title": source.publisher,
        "archive": copy.site_name,
        "language": document.language,
        "original-publisher": source.publisher,
        "original-title": source.title or document.title,
        "note": custody_description(document),
    }
    if source.authors:
        record["author"] = [csl_name(name) for name in source.authors]
    if source.date:
        record["issued"] = record["original-date"] = _date_parts(source.date)
    if source.place:
        record["original-publisher-place"] = source.place
    if copy.url:
        record["URL"] = copy.url
    if document.published:
        record["available-date"] = _date_parts(document.published)
    if document.via:
        record["source"] = document.via.publisher.name
    return record


def _source_description(document: Document) -> str:
    """The original source in one line: 'Itar Tass, Moscow, 2017-06-09, https://…'."""
    source = document.source
    parts = [source.publisher, source.place, source.date and source.date.isoformat(), source.url]
    if source.title and source.title != document.title:
        parts.insert(0, f"“{source.title}”")
    return ", ".join(part for part in parts if part)


def custody_description(document: Document) -> str:
    """The chain of custody in one line, for citation metadata.

    In English, as Dublin Core values are: 'Itar Tass, Moscow, 2017-06-09; republished by
    Equipo Nizkor, 2017-06-12, https://…; captured from https://… on 2025-03-03T10:00:00+00:00'.
    """
    parts = [_source_description(document)]
    via = document.via
    if via:
        details = [via.date and via.date.isoformat(), via.url]
        parts.append(
            ", ".join([f"republished by {via.publisher.name}", *(d for d in details if d)])
        )
    capture = document.capture
    if capture:
        captured = "captured" + (f" from {capture.url}" if capture.url else "")
        if capture.captured:
            captured += f" on {capture.captured.isoformat()}"
        elif capture.committed:
            captured += (
                ", date not recorded (in the archive's repository since "
                f"{capture.committed.isoformat()})"
            )
        else:
            captured += ", date not recorded"
        parts.append(captured)
    return "; ".join(parts)


def citations(record: dict, language: str) -> tuple[Citation, ...]:
    """Every style the "Cite this document" block offers, in the order shown."""
    formatted = [entry(record, style, language) for style in STYLE_FILES]
    return (
        *(
            Citation(style, found.html, found.text)
            for style, found in zip(STYLE_FILES, formatted, strict=True)
        ),
        Citation("BibTeX", "", bibtex(record)),
    )


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _tex(value: str) -> str:
    """Text with LaTeX's special characters written as text."""
    return "".join(_LATEX_SPECIAL.get(character, character) for character in value)


def _bibtex_name(name: dict) -> str:
    """'Family, Given'; a name of one part braced, so BibTeX does not split it."""
    if "literal" in name:
        return "{" + _tex(name["literal"]) + "}"
    return f"{_tex(name['family'])}, {_tex(name['given'])}"


def bibtex(record: dict) -> str:
    """A @misc entry of the archive's copy, for BibTeX and biblatex.

    @misc, not biblatex's @online, which classic BibTeX styles do not know. The title is
    braced twice: classic styles (plain, alpha, most journals') and biblatex lowercase every
    letter of a title outside braces but the first, so "US-led coalition … against IS" would
    print "us-led … against is". The archive keeps each title as the original printed it,
    proper nouns and acronyms included, and Spanish and French titles must never be recased:
    the whole title is kept as it is. Without an author, `key` gives the sort and label.
    """
    fields = []
    if record.get("author"):
        fields.append(("author", "{" + " and ".join(map(_bibtex_name, record["author"])) + "}"))
    else:
        fields.append(("key", "{" + _tex(record["container-title"]) + "}"))
    fields += [
        ("title", "{{" + _tex(record["title"]) + "}}"),
        ("howpublished", "{" + _tex(record["container-title"]) + "}"),
    ]
    if record.get("original-publisher-place"):
        fields.append(("address", "{" + _tex(record["original-publisher-place"]) + "}"))
    parts = (record.get("issued") or {}).get("date-parts", [[]])[0]
    if parts:
        fields.append(("year", f"{{{parts[0]}}}"))
        fields.append(("month", BIBTEX_MONTHS[parts[1] - 1]))  # a macro: no braces
        fields.append(("date", "{" + "-".join(f"{part:02d}" for part in parts) + "}"))
    else:
        fields.append(("year", "{n.d.}"))
    fields.append(("note", "{" + _tex(record["note"]) + "}"))
    if record.get("URL"):
        fields.append(("url", "{" + record["URL"] + "}"))
    language = record.get("language", "")
    fields.append(("langid", "{" + BIBTEX_LANGUAGES.get(language, language) + "}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@misc{{{_bibtex_key(record['id'])},\n{body}\n}}"


def _bibtex_key(key: str) -> str:
    """A citation key BibTeX accepts: no spaces, commas, braces or quotes."""
    return re.sub(r"[\s,{}\"'#%~\\]", "-", key)


def archive_record(site_name: str, site_url: str, year: int | None) -> dict:
    """The CSL-JSON record of the archive as a whole, for "Cite the archive as"."""
    record = {"id": "archive", "type": "webpage", "title": site_name}
    if year:
        record["issued"] = {"date-parts": [[year]]}
    if site_url:
        record["URL"] = site_url + "/"
    return record
