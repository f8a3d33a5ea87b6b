"""The document model: the front-matter schema every archived document follows.

This is the one place that knows what a document's fields mean and what makes them valid;
the Pelican reader and the editors' tools both call `parse_document`.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from archive.model.captures import PDF_CAPTURE
from archive.model.problems import WARNING, ArchiveError, Problem, fail, suggest
from archive.model.registries import Collection, Registries, Rights
from archive.model.sourcefile import (
    CONTROLS,
    MAX_BYTES,
    Located,
    decode,
    invisible,
    split_front_matter,
)
from archive.model.terms import Term, TermRegistry, web_address

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
STATUSES = ("published", "draft")
#: The earliest year a date of the archive may have (a typo like 0201 stretches timelines).
EARLIEST_YEAR = 1800
#: The longest summary or content warning: one or two sentences (a summary is repeated in
#: every list showing the document).
SHORT_TEXT = 1000


def today() -> dt.date:
    """The day of the check: a date of something done is not after it.

    Read each time a document is, so a long-running preview moves on at midnight; tests set
    another day by replacing this function.
    """
    return dt.date.today()


@dataclass(frozen=True)
class Field:
    """One front-matter field: what an editor is told it holds, how it is read, if required.

    `kind` names the _Checker method that reads it ("text", "date", "source", …); `check`,
    if given, names the method that then validates or resolves the value read.
    """

    help: str
    kind: str = "text"
    required: bool = False
    check: str = ""
    #: A date of something done before the document is checked (the original's publication,
    #: a capture, a correction): never after today. `published` is not one: a pull request
    #: may give the day it is to be merged.
    happened: bool = False


#: Top-level front-matter fields, in the order editors write them.
FIELDS = {
    "title": Field("the document's title, as published", required=True),
    # Required of every published document (`_Checker.publication`); a draft has none yet.
    "published": Field(
        "the day this archive first published it (YYYY-MM-DD); never the original's or an "
        "intermediary's date",
        "date",
    ),
    "collection": Field(
        "the collection key or name from registry/collections.yml",
        required=True,
        check="resolve_collection",
    ),
    "source": Field(
        "where the document comes from: publisher, place, date, url, title, author",
        "source",
        required=True,
    ),
    "via": Field(
        "who republished it before this archive, where the archive found it: publisher, url, "
        "date, rights",
        "via",
    ),
    "language": Field(
        "the language of the text, a two-letter code such as en or es", check="language"
    ),
    "rights": Field("a key from registry/rights.yml", check="resolve_rights"),
    "actors": Field("a list of who acted: armed groups, ministries, people", "actors"),
    "locations": Field("a list of where: towns, provinces, border crossings", "locations"),
    "summary": Field("one or two sentences shown in lists", check="summary"),
    "slug": Field("the file name used in the URL (lowercase, digits and hyphens)", check="slug"),
    "status": Field("published (default) or draft", check="status"),
    "updated": Field("the date of the last correction (YYYY-MM-DD)", "date", happened=True),
    "capture": Field(
        "the raw page the document was imported from: file, sha256, url, captured", "capture"
    ),
    "corrections": Field(
        "the document's corrections, one per line: '- date: YYYY-MM-DD' and '  note: …'",
        "corrections",
    ),
    "content_warning": Field(
        "a warning shown before a graphic or distressing text, which readers open to read it",
        check="content_warning",
    ),
    "translation": Field(
        "a key shared by the same report in other languages (lowercase, digits and hyphens)",
        check="translation",
    ),
    "withdrawn": Field(
        "the document was taken down: date, reason, and whether its title stays shown "
        "(written by 'archive withdraw')",
        "withdrawal",
    ),
    "moved": Field(
        "the addresses it had before it was renamed, which still lead to it: for each move, "
        "date, address and capture (written by 'archive rename')",
        "moves",
    ),
}
SOURCE_FIELDS = {
    "publisher": Field("the organisation that first published it (required)", required=True),
    "place": Field("where it was published, e.g. Moscow"),
    "date": Field("the original publication date (YYYY-MM-DD)", "date", happened=True),
    "url": Field("the original web address (http:// or https://)", "url"),
    "title": Field("the original title, if different"),
    "author": Field("the author or authors", "authors"),
}
VIA_FIELDS = {
    "publisher": Field(
        "who republished it: a name or alias from registry/publishers.yml (required)",
        required=True,
    ),
    "url": Field("the address of its copy (http:// or https://)", "url"),
    "date": Field("the date it published its copy (YYYY-MM-DD)", "date", happened=True),
    "rights": Field("its own rights statement, word for word, as its page prints it"),
    "rights_language": Field(
        "the language of that statement, a two-letter code such as en", check="language_code"
    ),
}
CAPTURE_FIELDS = {
    "file": Field("the capture's path under the content folder (captures/…)", required=True),
    "sha256": Field("the capture file's SHA-256 checksum", required=True),
    "pages": Field(
        "a PDF original's number of pages, written by the importer (checked against the PDF)",
        "count",
    ),
    "url": Field("the address the page was captured from", "url"),
    "captured": Field(
        "when the page was captured: YYYY-MM-DDTHH:MM:SSZ (UTC), or YYYY-MM-DD",
        "moment",
        happened=True,
    ),
    "committed": Field(
        "only when the capture date was not recorded: the day the capture was first "
        "committed to the archive's repository, from its history (YYYY-MM-DD)",
        "date",
        happened=True,
    ),
    "redacted": Field(
        "the capture's published copy had a passage removed: for each time, the date and the "
        "SHA-256 of the copy before (written by 'archive redact')",
        "capture_redactions",
    ),
}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: Why a document is withdrawn or a passage of it removed, as editors choose it; what
#: readers read for each is in the theme (theme/templates/partials/removals.html), in every
#: interface language. Never the detail: a notice must not point at what it protects.
REMOVAL_REASONS = {
    "safety": "for the safety of a person named in it",
    "request": "at the request of a person named in it",
    "legal": "under a court order or another legal obligation",
    "rights": "at the request of the rights holder",
    "error": "because it was published in error",
}
CORRECTION_FIELDS = {
    "date": Field("the date of the correction (YYYY-MM-DD)", "date", required=True, happened=True),
    "note": Field("what was corrected, for readers (required unless 'removed' says why)"),
    "removed": Field(
        "a name or passage was removed from the document: why, one of "
        + ", ".join(REMOVAL_REASONS)
        + " (written by 'archive redact')",
    ),
}
#: Whether the notice at a withdrawn document's address shows its title.
TITLE_CHOICES = ("shown", "withheld")
WITHDRAWAL_FIELDS = {
    "date": Field("the day it was withdrawn (YYYY-MM-DD)", "date", required=True, happened=True),
    "reason": Field("why: one of " + ", ".join(REMOVAL_REASONS), required=True),
    "title": Field(
        "shown or withheld: whether the notice at its address shows its title", required=True
    ),
}
MOVE_FIELDS = {
    "date": Field("the day it was renamed (YYYY-MM-DD)", "date", required=True, happened=True),
    "address": Field(
        "the address of its page before, from the site's root (documents/…/old-name.html)",
        required=True,
    ),
    "capture": Field("the address of its capture before, if it moved too (captures/…)"),
}
#: An address the site once published, from its root: lowercase words, digits, hyphens,
#: dots and underscores in folders, never climbing out (`..`) or starting at a root (`/`).
SITE_ADDRESS = re.compile(r"^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$")
REDACTION_FIELDS = {
    "date": Field(
        "the day the passage was removed (YYYY-MM-DD)", "date", required=True, happened=True
    ),
    "sha256": Field(
        "the SHA-256 of the capture before, which stays out of the published site",
        required=True,
    ),
}
#: The `DOCUMENTS = {...}` settings the document model reads, and their defaults.
DOCUMENT_SETTINGS = {
    # Rights notice for documents whose front matter names none (a key of registry/rights.yml).
    "default_rights": "fair-use-us",
    # An actor or location missing from the registries: "error" stops the build, "warn" logs
    # it and keeps the name, unlinked.
    "unknown_terms": "error",
    # Largest document file accepted, in bytes.
    "max_bytes": MAX_BYTES,
}


def newest_first(content) -> tuple:
    """The order of documents in lists (ARTICLE_ORDER_BY): newest first, a day's by path.

    Pelican reads files in the order of a set of names, which changes from one process to
    the next; sorted by date alone, documents of one date kept that order, so two builds of
    the same sources listed them differently.
    """
    return (-content.date.timestamp(), content.source_path)


def document_settings(settings: dict) -> dict:
    """The site's `DOCUMENTS` settings over the model's defaults."""
    return {**DOCUMENT_SETTINGS, **(settings.get("DOCUMENTS") or {})}


def site_defaults(settings: dict, **overrides) -> dict:
    """What `parse_document` fills in for a field a document omits, from the site's settings.

    The build, `archive check`, `archive new` and `--fix-names` all parse with these.
    """
    documents = document_settings(settings)
    defaults = {
        "rights": documents["default_rights"],
        "language": settings.get("DEFAULT_LANG") or "en",
        "unknown_terms": documents["unknown_terms"],
    }
    return {**defaults, **overrides}


#: The text `archive new` puts where the document's text goes: never published as is.
PLACEHOLDER_TEXT = "Write the document's text here."
#: The text `archive import` puts where a scanned PDF's text goes, as it has no text layer to
#: extract: fine in a draft, never published (the page would offer an empty reading).
UNTYPED_SCAN_TEXT = (
    "This PDF is a scan with no text layer: its text must be typed here, or recognised with "
    "OCR and pasted here, before the document is published."
)

#: What `archive import` writes before a title it is unsure of (a single word, a label): fine
#: in a draft, never published, so that an editor compares the title with the page first.
UNSURE_TITLE = "[TITLE TO CHECK]"


@dataclass(frozen=True)
class Source:
    """Where a document was first published: the basis of its citation.

    `publisher` is the name as the source printed it ("Itar Tass"); `registered` is its entry
    in registry/publishers.yml, which groups its spellings, or None if the registry has none.
    """

    publisher: str
    place: str = ""
    date: dt.date | None = None
    url: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    registered: Term | None = None


@dataclass(frozen=True)
class Via:
    """The intermediary that republished the document before this archive took its copy.

    Its rights statement (`rights`, word for word) is what the archive's own claim to
    republish rests on, so it is shown with the archive's notice.
    """

    publisher: Term
    url: str = ""
    date: dt.date | None = None
    rights: str = ""
    rights_language: str = ""


@dataclass(frozen=True)
class Capture:
    """The raw page a document was imported from, kept under content/captures/ with fixity.

    `captured` is when the page was captured: a UTC date and time when the importer took it,
    a date when only the day is known, None when it was not recorded. Then `committed` may say
    what is known instead: the day the capture entered the archive's repository, which it
    cannot postdate.
    """

    file: str
    sha256: str
    #: A PDF original's page count, as the importer recorded it.
    pages: int | None = None
    url: str = ""
    captured: dt.datetime | dt.date | None = None
    committed: dt.date | None = None
    #: Each removal of a passage from the published copy, oldest first: the file and
    #: `sha256` are the redacted copy's, each item keeps the checksum of the copy before.
    redacted: tuple[CaptureRedaction, ...] = ()

    @property
    def captured_on(self) -> dt.date | None:
        """The day the page was captured, if it was recorded."""
        if isinstance(self.captured, dt.datetime):
            return self.captured.date()
        return self.captured

    @property
    def is_pdf(self) -> bool:
        """Whether the capture is a PDF original, which pages link for the browser's viewer."""
        return self.file.endswith(PDF_CAPTURE)


