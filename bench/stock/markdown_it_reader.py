"""A plain Pelican reader: Pelican's `Key: value` metadata, Markdown by markdown-it-py.

This is what a stock Pelican site using markdown-it looks like; it renders Markdown with the
same MarkdownIt configuration as the archive, so the benchmark compares like with like.
"""

from pelican import signals
from pelican.readers import BaseReader

from archive.model.render import make_markdown


class StockMarkdownReader(BaseReader):
    """Metadata lines until the first blank line, then the Markdown body."""

    enabled = True
    file_extensions = ["md"]

    def __init__(self, settings):
        super().__init__(settings)
        self.md = make_markdown()

    def read(self, source_path):
        """Return (HTML, metadata) the way Pelican's own Markdown reader would."""
        with open(source_path, encoding="utf-8") as handle:
            header, _, body = handle.read().partition("\n\n")
        metadata = {}
        for line in header.splitlines():
            key, _, value = line.partition(":")
            metadata[key.strip().lower()] = self.process_metadata(
                key.strip().lower(), value.strip()
            )
        return self.md.render(body), metadata


def add_reader(readers):
    """Use this reader for .md files."""
    readers.reader_classes["md"] = StockMarkdownReader


def register():
    """Pelican plugin entry point."""
    signals.readers_init.connect(add_reader)
