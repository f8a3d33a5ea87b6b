"""Relevance of both engines on the relevance set: false hits and misses, ours and Pagefind's.

`python -m bench.relevance` (and `make bench`, through bench/run.py) builds the shipped archive
(content/ as shipped) and the synthetic one of the relevance set (bench/relevance_set.py),
indexes each build with the pinned Pagefind CLI as a partner would (`pagefind --site`: one
index per language, README "Indexing the archive with Pagefind"), and runs every case with a
text query through both engines in headless Chromium, served over HTTP: ours on its search
page (the first 20 results, as a reader sees them), Pagefind through its browser API on a
harness page (bench/search.py::HARNESS: the English index with the Spanish and French ones
merged, the first 20 results' data). Each engine's results are judged by one definition
(`judge`), the same for both:

- a **false hit** is a result that is a `must_not` document of its case, or whose indexed text
  (`Document.words`: its title, its text, or its content warning instead, and its authors)
  holds none of the query's words and no spelling of an entity the query names, and which is
  not tagged with such an entity (`related`);
- a **miss** is a `must` document not among the first 20 results.

A word is a run of letters and digits, case-folded. A document holds a query word when it
holds a word that is the same without accents (`fold`), or that has the same Snowball stem
in the document's language (English, Spanish, French, Arabic; accents kept to stem, as Snowball
needs, and dropped to compare) as the query word or as any word of the archive that is the
query word with accents (`spellings`: "declaree" stands for "déclarée", which stems with
"déclaré"). An entity is an actor or a place of the registries; the query names it when one
of its spellings (name, alias, name in another language) appears in the query as consecutive
words, accents and case aside; a document is tagged with it when its search filters name it
(a place's documents include those about the places within it, as both engines' filters
hold). A query made only of common words ("du", "is") makes almost nothing a false hit: the
definition judges whether a result has anything to do with the query, not how well it ranks.

Cases without a text query (filters alone) are left out. Cases that check what only our
engine has — an entity card, a "did you mean" proposal, a sort order or a year range Pagefind's
index of this archive lacks — are reported as not applicable to Pagefind and not counted in
either engine's totals; where their query can still be put to Pagefind (entity cards) its
figures are printed beside them, for information.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bench.relevance_set import SHIPPED, SYNTHETIC, SYNTHETIC_CONTENT, Case

ROOT = Path(__file__).resolve().parent.parent
#: Results judged per query, as the test of the relevance set reads them.
FIRST = 20
#: The Snowball stemmers of the languages both engines stem.
STEMMED = {"ar": "arabic", "en": "english", "es": "spanish", "fr": "french"}
#: Filters of our search page that Pagefind's index of this archive holds too.
PAGEFIND_FILTERS = ("actor", "location", "collection", "year", "publisher", "language")
#: How many of the worst cases are printed per engine.
WORST = 5

WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """`text` case-folded and without accents (Estado Islámico -> estado islamico)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text`, folded, in order."""
    return WORD.findall(fold(text))


def spoken(text: str) -> list[str]:
    """The words of `text`, case-folded with their accents (composed), in order."""
    return WORD.findall(unicodedata.normalize("NFC", text.casefold()))


@functools.cache
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(STEMMED[language])


def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word in `language` (the word itself if not stemmed)."""
    return _stemmer(language).stemWord(word) if language in STEMMED else word


@dataclass(frozen=True)
class Document:
    """What both engines index of one document, as the judge reads it."""

    key: str  # documents/<collection>/<year>/<slug>.html
    language: str
    words: tuple[str, ...]  # case-folded, accents kept, in order (`spoken`)
    tags: frozenset[str] = frozenset()  # actor and place names of its filters, folded

    @functools.cached_property
    def folded(self) -> tuple[str, ...]:
        """Its words without accents."""
        return tuple(fold(word) for word in self.words)

    @functools.cached_property
    def stems(self) -> frozenset[str]:
        """The Snowball stems of its words in its language, without accents."""
        return frozenset(fold(stem(word, self.language)) for word in set(self.words))


@dataclass(frozen=True)
class Entity:
    """An actor or a place: its name (its documents' filter value) and every spelling."""

    name: str
    spellings: tuple[str, ...]

    @functools.cached_property
    def sequences(self) -> tuple[tuple[str, ...], ...]:
        """Each spelling as its folded words."""
        return tuple({tuple(words(s)) for s in (self.name, *self.spellings) if words(s)})


def _holds(sequence: tuple[str, ...], within: tuple[str, ...] | list[str]) -> bool:
    """Whether the words of `sequence` appear in `within` one after the other."""
    size = len(sequence)
    return any(
        tuple(within[i : i + size]) == sequence
        for i, word in enumerate(within)
        if word == sequence[0]
    )


def query_text(case: Case) -> str | None:
    """The words a case's query types (its `q`), or None for filters alone."""
    values = parse_qs(case.query).get("q")
    return values[0] if values else None


def named(query: str, entities: list[Entity]) -> list[Entity]:
    """The entities whose spellings appear in `query` as consecutive words."""
    typed = words(query)
    return [e for e in entities if any(_holds(s, typed) for s in e.sequences)]


def spellings(query: str, documents: dict[str, Document]) -> list[set[str]]:
    """Each word of a query, with the archive's words that are it with accents.

    "declaree": {declaree, déclarée}.
    """
    vocabulary: dict[str, set[str]] = {}
    for document in documents.values():
        for word, folded in zip(document.words, document.folded, strict=True):
            vocabulary.setdefault(folded, set()).add(word)
    return [{word, *vocabulary.get(fold(word), ())} for word in spoken(query)]


def related(document: Document, query: str, entities: list[Entity], typed: list[set[str]]) -> bool:
    """Whether a document has to do with a query: the one definition both engines are judged by.

    It holds a query word (`typed`: each with its spellings, `spellings`) without accents or
    by its stem in the document's language, holds a spelling of an entity the query names,
    or is tagged with such an entity.
    """
    for forms in typed:
        for form in forms:
            if fold(form) in document.folded:
                return True
            if fold(stem(form, document.language)) in document.stems:
                return True
    for entity in named(query, entities):
        if fold(entity.name) in document.tags:
            return True
        if any(_holds(sequence, document.folded) for sequence in entity.sequences):
            return True
    return False


def key_of(address: str) -> str:
    """A result's document, from its address in any language's folder: documents/…html."""
    path = urlsplit(address).path
    at = path.find("documents/")
    return path[at:] if at >= 0 else path


@dataclass
class Verdict:
    """One engine's results for one case, judged."""

    results: int
    false_hits: list[tuple[str, str]] = field(default_factory=list)  # (document, why)
    misses: list[str] = field(default_factory=list)  # must fragments not in the first 20


def judge(
    case: Case, results: list[str], documents: dict[str, Document], entities: list[Entity]
) -> Verdict:
    """False hits among the first 20 `results` (documents' keys) of a case, and its misses."""
    query = query_text(case) or ""
    typed = spellings(query, documents)
    first = results[:FIRST]
    verdict = Verdict(results=len(results))
    for key in first:
        if any(fragment in key for fragment in case.must_not):
            verdict.false_hits.append((key, "must not be found"))
        elif key not in documents:
            verdict.false_hits.append((key, "not a document of the archive"))
        elif not related(documents[key], query, entities, typed):
            verdict.false_hits.append((key, "no query word and no named entity"))
    verdict.misses = [f for f in case.must if not any(f in key for key in first)]
    return verdict


def pagefind_applicable(case: Case) -> str | None:
    """Why a text case does not apply to Pagefind (None if it does)."""
    params = parse_qs(case.query)
    if case.suggest:
        return "'did you mean' proposals are ours alone"
    if case.card:
        return "entity cards are ours alone"
    if "sort" in params:
        return "Pagefind's index of this archive has no sort"
    if {"from", "to"} & set(params):
        return "year ranges are ours alone"
    return None


def pagefind_filters(case: Case) -> dict:
    """A case's filters as Pagefind's search takes them (several values of one: any)."""
    params = parse_qs(case.query)
    filters = {}
    for name in PAGEFIND_FILTERS:
        values = params.get(name)
        if values:
            filters[name] = values[0] if len(values) == 1 else {"any": values}
    return filters


# --- The archives: built, indexed by Pagefind, read. ---------------------------------------


def build_archive(content: Path, output: Path) -> Path:
    """Build `content` with the project's settings (pelicanconf.py) into `output`."""
    from pelican.settings import read_settings

    from archive.site.rendering import ArchiveBuild

    override = {"PATH": str(content), "OUTPUT_PATH": str(output)}
    ArchiveBuild(read_settings(str(ROOT / "pelicanconf.py"), override=override)).run()
    return output


def index_with_pagefind(site: Path) -> None:
    """Run the pinned Pagefind CLI over a built site, as a partner does."""
    from bench.anchor import pagefind_executable

    executable = pagefind_executable()
    if executable is None:
        sys.exit("the Pagefind CLI is not installed: bench/requirements.lock")
    subprocess.run([str(executable), "--site", str(site), "--quiet"], check=True, stdout=sys.stderr)


def read_documents(site: Path) -> dict[str, Document]:
    """Each document of a built site as both engines index it, by key.

    Read from the copy of its page Pagefind indexes: title, text (or content warning),
    authors, and its filters' actors and places.
    """
    from bs4 import BeautifulSoup

    documents = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in text or "/documents/" not in f"/{path.as_posix()}":
            continue
        page = BeautifulSoup(text, "html.parser")
        parts = page.find_all(attrs={"data-pagefind-body": True})
        if not parts:
            continue
        language = parts[0].get("lang") or page.html.get("lang", "")
        authors = [b.get_text() for b in page.select(".document__byline bdi")]
        tags = set()
        for span in page.find_all(attrs={"data-pagefind-filter": True}):
            facet, _, value = span["data-pagefind-filter"].partition(":")
            if facet in ("actor", "location"):
                tags.add(fold(value))
        indexed = " ".join([*(p.get_text(" ") for p in parts), *authors])
        key = key_of(path.relative_to(site).as_posix())
        language = language.split("-")[0]
        documents[key] = Document(key, language, tuple(spoken(indexed)), frozenset(tags))
    return documents


def read_entities(content: Path) -> list[Entity]:
    """Every actor and place of an archive's registries, with all its spellings."""
    from archive.model.registries import load_registries

    registries = load_registries(content)
    return [
        Entity(term.name, (term.name, *term.aliases, *(name for _, name in term.names)))
        for registry in (registries.actors, registries.locations)
        for term in registry.terms.values()
    ]


# --- The engines, in Chromium. ----------------------------------------------------------------


def ask_ours(page_for, address: str, case: Case) -> list[str]:
    """Our search page's first 20 results for a case (as tests/test_search_relevance.py asks)."""
    page = page_for()
    page.goto(f"{address}search.html?{case.query}")
    done = "['done', 'failed'].includes(document.querySelector('[data-search]').dataset.state)"
    page.wait_for_function(done, timeout=60000)
    if page.is_visible(".search__more"):
        page.click(".search__more")
        page.wait_for_function(
            f"document.querySelectorAll('.search__result').length >= {FIRST}"
            " || document.querySelector('.search__more').hidden",
            timeout=60000,
        )
    hrefs = page.eval_on_selector_all(".search__title", "a => a.map(x => x.href)")
    page.close()
    return [key_of(href) for href in hrefs]


def ask_pagefind(harness, case: Case) -> list[str]:
    """Pagefind's first 20 results for a case, every language's index merged."""
    found = harness.evaluate(
        "([query, filters, count]) => window.__search(query, filters, count)",
        [query_text(case), pagefind_filters(case), FIRST],
    )
    return [key_of(url) for url in found["urls"]]


@dataclass
class Archive:
    """One archive of the relevance set: its content and its cases."""

    name: str
    content: Path
    cases: dict[str, Case]


ARCHIVES = (
    Archive("shipped", ROOT / "content", SHIPPED),
    Archive("synthetic", ROOT / SYNTHETIC_CONTENT, SYNTHETIC),
)


def measure_archive(browser, archive: Archive, work: Path) -> dict:
    """Build, index and query one archive with both engines; return each case's verdicts."""
    from bench.search import HARNESS_PAGE, QuietHandler, write_harness

    site = build_archive(archive.content, work / archive.name)
    index_with_pagefind(site)
    write_harness(site)
    documents, entities = read_documents(site), read_entities(archive.content)
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}/"
    context = browser.new_context()
    harness = context.new_page()
    harness.goto(address + HARNESS_PAGE)
    harness.wait_for_function("window.__ready === true", timeout=60000)
    cases = {}
    try:
        for name, case in archive.cases.items():
            query = query_text(case)
            if query is None:
                continue
            ours = judge(case, ask_ours(context.new_page, address, case), documents, entities)
            why = pagefind_applicable(case)
            pagefind = None
            if why is None or not (case.suggest or set(parse_qs(case.query)) - {"q"}):
                pagefind = judge(case, ask_pagefind(harness, case), documents, entities)
            cases[name] = {"case": case, "ours": ours, "pagefind": pagefind, "not_applicable": why}
    finally:
        context.close()
        server.shutdown()
    skipped = [name for name, case in archive.cases.items() if query_text(case) is None]
    return {"documents": len(documents), "cases": cases, "filters_only": skipped}


def _counts(verdicts: list[Verdict]) -> tuple[int, int]:
    return sum(len(v.false_hits) for v in verdicts), sum(len(v.misses) for v in verdicts)


def report(archive: str, measured: dict) -> list[str]:
    """Lines for the bench's output: totals per engine, the worst cases, what was left out."""
    cases = measured["cases"]
    both = {n: c for n, c in cases.items() if c["not_applicable"] is None}
    lines = [
        f"relevance {archive}: {len(cases)} text cases on {measured['documents']} documents,"
        f" {len(both)} put to both engines; left out (filters alone, no text query):"
        f" {', '.join(measured['filters_only']) or 'none'}"
    ]
    for engine in ("ours", "pagefind"):
        false_hits, misses = _counts([c[engine] for c in both.values()])
        lines.append(
            f"relevance {archive} {engine:<8}: {false_hits} false hits, {misses} misses"
            f" over the {len(both)} cases both engines run"
        )
    false_hits, misses = _counts([c["ours"] for c in cases.values()])
    lines.append(
        f"relevance {archive} ours    : {false_hits} false hits, {misses} misses over all"
        f" {len(cases)} text cases"
    )
    for engine in ("ours", "pagefind"):
        ranked = sorted(
            ((n, c[engine]) for n, c in both.items()),
            key=lambda item: -(len(item[1].false_hits) + len(item[1].misses)),
        )
        worst = [item for item in ranked if item[1].false_hits or item[1].misses][:WORST]
        for name, verdict in worst:
            described = _describe(name, cases, verdict)
            lines.append(f"relevance {archive} {engine:<8} worst: {described}")
    for name, measured_case in cases.items():
        why = measured_case["not_applicable"]
        if why is None:
            continue
        line = f"relevance {archive} not applicable to Pagefind: {name} ({why})"
        if measured_case["pagefind"] is not None:
            ours, theirs = measured_case["ours"], measured_case["pagefind"]
            line += (
                f"; not counted, for information: ours {len(ours.false_hits)} false hits,"
                f" {len(ours.misses)} misses; Pagefind {len(theirs.false_hits)} false hits,"
                f" {len(theirs.misses)} misses of {len(measured_case['case'].must)} must"
            )
        lines.append(line)
    return lines


def _describe(name: str, cases: dict, verdict: Verdict) -> str:
    case = cases[name]["case"]
    shown = [f"{key.rsplit('/', 1)[-1]} ({why})" for key, why in verdict.false_hits[:3]]
    more = len(verdict.false_hits) - len(shown)
    return (
        f"{name} ({query_text(case)!r}, {verdict.results} results):"
        f" {len(verdict.false_hits)} false hits{': ' + ', '.join(shown) if shown else ''}"
        f"{f' and {more} more' if more > 0 else ''};"
        f" {len(verdict.misses)} misses{': ' + ', '.join(verdict.misses) if verdict.misses else ''}"
    )


def measure(browser=None, work: Path | None = None) -> dict | None:
    """Both archives' verdicts ({archive: measured}), or None without Chromium."""
    from bench.search import in_chromium

    if browser is None:
        return in_chromium(lambda started: measure(started, work))
    folder = Path(tempfile.mkdtemp(prefix="archive-relevance-")) if work is None else work
    try:
        return {archive.name: measure_archive(browser, archive, folder) for archive in ARCHIVES}
    finally:
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)


def summary(measured: dict) -> dict:
    """The figures of `measure` as JSON can hold them: per archive, engine and case."""
    out = {}
    for archive, figures in measured.items():
        out[archive] = {
            name: {
                "not_applicable": case["not_applicable"],
                **{
                    engine: None
                    if case[engine] is None
                    else {
                        "results": case[engine].results,
                        "false_hits": case[engine].false_hits,
                        "misses": case[engine].misses,
                    }
                    for engine in ("ours", "pagefind")
                },
            }
            for name, case in figures["cases"].items()
        }
    return out


def main(argv=None) -> None:
    """Measure both archives and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="keep the builds here")
    args = parser.parse_args(argv)
    measured = measure(work=args.work)
    if measured is None:
        sys.exit("relevance: not measured, no Chromium")
    for archive, figures in measured.items():
        for line in report(archive, figures):
            print(line)


if __name__ == "__main__":
    main()
