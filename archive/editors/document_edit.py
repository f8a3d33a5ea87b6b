"""A document's file opened for a change by an editors' command (withdraw, redact, rename).

Its front matter goes through the YAML round trip, so the editor's comments, order and
quotes stay; its text is kept as it is; the file is replaced whole, or not at all.
"""

from __future__ import annotations

import io
from pathlib import Path

from archive.editors.registry_edit import round_trip
from archive.model.documents import parse_document, site_defaults
from archive.model.registries import load_registries
from archive.model.sourcefile import FENCE, decode, read_source, write_source


class EditedDocument:
    """A document's file opened for a change: `document` as read, `data` to change, `body`."""

    def __init__(self, content: Path, path: Path, settings: dict):
        self.path = path
        self.display = path.resolve().relative_to(content.resolve()).as_posix()
        raw = read_source(path, content, self.display)
        self.document, self.body = parse_document(
            self.display, raw, load_registries(content), site_defaults(settings)
        )
        lines = decode(self.display, raw).split("\n")
        # Between the opening fence and the closing one, on the line before the text.
        self.data = round_trip().load("\n".join(lines[1 : self.document.body_line - 2]))

    def save(self, body: str, path: Path | None = None) -> None:
        """Write the front matter as changed, and `body` as the text (to `path` if given)."""
        out = io.StringIO()
        round_trip().dump(self.data, out)
        write_source(path or self.path, f"{FENCE}\n{out.getvalue()}{FENCE}\n{body}")
