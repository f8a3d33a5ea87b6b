"""The search index written into a site, at build time or in the background after an edit."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading

from . import offline

logger = logging.getLogger(__name__)


def write_indexes(target: str, records, version: str, catalogue: dict, options: dict) -> None:
    """Write the index of `records` into the site folder `target`.

    The version file comes last: it says that the index holds this version's records.
    """
    folder = os.path.join(target, options["index_folder"])
    offline.write_index(folder, records, catalogue)
    offline.write_version(folder, version)


class IndexRefresher:
    """Rebuilds the search index of a live site in a background thread.

    Edits arriving while it works are not queued one by one: when it finishes, it starts
    again once with the newest records. Each rebuild is written beside the site and swapped
    in by renames, with its version file.
    """

    def __init__(self, options: dict, catalogue: dict):
        self.options = options
        self.catalogue = catalogue
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
            write_indexes(scratch, records, version, self.catalogue, self.options)
            if self.closed:
                return
            folder = self.options["index_folder"]
            current = os.path.join(site, folder)
            if os.path.exists(current):
                os.rename(current, os.path.join(scratch, folder + ".old"))
            os.rename(os.path.join(scratch, folder), current)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
