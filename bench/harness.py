"""Run one build in this process and print its stage timings as JSON (used by bench.run).

Stages are cut at Pelican's signals: reading ends at `all_generators_finalized`, rendering
and writing at `finalized`; what runs after that (the output checks and the search index)
is its own stage. The taxonomies generator's own time is taken out of read and write.
"""

from __future__ import annotations

import json
import resource
import sys
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


def main(kind: str, settings_file: str, output: str) -> None:
    receivers = [_mark("read"), _mark("written")]  # kept referenced: blinker holds them weakly
    signals.all_generators_finalized.connect(receivers[0])
    signals.finalized.connect(receivers[1])
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
    read, written = marks["read"], marks["written"]
    taxonomies = spent["taxonomies_read"] + spent["taxonomies_write"]
    result = {
        "read": read - started - spent["taxonomies_read"],
        "render_write": written - read - spent["taxonomies_write"],
        "taxonomies": taxonomies,
        "after_write": ended - written,
        "total": ended - started,
        "peak_rss_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:4])
