"""A live site: built once, then kept up to date by rewriting only what an edit changes.

Editors save a document and look at it; rebuilding 10,000 documents for that takes a minute.
`LiveSite` keeps the whole build (Pelican's generators, the documents, and the page plan,
which says what every page shows: archive/site/plan.py) in memory after a full build. When
only the text of documents changed, their files are read again, the pages that declare that
text are rendered again with the build's own templates and context
(archive/site/rendering.py), and the generators that derive data from the text are told
(`LiveRefresher`, archive/site/live_interfaces.py: search rewrites its page at once and its
indexes in the background). Anything else — a new, deleted or renamed file, changed front
matter, a text that links to a file the build copies ({static}, {attach}), a registry, the
theme, the settings — gets a full (atomic) build, which reuses, as a deploy does, every page
whose plan record shows nothing that changed (plugins/build_cache).

The result is the same, byte for byte, as a clean build of the same sources (tested).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.settings import read_settings
from pelican.utils import posixize_path

from archive.site.build import build_with
from archive.site.live_interfaces import LiveRefresher
from archive.site.pelican_internals import (
    content_html,
    content_read_from,
    read_again,
    replace_content_html,
)
from archive.site.rendering import ArchiveBuild

#: The extensions of the files whose text a live site can update in place.
DOCUMENT_SUFFIXES = (".md", ".markdown")
#: A link to a file that a full build copies into the site (Pelican's {static} and {attach}
#: placeholders): a text gaining or losing one changes the site's files, not only its pages.
FILE_LINK = re.compile(r"[{|](?:static|attach)[|}]")

#: Content classes, the generator that reads each, and the signals it sends around a read.
_READERS = (
    (
        Article,
        ArticlesGenerator,
        signals.article_generator_preread,
        signals.article_generator_context,
    ),
    (Page, PagesGenerator, signals.page_generator_preread, signals.page_generator_context),
)


@dataclass
class Update:
    """What one call to LiveSite.update did."""

    full: bool
    reason: str = ""
    written: list[str] = field(default_factory=list)
    seconds: float = 0.0


#: The environment variable holding the secret of a live site's own build cache: a random
#: one per process, so only the builds of this process trust what the cache holds.
CACHE_SECRET = "ARCHIVE_LIVE_CACHE_SECRET"


class LiveSite:
    """The site built from `settings_file`, updated in place after edits.

    With `reuse` (as `archive serve` runs it), its full builds (after a front-matter edit, an
    added document…) reuse what the last one rendered, as a deploy does (plugins/build_cache):
    from a cache folder of its own, in a temporary folder removed with it, sealed with a
    secret only this process knows. Settings that name a cache folder of their own
    (publishconf.py's) keep it.
    """

    def __init__(self, settings_file: str, output: str | None = None, reuse: bool = True):
        self.settings_file = settings_file
        self.output = output
        self.pelican: ArchiveBuild | None = None
        self.folder: Path | None = None
        self.overrides = {}
        if reuse and not read_settings(settings_file).get("BUILD_CACHE", {}).get("folder"):
            cache = tempfile.mkdtemp(prefix="archive-live-cache-")
            weakref.finalize(self, shutil.rmtree, cache, True)
            os.environ.setdefault(CACHE_SECRET, secrets.token_urlsafe(48))
            self.overrides = {"BUILD_CACHE": {"folder": cache, "secret": CACHE_SECRET}}

    @property
    def settings(self) -> dict:
        """The settings of the last build."""
        return (
            self.pelican.settings
            if self.pelican
            else read_settings(self.settings_file, override=self.overrides)
        )

    def build(self, reason: str = "first build") -> Update:
        """Build the whole site (atomically) and keep it; on failure keep the previous one."""
        started = time.perf_counter()
        if self.pelican is not None:
            # A search refresh still running would swap old indexes into the new site, and
            # forking render workers while its thread runs is unsafe: stop it, wait for it.
            for refresher in self._refreshers():
                refresher.close_refresh()
                refresher.wait_for_refresh()
        folder, pelican = build_with(self.settings_file, self.output, self.overrides)
        # Pelican built into a staging folder which is now `folder`: point the kept writer
        # and generators there.
        for holder in (pelican.writer, *pelican.generators):
            holder.output_path = str(folder)
        self.pelican, self.folder = pelican, folder
        return Update(full=True, reason=reason, seconds=time.perf_counter() - started)

    def update(self, paths) -> Update:
        """Bring the site up to date after changes to `paths`.

        Raises ArchiveError (and changes nothing) when an edited document is invalid.
        """
        started = time.perf_counter()
        if self.pelican is None:
            return self.build()
        changed = list(dict.fromkeys(Path(path).resolve() for path in paths))  # each once
        reason, reread = self._reread_texts(changed)
        if reason:
            return self.build(reason)
        for content, html in reread:
            replace_content_html(content, html)
        contents = [content for content, _ in reread]
        written = self.pelican.writer.rewrite(contents)
        for refresher in self._refreshers():
            written += refresher.refresh_documents(self.pelican.writer, contents)
        return Update(full=False, written=written, seconds=time.perf_counter() - started)

    def wait_for_search(self) -> None:
        """Return once the search indexes hold the latest edits (for tests and benchmarks)."""
        for refresher in self._refreshers():
            refresher.wait_for_refresh()

    def _reread_texts(self, paths: list[Path]) -> tuple[str, list]:
        """Read the edited documents again: (reason for a full build, or "", [(content, html)])."""
        root = Path(self.settings["PATH"]).resolve()
        context = self.pelican.generators[0].context
        reread = []
        for path in paths:
            if path.suffix not in DOCUMENT_SUFFIXES or not path.is_relative_to(root):
                return f"{path.name} is not a document", []
            relative = posixize_path(os.path.relpath(path, root))
            old = content_read_from(context, relative)
            if old is None or not path.exists():
                return f"{relative} was added or removed", []
            new = self._read(relative, type(old))
            if new.metadata != old.metadata:
                return f"the front matter of {relative} changed", []
            html = content_html(new)
            if FILE_LINK.search(html) or FILE_LINK.search(content_html(old)):
                return f"{relative} links to a file the build copies ({{static}}, {{attach}})", []
            reread.append((old, html))
        return "", reread

    def _read(self, relative: str, content_class):
        """Read one source file again, as the generator that first read it did."""
        for kind, generator_class, preread, context in _READERS:
            if issubclass(content_class, kind):
                generator = next(
                    g for g in self.pelican.generators if isinstance(g, generator_class)
                )
                return read_again(generator, relative, content_class, preread, context)
        raise LookupError(f"no generator reads {relative}")

    def _refreshers(self) -> list[LiveRefresher]:
        """The generators whose output follows the documents' text."""
        return [g for g in self.pelican.generators if isinstance(g, LiveRefresher)]
