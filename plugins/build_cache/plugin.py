"""Pelican plugin: a deploy build reuses the work of the last one, kept in a cache folder.

A deploy builds from a clean checkout, so without a cache every build reads and renders the
whole archive however small the change. With `BUILD_CACHE = {"folder": ".cache/archive"}`
(publishconf.py; Netlify keeps the folder between deploys, see netlify.toml) a build:

- reads a source file again only if its bytes changed: Pelican's own content cache, keyed
  by each file's SHA-256 (`CACHE_CONTENT`, `CHECK_MODIFIED_METHOD`), which this plugin turns
  on in the folder's `readers/`;
- renders a page again only if what it shows changed (plugins/build_cache/dependencies.py):
  the others are hard-linked from the last build's pages (the engine's writer,
  archive/site/rendering.py, asks `offer` before rendering each page);
- renders a list entry (a `cache` block, plugins/fragments) again only if the document it
  lists changed: a document added to a list changes every page of it (they show how many
  there are), but not its other entries;
- then keeps its own pages and what each showed for the next build, sealed (store.py).

The cache folder is untrusted input (a deploy preview can write it): it is used only by a
build that has the secret named by `BUILD_CACHE["secret"]` (the environment variable
`ARCHIVE_CACHE_SECRET`), and only if that secret sealed it; see store.py.

Everything else (static files, the search index, feeds) is written as in any build. A cache
written by other code, theme, settings or non-document content is ignored and replaced.
The result is the same, byte for byte, as a build without the cache (tested).

Its generator hands the engine's writer the cache once every page is planned; the engine
renders after every plugin's generator (archive/site/rendering.py::RenderPages).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from archive.site.pelican_internals import save_readings_aside, stamp_each_file_once
from archive.site.plan import PlannedPage

from .dependencies import ArchiveDigests, fingerprints, fragment_key
from .store import CacheFolder, site_key

logger = logging.getLogger(__name__)

DEFAULTS = {
    # The cache folder (relative to where the build runs); empty: no cache.
    "folder": "",
    # The environment variable holding the secret that seals the cache (store.py): set it
    # where deploys may trust the cache (Netlify's production context) and nowhere else.
    # A build without it neither reads nor writes the cache.
    "secret": "ARCHIVE_CACHE_SECRET",
}
#: A secret shorter than this is refused: a guessable one would seal a hostile cache too.
SECRET_LENGTH = 32
#: Where a build's CacheFolder is kept in its settings while it runs.
RUN = "BUILD_CACHE_RUN"
#: Where a build lists the output files it put back from the cache instead of rendering
#: them (paths relative to the output folder): the files an earlier build of the same code,
#: theme and settings wrote and checked, byte for byte (their SHA-256 is sealed). The
#: rights-notice check (plugins/provenance) skips them.
RESTORED = "BUILD_CACHE_RESTORED"
#: The setting plugins/fragments looks fragments up in (its KEPT).
FRAGMENTS = "FRAGMENTS_KEPT"


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`BUILD_CACHE = {...}`) over its defaults."""
    return {**DEFAULTS, **settings.get("BUILD_CACHE", {})}


class PageReuse:
    """What the writer asks before rendering a page, and is told of every page after.

    A page is a planned page (archive/site/plan.py) in one interface language (its folder);
    its fingerprints are computed once for all languages. The writer may ask in worker processes
    (archive/site/rendering.py) and tell in its own: `offer` returns the fingerprints it needs
    to pass back to `record`; a worker's `report` goes to the build's process's `gather`.
    """

    def __init__(
        self,
        cache: CacheFolder,
        key: str,
        digests: ArchiveDigests,
        restored: set,
        fragments: KeptFragments,
    ):
        self.folder, self.key, self.digests = cache, key, digests
        self.restored = restored
        self.fragments = fragments
        self.fingerprints: dict[int, tuple[str, str | None]] = {}

    def offer(self, page: PlannedPage, folder: str, output: str):
        """(fingerprints, the page's files put back from the last build into `output`, later).

        The files are None when the page must be rendered: what it shows changed. `later`
        is then, for a list whose pages after the first show what they showed in the last
        build, the path of each file it kept of them (by name, relative to the output);
        else None.
        """
        whole, later = self._of(page)
        name = f"{folder}/{page.name}"
        files = self.folder.restore(name, whole, output)
        kept_later = None
        if files is None and later is not None:
            kept_later = self.folder.later_pages(name, later)
        return [whole, later], files, kept_later

    def record(self, page: PlannedPage, folder: str, shown: list, files: list, restored: bool):
        """What became of a page: the files it was put back or rendered as.

        `shown`: its fingerprints, as `offer` returned them.
        """
        self.folder.kept(f"{folder}/{page.name}", shown, files, restored)
        if restored:
            self.restored.update(files)

    def report(self):
        """In a worker process, once its last page is done: what the build's process needs.

        The fragments it rendered, to keep for the next build (`gather`).
        """
        return self.fragments.made

    def gather(self, report) -> None:
        """In the build's process: take in a worker's `report`."""
        self.fragments.made.update(report)

    def _of(self, page: PlannedPage) -> tuple[str, str | None]:
        if id(page) not in self.fingerprints:
            self.fingerprints[id(page)] = fingerprints(self.key, page, self.digests)
        return self.fingerprints[id(page)]


