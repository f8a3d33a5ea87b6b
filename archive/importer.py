"""Turn a scraped page into a draft document: structured front matter and Markdown text.

A scraped page holds site chrome, the report, a source line, a publication line and a
rights notice.

Pages of this kind vary: the source line comes in the page's language (`[Source: Itar Tass,
Moscow, 09Jun17]`, `[Fuente: Sputnik News, Moscú, 25ene16]`, `[Source: Ria Novosti, Moscou,
22fév13]`), the place may contain a comma, header lines and chrome differ between English and
Spanish, some extractions keep table pipes or lose blank lines. So the importer recognises
each part by its own shape, not by its position in one known page, and says what it could not
determine instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from .registries import Registries
from .terms import DASHES, TermRegistry

MONTHS = {
    # English
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # Spanish (lower case in the source lines)
    "ene": 1,
    "abr": 4,
    "ago": 8,
    "set": 9,
    "dic": 12,
    # French
    "janv": 1,
    "fev": 2,
    "fevr": 2,
    "mars": 3,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juil": 7,
    "aou": 8,
    "aout": 8,
    "déc": 12,
    "fév": 2,
    "févr": 2,
    "aoû": 8,
    "août": 8,
}
SHORT_DATE = re.compile(r"^(\d{1,2})\s*([^\W\d_]{3,5})\.?\s*(\d{2}|\d{4})$")
SOURCE_LINE = re.compile(r"^\[\s*(?:source|fuente|fonte|quelle)\s*:\s*(.+?)\s*\]$", re.I)
PUBLISHED_LINE = re.compile(
    r"(?:has been published on|ha sido publicado el|a été publié le|publicado el|publié le)"
    r"\s+(\d{1,2}\s*[^\W\d_]{3,5}\.?\s*\d{2,4})",
    re.I,
)
#: Lines of the archive site's own navigation, header and footer, in English and Spanish.
CHROME = re.compile(
    r"^(?:equipo nizkor|derechos|radio nizkor|small logo|bookshop|donate|tienda|"
    r"donaciones(?: online)?|information|información|informaci[oó]n|english|español|"
    r"home|inicio|back|volver|derechos human rights|team nizkor|"
    r"(?:bookshop|tienda|donate|donaciones online|radio nizkor|derechos|equipo nizkor)"
    r"(?:\s*[|·]?\s*(?:bookshop|tienda|donate|donaciones online|radio nizkor|derechos|"
    r"equipo nizkor|small logo))*)$",
    re.I,
)
STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "with", "for", "was", "said", "by"},
    "es": {"el", "la", "los", "las", "de", "que", "y", "en", "del", "por", "con", "una", "dijo"},
    "fr": {"le", "la", "les", "des", "et", "du", "que", "dans", "une", "pour", "avec", "est"},
}


@dataclass
class Draft:
    """What the importer made of a page, and what it could not determine."""

    title: str = ""
    paragraphs: list[str] = field(default_factory=list)  # "## " marks a section heading
    publisher: str = ""
    place: str = ""
    source_date: dt.date | None = None
    published: dt.date | None = None
    collection: str = ""  # a registry key
    language: str = ""
    rights: str = ""  # a registry key
    actors: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def is_document(self) -> bool:
        """A page is a document if it has a title and at least one paragraph of text."""
        return bool(self.title and any(not p.startswith("## ") for p in self.paragraphs))


def parse_short_date(text: str) -> dt.date | None:
    """'09Jun17', '25ene16', '22fév13', '3 Mar 2014' -> a date, or None."""
    match = SHORT_DATE.match(text.strip())
    if not match:
        return None
    day, month, year = match.groups()
    month_number = MONTHS.get(month.lower()) or MONTHS.get(_fold(month.lower()))
    if not month_number:
        return None
    year_number = (
        int(year) if len(year) == 4 else 2000 + int(year) if int(year) < 70 else 1900 + int(year)
    )
    try:
        return dt.date(year_number, month_number, int(day))
    except ValueError:
        return None


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def clean_lines(raw: str) -> list[str]:
    """Lines of text without table pipes and surrounding white space (blank lines kept)."""
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = re.sub(r"(?:^\s*\|+\s*|\s*\|+\s*$)", "", line)  # | text || from table extraction
        line = re.sub(r"\s*\|\|\s*", " ", line)
        lines.append(" ".join(line.split()))
    return lines


def parse_page(raw: str, registries: Registries) -> Draft:
    """Recognise the parts of a scraped page; see the module docstring."""
    draft = Draft()
    lines = clean_lines(raw)
    source_index = next((i for i, line in enumerate(lines) if SOURCE_LINE.match(line)), None)
    if source_index is not None:
        _read_source(SOURCE_LINE.match(lines[source_index]).group(1), draft)
    tail = lines[source_index + 1 :] if source_index is not None else []
    body = lines[:source_index] if source_index is not None else lines

    tail_text = " ".join(tail)
    published = PUBLISHED_LINE.search(tail_text) or PUBLISHED_LINE.search(" ".join(lines))
    if published:
        draft.published = parse_short_date(published.group(1))
    draft.collection = _collection(tail, registries)
    draft.rights = _rights(tail_text, registries)

    content = [line for line in body if line and not _is_chrome(line)]
    content = _drop_header_lines(content)
    if content:
        draft.title = content[0]
        draft.paragraphs = [_paragraph(line) for line in content[1:]]
    text = " ".join(p for p in draft.paragraphs)
    draft.language = _language(text)
    draft.actors = propose(registries.actors, draft.title + " " + text)
    draft.locations = propose(registries.locations, draft.title + " " + text)

    for name, value in (
        ("title", draft.title),
        ("source publisher", draft.publisher),
        ("source date", draft.source_date),
        ("archive publication date", draft.published),
        ("collection", draft.collection),
        ("rights notice", draft.rights),
        ("language", draft.language),
    ):
        if not value:
            draft.unknown.append(name)
    return draft


def _read_source(inner: str, draft: Draft) -> None:
    """'Itar Tass, Moscow, 09Jun17' -> publisher, place (which may hold commas) and date."""
    parts = [part.strip() for part in inner.split(",") if part.strip()]
    if parts and parse_short_date(parts[-1]):
        draft.source_date = parse_short_date(parts.pop())
    if parts:
        draft.publisher = parts[0]
        draft.place = ", ".join(parts[1:])


def _is_chrome(line: str) -> bool:
    return bool(CHROME.match(line)) or set(line) <= set("|-_=*· ")


def _drop_header_lines(content: list[str]) -> list[str]:
    """Remove date lines and language links that some pages put before the title."""
    while content and (
        parse_short_date(content[0])
        or re.fullmatch(r"[\d\s./-]+", content[0])
        or re.fullmatch(r"(?:[A-Za-zÀ-ÿ]+\s*[|/]\s*)+[A-Za-zÀ-ÿ]+", content[0])
    ):
        content = content[1:]
    return content


def _paragraph(line: str) -> str:
    """A short line without closing punctuation between paragraphs is a section heading."""
    if len(line) <= 100 and not re.search(r"[.:;!?\"”»)\]]$", line) and len(line.split()) >= 2:
        return "## " + line
    return line


def _collection(tail: list[str], registries: Registries) -> str:
    for line in tail:
        for part in re.split(r"\s{2,}|\s[|·]\s", line):
            entry = registries.collection(part) if part else None
            if entry:
                return entry.key
    return ""


def _rights(text: str, registries: Registries) -> str:
    """The registry notice closest to the page's rights paragraph, if it is close at all."""
    if not text:
        return ""
    best, score = "", 0.0
    folded = _fold(text.lower())
    for key, rights in registries.rights.items():
        notice = _fold(rights.text.lower())
        matcher = difflib.SequenceMatcher(None, notice, folded, autojunk=False)
        match = matcher.find_longest_match(0, len(notice), 0, len(folded))
        ratio = match.size / max(len(notice), 1)
        if ratio > score:
            best, score = key, ratio
    if score >= 0.5:
        return best
    if re.search(r"(?:title|título|titre)\s+17", folded) and "fair-use-us" in registries.rights:
        return "fair-use-us"  # the same notice, translated
    return ""


def _language(text: str) -> str:
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {code: sum(word in stop for word in words) for code, stop in STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else ""


def propose(registry: TermRegistry, text: str) -> list[str]:
    """Canonical names of the terms whose name or alias appears in the text, in text order.

    Short aliases (acronyms such as IS or SDF) must match case and whole words; longer names
    match regardless of case.
    """
    found: dict[str, int] = {}
    text = text.translate(DASHES)  # "Syria-Jordan border" finds "Syria–Jordan border"
    for term in registry.terms.values():
        for spelling in (term.name, *term.aliases):
            spelling = spelling.translate(DASHES)
            short = len(spelling) <= 4
            pattern = r"(?<![\w-])" + re.escape(spelling) + r"(?![\w-])"
            match = re.search(pattern, text, 0 if short else re.I)
            if match:
                position = match.start()
                found[term.name] = min(found.get(term.name, position), position)
    return sorted(found, key=found.get)
