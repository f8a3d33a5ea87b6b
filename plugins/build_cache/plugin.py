"""Pelican plugin: a deploy build reuses the work of the last one, kept in a cache folder.

A deploy builds from a clean checkout, so without a cache every build reads and renders the
whole archive however small the change. With `BUILD_CACHE = {"folder": ".cache/archive"}`
(publishconf.py; Netlify keeps the folder between deploys, see netlify.toml) a build:

- reads a source file again only if its bytes changed: Pelican's own content cache, keyed
  by each file's SHA-256 (`CACHE_CONTENT`, `CHECK_MODIFIED_METHOD`), which this plugin turns
  on in the folder's `readers/`;
- renders a page again only if what it shows changed (plugins/build_cache/dependencies.py):
  the others are hard-linked from the last build's pages (plugins/parallel_render asks
  `restore` before rendering each page);
- then keeps its own pages and what each showed for the next build (store.py).

Everything else (static files, the search index, feeds) is written as in any build. A cache
written by other code, theme, settings or non-document content is ignored and replaced.
The result is the same, byte for byte, as a build without the cache (tested).

Keep "build_cache" before "parallel_render" in PLUGINS: its generator hands the writer the
cache before the pages are rendered.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from archive.pelican_internals import page_name

from .dependencies import ArchiveDigests, fingerprint
from .store import CacheFolder, site_key

logger = logging.getLogger(__name__)

DEFAULTS = {
    # The cache folder (relative to where the build runs); empty: no cache.
    "folder": "",
}
#: Where a build's CacheFolder is kept in its settings while it runs.
RUN = "BUILD_CACHE_RUN"


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`BUILD_CACHE = {...}`) over its defaults."""
    return {**DEFAULTS, **settings.get("BUILD_CACHE", {})}


class PageReuse:
    """What the writer asks before rendering a page, and tells after writing one.

    A page is a recorded `write_file` call in one interface language (its folder); its
    fingerprint is computed once for all languages.
    """

    def __init__(self, cache: CacheFolder, key: str, digests: ArchiveDigests):
        self.folder, self.key, self.digests = cache, key, digests
        self.fingerprints: dict[int, str] = {}

    def restore(self, args: tuple, kwargs: dict, folder: str, output: str) -> list[str] | None:
        """The page's files put back from the last build, or None: render it.

        A page put back is also kept for the next build.
        """
        return self.folder.restore(self._page(args, kwargs, folder), self._of(args, kwargs), output)

    def produced(self, args: tuple, kwargs: dict, folder: str, files: list[str]) -> None:
        """The files a rendered page was written as."""
        self.folder.produced(self._page(args, kwargs, folder), self._of(args, kwargs), files)

    def _of(self, args, kwargs) -> str:
        if id(kwargs) not in self.fingerprints:
            self.fingerprints[id(kwargs)] = fingerprint(self.key, args, kwargs, self.digests)
        return self.fingerprints[id(kwargs)]

    @staticmethod
    def _page(args, kwargs, folder) -> str:
        return f"{folder}/{page_name(args, kwargs)}"


def open_cache(pelican) -> None:
    """Before any generator exists: check the cache's key, and have Pelican cache readings."""
    settings = pelican.settings
    folder = settings_of(settings)["folder"]
    if not folder:
        return
    key = site_key(settings)
    cache = CacheFolder(Path(folder).resolve(), key)
    logger.info(
        "Build cache %s: %s", folder, "reused" if cache.valid else "empty or from other code"
    )
    settings.update(
        CACHE_CONTENT=True,
        LOAD_CONTENT_CACHE=cache.valid,
        CACHE_PATH=str(cache.readers),
        CHECK_MODIFIED_METHOD="sha256",
        CONTENT_CACHING_LAYER="reader",
        GZIP_CACHE=False,  # compressing it took longer than reading it back saves
    )
    settings[RUN] = (cache, key)


class HandPagesToWriter(Generator):
    """Gives the page writer the cache, once every page is recorded and before any render."""

    def generate_context(self):
        """Nothing to read."""

    def generate_output(self, writer):
        """Let the writer restore pages from the cache (a writer without `reuse` cannot)."""
        run = self.settings.get(RUN)
        if run is None or not hasattr(writer, "reuse"):
            return
        cache, key = run
        contents = list(self.context.get("published_documents", []))
        contents += self.context.get("pages", [])
        writer.reuse = PageReuse(cache, key, ArchiveDigests(self.settings["PATH"], contents))


def keep_pages(pelican) -> None:
    """After a successful build: keep its pages and what each showed."""
    run = pelican.settings.pop(RUN, None)
    if run is None:
        return
    cache, _ = run
    cache.save(pelican.output_path)
    logger.info("Build cache: %d pages reused, %d kept", cache.reused, len(cache.current))


def add_generator(pelican):
    """Pelican asks plugins for extra generators."""
    return HandPagesToWriter


def register():
    """Connect to Pelican: at start, before rendering, and once the build is done."""
    signals.initialized.connect(open_cache)
    signals.get_generators.connect(add_generator)
    signals.finalized.connect(keep_pages)