@dataclass(frozen=True)
class CaptureRedaction:
    """A passage removed from a capture's published copy.

    When, and the checksum of the copy before: the original, kept out of the site, can
    still be proven to be it.
    """

    date: dt.date
    sha256: str


@dataclass(frozen=True)
class Correction:
    """One correction of a published document: when, and a public note saying what changed.

    A removal of a name or passage (`removed`, a key of REMOVAL_REASONS) says why, never
    what: readers read the reason in their language, and the note may add to it.
    """

    date: dt.date
    note: str = ""
    removed: str = ""


@dataclass(frozen=True)
class Withdrawal:
    """A document taken down.

    Its address keeps a notice saying when and why (a key of REMOVAL_REASONS), with its
    title or without, as the editor chose.
    """

    date: dt.date
    reason: str
    title_shown: bool


@dataclass(frozen=True)
class Move:
    """An address the document had before it was renamed, which still leads to it.

    The build answers the old page address (in every interface language) and the old
    capture address, if the capture moved too, with a redirect to the new one.
    """

    date: dt.date
    address: str
    capture: str = ""


@dataclass(frozen=True)
class Document:
    """A validated archived document's metadata."""

    path: str
    title: str
    #: The day this archive first published the document; None for a draft not yet published.
    published: dt.date | None
    collection: Collection
    source: Source
    language: str
    rights: Rights
    actors: tuple[Term, ...] = ()
    locations: tuple[Term, ...] = ()
    #: (field, name) pairs that match no registry entry, kept when the site only warns.
    unresolved: tuple[tuple[str, str], ...] = ()
    #: What the editor is told without the document being refused (each a WARNING).
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    summary: str = ""
    slug: str = ""
    status: str = "published"
    updated: dt.date | None = None
    capture: Capture | None = None
    via: Via | None = None
    #: The document's history of corrections, oldest first.
    corrections: tuple[Correction, ...] = ()
    #: A warning readers see before the text, which is hidden until they open it.
    content_warning: str = ""
    #: The key this document shares with its translations (the same report in other
    #: languages), and the line it is written on, for problems found across documents.
    translation: str = ""
    #: Set when the document was withdrawn: it is in no list, search or feed, and its
    #: address shows only a notice.
    withdrawn: Withdrawal | None = None
    #: The addresses it had before it was renamed, oldest first.
    moved: tuple[Move, ...] = ()
    translation_line: int = field(default=0, compare=False)
    body_line: int = field(default=1, compare=False)

    @property
    def date(self) -> dt.date:
        """The document's own date (the source's), else the archive's publication date.

        One of them is always there (`_Checker.publication`).
        """
        return self.source.date or self.published


