"""Time the related-documents step (plugins/related) alone on a synthetic archive of N documents.

The documents are made in memory, shaped like bench/corpus.py's (2–6 actors of 200, 1–5
places of 300 in its gazetteer, dates over 15 years), so the step's own cost is
measured without reading 10,000 files first. `make bench` prints it per size; run it alone
with `python -m bench.related 10000 50000`.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from types import SimpleNamespace

from archive.model.terms import ACTORS, LOCATIONS, Term, TermRegistry
from bench.corpus import registries
from plugins.related.plugin import DEFAULTS, compute_related


def _terms(kind, entries: dict) -> TermRegistry:
    registry = TermRegistry(kind)
    for slug, entry in entries.items():
        registry.terms[slug] = Term(
            kind.name, slug, entry["name"], entry["type"], parent=entry.get("parent", "")
        )
    return registry


def synthetic(count: int, seed: int = 1):
    """`count` article-like objects (newest first) and registries, as the plugin sees them."""
    rng = random.Random(seed)
    actor_entries, location_entries = registries(rng)
    actors, locations = _terms(ACTORS, actor_entries), _terms(LOCATIONS, location_entries)
    start = dt.date(2011, 1, 1)
    articles = []
    for number in range(count):
        document = SimpleNamespace(
            actors=[actors.terms[s] for s in rng.sample(sorted(actors.terms), rng.randint(2, 6))],
            locations=[
                locations.terms[s] for s in rng.sample(sorted(locations.terms), rng.randint(1, 5))
            ],
            date=start + dt.timedelta(days=rng.randrange(15 * 365)),
            collection=SimpleNamespace(key=rng.choice(("a", "b", "c", "d"))),
        )
        articles.append(SimpleNamespace(document=document, url=f"doc-{number:06d}.html"))
    articles.sort(key=lambda a: (a.document.date, a.url), reverse=True)
    return articles, SimpleNamespace(actors=actors, locations=locations)


def measure(count: int) -> float:
    """Seconds the related-documents step takes for `count` documents."""
    articles, registries = synthetic(count)
    started = time.perf_counter()
    compute_related(articles, registries, DEFAULTS)
    return time.perf_counter() - started


if __name__ == "__main__":
    for size in [int(arg) for arg in sys.argv[1:]] or [1000, 10000]:
        print(f"related documents at {size}: {measure(size):.2f} s")
