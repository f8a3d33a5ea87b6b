"""Pelican plugin: documents are Markdown with YAML front matter, rendered by markdown-it-py.

It replaces Python-Markdown for .md files and makes the build strict: Pelican logs a file it
cannot read and carries on without it, which for an archive means a document silently missing
from the published site. Here every such file stops the build with the editor's fix.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from pelican import signals
from pelican.readers import BaseReader
from pelican.utils import posixize_path

from archive.articles import article_metadata, collection_category
from archive.captures import capture_problems
from archive.check import unread_files
from archive.documents import Document, parse_document, parse_page
from archive.pelican_internals import (
    CONTENT_LISTS,
    article_files,
    enable_reader,
    failed_sources,
    freeze_url,
    replace_category_lists,
)
from archive.problems import ArchiveError, Problem
from archive.registries import load_registries
from archive.render import make_markdown
from archive.sourcefile import MAX_BYTES, read_source

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Rights notice for documents whose front matter names none (a key of registry/rights.yml).
    "default_rights": "fair-use-us",
    # An actor or location missing from the registries: "error" stops the build, "warn" logs
    # it and keeps the name, unlinked.
    "unknown_terms": "error",
    # Largest document file accepted, in bytes.
    "max_bytes": MAX_BYTES,
    # Processes that read documents (0: one per core), from how many documents on.
    "workers": 0,
    "parallel_from": 200,
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`DOCUMENTS = {...}`) over its defaults."""
    merged = dict(DEFAULTS)
    merged.update(settings.get("DOCUMENTS", {}))
    return merged


class MarkdownReader(BaseReader):
    """Read a document or a page: validated front matter plus markdown-it-py HTML.

    Documents are parsed and rendered on every core (see DocumentBatch); pages, a handful,
    are read as Pelican asks.
    """

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self.options = settings_of(settings)
        self.md = make_markdown()
        self.errors: dict[str, ArchiveError] = {}
        self.batch: DocumentBatch | None = None
        self.collection_categories: dict[str, object] = {}

    def read(self, source_path):
        """Return (HTML, metadata); on a bad file, remember why and let Pelican skip it."""
        display = posixize_path(os.path.relpath(source_path, self.settings["PATH"]))
        try:
            if self._is_page(display):
                data = read_source(
                    source_path, self.settings["PATH"], display, self.options["max_bytes"]
                )
                page, body = parse_page(display, data)
                metadata = {"title": page.title, "page": page}
                if page.slug:
                    metadata["slug"] = page.slug
                return self.md.render(body), metadata
            document, html = self._document(source_path, display)
        except ArchiveError as err:
            self.errors[display] = err
            raise
        for field, name in document.unresolved:
            logger.warning(
                "%s: unknown %s %r, shown unlinked (add it to registry/%s.yml)",
                display,
                field[:-1],
                name,
                field,
            )
        return html, self._metadata(document)

    def _document(self, source_path: str, display: str):
        found = self.batch.take(source_path) if self.batch else None
        if found is None:
            return render_document(source_path, display, self.settings, self.options, self.md)
        document, html, error = found
        if error is not None:
            raise error
        return document, html

    def _is_page(self, display: str) -> bool:
        """Pages (about, how to cite) live under Pelican's PAGE_PATHS and are not documents."""
        return any(
            display.startswith(folder.rstrip("/") + "/") for folder in self.settings["PAGE_PATHS"]
        )

    def _category(self, document):
        """One Pelican Category per collection, shared by its documents.

        Each new Category object would work out its slug again.
        """
        key = document.collection.key
        if key not in self.collection_categories:
            self.collection_categories[key] = collection_category(document, self.settings)
        return self.collection_categories[key]

    def _metadata(self, document) -> dict:
        """Pelican's own fields from the document, plus the document itself for templates."""
        summary = self.md.renderInline(document.summary) if document.summary else ""
        return article_metadata(document, self._category(document), summary)


def render_document(
    source_path: str, display: str, settings: dict, options: dict, md, registries=None
):
    """Read, validate and render one document: (Document, HTML), or ArchiveError."""
    data = read_source(source_path, settings["PATH"], display, options["max_bytes"])
    document, body = parse_document(
        display,
        data,
        registries or load_registries(settings["PATH"]),
        {
            "rights": options["default_rights"],
            "language": settings.get("DEFAULT_LANG", "en"),
            "unknown_terms": options["unknown_terms"],
        },
    )
    return document, md.render(body)


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
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)
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
    paths = [
        os.path.abspath(os.path.join(generator.path, name))
        for name in article_files(generator)
        if name.endswith(extensions)
    ]
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


