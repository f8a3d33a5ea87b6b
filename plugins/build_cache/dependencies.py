"""What a page shows of the archive, as a fingerprint: equal fingerprints, equal pages.

A page is one recorded `write_file` call (plugins/parallel_render): a template, the shared
context, and the page's own arguments. With the code, settings, theme, registries and
pages unchanged (the site key, plugins/build_cache/store.py), what the page shows of the
documents comes from the documents its arguments reach, in one of three ways:

- **A document's own page** (`article=` or `page=`) shows all of its source file, its text
  with the addresses of the documents it links to, and of the documents around it — its
  related documents, its newer and older neighbours in its collection, its other versions —
  what a list shows.
- **An actor's or a place's page** (`term=`) lists the term's documents, and shows how many
  documents the places within it and those on its map have (the actors and places named
  with it are counted from its own documents). The map is on the first page of the list
  only (theme/templates/term.html), so the pages after it have a fingerprint of their own
  without it: a document added next door changes the map, not the pages after the first.
- **Every other page** lists the documents of its arguments (`articles=`, `dates=`): the
  home page, collections and years. A page whose arguments carry no document at all (the
  indexes of actors and places, search) is taken to show the whole archive.

What a list shows of a document is its front matter (title, dates, source, collection,
summary, subjects, warning), never its text; the text is on its own page only, which the
live site relies on too (archive/live.py). Arguments that are plain data (URLs, numbers,
the search index's version) are part of the fingerprint as they are.

tests/test_build_cache.py changes an archive in every way an editor does and checks each
rebuild that reused pages against a full build, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from archive.pelican_internals import page_name, page_template
from archive.render import PLACEHOLDERS

#: Keyword arguments of a recorded page that hold a document shown on its own.
SUBJECT_KEYS = ("article", "page")
#: Attributes of a term page naming the terms whose counts it shows (its parent, ancestors
#: and related terms are shown by name and address, which the registries and slugs fix).
SHOWN_TERMS = ("children",)
#: Arguments Pelican passes that the theme never shows: every article, to each collection
#: and year page (tests/test_build_cache.py checks that no template names them).
UNSHOWN_ARGUMENTS = ("all_articles",)


class ArchiveDigests:
    """Digests of the documents of one build, each computed once.

    `source(content)` digests a document's whole source file; `listing(content)` what a
    list shows of it: its front matter, its address and those of its other versions.

    A front matter that links to documents (a summary with a `{filename}` link) shows their
    addresses: its listing digests every document's address too.

    A source file's digest is the one Pelican's content cache made of it while reading
    (`stamps`: path -> SHA-256, plugins/build_cache/plugin.py), so no file is hashed twice.
    Its front matter's digest is looked up by that digest among the last build's (`fronts`),
    so an unchanged file is not read again; `fronts` holds this build's afterwards.
    """

    def __init__(self, base_path: str, contents: list, stamps=None, fronts=None):
        self.base_path = base_path
        self.contents = contents
        self.stamps = stamps if stamps is not None else {}
        self.earlier_fronts = fronts or {}
        self.fronts: dict[str, str] = {}
        self._sources: dict[int, str] = {}
        self._listings: dict[int, str] = {}
        self._places: dict[int, str] = {}
        self._memberships: dict[tuple, str] = {}
        self._lists: dict[int, tuple[list, str]] = {}
        self._everything: str | None = None
        self._addresses: str | None = None

    def prepare(self) -> None:
        """Digest every document's listing now: forked workers then inherit them all."""
        for content in self.contents:
            self.listing(content)

    def source(self, content) -> str:
        """The digest of the whole source file of `content`."""
        key = id(content)
        if key not in self._sources:
            self._sources[key] = self._stamp(content.source_path)
        return self._sources[key]

    def listing(self, content) -> str:
        """The digest of what a list shows of `content` (front matter, URL, versions)."""
        key = id(content)
        if key not in self._listings:
            versions = sorted(
                (getattr(other, "url", ""), self._front(other))
                for other in getattr(content, "translations", ())
            )
            front = self._front(content)
            # A front matter linking to other documents (`summary:` with a {filename} link)
            # shows their addresses, which any document's move can change.
            addresses = self.addresses() if front.startswith(LINKING) else None
            self._listings[key] = _digest(
                [self.place(content), content.url, front, versions, addresses]
            )
        return self._listings[key]

    def addresses(self) -> str:
        """The digest of every document's place and address (what a link to one shows)."""
        if self._addresses is None:
            places = sorted(f"{self.place(c)}\0{c.url}" for c in self.contents)
            self._addresses = _digest_lines(places)
        return self._addresses

    def place(self, content) -> str:
        """Where `content` is in the archive: its source path under the content folder."""
        key = id(content)
        if key not in self._places:
            path, root = content.source_path, os.path.join(self.base_path, "")
            inside = path.startswith(root)
            self._places[key] = path[len(root) :] if inside else os.path.relpath(path, root)
        return self._places[key]

    def listings(self, documents: list) -> str:
        """The digest of what a list shows of each of `documents`, in their order.

        A list passed to several pages (the same object) is digested once.
        """
        kept = self._lists.get(id(documents))
        if kept is None or kept[0] is not documents:
            try:  # every document prepared: look them up without a call per document
                lines = list(map(self._listings.__getitem__, map(id, documents)))
            except KeyError:
                lines = [self.listing(d) for d in documents]
            kept = (documents, _digest_lines(lines))
            self._lists[id(documents)] = kept  # holding the list: its id stays its own
        return kept[1]

    def membership(self, term, listings: bool) -> str:
        """The digest of a term's address, counts and documents (listings, or which ones)."""
        key = (id(term), listings)
        if key not in self._memberships:
            articles = getattr(term, "articles", ())
            documents = (
                self.listings(articles)
                if listings
                else _digest_lines(self.place(a) for a in articles)
            )
            self._memberships[key] = _digest(
                [term.url, getattr(term, "direct_count", None), documents]
            )
        return self._memberships[key]

    def listed(self) -> set[str]:
        """The listing digests of every document digested so far (all, once prepared)."""
        return set(self._listings.values())

    def everything(self) -> str:
        """The digest of what every list could show: every document's listing."""
        if self._everything is None:
            self._everything = _digest_lines(sorted(self.listing(c) for c in self.contents))
        return self._everything

    def _stamp(self, path: str) -> str:
        kept = self.stamps.get(path)
        if kept is not None and isinstance(kept[1], bytes):
            return kept[1].hex()
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()

    def _front(self, content) -> str:
        source = self.source(content)
        front = self.fronts.get(source) or self.earlier_fronts.get(source)
        if front is None:
            with open(content.source_path, "rb") as handle:
                text = front_matter(handle.read())
            linking = any(placeholder in text for placeholder in PLACEHOLDERS)
            front = (LINKING if linking else "") + _digest_lines([text])
        self.fronts[source] = front
        return front


