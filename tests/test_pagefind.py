"""Partner archives federate searches with Pagefind: its CLI must index our document pages.

We serve our own search (README, "Search"), but a partner runs the pinned Pagefind CLI
(bench/requirements.lock) over the built site. Pagefind indexes a page in the language of its
`<html lang>`: each document is indexed once, on the copy of its page whose interface speaks
the document's language, with our own search's filters and its title and date as meta.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess

import pytest
from conftest import ROOT, SEED_ARTICLE, needs, site_settings
from sitecheck import html_files, soup
from test_search import load

from archive.site.interface import interface_languages
from bench import anchor
from plugins.search.records import LANGUAGE_NAMES

#: A word of the seed document's text.
QUERY = "Surovikin"

SEARCH = """async ({ query, filters }) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const search = await pagefind.search(query, { filters });
  return Promise.all(search.results.map((result) => result.data()));
}"""

FILTERS = """async () => {
  const pagefind = await import("/pagefind/pagefind.js");
  return pagefind.filters();
}"""


@pytest.fixture(scope="module")
def indexed_site(shipped_site, tmp_path_factory):
    """A copy of the shipped archive with the index `pagefind --site` writes into it."""
    executable = anchor.pagefind_executable()
    needs(executable is not None, "the Pagefind CLI (bench/requirements.lock)")
    site = tmp_path_factory.mktemp("pagefind") / "site"
    shutil.copytree(shipped_site, site)
    result = subprocess.run(
        [str(executable), "--site", str(site)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def pagefind_page(indexed_site, browser, serve):
    """Open a page of the indexed site in an interface language (Pagefind needs HTTP).

    Pagefind's script searches the index of the language of the page it runs in. A plain
    server: our deployed policy (netlify.toml) blocks Pagefind's WebAssembly, a partner's
    site has its own.
    """
    address = serve(indexed_site)
    context = browser.new_context()

    def opened(folder: str = ""):
        page = context.new_page()
        page.goto(f"{address}{folder}index.html")
        return page

    yield opened
    context.close()


def folders(site) -> dict[str, str]:
    """Each interface language's folder of pages ("" at the root, "es/")."""
    languages = interface_languages(site_settings(ROOT / "content", site))
    return {language.code: posixpath.join(language.folder, "") for language in languages}


def our_index(site):
    """What our own search indexed: its documents by language and its filters' values."""
    meta = load(site / "search-index/meta.js")
    counts = {code: language["count"] for code, language in meta["languages"].items()}
    files = (site / "search-index/filters").glob("*.js")
    filters = {path.stem: set(load(path)["values"]) for path in files}
    return counts, filters


def test_each_published_document_is_indexed_once_in_its_own_language(indexed_site):
    """Not once per interface language, and no list, about or search page."""
    counts, _ = our_index(indexed_site)
    entry = json.loads((indexed_site / "pagefind/pagefind-entry.json").read_text())
    assert {code: index["page_count"] for code, index in entry["languages"].items()} == counts
    indexed = [
        path.relative_to(indexed_site).as_posix()
        for path in html_files(indexed_site)
        # Parsing only the pages that name the attribute: all 700 would take 14 s.
        if "data-pagefind-body" in path.read_text(encoding="utf-8")
        and soup(path).find(attrs={"data-pagefind-body": True})
    ]
    language_folders = tuple(folder for folder in folders(indexed_site).values() if folder)
    documents = [
        address.split("/", 1)[1] if address.startswith(language_folders) else address
        for address in indexed
    ]
    assert all(address.startswith("documents/") for address in documents), indexed
    assert len(set(documents)) == len(documents) == sum(counts.values())
    assert SEED_ARTICLE in indexed  # an English document: at the root


def test_the_seed_document_is_found_with_the_filters_it_matches_only(indexed_site, pagefind_page):
    page = pagefind_page()
    title = soup(indexed_site / SEED_ARTICLE).h1.get_text()
    for filters in ({}, {"actor": "Islamic State"}, {"location": "Syria"}, {"year": "2017"}):
        results = page.evaluate(SEARCH, {"query": QUERY, "filters": filters})
        seed = [r for r in results if r["url"] == f"/{SEED_ARTICLE}"]
        assert len(seed) == 1, filters
        assert seed[0]["meta"]["title"] == title
        assert seed[0]["meta"]["date"] == "2017-06-09"
    for filters in ({"actor": "Berkut"}, {"location": "Libya"}, {"collection": "Libya War"}):
        results = page.evaluate(SEARCH, {"query": QUERY, "filters": filters})
        assert f"/{SEED_ARTICLE}" not in [r["url"] for r in results], filters


def test_pagefind_filters_are_our_searchs_over_the_languages(indexed_site, pagefind_page):
    """Each language's index holds its own documents; together they filter as ours does."""
    counts, ours = our_index(indexed_site)
    values = {facet: set() for facet in ours}
    interface = folders(indexed_site)
    for code, count in counts.items():
        filters = pagefind_page(interface[code]).evaluate(FILTERS)
        assert filters["language"] == {LANGUAGE_NAMES[code]: count}
        assert set(filters) <= set(ours)  # a facet none of its documents has is not there
        for facet, found in filters.items():
            values[facet] |= set(found)
    assert values == ours
    assert {"actor", "location", "year", "collection", "language"} <= set(values)
