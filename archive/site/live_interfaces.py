"""What the live site (archive/site/live.py) expects of the generators it keeps up to date.

The live site keeps a full build in memory and, after an edit to a document's text, has the
engine's writer render again the pages that show it (archive/site/rendering.py) and tells
the generators that derive data from the text. This protocol is their side of that contract:
a plugin takes part by implementing it (no registration, no base class), and the live site
finds the participants with `isinstance` instead of probing for method names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class LiveRefresher(Protocol):
    """A generator whose output depends on the documents' text (search, for one).

    After a text-only edit the live site calls `refresh_documents`; before a full rebuild it
    calls `close_refresh` then `wait_for_refresh`, so no background work of the previous
    build lands in the new one.
    """

    def refresh_documents(self, writer, contents: Sequence) -> list[str]:
        """The text of `contents` changed: update this generator's output; return its files.

        `writer` is the build's PlanWriter, which can render a planned page again.
        """

    def wait_for_refresh(self) -> None:
        """Return once every refresh started so far has landed."""

    def close_refresh(self) -> None:
        """Drop any refresh still under way: the site is about to be rebuilt whole."""
