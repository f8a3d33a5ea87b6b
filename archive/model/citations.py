"""Citations of archived documents: Chicago, APA and BibTeX, plus machine-readable metadata.

A reader must be able to cite both the original source and the archive copy they read, even
when parts are unknown (no author, no URL, no original date). Everything here is plain data
(text, dicts); the theme decides how it looks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from archive.model.documents import Document

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Segment:
    """A run of citation text; `italic` where the style sets it in italics."""

    text: str
    italic: bool = False


@dataclass(frozen=True)
class Citation:
    """One citation style's rendering, as segments and as copyable plain text."""

    style: str
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        """The citation as plain text, ready to copy."""
        return "".join(segment.text for segment in self.segments)


@dataclass(frozen=True)
class CopyInArchive:
    """Where the cited copy lives: the archive's name and the document's public address.

    The address is empty when the archive has none yet (a local build): citations then name
    the archive without a made-up domain.
    """

    site_name: str
    url: str


def month_day_year(date: dt.date) -> str:
    """'June 9, 2017', as Chicago writes dates."""
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


def _sentence(text: str) -> str:
    """End a title with a period unless it already ends with punctuation."""
    return text if text[-1:] in ".?!" else text + "."


def _chicago_name(name: str) -> str:
    """'Jane Doe' -> 'Doe, Jane' for the first author in a bibliography."""
    parts = name.rsplit(" ", 1)
    return f"{parts[1]}, {parts[0]}" if len(parts) == 2 and "," not in name else name


def _apa_name(name: str) -> str:
    """'Jane Q. Doe' -> 'Doe, J. Q.'."""
    if "," in name:
        return name
    *given, family = name.split()
    if not given:
        return family
    return f"{family}, " + " ".join(part[0] + "." for part in given)


def _join_names(names: list[str], final: str) -> str:
    if len(names) <= 2:
        return f" {final} ".join(names)
    return ", ".join(names[:-1]) + f", {final} " + names[-1]


def language_note(document: Document) -> list[Segment]:
    """Say "In Spanish." of a text not in English: Chicago and APA are English styles."""
    if document.language == "en":
        return []
    try:
        name = Locale.parse(document.language).get_display_name("en")
    except (ValueError, UnknownLocaleError):
        name = document.language
    return [Segment(f"In {name}. ")]


def chicago(document: Document, copy: CopyInArchive) -> Citation:
    """Chicago bibliography entry; an unsigned article is listed under its publisher."""
    source = document.source
    title = source.title or document.title
    authors = list(source.authors)
    if authors:
        lead = _join_names([_chicago_name(authors[0]), *authors[1:]], "and")
        where = [source.publisher, source.place]
    else:
        lead = source.publisher
        where = [source.place]
    details = ", ".join(
        part for part in [*where, source.date and month_day_year(source.date)] if part
    )
    parts = [Segment(_sentence(lead) + " "), Segment(f"“{_sentence(title)}” ")]
    parts += language_note(document)
    if details:
        parts.append(Segment(details + ". "))
    if source.url:
        parts.append(Segment(f"{source.url}. "))
    republished = f"Republished in {copy.site_name}, {month_day_year(document.published)}."
    parts.append(Segment(f"{republished} {copy.url}." if copy.url else republished))
    return Citation("Chicago", tuple(parts))


