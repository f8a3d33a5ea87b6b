"""Both search indexes written into a site, at build time or in the background after an edit."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading

from . import offline
from .pagefind_index import build_pagefind_index

logger = logging.getLogger(__name__)


def write_indexes(target: str, records, version: str, languages, options: dict) -> None:
    """Write both indexes of `records` into the site folder `target`.

    The version file comes last: it says that both indexes hold this version's records.
    """
    folder = os.path.join(target, options["offline_folder"])
    for language in languages:
        offline.write_index(
            folder, language["code"], [r for r in records if r["language"] == language["code"]]
        )
    if records:  # Pagefind refuses to index nothing; the search page then says there is none
        build_pagefind_index(records, os.path.join(target, options["pagefind_folder"]))
    offline.write_version(folder, version)


class IndexRefresher:
    """Rebuilds the search indexes of a live site in a background thread.

    Edits arriving while it works are not queued one by one: when it finishes, it starts
    again once with the newest records. Each rebuild is written beside the site and swapped
    in by renames, Pagefind's bundle first, then the offline index with its version file.
    """

    def __init__(self, options: dict, languages: list[dict]):
        self.options = options
        self.languages = languages
        self.lock = threading.Lock()
        self.latest: tuple | None = None
        self.thread: threading.Thread | None = None
        self.closed = False

    def submit(self, site: str, records: list[dict], version: str) -> None:
        """Have the indexes of `site` rebuilt from `records` as soon as possible."""
        with self.lock:
            self.latest = (site, records, version)
            self.closed = False
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="search-refresh")
                self.thread.start()

    def wait(self) -> None:
        """Return once no rebuild is running or waiting."""
        thread = self.thread
        if thread is not None:
            thread.join()

    def close(self) -> None:
        """Discard any rebuild still running (the site is being rebuilt whole)."""
        self.closed = True

    def _run(self) -> None:
        while True:
            with self.lock:
                job, self.latest = self.latest, None
                if job is None or self.closed:
                    self.thread = None
                    return
            try:
                self._rebuild(*job)
            except Exception:  # a background thread has no editor to report to but the log
                logger.exception("Could not refresh the search index; rebuild the site")

    def _rebuild(self, site: str, records: list[dict], version: str) -> None:
        scratch = tempfile.mkdtemp(prefix=".search-refresh-", dir=os.path.dirname(site))
        try:
            write_indexes(scratch, records, version, self.languages, self.options)
            if self.closed:
                return
            for folder in (self.options["pagefind_folder"], self.options["offline_folder"]):
                current = os.path.join(site, folder)
                if os.path.exists(current):
                    os.rename(current, os.path.join(scratch, folder + ".old"))
                os.rename(os.path.join(scratch, folder), current)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
