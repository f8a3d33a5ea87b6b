"""Write new document files (from `archive new` or `archive import`), never over another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pelican.utils import slugify

from .problems import fail

SLUG_LENGTH = 60


def slug_for(title: str) -> str:
    """An ASCII slug from a title, cut at a word boundary: 'US-led coalition…' -> 'us-led-…'."""
    slug = slugify(
        title,
        regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")],
    )
    slug = slug.encode("ascii", "ignore").decode() or "document"
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    return slug.strip("-")


def document_path(content: Path, collection: str, date: dt.date, slug: str) -> Path:
    """The conventional place of a document: articles/<collection>/<year>/<slug>.md."""
    return content / "articles" / (collection or "unsorted") / str(date.year) / f"{slug}.md"


def document_text(fields: dict, paragraphs: list[str], notes: list[str] = ()) -> str:
    """Front matter (with `notes` as YAML comments for the editor) and Markdown text."""
    front = yaml.safe_dump(
        {k: v for k, v in fields.items() if v not in (None, "", [], {})},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    comments = "".join(f"# {note}\n" for note in notes)
    return "---\n" + comments + front + "---\n\n" + "\n\n".join(paragraphs) + "\n"


def write_new(path: Path, text: str) -> None:
    """Create the file; refuse if it exists, whatever it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        fail(
            str(path),
            None,
            "a document already exists at this path",
            "give the new document another slug (--slug), or edit the existing one",
        )