def apa(document: Document, copy: CopyInArchive) -> Citation:
    """APA 7 reference; with no author the title takes the author's place."""
    source = document.source
    title = source.title or document.title
    date = source.date
    when = f"({date.year}, {MONTHS[date.month - 1]} {date.day})." if date else "(n.d.)."
    parts = []
    if source.authors:
        names = [_apa_name(name) for name in source.authors]
        parts += [
            Segment(_sentence(_join_names(names, "&")) + " "),
            Segment(when + " "),
            Segment(_sentence(title) + " "),
        ]
    else:
        parts += [Segment(_sentence(title) + " "), Segment(when + " ")]
    parts += language_note(document)
    parts.append(Segment(source.publisher, italic=True))
    parts.append(Segment(f", {source.place}. " if source.place else ". "))
    if source.url:
        parts.append(Segment(f"{source.url} "))
    published = document.published
    republished = (
        f"Republished in {copy.site_name} ({published.year}, "
        f"{MONTHS[published.month - 1]} {published.day})."
    )
    parts.append(Segment(f"{republished} {copy.url}" if copy.url else republished))
    return Citation("APA", tuple(parts))


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def bibtex(document: Document, copy: CopyInArchive, key: str) -> Citation:
    """A BibTeX @misc entry (works with BibTeX and biblatex); unsigned: publisher as author."""
    source = document.source
    authors = " and ".join(_bibtex_text(a) for a in source.authors)
    fields = [
        ("title", "{" + _bibtex_text(source.title or document.title) + "}"),
        ("author", "{" + (authors or "{" + _bibtex_text(source.publisher) + "}") + "}"),
        ("organization", "{" + _bibtex_text(source.publisher) + "}"),
    ]
    if source.place:
        fields.append(("address", "{" + _bibtex_text(source.place) + "}"))
    if source.date:
        fields += [
            ("year", f"{{{source.date.year}}}"),
            ("month", BIBTEX_MONTHS[source.date.month - 1]),
            ("date", "{" + source.date.isoformat() + "}"),
        ]
    else:
        fields.append(("year", "{n.d.}"))
    fields.append(
        (
            "howpublished",
            "{Republished in "
            + _bibtex_text(copy.site_name)
            + ", "
            + document.published.isoformat()
            + "}",
        )
    )
    if copy.url:
        fields.append(("url", "{" + copy.url + "}"))
    if source.url:
        fields.append(("note", "{Original: \\url{" + source.url + "}}"))
    fields.append(("language", "{" + document.language + "}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return Citation("BibTeX", (Segment(f"@misc{{{key},\n{body}\n}}"),))


def citations(document: Document, copy: CopyInArchive, key: str) -> tuple[Citation, ...]:
    """Every style the "Cite this document" block offers, in the order shown."""
    return chicago(document, copy), apa(document, copy), bibtex(document, copy, key)


def meta_tags(document: Document, copy: CopyInArchive) -> list[tuple[str, str]]:
    """Highwire Press (read by Zotero, Google Scholar) and Dublin Core <meta> name/content pairs."""
    source = document.source
    date = document.date
    subjects = [term.name for term in (*document.actors, *document.locations)]
    tags = [("citation_title", document.title)]
    tags += [("citation_author", author) for author in source.authors]
    tags += [
        ("citation_publication_date", date.strftime("%Y/%m/%d")),
        ("citation_online_date", document.published.strftime("%Y/%m/%d")),
        ("citation_publisher", source.publisher),
        ("citation_language", document.language),
    ]
    if copy.url:
        tags.append(("citation_public_url", copy.url))
    if subjects:
        tags.append(("citation_keywords", "; ".join(subjects)))
    tags += [
        ("DC.title", document.title),
        *[("DC.creator", author) for author in (source.authors or (source.publisher,))],
        ("DC.publisher", copy.site_name),
        ("DC.date", date.isoformat()),
        ("DC.date.available", document.published.isoformat()),
        ("DC.source", source_description(document)),
        ("DC.rights", document.rights.text),
        ("DC.language", document.language),
        *([("DC.identifier", copy.url)] if copy.url else []),
        ("DC.type", "Text"),
    ]
    if subjects:
        tags.append(("DC.subject", "; ".join(subjects)))
    return tags


def source_description(document: Document) -> str:
    """The original source in one line: 'Itar Tass, Moscow, 2017-06-09, https://…'."""
    source = document.source
    parts = [source.publisher, source.place, source.date and source.date.isoformat(), source.url]
    if source.title and source.title != document.title:
        parts.insert(0, f"“{source.title}”")
    return ", ".join(part for part in parts if part)


def json_ld(document: Document, copy: CopyInArchive, site_url: str) -> dict:
    """schema.org description of the archive copy and the original it is based on."""
    source = document.source
    organisation = {"@type": "Organization", "name": source.publisher}
    original = {
        "@type": "NewsArticle",
        "headline": source.title or document.title,
        "publisher": organisation,
    }
    if source.date:
        original["datePublished"] = source.date.isoformat()
    if source.place:
        original["locationCreated"] = {"@type": "Place", "name": source.place}
    if source.url:
        original["url"] = source.url
    if source.authors:
        original["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    about = [_thing(term) for term in (*document.actors, *document.locations)]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": document.title,
        "inLanguage": document.language,
        "datePublished": document.published.isoformat(),
        "isBasedOn": original,
        "sourceOrganization": organisation,
        "publisher": {"@type": "Organization", "name": copy.site_name},
        "isPartOf": {"@type": "Collection", "name": document.collection.name},
        "copyrightNotice": document.rights.text,
        "usageInfo": document.rights.url or document.rights.label,
    }
    if copy.url:
        data["url"] = copy.url
        data["publisher"]["url"] = site_url
    if document.updated:
        data["dateModified"] = document.updated.isoformat()
    if document.rights.url:
        data["license"] = document.rights.url
    if about:
        data["about"] = about
    return data


def _thing(term) -> dict:
    kind = {"person": "Person"}.get(term.type, "Organization") if term.kind == "actor" else "Place"
    thing = {"@type": kind, "name": term.name}
    if term.wikidata:
        thing["sameAs"] = term.wikidata_url
    if term.coordinates:
        thing["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": term.coordinates[0],
            "longitude": term.coordinates[1],
        }
    return thing
