"""Documents read on every core, ahead of Pelican, in the order Pelican asks for them."""

from __future__ import annotations

import os

from pelican.utils import posixize_path

from archive.model.registries import load_registries
from archive.model.render import make_markdown
from archive.site.pelican_internals import article_files, reading_is_cached
from archive.site.workers import start_pool

from .reader import MarkdownReader, render_document
from .settings import settings_of


class DocumentBatch:
    """Every document of a build, read by forked workers in the order Pelican asks for them.

    Pelican reads its articles one by one and then does its own work on each (URLs, dates,
    signals); here the workers parse and render ahead of it, so that work and theirs overlap
    instead of following each other. Forking gives the workers the settings and registries
    without pickling them; only each document's (Document, HTML) comes back.
    """

    def __init__(self, paths: list[str], settings: dict, options: dict, workers: int):
        self.paths = paths
        self.waiting = set(paths)
        self.settings, self.options, self.workers = settings, options, workers
        self.pool = None
        self.results = None
        self.arrived: dict[str, tuple] = {}

    def take(self, path: str) -> tuple | None:
        """(Document, HTML, error) of `path`, or None if it is not in the batch."""
        if path not in self.waiting:
            return None
        if self.pool is None:
            _batch_job.update(settings=self.settings, options=self.options)
            self.pool = start_pool(self.workers)
            self.results = self.pool.imap(_render_in_worker, self.paths, chunksize=16)
        self.waiting.discard(path)
        while path not in self.arrived:
            done, result = next(self.results)
            self.arrived[done] = result
        if not self.waiting:
            self.close()
        return self.arrived.pop(path)

    def close(self) -> None:
        """Stop the workers (at once if documents are still being read: the build stopped)."""
        if self.pool is not None:
            if self.waiting:
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()
            self.pool = None
            _batch_job.clear()


def read_documents_in_parallel(generator) -> None:
    """Before Pelican reads the articles, hand our readers a batch of them in its order.

    The order is Pelican's own list of article files (a set, whose order is the same for the
    same files within one process), so each document it asks for is the next one done.
    """
    readers = {
        id(reader): reader
        for reader in generator.readers.readers.values()
        if isinstance(reader, MarkdownReader)
    }
    if not readers:
        return
    settings = generator.settings
    options = settings_of(settings)
    workers = options["workers"] or os.cpu_count() or 1
    extensions = tuple("." + extension for extension in MarkdownReader.file_extensions)
    documents = [
        os.path.abspath(os.path.join(generator.path, name))
        for name in article_files(generator)
        if name.endswith(extensions)
    ]
    # A file whose reading Pelican's content cache holds (plugins/build_cache) is not read.
    paths = [path for path in documents if not reading_is_cached(generator.readers, path)]
    if workers == 1 or len(paths) < options["parallel_from"]:
        return
    batch = DocumentBatch(paths, settings, options, workers)
    for reader in readers.values():
        reader.batch = batch


#: What forked reading workers need; set while they run (they inherit it).
_batch_job: dict = {}


def _render_in_worker(path: str):
    """In a worker: one document's (Document, HTML, None), or (None, None, the error).

    Any error comes back (an unexpected one too): the build then reports that file.
    """
    settings = _batch_job["settings"]
    if "md" not in _batch_job:
        _batch_job["md"] = make_markdown()
    display = posixize_path(os.path.relpath(path, settings["PATH"]))
    try:
        if "registries" not in _batch_job:  # the registries cannot change during a build
            _batch_job["registries"] = load_registries(settings["PATH"])
        document, html = render_document(
            path,
            display,
            settings,
            _batch_job["options"],
            _batch_job["md"],
            _batch_job["registries"],
        )
        return path, (document, html, None)
    except Exception as error:
        return path, (None, None, error)


def stop_reading(generators):
    """Stop reading workers Pelican did not need to the end (a build that stops early)."""
    for generator in generators:
        readers = getattr(generator, "readers", None)
        for reader in readers.readers.values() if readers else ():
            if getattr(reader, "batch", None) is not None:
                reader.batch.close()