class _Checker:
    """Validate one front matter, collecting every problem instead of stopping at the first.

    Fields are read as the FIELDS table says: `read` dispatches on a field's kind, then its
    `check` validates or resolves the value against the registries.
    """

    def __init__(self, path: str, front: Located, registries: Registries, defaults: dict):
        self.path = path
        self.front = front
        self.registries = registries
        self.defaults = defaults
        self.problems: list[Problem] = []
        self.unresolved: list[tuple[str, str]] = []
        self.warnings: list[Problem] = []

    def problem(self, key: tuple, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, self.front.line(*key) or 1, message, hint))

    def unregistered(self, key: tuple, field_name: str, name: str) -> None:
        """A name kept as written, unlinked, since the registry has no such entry: a warning."""
        self.unresolved.append((field_name, name))
        registry = f"registry/{field_name}.yml"
        self.warnings.append(
            Problem(
                self.path,
                self.front.line(*key) or 1,
                f"unknown {field_name[:-1]} {name!r}, shown unlinked (not a name or alias in "
                f"{registry})",
                f"add it to {registry}, or correct its spelling (archive check --fix-names)",
                WARNING,
            )
        )

    def read_fields(self, data: dict, table: dict[str, Field], prefix: tuple = ()) -> dict:
        """Every field of `table` read from `data` (unknown keys reported), checked."""
        self.unknown_keys(data, table, prefix)
        values = {}
        for name, spec in table.items():
            value = getattr(self, spec.kind)(data, prefix + (name,), spec)
            values[name] = getattr(self, spec.check)(value) if spec.check else value
        return values

    def given(self, data: dict, key: tuple, spec: Field, form: str):
        """The field's value, or None when it is absent or empty (a problem if required)."""
        value = data.get(key[-1])
        if value is None or value == "":
            if spec.required:
                self.problem(
                    key[:-1],
                    f"'{'.'.join(map(str, key))}' is missing",
                    f"add a line '{key[-1]}: {form}' ({spec.help})",
                )
            return None
        return value

    def text(self, data: dict, key: tuple, spec: Field = Field("")) -> str:
        value = self.given(data, key, spec, "…")
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # As written: `title: 1.10` is "1.10", not the number 1.1.
            return self.front.written.get(key, str(value))
        if not isinstance(value, str):
            self.problem(
                key,
                f"'{'.'.join(map(str, key))}' must be a single text value",
                "write it on one line after the colon, quoted if it contains ':'",
            )
            return ""
        return value.strip()

    def date(self, data: dict, key: tuple, spec: Field = Field("")) -> dt.date | None:
        value = self.given(data, key, spec, "YYYY-MM-DD")
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value if self.plausible(key, value) and self.past(key, spec, value) else None
        self.problem(
            key,
            f"'{'.'.join(map(str, key))}' is not a date (got {value!r})",
            "write the date as YYYY-MM-DD, e.g. 2017-06-12",
        )
        return None

    def count(self, data: dict, key: tuple, spec: Field) -> int | None:
        """A whole number of at least 1 (a PDF's pages)."""
        value = self.given(data, key, spec, "1")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.problem(
            key,
            f"'{'.'.join(map(str, key))}' must be a whole number of at least 1 (got {value!r})",
            "re-import the PDF, or restore the number the import recorded from git",
        )
        return None

    def moment(self, data: dict, key: tuple, spec: Field) -> dt.datetime | dt.date | None:
        """A date, or a date and time (kept in UTC): when something happened to the minute."""
        value = data.get(key[-1])
        if not isinstance(value, dt.datetime):
            return self.date(data, key, spec)
        if value.tzinfo is None:
            self.problem(
                key,
                f"'{'.'.join(map(str, key))}' has a time but no time zone",
                "write the time in UTC with a final Z, e.g. 2026-12-07T18:05:00Z",
            )
            return None
        if not self.plausible(key, value.date()):
            return None
        # Its day here, as today() is: captured a minute ago in UTC is not tomorrow.
        on_this_day = value.astimezone().date()
        return value.astimezone(dt.UTC) if self.past(key, spec, on_this_day) else None

    def plausible(self, key: tuple, value: dt.date) -> bool:
        """Whether a date is between EARLIEST_YEAR and next year (else reported).

        Later or earlier is a typo (2999, 0201) that would stretch every timeline over
        centuries.
        """
        latest = today().year + 1
        if EARLIEST_YEAR <= value.year <= latest:
            return True
        self.problem(
            key,
            f"'{'.'.join(map(str, key))}' is {value.isoformat()}, "
            + ("later than next year" if value.year > latest else f"before {EARLIEST_YEAR}"),
            "check the year: write the date as YYYY-MM-DD, e.g. 2017-06-12",
        )
        return False

    def past(self, key: tuple, spec: Field, value: dt.date) -> bool:
        """Whether a date of something done (`Field.happened`) is not after today.

        A day to come is a typo, or the date of another event: reported, with today's date.
        """
        day = today()
        if not spec.happened or value <= day:
            return True
        self.problem(
            key,
            f"{_named(key)} is {value.isoformat()}, after today ({day.isoformat()}), and it "
            "is the date of something that has happened",
            "check the date and write the day it happened, as YYYY-MM-DD",
        )
        return False

    def url(self, data: dict, key: tuple, spec: Field) -> str:
        url = self.text(data, key, spec)
        if url and not web_address(url):
            self.problem(
                key,
                f"'{'.'.join(map(str, key))}' is not a web address ({url!r})",
                "give the full address starting with https:// or http://",
            )
            return ""
        return url

    def authors(self, data: dict, key: tuple, spec: Field) -> tuple[str, ...]:
        if isinstance(data.get(key[-1]), list):
            return self.names(data, key)
        author = self.text(data, key, spec)
        return (author,) if author else ()

    def names(self, data: dict, key: tuple) -> tuple[str, ...]:
        value = data.get(key[-1])
        if value is None:
            return ()
        if isinstance(value, str):
            items = [item.strip() for item in re.split(r",|\n|(?:^|\s)-(?=\S)", value)]
            items = [item for item in items if item] or [value]
            squeezed = value.lstrip().startswith("-")
            self.problem(
                key,
                f"'{key[-1]}' must be a list, one name per line",
                ("put a space after each '-': " if squeezed else f"write '{key[-1]}:' alone, then ")
                + "one line per name: "
                + ", ".join(f"'  - {item}'" for item in items),
            )
            return ()
        if not isinstance(value, list):
            self.problem(key, f"'{key[-1]}' must be a list of names")
            return ()
        names = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem(
                    key + (index,),
                    f"item {index + 1} of '{key[-1]}' is not a name",
                    "write one name per line after '- '",
                )
            elif item.strip() in names:
                self.problem(
                    key + (index,),
                    f"{item.strip()!r} is listed twice in '{key[-1]}'",
                    "remove the repeated line",
                )
            else:
                names.append(item.strip())
        return tuple(names)

    def actors(self, data: dict, key: tuple, spec: Field) -> tuple[Term, ...]:
        return self.terms(data, key[-1], self.registries.actors)

    def locations(self, data: dict, key: tuple, spec: Field) -> tuple[Term, ...]:
        return self.terms(data, key[-1], self.registries.locations)

    def terms(self, data: dict, name: str, registry: TermRegistry) -> tuple[Term, ...]:
        """Resolve each listed name or alias to its registry entry (each entry once)."""
        terms: list[Term] = []
        raw = data.get(name)
        for wanted in self.names(data, (name,)):
            index = next(
                i for i, item in enumerate(raw) if isinstance(item, str) and item.strip() == wanted
            )
            term = registry.resolve(wanted)
            if term is None:
                if self.defaults.get("unknown_terms") == "warn":
                    self.unregistered((name, index), name, wanted)
                    continue
                hint = unknown_term_hint(registry, wanted)
                self.problem(
                    (name, index),
                    f"unknown {registry.kind.name} {wanted!r} (not a name or alias in "
                    f"registry/{registry.kind.registry_file})",
                    hint,
                )
            elif all(term.slug != known.slug for known in terms):
                terms.append(term)
        return tuple(terms)

    def unknown_keys(self, data: dict, allowed: dict, prefix: tuple = ()) -> None:
        for name in data:
            if name not in allowed:
                where = ".".join(str(part) for part in prefix + (name,))
                hint = suggest(str(name), allowed) or "known fields: " + ", ".join(allowed)
                if not prefix and name in SOURCE_FIELDS and "source" in allowed:
                    hint = f"'{name}:' belongs under 'source:': indent it with two spaces"
                self.problem(prefix + (name,), f"unknown field '{where}'", hint)

    def group(self, data: dict, key: tuple, spec: Field, table: dict, example: str):
        """A field made of indented parts (source, capture): its parts read, or None."""
        value = data.get(key[-1])
        if value is None:
            if spec.required:
                self.problem(
                    (), f"'{key[-1]}' is missing", f"add '{key[-1]}:' with at least {example}"
                )
            return None
        if not isinstance(value, dict):
            self.problem(
                key,
                f"'{key[-1]}' must list its parts, not be one line",
                f"write '{key[-1]}:' then indented lines: {example}",
            )
            return None
        return self.read_fields(value, table, key)

    def source(self, data: dict, key: tuple, spec: Field) -> Source | None:
        parts = self.group(
            data, key, spec, SOURCE_FIELDS, "'  publisher: …' (who first published it)"
        )
        if parts is None:
            return None
        parts["authors"] = tuple(a for a in parts.pop("author") if a)
        # A source's publisher is a printed fact: one the registry does not know yet is shown
        # as printed, unlinked, and reported as a warning, never a reason to refuse a document.
        registered = self.registries.publishers.resolve(parts["publisher"])
        if parts["publisher"] and registered is None:
            self.unregistered(key + ("publisher",), "publishers", parts["publisher"])
        return Source(**parts, registered=registered)

    def via(self, data: dict, key: tuple, spec: Field) -> Via | None:
        """The intermediary: its publisher must be a registry entry (its names, its address)."""
        parts = self.group(
            data, key, spec, VIA_FIELDS, "'  publisher: …' (who republished it before us)"
        )
        if parts is None or not parts["publisher"]:
            return None
        registry = self.registries.publishers
        entry = registry.resolve(parts["publisher"])
        if entry is None:
            self.problem(
                key + ("publisher",),
                f"unknown publisher {parts['publisher']!r} in 'via' (not a name or alias in "
                f"registry/{registry.kind.registry_file})",
                unknown_term_hint(registry, parts["publisher"]),
            )
            return None
        return Via(**{**parts, "publisher": entry})

    def capture(self, data: dict, key: tuple, spec: Field) -> Capture | None:
        parts = self.group(data, key, spec, CAPTURE_FIELDS, "'  file: captures/…', '  sha256: …'")
        if parts is None:
            return None
        parts["sha256"] = parts["sha256"].lower()
        if parts["captured"] and parts["committed"]:
            self.problem(
                ("capture", "committed"),
                "'capture.committed' is only for a capture whose date was not recorded, and "
                "this one has 'captured'",
                "remove the 'committed:' line",
            )
        if parts["sha256"] and not SHA256.match(parts["sha256"]):
            self.problem(
                ("capture", "sha256"),
                "'capture.sha256' is not a SHA-256 checksum (64 hexadecimal digits)",
                "re-import the page, or restore the checksum the import recorded from git",
            )
        if any(before.sha256 == parts["sha256"] for before in parts["redacted"]):
            self.problem(
                ("capture", "redacted"),
                "the capture's redaction records the checksum of the copy it holds now, so "
                "nothing was removed from it",
                "run 'archive redact' again, or restore the capture and its record from git",
            )
        return Capture(**parts)

    def groups(
        self, data: dict, key: tuple, not_a_list: tuple[str, str], not_a_group: tuple[str, str]
    ) -> Iterator[tuple[int, dict]]:
        """The items of a list of groups of fields (corrections, redactions), numbered.

        A value that is not a list is reported with `not_a_list` (problem, fix), an item that
        is not a group with `not_a_group`, whose problem may say the item's {number}; each in
        its turn, with the problems of the items around it.
        """
        value = data.get(key[-1])
        if value is None:
            return
        if not isinstance(value, list):
            self.problem(key, *not_a_list)
            return
        message, fix = not_a_group
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item
            else:
                self.problem(key + (index,), message.format(number=index + 1), fix)

    def capture_redactions(self, data: dict, key: tuple, spec: Field) -> tuple:
        """The capture's redactions: each a date and the checksum of the copy before."""
        example = "'  - date: YYYY-MM-DD' then '    sha256: …'"
        found = []
        for index, item in self.groups(
            data,
            key,
            (f"'{'.'.join(key)}' must be a list", f"write each as {example}"),
            ("redaction {number} of the capture must have a date and a sha256", f"write {example}"),
        ):
            parts = self.read_fields(item, REDACTION_FIELDS, key + (index,))
            parts["sha256"] = parts["sha256"].lower()
            if parts["sha256"] and not SHA256.match(parts["sha256"]):
                self.problem(
                    key + (index, "sha256"),
                    "a redaction's 'sha256' is not a SHA-256 checksum (64 hexadecimal digits)",
                    "restore the checksum 'archive redact' recorded, from git",
                )
            elif parts["date"]:
                found.append(CaptureRedaction(**parts))
        return tuple(sorted(found, key=lambda redaction: redaction.date))

    def withdrawal(self, data: dict, key: tuple, spec: Field) -> Withdrawal | None:
        parts = self.group(data, key, spec, WITHDRAWAL_FIELDS, "'  date: …', '  reason: …'")
        if parts is None:
            return None
        if parts["title"] and parts["title"] not in TITLE_CHOICES:
            self.problem(
                key + ("title",),
                f"'withdrawn.title' must be shown or withheld, not {parts['title']!r}",
                "write 'title: withheld' (the notice shows no title) or 'title: shown'",
            )
        reason = self.removal_reason(key + ("reason",), parts["reason"])
        if not (parts["date"] and reason and parts["title"] in TITLE_CHOICES):
            return None
        return Withdrawal(parts["date"], parts["reason"], parts["title"] == "shown")

    def moves(self, data: dict, key: tuple, spec: Field) -> tuple[Move, ...]:
        """The document's former addresses (`archive rename` writes them), oldest first."""
        example = "'  - date: YYYY-MM-DD', '    address: documents/…/old-name.html'"
        found = []
        for index, item in self.groups(
            data,
            key,
            (f"'{key[-1]}' must be a list of moves", f"write each as {example}"),
            ("move {number} must have a date and an address", f"write {example}"),
        ):
            parts = self.read_fields(item, MOVE_FIELDS, key + (index,))
            wrong = [
                name
                for name in ("address", "capture")
                if parts[name] and not SITE_ADDRESS.match(parts[name])
            ]
            for name in wrong:
                self.problem(
                    key + (index, name),
                    f"{parts[name]!r} is not an address of this site",
                    "write it as 'archive rename' did, from the site's root without a leading "
                    "'/' (e.g. documents/syria-war/2017/old-name.html); restore it from git",
                )
            if parts["capture"] and not parts["capture"].startswith("captures/"):
                self.problem(
                    key + (index, "capture"),
                    f"{parts['capture']!r} is not the address of a capture",
                    "captures are under captures/; restore the line from git",
                )
            elif parts["date"] and parts["address"] and not wrong:
                found.append(Move(**parts))
        return tuple(sorted(found, key=lambda move: move.date))

    def removal_reason(self, key: tuple, reason: str) -> str:
        """A reason for a withdrawal or a removal: a key of REMOVAL_REASONS (else reported)."""
        if reason and reason not in REMOVAL_REASONS:
            self.problem(
                key,
                f"{reason!r} is not a reason the archive gives for a removal",
                suggest(reason, REMOVAL_REASONS)
                or "use one of: "
                + "; ".join(f"{name} ({why})" for name, why in REMOVAL_REASONS.items()),
            )
            return ""
        return reason

    def corrections(self, data: dict, key: tuple, spec: Field) -> tuple[Correction, ...]:
        """The corrections list: each item a date and a note, oldest first."""
        example = "'  - date: YYYY-MM-DD' then '    note: what was corrected'"
        found = []
        for index, item in self.groups(
            data,
            key,
            (f"'{key[-1]}' must be a list of corrections", f"write each as {example}"),
            ("correction {number} must have a date and a note", f"write {example}"),
        ):
            parts = self.read_fields(item, CORRECTION_FIELDS, key + (index,))
            given = parts["removed"]
            parts["removed"] = self.removal_reason(key + (index, "removed"), given)
            if not (parts["note"] or given):
                self.problem(
                    key + (index,),
                    f"'corrections' item {index + 1} has no 'note'",
                    "add '    note: …' saying for readers what was corrected",
                )
            elif parts["date"]:
                found.append(Correction(**parts))
        return tuple(sorted(found, key=lambda correction: correction.date))

    def resolve_collection(self, wanted: str) -> Collection | None:
        if not wanted:
            return None
        collection = self.registries.collection(wanted)
        if collection is None:
            close = [entry.key for entry in self.registries.closest_collections(wanted)]
            self.problem(
                ("collection",),
                f"unknown collection {wanted!r}",
                ("did you mean " + " or ".join(map(repr, close)) + "? If not, a" if close else "A")
                + f"dd it: archive add collection {shlex.quote(wanted)}",
            )
        return collection

    def resolve_rights(self, key: str) -> Rights | None:
        if not key:
            key = self.defaults.get("rights", "")
            if key not in self.registries.rights:
                self.problem(
                    (),
                    f"the document names no 'rights:' and the site's default notice {key!r} "
                    "(DOCUMENTS['default_rights'] in pelicanconf.py) is not in registry/rights.yml",
                    "add a 'rights:' line with one of: " + ", ".join(self.registries.rights),
                )
                return None
        rights = self.registries.rights.get(key)
        if rights is None:
            self.problem(
                ("rights",),
                f"unknown rights key {key!r}",
                suggest(key, self.registries.rights)
                or "use one of: " + ", ".join(self.registries.rights),
            )
        return rights

    def language(self, language: str) -> str:
        language = language or self.defaults.get("language", "en")
        if not LANGUAGE.match(language):
            self.problem(
                ("language",),
                f"'language' must be a language code, not {language!r}",
                "write a two-letter code such as en, es, fr, ar",
            )
        return language

    def language_code(self, language: str) -> str:
        """An optional language code (no default: unknown stays unknown)."""
        if language and not LANGUAGE.match(language):
            self.problem(
                ("via", "rights_language"),
                f"'via.rights_language' must be a language code, not {language!r}",
                "write a two-letter code such as en, es, fr",
            )
            return ""
        return language

    def summary(self, summary: str) -> str:
        """A summary is shown in every list the document is on: a few sentences, no more."""
        return self.short("summary", summary, "lists show it on every page it is listed on")

    def content_warning(self, warning: str) -> str:
        """A warning is what readers read before choosing to open the text: a sentence."""
        return self.short("content_warning", warning, "readers read it before the text")

    def short(self, name: str, text: str, why: str) -> str:
        """`text` if it is a few sentences (SHORT_TEXT characters at most), else reported."""
        if len(text) <= SHORT_TEXT:
            return text
        self.problem(
            (name,),
            f"'{name}' is {len(text):,} characters long; {why}",
            f"keep it to one or two sentences (under {SHORT_TEXT:,} characters); the text "
            "belongs below the front matter",
        )
        return ""

    def slug(self, slug: str) -> str:
        if slug and not SLUG.match(slug):
            self.problem(
                ("slug",),
                f"'slug' {slug!r} is not a URL-safe name",
                "use lowercase ASCII letters, digits and single hyphens",
            )
        return slug

    def translated_page(self, slug: str) -> str:
        if slug and not SLUG.match(slug):
            self.problem(
                ("translation_of",),
                f"'translation_of' {slug!r} is not a page's slug",
                "write the slug of the page it translates, e.g. about",
            )
            return ""
        return slug

    def page_language(self, language: str) -> str:
        if language and not LANGUAGE.match(language):
            self.problem(
                ("language",),
                f"'language' must be a language code, not {language!r}",
                "write the code of one of the site's interface languages, such as es or fr",
            )
            return ""
        return language

    def translation(self, key: str) -> str:
        if key and not SLUG.match(key):
            self.problem(
                ("translation",),
                f"'translation' {key!r} is not a key",
                "use lowercase ASCII letters, digits and single hyphens, the same in every "
                "language's version, e.g. 'translation: hama-ceasefire-2016'",
            )
        return key

    def publication(self, values: dict) -> None:
        """A published document has the day this archive published it.

        A draft may not have it yet, but then needs the original's date to be placed in time.
        """
        if values["published"] is not None or self.front.value.get("published") not in (None, ""):
            return  # given (a wrong one is reported as such)
        if values["status"] == "published":
            self.problem(
                (),
                "'published' is missing: the day this archive publishes the document",
                f"add a line 'published: {today().isoformat()}' (today, if you publish it now)",
            )
        elif values["source"] and not values["source"].date:
            self.problem(
                ("source",),
                "the draft has neither 'source.date' nor 'published', so it has no date",
                "add the original's date under 'source:' ('  date: YYYY-MM-DD')",
            )

    def title_checked(self, values: dict) -> None:
        """A published document's title is not one the importer marked as unsure."""
        if values["status"] != "draft" and UNSURE_TITLE in values["title"]:
            self.problem(
                ("title",),
                f"the title still carries the importer's mark {UNSURE_TITLE}: it was not "
                "sure the line it took is the page's headline",
                f"check the title against the capture, then delete {UNSURE_TITLE} from it; or "
                "keep 'status: draft' until it is done",
            )

    def dates_in_order(self, values: dict) -> None:
        """The chain of custody runs forward in time.

        Original, intermediary, capture, this archive, then its corrections: a date out of
        that order is a typo or a borrowed date.
        """
        for key, date in _corrected_before(values):
            self.problem(
                key,
                f"'{'.'.join(map(str, key))}' is {date.isoformat()}, before the document was "
                f"published ({values['published'].isoformat()})",
                "check both dates: a correction comes after the publication",
            )
        published = values.get("published")
        for key, date, what in _custody_dates(values):
            if published is not None and date > published:
                self.problem(
                    ("published",),
                    f"'published' is {published.isoformat()}, before {what} "
                    f"('{'.'.join(key)}': {date.isoformat()})",
                    "'published' is the day this archive first published the document, on or "
                    "after every other date of its chain; never copy the source's or the "
                    "intermediary's date into it",
                )
        source, via = values.get("source"), values.get("via")
        if source and via and source.date and via.date and via.date < source.date:
            self.problem(
                ("via", "date"),
                f"'via.date' is {via.date.isoformat()}, before the original was published "
                f"('source.date': {source.date.isoformat()})",
                "check both dates against the pages: an intermediary republishes after the "
                "original",
            )

    def withdrawn_keeps_nothing(self, values: dict) -> None:
        """A withdrawn document keeps nothing that was published but its address.

        Its title too, only if its notice shows it: the repository is public as well.
        """
        withdrawal = values["withdrawn"]
        if values["status"] == "draft":
            self.problem(
                ("withdrawn",),
                "a draft was never published, so it cannot be withdrawn",
                "delete the draft's file instead",
            )
        if values["title"] and not withdrawal.title_shown:
            self.problem(
                ("title",),
                "the title is withheld ('withdrawn.title: withheld') but still written here",
                "delete the 'title:' line, or write 'title: shown' under 'withdrawn:'",
            )
        kept = [name for name in ("capture", "summary", "content_warning") if values[name]]
        for name in kept:
            self.problem(
                (name,),
                f"a withdrawn document keeps no '{name}': it would still be published",
                f"delete the '{name}:' lines"
                + (f" and the file {values['capture'].file}" if name == "capture" else ""),
            )

    def status(self, status: str) -> str:
        status = status or "published"
        if status not in STATUSES:
            self.problem(("status",), f"'status' must be published or draft, not {status!r}")
        return status

    def document(self, body_line: int) -> Document | None:
        data = self.front.value
        if data is None:
            self.problem(
                (),
                "the front matter is empty",
                "add at least title, published, collection and source",
            )
            return None
        if not isinstance(data, dict):
            self.problem(
                (),
                "the front matter must be 'field: value' lines",
                "put one space after each field's ':' (title: …); see content/articles",
            )
            return None
        withdrawn = data.get("withdrawn")
        withheld = isinstance(withdrawn, dict) and withdrawn.get("title") == "withheld"
        table = FIELDS
        if withheld:  # a withheld title is not written down at all
            table = {**FIELDS, "title": replace(FIELDS["title"], required=False)}
        values = self.read_fields(data, table)
        self.publication(values)
        self.title_checked(values)
        self.dates_in_order(values)
        if values["withdrawn"]:
            self.withdrawn_keeps_nothing(values)
        document = Document(
            path=self.path,
            unresolved=tuple(self.unresolved),
            warnings=tuple(self.warnings),
            translation_line=self.front.line("translation") or 0,
            body_line=body_line,
            **values,
        )
        return None if self.problems else document


