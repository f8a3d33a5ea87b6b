"""Pelican plugin: full-text search over the documents, served or opened from disk.

Document pages mark their text, filters (actor, location, collection, year, publisher,
language), sort key and metadata for Pagefind, which indexes them through its Python API
once every page is written. Pagefind's browser code cannot run from file:// (module imports
and fetch() are refused there), so the same documents also go into a script-loaded offline
index (offline.py) that theme/static/js/search.js uses automatically from disk.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from pagefind.index import IndexConfig, PagefindIndex
from pelican import signals
from pelican.generators import Generator

from archive.problems import ArchiveError, Problem
from archive.registries import load_registries

from . import offline

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Folder (in the output) of Pagefind's bundle, used when the site is served over HTTP.
    "pagefind_folder": "pagefind",
    # Folder of the offline index, used when the site is opened from disk.
    "offline_folder": "search-index",
    # Output pages Pagefind indexes: the documents, nothing else.
    "glob": "documents/**/*.html",
}
#: Names of the languages the search page offers, in their own language.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français", "ar": "العربية",
                  "ru": "Русский", "de": "Deutsch", "pt": "Português", "it": "Italiano"}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`SEARCH = {...}`) over its defaults."""
    return {**DEFAULTS, **settings.get("SEARCH", {})}


class SearchGenerator(Generator):
    """Describe each document for search, write the search page and the offline index."""

    def generate_context(self):
        """Attach to every published document its filters, sort date and metadata."""
        registries = load_registries(self.settings["PATH"])
        self.documents = [a for a in self.context.get("articles", []) if hasattr(a, "document")]
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
        """Write search.html and, per language, the offline index."""
        options = settings_of(self.settings)
        writer.write_file(self.settings["SEARCH_SAVE_AS"], self.get_template("search"),
                          self.context, self.settings["RELATIVE_URLS"],
                          search_options=options, nav_current="search")
        folder = os.path.join(self.output_path, options["offline_folder"])

        def write_offline_indexes():
            for language in self.languages:
                documents = [
                    {"url": a.url, "title": a.title, "content": a.content,
                     "date": a.search["date"], "source": a.search["source"],
                     "filters": a.search["filters"]}
                    for a in self.documents if a.lang == language["code"]
                ]
                offline.write_index(folder, language["code"], documents)

        # The offline index needs only the documents' data, not their pages: with the
        # parallel_render plugin it is written while the pages are rendered.
        if hasattr(writer, "run_while_rendering"):
            writer.run_while_rendering(write_offline_indexes)
        else:
            write_offline_indexes()


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


def build_pagefind_index(pelican):
    """Index the written document pages with Pagefind (it must run after every page exists)."""
    options = settings_of(pelican.settings)
    output = pelican.output_path
    target = os.path.join(output, options["pagefind_folder"])
    try:
        # In a thread of its own: the caller may already run an event loop (a test driving a
        # browser, an editor's tool), and asyncio.run() refuses to nest in one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            result = pool.submit(asyncio.run, _pagefind(output, target, options["glob"])).result()
    except Exception as error:  # the binary's own failures arrive as various exceptions
        raise ArchiveError([Problem(options["pagefind_folder"], None,
                                    f"Pagefind could not build the search index: {error}",
                                    "run 'archive build --debug' and report the message")]) from error
    logger.info("Pagefind indexed %s pages", result.get("page_count"))


async def _pagefind(output: str, target: str, glob: str) -> dict:
    async with PagefindIndex(config=IndexConfig(output_path=target)) as index:
        return await index.add_directory(output, glob=glob)


def add_generator(pelican):
    """Our generator runs after the articles are read."""
    return SearchGenerator


def configure(pelican):
    """Default URL of the search page."""
    pelican.settings.setdefault("SEARCH_URL", "search.html")
    pelican.settings.setdefault("SEARCH_SAVE_AS", "search.html")


def register():
    """Connect to Pelican: settings, our generator, and Pagefind once the site is written."""
    signals.initialized.connect(configure)
    signals.get_generators.connect(add_generator)
    signals.finalized.connect(build_pagefind_index)
