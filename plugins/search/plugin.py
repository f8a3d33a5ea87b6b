"""Pelican plugin: full-text search over the documents, served or opened from disk.

Each published document becomes a record of its text, filters (actor, location, collection,
year, publisher, language), date and source: only the document's own text is indexed, never
the site's navigation, and the index is built from data the build already holds, without
waiting for or parsing pages. The index (offline.py, specified in docs/search-index.md) is a
set of plain scripts that theme/static/js/search-engine.js, the one search engine, loads the
same way served over HTTP and opened from disk; search.js draws the search page. Beside
the documents it holds the actors and locations of the registries (every spelling of each,
its page and its number of documents), so that a query naming one finds the documents tagged
with it. The index is built while the pages are being rendered.

Why not Pagefind: docs/decisions/0001-search-engine.md, with the measurements.
"""

from __future__ import annotations

import functools
from collections import Counter

from pelican import signals
from pelican.generators import Generator

from archive.model.registries import load_registries
from archive.site.plan import Shows, plan_page

from .indexes import IndexRefresher, write_indexes
from .records import LANGUAGE_NAMES, catalogue_of, describe, digest_of, record_of, version_of

#: Stemmers that ship in a file of their own (theme/static/js), by language: the search page
#: loads one only where the archive has documents in its language, before stemmers.js.
STEMMERS_APART = {"ar": "js/stemmers-ar.js"}

DEFAULTS = {
    # Folder (in the output) of the search index, served and from disk.
    "index_folder": "search-index",
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`SEARCH = {...}`) over its defaults."""
    return {**DEFAULTS, **settings.get("SEARCH", {})}


class SearchGenerator(Generator):
    """Describe each document for search, write the search page and the search index."""

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
        self.context["search_stemmers_apart"] = [
            STEMMERS_APART[code] for code in sorted(counts) if code in STEMMERS_APART
        ]
        self.catalogue = catalogue_of(registries, self.context)

    def generate_output(self, writer):
        """Write search.html and the search index."""
        self.options = {**settings_of(self.settings)}
        self.records = [record_of(article) for article in self.documents]
        self.digests = [digest_of(record) for record in self.records]
        self.options["version"] = version_of(self.digests)
        self.refresher = IndexRefresher(self.options, self.catalogue)
        # Its filters list every collection, language, actor and place with their counts.
        plan_page(
            writer,
            Shows(everything=True),
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
            self.catalogue,
            self.options,
        )
        # The index does not need the pages: it is built while they are rendered.
        writer.run_while_rendering(job)

    def refresh_documents(self, writer, contents) -> list[str]:
        """On a live site, the text of `contents` changed: bring search up to date.

        search.html is written at once with the new version of the records; the index is
        rebuilt in the background, and until it is swapped in, the search page says its
        index is older than the pages.
        """
        changed = {id(content) for content in contents}
        numbers = [n for n, article in enumerate(self.documents) if id(article) in changed]
        if not numbers:
            return []
        for number in numbers:
            self.records[number] = record_of(self.documents[number])
            self.digests[number] = digest_of(self.records[number])
        self.options["version"] = version_of(self.digests)
        written = writer.rewrite_named(self.settings["SEARCH_SAVE_AS"])
        self.refresher.submit(self.output_path, list(self.records), self.options["version"])
        return written

    def wait_for_refresh(self) -> None:
        """Return once the index holds every edit so far."""
        self.refresher.wait()

    def close_refresh(self) -> None:
        """The site is about to be rebuilt whole: drop any index refresh under way."""
        self.refresher.close()


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