def _named(key: tuple) -> str:
    """A field's name as an editor finds it: 'source.date', "'date' of 'corrections' item 2"."""
    at = next((i for i, part in enumerate(key) if isinstance(part, int)), None)
    if at is None:
        return f"'{'.'.join(map(str, key))}'"
    inner, outer = ".".join(map(str, key[at + 1 :])), ".".join(map(str, key[:at]))
    return f"'{inner}' of '{outer}' item {key[at] + 1}"


def _custody_dates(values: dict) -> list[tuple[tuple[str, ...], dt.date, str]]:
    """The dates of the chain before this archive: (field, date, what it is), those given."""
    source, via, capture = values.get("source"), values.get("via"), values.get("capture")
    dated = [
        (("source", "date"), source and source.date, "the original was published"),
        (("via", "date"), via and via.date, "the intermediary published its copy"),
        (("capture", "captured"), capture and capture.captured_on, "the page was captured"),
        (
            ("capture", "committed"),
            capture and capture.committed,
            "the capture entered the repository",
        ),
    ]
    return [(key, date, what) for key, date, what in dated if date]


def _corrected_before(values: dict) -> list[tuple[tuple, dt.date]]:
    """The update and correction dates (with their keys) earlier than the publication."""
    published = values.get("published")
    if published is None:
        return []
    dated = [(("updated",), values.get("updated"))]
    dated += [(("corrections",), correction.date) for correction in values["corrections"]]
    return [(key, date) for key, date in dated if date is not None and date < published]


