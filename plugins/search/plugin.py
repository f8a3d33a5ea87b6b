"""Pelican plugin: full-text search over the documents, served or opened from disk.

Each published document goes to Pagefind (its command line, from the pagefind package) as
a record of its text, filters (actor, location, collection, year, publisher, language), sort
date and metadata: only the document's own text is indexed, never the site's navigation, and
the index is built from data the build already holds, without waiting for or parsing pages.
Pagefind's browser code cannot run from file:// (module imports and fetch() are refused
there), so the same records also go into a script-loaded offline index (offline.py) that
theme/static/js/search.js uses automatically from disk. With the parallel_render plugin both
indexes are built while the pages are being rendered.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter

from pelican import signals
from pelican.generators import Generator

from archive.live_interfaces import run_while_rendering
from archive.problems import fail
from archive.registries import load_registries

from . import offline, pagefind_order

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Folder (in the output) of Pagefind's bundle, used when the site is served over HTTP.
    "pagefind_folder": "pagefind",
    # Folder of the offline index, used when the site is opened from disk.
    "offline_folder": "search-index",
}

#: Names of the languages the search page offers, in their own language.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ar": "العربية",
    "ru": "Русский",
    "de": "Deutsch",
    "pt": "Português",
    "it": "Italiano",
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`SEARCH = {...}`) over its defaults."""
    return {**DEFAULTS, **settings.get("SEARCH", {})}


class SearchGenerator(Generator):
    """Describe each document for search, write the search page and the offline index."""

    def generate_context(self):
        """Attach to every published document its filters, sort date and metadata."""
        registries = load_registries(self.settings["PATH"])
        self.documents = self.context["published_documents"]
        for article in self.documents:
            article.search = describe(article.document, registries)
        counts = Counter(article.lang for article in self.documents)
        default = self.settings["DEFAULT_LANG"]
        self.languages = [
            {"code": code, "name": LANGUAGE_NAMES.get(code, code), "count": counts[code]}
            for code in sorted(counts, key=lambda c: (c != default, -counts[c], c))
        ] or [{"code": default, "name": LANGUAGE_NAMES.get(default, default), "count": 0}]
        self.context["search_languages"] = self.languages

    def generate_output(self, writer):
        """Write search.html and both indexes (offline per language, and Pagefind's)."""
        self.options = {**settings_of(self.settings)}
        self.records = [record_of(article) for article in self.documents]
        self.digests = [digest_of(record) for record in self.records]
        self.options["version"] = version_of(self.digests)
        self.refresher = IndexRefresher(self.options, self.languages)
        writer.write_file(
            self.settings["SEARCH_SAVE_AS"],
            self.get_template("search"),
            self.context,
            self.settings["RELATIVE_URLS"],
            search_options=self.options,
            nav_current="search",
        )
        job = functools.partial(
            write_indexes,
            self.output_path,
            self.records,
            self.options["version"],
            self.languages,
            self.options,
        )
        # Neither index needs the pages: with the parallel_render plugin they are built
        # while the pages are rendered.
        run_while_rendering(writer, job)

    def refresh_documents(self, writer, contents) -> list[str]:
        """On a live site, the text of `contents` changed: bring search up to date.

        search.html is written at once with the new version of the records; the indexes
        are rebuilt in the background (Pagefind needs about 15 s for 10,000 documents), and
        until they are swapped in, the search page says its index is older than the pages.
        """
        changed = {id(content) for content in contents}
        numbers = [n for n, article in enumerate(self.documents) if id(article) in changed]
        if not numbers:
            return []
        for number in numbers:
            self.records[number] = record_of(self.documents[number])
            self.digests[number] = digest_of(self.records[number])
        self.options["version"] = version_of(self.digests)
        writer.rewrite_named(self.settings["SEARCH_SAVE_AS"])
        self.refresher.submit(self.output_path, list(self.records), self.options["version"])
        return [self.settings["SEARCH_SAVE_AS"]]

    def wait_for_refresh(self) -> None:
        """Return once the indexes hold every edit so far."""
        self.refresher.wait()

    def close_refresh(self) -> None:
        """The site is about to be rebuilt whole: drop any index refresh under way."""
        self.refresher.close()


def record_of(article) -> dict:
    """What both indexes hold of one document."""
    return {
        "url": article.url,
        "title": article.title,
        "text": offline.plain_text(article.content),
        "language": article.lang,
        "date": article.search["date"],
        "source": article.search["source"],
        "filters": article.search["filters"],
    }


def digest_of(record: dict) -> bytes:
    """A digest of one record, kept so that an edit re-hashes only its own record."""
    data = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(data).digest()


def version_of(digests: list[bytes]) -> str:
    """A digest of what is indexed: the search page compares its own with its index's."""
    return hashlib.sha256(b"".join(digests)).hexdigest()[:16]


def write_indexes(target: str, records, version: str, languages, options: dict) -> None:
    """Write both indexes of `records` into the site folder `target`.

    The version file comes last: it says that both indexes hold this version's records.
    """
    folder = os.path.join(target, options["offline_folder"])
    for language in languages:
        offline.write_index(
            folder, language["code"], [r for r in records if r["language"] == language["code"]]
        )
    if records:  # Pagefind refuses to index nothing; the search page then says there is none
        build_pagefind_index(records, os.path.join(target, options["pagefind_folder"]))
    offline.write_version(folder, version)