#: The mark of a front matter's digest when it holds a link placeholder of Pelican's
#: ({filename}, {static}, … as archive/render.py keeps them), kept in `fronts` with it.
LINKING = "linking:"
#: A line that closes a front matter: `---` or `...` alone on it.
CLOSING = re.compile(r"^[ \t]*(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def front_matter(data: bytes) -> str:
    """The front matter of a Markdown source (between its opening and closing `---`)."""
    text = data.decode("utf-8", "replace")
    first = text.partition("\n")[0]
    if first.strip() != "---":
        return text  # no front matter: all of it, to be safe
    closing = CLOSING.search(text, len(first) + 1)
    return text[: closing.start()] if closing else text


def fingerprints(
    site_key: str, args: tuple, kwargs: dict, digests: ArchiveDigests
) -> tuple[str, str | None]:
    """The fingerprints of one recorded page: its template, arguments and documents shown.

    The first is the whole page's (all the files of a list); the second, that of the pages
    of its list after the first, where they show less (else None).
    """
    name, template = page_name(args, kwargs), page_template(args, kwargs)
    shown, first_page_only = [], []
    subject = next((kwargs[key] for key in SUBJECT_KEYS if kwargs.get(key) is not None), None)
    if subject is not None:
        # Its text as rendered: links to other documents ({filename}) hold their addresses.
        text = hashlib.sha256(subject.content.encode("utf-8")).hexdigest()
        shown.append(["source", digests.source(subject), digests.place(subject), text])
        shown += [["listing", digests.listing(other)] for other in _around(subject)]
    term = kwargs.get("term")
    if term is not None:
        shown.append(["term", digests.membership(term, listings=True)])
        shown += [["counts", digests.membership(t, listings=False)] for t in _terms_within(term)]
        first_page_only += [
            ["mapped", digests.membership(t, listings=False)] for t in _terms_on_map(term)
        ]
    plain = {}
    for key, value in sorted(kwargs.items()):
        if key in ("name", "template", "context", *SUBJECT_KEYS, "term", *UNSHOWN_ARGUMENTS):
            continue
        documents = _documents_in(value)
        if documents is not None:
            shown.append([key, digests.listings(documents)])
        else:
            plain[key] = _plain(value)
    if not shown:
        shown.append(["everything", digests.everything()])
    further = [_plain(value) for value in args[3:]]  # after name, template, context
    page = [site_key, name, template.name, further, plain, shown]
    if not first_page_only:
        return _digest(page), None
    return _digest([*page, first_page_only]), _digest(page)


def fragment_key(key: tuple, digests: ArchiveDigests) -> tuple | None:
    """What a fragment's key (plugins/fragments) names, as kept between builds.

    A document in the key stands for what a list shows of it (its listing digest); any other
    part must be plain data. None for a key naming something else: such a fragment is not kept.
    """
    lasting = []
    for part in key:
        if isinstance(part, Content):
            lasting.append(("listing", digests.listing(part)))
        elif part is None or isinstance(part, str | int | float | bool):
            lasting.append(part)
        else:
            return None
    return tuple(lasting)


def _around(subject) -> list:
    """The documents a document's page shows beside it: related, neighbours, versions."""
    around = [related.article for related in getattr(subject, "related", ()) or ()]
    neighbours = getattr(subject, "neighbours", None) or {}
    around += [neighbours.get(side) for side in ("newer", "older") if neighbours.get(side)]
    around += list(getattr(subject, "translations", ()) or ())
    return around


def _terms_within(term) -> list:
    """The terms whose document counts every page of an actor's or a place's list shows."""
    terms = []
    for attribute in SHOWN_TERMS:
        terms += list(getattr(term, attribute, ()) or ())
    return terms


def _terms_on_map(term) -> list:
    """The terms whose document counts the map of a place shows (on its first page)."""
    place_map = getattr(term, "map", None)
    terms = []
    for attribute in ("entries", "unplaced"):
        terms += list(getattr(place_map, attribute, ()) or ())
    return terms


def _documents_in(value) -> list | tuple | None:
    """The documents of an argument that is a list of documents (itself), else None."""
    if isinstance(value, Content):
        return [value]
    if isinstance(value, list | tuple) and value and all(isinstance(v, Content) for v in value):
        return value
    if isinstance(value, dict) and value:
        found = [_documents_in(v) for v in value.values()]
        if all(f is not None for f in found):
            return [d for f in found for d in f]
    return None


def _plain(value):
    """An argument as JSON-able data; objects by their address, or by their type only."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, URLWrapper):
        return ["url", value.url]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    url = getattr(value, "url", None)
    return [type(value).__name__, url if isinstance(url, str) else None]


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode("utf-8")).hexdigest()


def _digest_lines(lines) -> str:
    """The digest of strings (digests, paths: never a NUL in them), one after the other."""
    return hashlib.sha256("\0".join(lines).encode("utf-8")).hexdigest()