def unknown_term_hint(registry: TermRegistry, wanted: str) -> str:
    """What to do about an unknown actor or location: the closest names, and how to add it."""
    close = registry.suggestions(wanted)
    command = f"archive add {registry.kind.name} {shlex.quote(wanted)} --type …"
    if registry.kind.hierarchical:
        command += " --parent …"
    if close:
        return "did you mean " + " or ".join(map(repr, close)) + f"? If not, add it: {command}"
    return f"check the spelling; if it is right, add it: {command}"


def parse_document(
    path: str, data: bytes, registries: Registries, defaults: dict | None = None
) -> tuple[Document, str]:
    """Parse and validate a document file; return its metadata and Markdown body.

    Raises ArchiveError listing every problem found, each with the file, line and a fix.
    `defaults` supplies the site's `rights` key and `language` for documents that omit them,
    and `unknown_terms`: "error" (default) or "warn" to keep unknown actors and locations
    as unlinked names in `Document.unresolved`.
    """
    text = decode(path, data)
    if not text.strip():
        fail(
            path,
            None,
            "the file is empty",
            "add the front matter and the text, or delete the file",
        )
    front, body, body_line = split_front_matter(path, text)
    checker = _Checker(path, front, registries, defaults or {})
    document = checker.document(body_line)
    if checker.problems:
        raise ArchiveError(checker.problems)
    if document.withdrawn:
        if body.strip():
            fail(
                path,
                body_line + body[: len(body) - len(body.lstrip())].count("\n"),
                "a withdrawn document keeps no text: it would still be in the repository, "
                "which is public too",
                "delete everything below the closing '---' ('archive withdraw' does)",
            )
        return document, ""
    if not body.strip():
        fail(
            path,
            body_line,
            "the document has no text",
            "paste the document's text below the closing '---'",
        )
    found = CONTROLS.search(body)
    if found:
        fail(
            path,
            body_line + body[: found.start()].count("\n"),
            f"the text contains {invisible(found.group())}",
            "delete it and retype the text around it; it may have come with a paste, or from "
            "a text saved in another encoding",
        )
    if PLACEHOLDER_TEXT in body:
        line = body_line + body[: body.index(PLACEHOLDER_TEXT)].count("\n")
        fail(
            path,
            line,
            "the text is still the placeholder 'archive new' wrote",
            "replace that line by the document's text",
        )
    if UNTYPED_SCAN_TEXT in body and document.status != "draft":
        fail(
            path,
            body_line + body[: body.index(UNTYPED_SCAN_TEXT)].count("\n"),
            "the text is still the importer's note that this scanned PDF has no text layer",
            "type the document's text (or paste its OCR) in place of that note, or keep "
            "'status: draft' until it is done",
        )
    return document, body


