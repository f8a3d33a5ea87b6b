"""The document model: the front-matter schema every archived document follows.

This is the one place that knows what a document's fields mean and what makes them valid;
the Pelican reader and the editors' tools both call `parse_document`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .problems import ArchiveError, Problem, suggest
from .registries import Collection, Registries, Rights
from .sourcefile import Located, decode, split_front_matter
from .terms import Term, TermRegistry

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
STATUSES = ("published", "draft")

#: Top-level front-matter fields: name -> what an editor is told it holds.
FIELDS = {
    "title": "the document's title, as published",
    "published": "the date the archive published it (YYYY-MM-DD)",
    "collection": "the collection key or name from registry/collections.yml",
    "source": "where the document comes from: publisher, place, date, url, title, author",
    "language": "the language of the text, a two-letter code such as en or es",
    "rights": "a key from registry/rights.yml",
    "actors": "a list of who acted: armed groups, ministries, people",
    "locations": "a list of where: towns, provinces, border crossings",
    "summary": "one or two sentences shown in lists",
    "slug": "the file name used in the URL (lowercase, digits and hyphens)",
    "status": "published (default) or draft",
    "updated": "the date of the last correction (YYYY-MM-DD)",
}
SOURCE_FIELDS = {
    "publisher": "the organisation that first published it (required)",
    "place": "where it was published, e.g. Moscow",
    "date": "the original publication date (YYYY-MM-DD)",
    "url": "the original web address (http:// or https://)",
    "title": "the original title, if different",
    "author": "the author or authors",
}


@dataclass(frozen=True)
class Source:
    """Where a document was first published: the basis of its citation."""

    publisher: str
    place: str = ""
    date: dt.date | None = None
    url: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A validated archived document's metadata."""

    path: str
    title: str
    published: dt.date
    collection: Collection
    source: Source
    language: str
    rights: Rights
    actors: tuple[Term, ...] = ()
    locations: tuple[Term, ...] = ()
    #: (field, name) pairs that match no registry entry, kept when the site only warns.
    unresolved: tuple[tuple[str, str], ...] = ()
    summary: str = ""
    slug: str = ""
    status: str = "published"
    updated: dt.date | None = None
    body_line: int = field(default=1, compare=False)

    @property
    def date(self) -> dt.date:
        """The document's own date (the source's), else the archive's publication date."""
        return self.source.date or self.published


