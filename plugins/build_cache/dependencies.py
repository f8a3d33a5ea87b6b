"""What a page shows of the archive, as a fingerprint: equal fingerprints, equal pages.

A page is a record of the build's page plan (archive/site/plan.py): its name, its template,
its own arguments, and the declaration of what it shows, made where it was planned. With
the code, settings, theme, registries and pages unchanged (the site key,
plugins/build_cache/store.py), a page's fingerprint is made of exactly that:

- the documents whose **text** it shows: their whole source file, their place in the
  archive and their text as rendered (with the addresses of the documents it links to);
- the **lists** of documents it shows: what a list shows of each document, its front matter
  (title, dates, source, collection, summary, subjects, warning), its address and those of
  its other versions, in the list's order;
- the **terms** whose counts it shows: their address, how many documents they have, which;
- what only the **first page** of a list shows (a place's map), in the fingerprint of the
  whole list but not in that of the pages after the first, which have one of their own;
- **every** document's listing, for a page that shows the whole archive;
- its own arguments that are plain data (URLs, numbers, the search index's version), as
  they are; objects by their type and address. Documents reach a fingerprint only through
  the declaration: one passed to a template without being declared is not in it.

tests/test_build_cache.py changes an archive in every way an editor does and checks each
rebuild that reused pages against a full build, byte for byte; tests/test_page_plan.py
checks that a new page type is kept up to date by its declaration alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from archive.model.render import PLACEHOLDERS
from archive.site.plan import PlannedPage, Shows


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
        self._memberships: dict[int, str] = {}
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

    def membership(self, term) -> str:
        """The digest of a term's address, document count and which documents it has."""
        key = id(term)
        if key not in self._memberships:
            documents = _digest_lines(self.place(a) for a in getattr(term, "articles", ()))
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
#: ({filename}, {static}, … as archive/model/render.py keeps them), kept in `fronts` with it.
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


def fingerprints(site_key: str, page: PlannedPage, digests: ArchiveDigests):
    """The fingerprints of a planned page: its template, own arguments and what it shows.

    The first is the whole page's (all the files of a list); the second, that of the pages
    of its list after the first, where they show less (else None).
    """
    args, kwargs = page.call
    own = {k: _plain(v) for k, v in sorted(kwargs.items()) if k not in ("template", "context")}
    further = [_plain(value) for value in args[3:]]  # after name, template, context
    later = [site_key, page.name, page.template.name, further, own]
    later.append(_shown(page.shows.later_pages(), digests))
    if page.shows.first_page is None:
        return _digest(later), None
    return _digest([*later, _shown(page.shows.first_page, digests)]), _digest(later)


def _shown(shows: Shows, digests: ArchiveDigests) -> list:
    """The digests of what a declaration says a page shows."""
    shown = []
    for document in shows.text:
        # Its text as rendered: links to other documents ({filename}) hold their addresses.
        text = hashlib.sha256(document.content.encode("utf-8")).hexdigest()
        shown.append(["text", digests.source(document), digests.place(document), text])
    shown += [["list", digests.listings(documents)] for documents in shows.lists]
    shown += [["counted", digests.membership(term)] for term in shows.counted]
    if shows.everything:
        shown.append(["everything", digests.everything()])
    return shown


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


def _plain(value):
    """An argument as JSON-able data; objects by their address, or by their type only."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Content):
        return "document"  # what a page shows of it is declared (archive/site/plan.py)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, URLWrapper):
        return ["url", value.url]
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, Content) for v in value):
            # Declared, or never shown (Pelican's `all_articles`): not even how many there are,
            # or one document added would change every collection and year page.
            return "documents"
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
