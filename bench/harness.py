"""Run one build in this process and print its stage timings as JSON (used by bench.run).

Stages are cut at Pelican's signals: reading ends at `all_generators_finalized`, rendering
and writing at `finalized`; what runs after that (the output checks and the search index)
is its own stage. The taxonomies generator's own time is taken out of read and write.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from functools import wraps

from pelican import Pelican, signals
from pelican.settings import read_settings

marks: dict[str, float] = {}
spent: dict[str, float] = {"taxonomies_read": 0.0, "taxonomies_write": 0.0}


def _timed(cls, method, key):
    original = getattr(cls, method)

    @wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started

    setattr(cls, method, wrapper)


def _mark(name):
    def receiver(sender, **kwargs):
        marks.setdefault(name, time.perf_counter())

    receiver.__name__ = f"mark_{name}"
    return receiver


def _descendants(pid: int) -> list[int]:
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            children += [int(c) for c in handle.read().split()]
    return children + [d for c in children for d in _descendants(c)]


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (forked workers) are counted once, not per process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


class MemorySampler(threading.Thread):
    """Samples the memory of this process and all its children (workers, Pagefind) together."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.running = True

    def run(self):
        """Sample five times a second until stopped."""
        while self.running:
            try:
                pids = [os.getpid(), *_descendants(os.getpid())]
            except OSError:
                pids = [os.getpid()]
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in pids))
            time.sleep(0.2)


def main(kind: str, settings_file: str, output: str) -> None:
    """Build one site (`ours` with our pipeline, else stock Pelican) and print its stages."""
    receivers = [_mark("read"), _mark("written")]  # kept referenced: blinker holds them weakly
    signals.all_generators_finalized.connect(receivers[0])
    signals.finalized.connect(receivers[1])
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    if kind == "ours":
        from archive.build import build_site

        sys.path.insert(0, "plugins")
        from taxonomies.plugin import TaxonomiesGenerator

        _timed(TaxonomiesGenerator, "generate_context", "taxonomies_read")
        _timed(TaxonomiesGenerator, "generate_output", "taxonomies_write")
        build_site(settings_file, output)
    else:
        Pelican(read_settings(settings_file, override={"OUTPUT_PATH": output})).run()
    ended = time.perf_counter()
    sampler.running = False
    read, written = marks["read"], marks["written"]
    taxonomies = spent["taxonomies_read"] + spent["taxonomies_write"]
    result = {
        "read": read - started - spent["taxonomies_read"],
        "render_write": written - read - spent["taxonomies_write"],
        "taxonomies": taxonomies,
        "after_write": ended - written,
        "total": ended - started,
        "peak_rss_mb": max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024,
        "peak_total_mb": sampler.peak_kb / 1024,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:4])
