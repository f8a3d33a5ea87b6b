"""Run one build in this process and print its stage timings as JSON (used by bench.run).

Stages are cut at Pelican's signals: reading ends at `all_generators_finalized`, rendering
and writing at `finalized`; what runs after that (the output checks and the search index)
is its own stage. The taxonomies generator's own time is taken out of read and write.

Our build runs as the live site `archive serve` keeps (archive/site/live.py), so that, given a
fourth argument `edit`, the same process then measures what an editor waits for after
changing the text of one document (the pages rewritten, then the search indexes refreshed in
the background) and then its title (a full build that reuses the pages not showing it). Each
edit is then undone the same way, and the site must be what the full build wrote.
"""

from __future__ import annotations

import hashlib
import json
import re
import resource
import sys
import time
from functools import wraps
from pathlib import Path

from pelican import Pelican, signals
from pelican.settings import read_settings

from archive.site.interface import interface_languages
from bench.memory import MemorySampler

marks: dict[str, float] = {}
spent: dict[str, float] = {"taxonomies_read": 0.0, "taxonomies_write": 0.0, "search_index": 0.0}


def _timed(owner, method, key):
    """Add the time every call of `owner.method` (a class's or a module's) takes to `spent`."""
    original = getattr(owner, method)

    @wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started

    setattr(owner, method, wrapper)


def _mark(name):
    def receiver(sender, **kwargs):
        marks.setdefault(name, time.perf_counter())

    receiver.__name__ = f"mark_{name}"
    return receiver


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def measure_edit(site) -> dict:
    """Edit the first document's text, then its title; time each live update, undo, compare.

    Returns the text edit's figures, and the title edit's under "front_matter".
    """
    root = Path(site.settings["PATH"])
    source = min((root / site.settings["ARTICLE_PATHS"][0]).rglob("*.md"))
    original = source.read_text(encoding="utf-8")
    before = _digest(site.folder)
    figures = _timed_edit(site, source, original + "\nA sentence the editor adds.\n")
    figures["document"] = source.relative_to(root).as_posix()
    figures["undone_identical"] = _digest(site.folder) == before
    retitled = re.sub(r'^(title: .*?)("?)$', r"\1 (edited)\2", original, count=1, flags=re.M)
    figures["front_matter"] = _timed_edit(site, source, retitled)
    figures["front_matter"]["undone_identical"] = _digest(site.folder) == before
    return figures


def _timed_edit(site, source: Path, edited: str) -> dict:
    """Save `edited` as `source`, time the live update, then restore the source."""
    original = source.read_text(encoding="utf-8")
    source.write_text(edited, encoding="utf-8")
    started = time.perf_counter()
    update = site.update([source])
    pages_s = time.perf_counter() - started
    site.wait_for_search()
    search_s = time.perf_counter() - started
    source.write_text(original, encoding="utf-8")
    site.update([source])
    site.wait_for_search()
    return {
        "full_build": update.full,
        "pages_s": pages_s,
        "written": update.written,
        "search_s": search_s,
    }


def main(kind: str, settings_file: str, output: str, edit: str = "") -> None:
    """Build one site (`ours` with our pipeline, else stock Pelican) and print its stages."""
    receivers = [_mark("read"), _mark("written")]  # kept referenced: blinker holds them weakly
    signals.all_generators_finalized.connect(receivers[0])
    signals.finalized.connect(receivers[1])
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    if kind == "ours":
        from archive.site.live import LiveSite
        from plugins.search import plugin as search
        from plugins.taxonomies.plugin import TaxonomiesGenerator

        _timed(TaxonomiesGenerator, "generate_context", "taxonomies_read")
        _timed(TaxonomiesGenerator, "generate_output", "taxonomies_write")
        _timed(search, "write_indexes", "search_index")
        # Timed as `archive build` runs (no cache but a deploy's own); a live site that keeps
        # its pages for the next edit is built afterwards, if the edits are to be measured.
        site = LiveSite(settings_file, output, reuse=False)
        site.build()
    else:
        Pelican(read_settings(settings_file, override={"OUTPUT_PATH": output})).run()
    ended = time.perf_counter()
    ended_at = time.time()
    sampler.running = False
    read, written = marks["read"], marks["written"]
    taxonomies = spent["taxonomies_read"] + spent["taxonomies_write"]
    result = {
        "read": read - started - spent["taxonomies_read"],
        "render_write": written - read - spent["taxonomies_write"],
        "taxonomies": taxonomies,
        # Writing the search index runs beside the rendering, so it is part of render_write.
        "search_index": spent["search_index"],
        "after_write": ended - written,
        "total": ended - started,
        "peak_rss_mb": max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024,
        "peak_total_mb": sampler.peak_kb / 1024,
        "ended_at": ended_at,
        "languages": len(interface_languages(site.settings)) if kind == "ours" else 1,
    }
    if edit:
        site = LiveSite(settings_file, output)
        site.build()
        result["edit"] = measure_edit(site)
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:5])