def add_reader(readers):
    """Use our reader for every Markdown extension, replacing Python-Markdown."""
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = MarkdownReader


def forget_python_markdown(generator):
    """Drop Pelican's disabled Python-Markdown reader, which would warn about every .md file."""
    readers = getattr(generator, "readers", None)
    if readers is not None:
        for extension in MarkdownReader.file_extensions:
            enable_reader(readers, extension)


def refuse_failed_sources(generators):
    """Stop the build if any source file failed to read, or two documents share an output file.

    Runs after every generator has read its content and before anything is written, so a
    failed build leaves the previous output untouched.
    """
    problems: list[Problem] = []
    reported = set()
    for generator in generators:
        readers = getattr(generator, "readers", None)
        for reader in readers.readers.values() if readers else ():
            for path, error in getattr(reader, "errors", {}).items():
                if path not in reported:
                    reported.add(path)
                    problems.extend(error.problems)
    for path in failed_sources(generators[0].context):
        if path not in reported:
            problems.append(
                Problem(
                    path,
                    None,
                    "Pelican could not read this file",
                    "see the message logged above for this file",
                )
            )
    problems.extend(_shared_output_files(generators))
    problems.extend(_capture_problems(generators[0].context))
    settings = generators[0].settings
    problems.extend(unread_files(Path(settings["PATH"]), settings["ARTICLE_PATHS"]))
    if problems:
        # A broken registry is reported by every document that needs it: say it once.
        raise ArchiveError(list(dict.fromkeys(problems)))


def _shared_output_files(generators) -> list[Problem]:
    """Two sources writing one output file means one of them would vanish from the site."""
    claims = defaultdict(list)
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                claims[content.save_as].append(content.relative_source_path)
    return [
        Problem(
            paths[1],
            None,
            f"writes the same page ({save_as}) as {', '.join(paths[:1] + paths[2:])}",
            "give one of them another 'slug:'",
        )
        for save_as, paths in sorted(claims.items())
        if len(paths) > 1
    ]


def _capture_problems(context: dict) -> list[Problem]:
    """Every document's capture must be there, unchanged: its page links to it as evidence."""
    content = Path(context["PATH"])  # Pelican's context starts as a copy of the settings
    documents = context["published_documents"] + context["unpublished_documents"]
    return [
        problem
        for article in documents
        if article.document.capture
        for problem in capture_problems(
            article.document.path, asdict(article.document.capture), content
        )
    ]


def freeze_urls(generators):
    """Compute each page's URL once: Pelican re-derives it from settings on every access.

    A document is linked from its collection, year, actor and location pages, so a large
    archive would otherwise format the same URLs hundreds of thousands of times.
    """
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                freeze_url(content)


class _Members(list):
    """A list of content objects whose `in` is a set lookup.

    Pelican's content objects compare by identity, so the answers are the same.
    """

    def __init__(self, items):
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def index_collections(generators):
    """Make "is this document in this collection?" a set lookup instead of a list scan.

    Pelican writes each collection's page after asking that of every document in the
    archive, against the collection's list: quadratic in the number of documents.
    """
    for generator in generators:
        replace_category_lists(generator, _Members)


def stop_reading(generators):
    """Stop reading workers Pelican did not need to the end (a build that stops early)."""
    for generator in generators:
        readers = getattr(generator, "readers", None)
        for reader in readers.readers.values() if readers else ():
            if getattr(reader, "batch", None) is not None:
                reader.batch.close()


def is_document(content) -> bool:
    """Which Pelican contents are archived documents (read by our reader), not pages."""
    return isinstance(getattr(content, "document", None), Document)


def list_documents(generator):
    """Decide once, for every plugin and template, which articles are documents.

    `context["published_documents"]`: the published ones, newest first (ARTICLE_ORDER_BY);
    `context["unpublished_documents"]`: drafts and hidden ones, which still get their own
    pages and so their subjects and citations.
    """
    generator.context["published_documents"] = [a for a in generator.articles if is_document(a)]
    generator.context["unpublished_documents"] = [
        a for a in generator.drafts + generator.hidden_articles if is_document(a)
    ]


def register():
    """Connect to Pelican: add the reader, then check what was read before writing."""
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(forget_python_markdown)
    signals.article_generator_init.connect(read_documents_in_parallel)
    signals.article_generator_finalized.connect(list_documents)
    signals.all_generators_finalized.connect(stop_reading)
    signals.all_generators_finalized.connect(freeze_urls)  # first: the checks use the URLs
    signals.all_generators_finalized.connect(refuse_failed_sources)
    signals.all_generators_finalized.connect(index_collections)