class _Checker:
    """Validate one front matter, collecting every problem instead of stopping at the first."""

    def __init__(self, path: str, front: Located, registries: Registries, defaults: dict):
        self.path = path
        self.front = front
        self.registries = registries
        self.defaults = defaults
        self.problems: list[Problem] = []
        self.unresolved: list[tuple[str, str]] = []

    def problem(self, key: tuple, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, self.front.line(*key) or 1, message, hint))

    def given(self, data: dict, key: tuple, required: bool, form: str):
        """The field's value, or None when it is absent or empty (a problem if required)."""
        value = data.get(key[-1])
        if value is None or value == "":
            if required:
                self.problem(
                    key[:-1],
                    f"'{'.'.join(map(str, key))}' is missing",
                    f"add a line '{key[-1]}: {form}' ({self.describe(key)})",
                )
            return None
        return value

    def text(self, data: dict, key: tuple, required: bool = False) -> str:
        value = self.given(data, key, required, "…")
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problem(
                key,
                f"'{'.'.join(map(str, key))}' must be a single text value",
                "write it on one line after the colon, quoted if it contains ':'",
            )
            return ""
        return value.strip()

    def date(self, data: dict, key: tuple, required: bool = False) -> dt.date | None:
        value = self.given(data, key, required, "YYYY-MM-DD")
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.problem(
            key,
            f"'{'.'.join(map(str, key))}' is not a date (got {value!r})",
            "write the date as YYYY-MM-DD, e.g. 2017-06-12",
        )
        return None

    def names(self, data: dict, key: tuple) -> tuple[str, ...]:
        value = data.get(key[-1])
        if value is None:
            return ()
        if isinstance(value, str):
            self.problem(
                key,
                f"'{key[-1]}' must be a list, one name per line",
                f"write each on its own line as '  - {value.strip()}'",
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
                close = registry.suggestions(wanted)
                if self.defaults.get("unknown_terms") == "warn":
                    self.unresolved.append((name, wanted))
                    continue
                hint = (
                    "did you mean " + " or ".join(repr(c) for c in close) + "?"
                    if close
                    else f"check the spelling, or add it to registry/{registry.kind.registry_file}"
                )
                self.problem(
                    (name, index),
                    f"unknown {registry.kind.name} {wanted!r} (not a name or alias in "
                    f"registry/{registry.kind.registry_file})",
                    hint,
                )
            elif all(term.slug != known.slug for known in terms):
                terms.append(term)
        return tuple(terms)

    @staticmethod
    def describe(key: tuple) -> str:
        table = SOURCE_FIELDS if len(key) > 1 and key[0] == "source" else FIELDS
        return table.get(key[-1], "")

    def unknown_keys(self, data: dict, allowed: dict, prefix: tuple = ()) -> None:
        for name in data:
            if name not in allowed:
                where = ".".join(prefix + (str(name),))
                hint = suggest(str(name), allowed) or "known fields: " + ", ".join(allowed)
                self.problem(prefix + (name,), f"unknown field '{where}'", hint)

    def source(self, data: dict) -> Source | None:
        value = data.get("source")
        if value is None:
            self.problem(
                (),
                "'source' is missing",
                "add 'source:' with at least '  publisher: …' (who first published it)",
            )
            return None
        if isinstance(value, str):
            self.problem(
                ("source",),
                "'source' must list its parts, not be one line",
                "write 'source:' then indented 'publisher:', 'place:', 'date:' lines",
            )
            return None
        if not isinstance(value, dict):
            self.problem(("source",), "'source' must list publisher, place, date…")
            return None
        self.unknown_keys(value, SOURCE_FIELDS, ("source",))
        url = self.text(value, ("source", "url"))
        if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
            self.problem(
                ("source", "url"),
                f"'source.url' is not a web address ({url!r})",
                "give the full address starting with https:// or http://",
            )
            url = ""
        authors = value.get("author")
        if isinstance(authors, list):
            authors = self.names(value, ("source", "author"))
        else:
            authors = (self.text(value, ("source", "author")),) if authors else ()
        publisher = self.text(value, ("source", "publisher"), required=True)
        return Source(
            publisher=publisher,
            place=self.text(value, ("source", "place")),
            date=self.date(value, ("source", "date")),
            url=url,
            title=self.text(value, ("source", "title")),
            authors=tuple(a for a in authors if a),
        )

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
                "see content/articles for an example document",
            )
            return None
        self.unknown_keys(data, FIELDS)
        title = self.text(data, ("title",), required=True)
        published = self.date(data, ("published",), required=True)
        source = self.source(data)

        collection = None
        wanted = self.text(data, ("collection",), required=True)
        if wanted:
            collection = self.registries.collection(wanted)
            if collection is None:
                names = [c.name for c in self.registries.collections.values()]
                self.problem(
                    ("collection",),
                    f"unknown collection {wanted!r}",
                    suggest(wanted, names + list(self.registries.collections))
                    or "use one of: "
                    + ", ".join(names)
                    + " (or add it to registry/collections.yml)",
                )

        key = self.text(data, ("rights",)) or self.defaults.get("rights", "")
        rights = self.registries.rights.get(key)
        if rights is None:
            self.problem(
                ("rights",),
                f"unknown rights key {key!r}",
                suggest(key, self.registries.rights)
                or "use one of: " + ", ".join(self.registries.rights),
            )

        language = self.text(data, ("language",)) or self.defaults.get("language", "en")
        if not LANGUAGE.match(language):
            self.problem(
                ("language",),
                f"'language' must be a language code, not {language!r}",
                "write a two-letter code such as en, es, fr, ar",
            )

        slug = self.text(data, ("slug",))
        if slug and not SLUG.match(slug):
            self.problem(
                ("slug",),
                f"'slug' {slug!r} is not a URL-safe name",
                "use lowercase ASCII letters, digits and single hyphens",
            )

        status = self.text(data, ("status",)) or "published"
        if status not in STATUSES:
            self.problem(("status",), f"'status' must be published or draft, not {status!r}")

        document = Document(
            path=self.path,
            title=title,
            published=published,
            collection=collection,
            source=source,
            language=language,
            rights=rights,
            actors=self.terms(data, "actors", self.registries.actors),
            locations=self.terms(data, "locations", self.registries.locations),
            unresolved=tuple(self.unresolved),
            summary=self.text(data, ("summary",)),
            slug=slug,
            status=status,
            updated=self.date(data, ("updated",)),
            body_line=body_line,
        )
        return None if self.problems else document


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
        raise ArchiveError(
            [
                Problem(
                    path,
                    None,
                    "the file is empty",
                    "add the front matter and the text, or delete the file",
                )
            ]
        )
    front, body, body_line = split_front_matter(path, text)
    checker = _Checker(path, front, registries, defaults or {})
    document = checker.document(body_line)
    if checker.problems:
        raise ArchiveError(checker.problems)
    if not body.strip():
        raise ArchiveError(
            [
                Problem(
                    path,
                    body_line,
                    "the document has no text",
                    "paste the document's text below the closing '---'",
                )
            ]
        )
    return document, body


PAGE_FIELDS = {
    "title": "the page's title",
    "slug": "the file name used in the URL (lowercase, digits and hyphens)",
    "summary": "one sentence about the page",
}


@dataclass(frozen=True)
class Page:
    """A page of the archive itself (about, how to cite), not an archived document."""

    path: str
    title: str
    slug: str = ""
    summary: str = ""


def parse_page(path: str, data: bytes) -> tuple[Page, str]:
    """Parse a page: a title, optionally a slug and summary, and Markdown text."""
    front, body, _ = split_front_matter(path, decode(path, data))
    checker = _Checker(path, front, None, {})
    fields = front.value if isinstance(front.value, dict) else {}
    if not isinstance(front.value, dict):
        checker.problem((), "the front matter must be 'field: value' lines", "add 'title: …'")
    checker.unknown_keys(fields, PAGE_FIELDS)
    page = Page(
        path,
        checker.text(fields, ("title",), required=True),
        checker.text(fields, ("slug",)),
        checker.text(fields, ("summary",)),
    )
    if page.slug and not SLUG.match(page.slug):
        checker.problem(
            ("slug",),
            f"'slug' {page.slug!r} is not a URL-safe name",
            "use lowercase ASCII letters, digits and single hyphens",
        )
    if checker.problems:
        raise ArchiveError(checker.problems)
    return page, body
