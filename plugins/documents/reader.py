"""The reader: a document or a page file -> validated front matter and markdown-it-py HTML.

Pelican logs a file its reader cannot read and carries on without it; here the reader
remembers why (`errors`), so that checks.py stops the build with the editor's fix; and what
each document is warned of (`warnings`), which the build's report says after it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pelican.readers
from pelican.readers import BaseReader
from pelican.utils import posixize_path

from archive.model.documents import parse_document, parse_page, site_defaults
from archive.model.links import link_problems, summary_link_problems
from archive.model.problems import ArchiveError, Problem
from archive.model.registries import load_registries
from archive.model.render import make_markdown
from archive.model.sourcefile import read_source
from archive.site.articles import article_metadata, collection_category
from archive.site.pelican_internals import enable_reader

from .settings import settings_of


class MarkdownReader(BaseReader):
    """Read a document or a page: validated front matter plus markdown-it-py HTML.

    Documents are parsed and rendered on every core (reading.py); pages, a handful,
    are read as Pelican asks.
    """

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self.options = settings_of(settings)
        self.md = make_markdown()
        self.errors: dict[str, ArchiveError] = {}
        #: What each document read is to be told without being refused, by its path.
        self.warnings: dict[str, tuple[Problem, ...]] = {}
        # The documents read ahead on every core (reading.py's DocumentBatch), once handed over.
        self.batch = None
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
                content = Path(self.settings["PATH"])
                problems = link_problems(self.md, content, Path(source_path), display, body, 1)
                if problems:
                    raise ArchiveError(problems)
                metadata = {"title": page.title, "page": page}
                if page.slug:
                    metadata["slug"] = page.slug
                if page.translation_of:
                    # Written nowhere of its own: plugin.py::page_versions shows it at the
                    # address of the page it translates, in its language's folder.
                    metadata["status"] = "hidden"
                    metadata["lang"] = page.language
                return self.md.render(body), metadata
            document, html = self._document(source_path, display)
        except ArchiveError as err:
            self.errors[display] = err
            raise
        except Exception as err:  # a bug of ours, or an input no check foresaw: say which file
            self.errors[display] = ArchiveError(
                [
                    Problem(
                        display,
                        None,
                        f"this file could not be read ({type(err).__name__}: {err})",
                        "run 'archive build --debug' and report the message to the developers",
                    )
                ]
            )
            raise
        self.warnings[display] = document.warnings
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
        site_defaults(settings),
    )
    content = Path(settings["PATH"])
    problems = link_problems(md, content, Path(source_path), display, body, document.body_line)
    problems += summary_link_problems(md, content, Path(source_path), display, document, data)
    if problems:
        raise ArchiveError(problems)
    return document, md.render(body)


def add_reader(readers):
    """Use our reader for every Markdown extension, replacing Python-Markdown."""
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = MarkdownReader


def forget_python_markdown(generator):
    """Drop Pelican's disabled Python-Markdown reader, which would warn about every .md file.

    Its other extensions (.mkd, .mdown) are not read at all: the build reports such files
    with the fix (archive/model/inventory.py) instead of a warning about a missing package.
    """
    readers = getattr(generator, "readers", None)
    if readers is not None:
        for extension in pelican.readers.MarkdownReader.file_extensions:
            enable_reader(readers, extension)