class KeptFragments:
    """The store of list entries kept between builds that plugins/fragments looks in.

    Fragments are kept by what their key names (`dependencies.fragment_key`): a document by
    its listing digest, so an entry of an unchanged document is the last build's text.
    """

    def __init__(self, earlier: dict, digests: ArchiveDigests):
        self.earlier, self.digests = earlier, digests
        self.made: dict[tuple, str] = {}

    def get(self, key: tuple) -> str | None:
        """The text the last build rendered under what `key` names, or None."""
        lasting = fragment_key(key, self.digests)
        return None if lasting is None else self.earlier.get(lasting)

    def put(self, key: tuple, text: str) -> None:
        """A fragment this build rendered."""
        lasting = fragment_key(key, self.digests)
        if lasting is not None:
            self.made[lasting] = str(text)  # not Markup: kept lighter, wrapped again

    def to_keep(self) -> dict:
        """This build's fragments and the last build's that show documents still listed."""
        listed = self.digests.listed()
        kept = {
            key: text
            for key, text in self.earlier.items()
            if all(part[1] in listed for part in key if isinstance(part, tuple))
        }
        kept.update(self.made)
        return kept


def open_cache(pelican) -> None:
    """Before any generator exists: check the cache's key, and have Pelican cache readings."""
    settings = pelican.settings
    settings[RESTORED] = set()
    settings.pop(RUN, None)  # left by a build that failed
    settings.pop(FRAGMENTS, None)
    _stamps.clear()
    wait_for_saving()  # left by a build that failed
    options = settings_of(settings)
    folder = options["folder"]
    if not folder:
        return
    secret = os.environ.get(options["secret"], "")
    if len(secret) < SECRET_LENGTH:
        logger.warning(
            "Build cache %s: not used, %s is %s (set it to a random secret of %d characters or"
            " more where deploys may trust the cache: Netlify's production context only)",
            folder,
            options["secret"],
            "too short" if secret else "not set",
            SECRET_LENGTH,
        )
        return
    key = site_key(settings)
    cache = CacheFolder(Path(folder).resolve(), key, secret.encode("utf-8"))
    if cache.refused:
        logger.warning("Build cache %s: refused, %s; building clean", folder, cache.refused)
    else:
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


#: The hashes of the source files Pelican's content cache checks, each made once a build.
_stamps: dict = {}


#: The processes saving Pelican's content cache beside the build (their pids).
_saving: list = []


def prepare_readers(generator) -> None:
    """Once a generator's readers exist (before anything is read): hash each file once.

    And have them save what they read in a process of its own, beside the rest of the build.
    """
    if RUN in generator.settings:
        stamp_each_file_once(generator.readers, _stamps)
        save_readings_aside(generator.readers, _saving, unsaved=(RUN, RESTORED, FRAGMENTS))


def wait_for_saving() -> None:
    """Wait for the processes saving Pelican's content cache, if any."""
    while _saving:
        os.waitpid(_saving.pop(), 0)


def stamp_files_once_in_generator(generator) -> None:
    """Once a caching generator's own cache exists: have it hash each file once too."""
    if RUN in generator.settings:
        stamp_each_file_once(generator, _stamps)


class HandPagesToWriter(Generator):
    """Gives the page writer the cache, once every page is recorded and before any render."""

    def generate_context(self):
        """Nothing to read."""

    def generate_output(self, writer):
        """Let the engine's writer restore pages from the cache."""
        run = self.settings.get(RUN)
        if run is None:
            return
        cache, key = run
        contents = list(self.context.get("published_documents", []))
        contents += self.context.get("pages", [])
        digests = ArchiveDigests(self.settings["PATH"], contents, _stamps, cache.earlier_fronts)
        digests.prepare()
        cache.fronts = digests.fronts
        fragments = self.settings[FRAGMENTS] = KeptFragments(cache.earlier_fragments, digests)
        writer.reuse = PageReuse(cache, key, digests, self.settings[RESTORED], fragments)


def keep_pages(pelican) -> None:
    """After a successful build: keep its pages and what each showed."""
    run = pelican.settings.pop(RUN, None)
    fragments = pelican.settings.pop(FRAGMENTS, None)
    if run is None:
        return
    wait_for_saving()
    cache, _ = run
    cache.fragments = fragments.to_keep() if fragments is not None else {}
    cache.save(pelican.output_path)
    logger.info("Build cache: %d pages reused, %d kept", cache.reused, len(cache.current))


def add_generator(pelican):
    """Pelican asks plugins for extra generators."""
    return HandPagesToWriter


def register():
    """Connect to Pelican: at start, before rendering, and once the build is done."""
    signals.initialized.connect(open_cache)
    signals.generator_init.connect(prepare_readers)
    signals.article_generator_init.connect(stamp_files_once_in_generator)
    signals.page_generator_init.connect(stamp_files_once_in_generator)
    signals.get_generators.connect(add_generator)
    signals.finalized.connect(keep_pages)