class IndexRefresher:
    """Rebuilds the search indexes of a live site in a background thread.

    Edits arriving while it works are not queued one by one: when it finishes, it starts
    again once with the newest records. Each rebuild is written beside the site and swapped
    in by renames, Pagefind's bundle first, then the offline index with its version file.
    """

    def __init__(self, options: dict, languages: list[dict]):
        self.options = options
        self.languages = languages
        self.lock = threading.Lock()
        self.latest: tuple | None = None
        self.thread: threading.Thread | None = None
        self.closed = False

    def submit(self, site: str, records: list[dict], version: str) -> None:
        """Have the indexes of `site` rebuilt from `records` as soon as possible."""
        with self.lock:
            self.latest = (site, records, version)
            self.closed = False
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="search-refresh")
                self.thread.start()

    def wait(self) -> None:
        """Return once no rebuild is running or waiting."""
        thread = self.thread
        if thread is not None:
            thread.join()

    def close(self) -> None:
        """Discard any rebuild still running (the site is being rebuilt whole)."""
        self.closed = True

    def _run(self) -> None:
        while True:
            with self.lock:
                job, self.latest = self.latest, None
                if job is None or self.closed:
                    self.thread = None
                    return
            try:
                self._rebuild(*job)
            except Exception:  # a background thread has no editor to report to but the log
                logger.exception("Could not refresh the search index; rebuild the site")

    def _rebuild(self, site: str, records: list[dict], version: str) -> None:
        scratch = tempfile.mkdtemp(prefix=".search-refresh-", dir=os.path.dirname(site))
        try:
            write_indexes(scratch, records, version, self.languages, self.options)
            if self.closed:
                return
            for folder in (self.options["pagefind_folder"], self.options["offline_folder"]):
                current = os.path.join(site, folder)
                if os.path.exists(current):
                    os.rename(current, os.path.join(scratch, folder + ".old"))
                os.rename(os.path.join(scratch, folder), current)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def describe(document, registries) -> dict:
    """What search knows of a document besides its text; places include their parents."""
    places = []
    for term in document.locations:
        for place in (term, *registries.locations.ancestors(term.slug)):
            if place.name not in places:
                places.append(place.name)
    source = document.source
    return {
        "filters": {
            "actor": [term.name for term in document.actors],
            "location": places,
            "collection": [document.collection.name],
            "year": [str(document.date.year)],
            "publisher": [source.publisher],
            "language": [LANGUAGE_NAMES.get(document.language, document.language)],
        },
        "date": document.date.isoformat(),
        "source": ", ".join(part for part in (source.publisher, source.place) if part),
    }


def build_pagefind_index(records: list[dict], target: str) -> None:
    """Index the documents with Pagefind and write its bundle to `target`.

    Each record becomes a minimal page (the document's title, text, filters, sort date and
    metadata) at its document's address in a scratch folder, which Pagefind's command line
    (`python -m pagefind`, from the pagefind package) indexes in one run. Its Python API
    would be the obvious choice, but its client reads one answer per tenth of a second (17
    minutes for 10,000 records one by one), and it stops the Pagefind process as soon as
    that says the files are written, while the last writes may still be under way: index
    files came out truncated now and then. The command line exits only when all is written.
    """
    with tempfile.TemporaryDirectory(prefix="pagefind-records-") as scratch:
        for record in records:
            path = os.path.join(scratch, record["url"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(_record_page(record))
        done = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", scratch, "--output-path", target]
            + ["--silent"],
            capture_output=True,
            text=True,
        )
    if done.returncode:
        fail(
            "pagefind",
            None,
            f"Pagefind could not build the search index: {done.stdout}{done.stderr}",
            "run 'archive build --debug' and report the message",
        )
    for name in UNUSED_BUNDLE_FILES:
        path = os.path.join(target, name)
        if os.path.exists(path):
            os.remove(path)
    pagefind_order.stabilise(target)


def _record_page(record: dict) -> str:
    """A document as Pagefind reads it: title and text, with filters, sort and metadata."""
    escape = html.escape
    tags = "".join(
        f'<span data-pagefind-filter="{escape(key)}:{escape(value)}"></span>'
        for key, values in record["filters"].items()
        for value in values
    )
    return (
        f'<!doctype html><html lang="{escape(record["language"])}"><body>'
        f"<main data-pagefind-body><h1>{escape(record['title'])}</h1>"
        f"<p>{escape(record['text'])}</p>{tags}"
        f'<span data-pagefind-sort="date:{escape(record["date"])}"></span>'
        f'<span data-pagefind-meta="date:{escape(record["date"])}"></span>'
        f'<span data-pagefind-meta="source:{escape(record["source"])}"></span>'
        f"</main></body></html>"
    )


#: Pagefind's ready-made interfaces; our search page has its own (theme/static/js/search.js).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


def add_generator(pelican):
    """Our generator runs after the articles are read."""
    return SearchGenerator


def configure(pelican):
    """Default URL of the search page."""
    pelican.settings.setdefault("SEARCH_URL", "search.html")
    pelican.settings.setdefault("SEARCH_SAVE_AS", "search.html")


def register():
    """Connect to Pelican: settings, then our generator."""
    signals.initialized.connect(configure)
    signals.get_generators.connect(add_generator)
