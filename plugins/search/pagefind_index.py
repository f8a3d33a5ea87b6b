"""The served index: Pagefind's, built by its command line from the documents' records."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile

from archive.problems import fail

from . import pagefind_order

#: Pagefind's ready-made interfaces; our search page has its own (theme/static/js/search.js).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


def build_pagefind_index(records: list[dict], target: str) -> None:
    """Index the documents with Pagefind and write its bundle to `target`.

    Each record becomes a minimal page (the document's title, text, filters, sort date and
    metadata) at its document's address in a scratch folder, which Pagefind's command line
    (`python -m pagefind`, from the pagefind package) indexes in one run. Its Python API
    would be the obvious choice, but its client reads one answer per tenth of a second (17
    minutes for 10,000 records one by one), and it stops the Pagefind process as soon as
    that says the files are written, while the last writes may still be under way: index
    files came out truncated now and then. The command line exits only when all is written.
    """
    with tempfile.TemporaryDirectory(prefix="pagefind-records-") as scratch:
        for record in records:
            path = os.path.join(scratch, record["url"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(_record_page(record))
        done = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", scratch, "--output-path", target]
            + ["--silent"],
            capture_output=True,
            text=True,
        )
    if done.returncode:
        fail(
            "pagefind",
            None,
            f"Pagefind could not build the search index: {done.stdout}{done.stderr}",
            "run 'archive build --debug' and report the message",
        )
    for name in UNUSED_BUNDLE_FILES:
        path = os.path.join(target, name)
        if os.path.exists(path):
            os.remove(path)
    pagefind_order.stabilise(target)


def _record_page(record: dict) -> str:
    """A document as Pagefind reads it: title and text, with filters, sort and metadata."""
    escape = html.escape
    tags = "".join(
        f'<span data-pagefind-filter="{escape(key)}:{escape(value)}"></span>'
        for key, values in record["filters"].items()
        for value in values
    )
    return (
        f'<!doctype html><html lang="{escape(record["language"])}"><body>'
        f"<main data-pagefind-body><h1>{escape(record['title'])}</h1>"
        f"<p>{escape(record['text'])}</p>{tags}"
        f'<span data-pagefind-sort="date:{escape(record["date"])}"></span>'
        f'<span data-pagefind-meta="date:{escape(record["date"])}"></span>'
        f'<span data-pagefind-meta="source:{escape(record["source"])}"></span>'
        f"</main></body></html>"
    )
