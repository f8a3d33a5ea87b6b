"""What the live site (archive/live.py) and the plugins expect of each other, written down.

The live site keeps a full build in memory and, after an edit to a document's text, asks the
writer to render again the pages that show it and tells the generators that derive data from
the text. These protocols are that contract: a plugin takes part by implementing one (no
registration, no base class), and the live site finds the participants with `isinstance`
instead of probing for method names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class PageRecorder(Protocol):
    """A Pelican writer that keeps every page it was asked for, so it can render some again.

    plugins/parallel_render's ParallelWriter is the one implementation.
    """

    def rewrite(self, contents: Sequence) -> list[str]:
        """Render again every page and feed showing one of `contents`; return their files."""

    def rewrite_named(self, name: str) -> list[str]:
        """Render again the page written as `name` (its context changed); return its files."""

    def run_while_rendering(self, task: Callable[[], None]) -> None:
        """Run `task` while the pages render (at once if they already have)."""


@runtime_checkable
class LiveRefresher(Protocol):
    """A generator whose output depends on the documents' text (search, for one).

    After a text-only edit the live site calls `refresh_documents`; before a full rebuild it
    calls `close_refresh` then `wait_for_refresh`, so no background work of the previous
    build lands in the new one.
    """

    def refresh_documents(self, writer: PageRecorder, contents: Sequence) -> list[str]:
        """The text of `contents` changed: update this generator's output; return its files."""

    def wait_for_refresh(self) -> None:
        """Return once every refresh started so far has landed."""

    def close_refresh(self) -> None:
        """Drop any refresh still under way: the site is about to be rebuilt whole."""


def run_while_rendering(writer, task: Callable[[], None]) -> None:
    """Run `task` alongside page rendering when the writer can, else at once."""
    if isinstance(writer, PageRecorder):
        writer.run_while_rendering(task)
    else:
        task()