PAGE_FIELDS = {
    "title": Field("the page's title", required=True),
    "slug": Field("the file name used in the URL (lowercase, digits and hyphens)", check="slug"),
    "summary": Field("one sentence about the page"),
    "translation_of": Field(
        "for the page in another interface language: the slug of the page it translates",
        check="translated_page",
    ),
    "language": Field(
        "with translation_of: the interface language it is written in (es, fr)",
        check="page_language",
    ),
}


@dataclass(frozen=True)
class Page:
    """A page of the archive itself (about, how to cite), not an archived document.

    A page may be written in each interface language: the version in another language
    names the page it translates (`translation_of`, its slug) and its `language`; readers of
    that language read it at the page's own address in their folder (es/about.html).
    """

    path: str
    title: str
    slug: str = ""
    summary: str = ""
    translation_of: str = ""
    language: str = ""


def parse_page(path: str, data: bytes) -> tuple[Page, str]:
    """Parse a page: a title, optionally a slug and summary, and Markdown text."""
    front, body, _ = split_front_matter(path, decode(path, data))
    checker = _Checker(path, front, None, {})
    fields = front.value if isinstance(front.value, dict) else {}
    if not isinstance(front.value, dict):
        checker.problem((), "the front matter must be 'field: value' lines", "add 'title: …'")
    page = Page(path, **checker.read_fields(fields, PAGE_FIELDS))
    if bool(page.translation_of) != bool(page.language):
        checker.problem(
            ("translation_of",) if page.translation_of else ("language",),
            "a page in another language needs both 'translation_of:' and 'language:'",
            "write 'translation_of: <slug of the page>' and 'language: es' (its language)",
        )
    if checker.problems:
        raise ArchiveError(checker.problems)
    return page, body
