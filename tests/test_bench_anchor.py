"""`make bench`'s anchor: the synthetic corpus built by Hugo and indexed by the Pagefind CLI.

The anchor must write the pages ours writes (documents, actor and location pages, paginated
lists) from the same corpus, or its ratio compares unlike work.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import needs
from sitecheck import broken_links, soup

from archive.model.documents import parse_document, site_defaults
from archive.model.registries import load_registries
from bench import anchor
from bench import search as search_bench
from bench.corpus import generate
from bench.run import measure_anchor

DOCUMENTS = 30


@pytest.fixture(scope="module")
def anchor_build(tmp_path_factory):
    """The anchor measured as `make bench` measures it, on a corpus of 30 documents."""
    needs(anchor.installed(), "Hugo and the Pagefind CLI (bench/requirements.lock)")
    folder = tmp_path_factory.mktemp("anchor")
    generate(folder, DOCUMENTS, seed=3)
    figures = measure_anchor(folder)
    return folder / "ours" / "content", folder / "hugo" / "public", figures


def test_hugo_writes_every_document_page_with_its_terms(anchor_build):
    content, public, _ = anchor_build
    sources = sorted((content / "articles").rglob("*.md"))
    assert len(sources) == DOCUMENTS
    for source in sources:
        page = public / "documents" / source.relative_to(content / "articles").with_suffix(".html")
        main = soup(page).find("main")
        assert main.has_attr("data-pagefind-body"), page
        assert main.h1.get_text(strip=True)
        linked = {a["href"].split("/")[-2] for a in main.find_all("a")}
        assert {"actors", "locations", "collections"} <= linked, page


def test_hugo_writes_a_page_for_every_actor_and_location_of_the_registries(anchor_build):
    content, public, _ = anchor_build
    types = anchor.page_types(public)
    registries = load_registries(content)
    for kind in ("actors", "locations"):
        terms = getattr(registries, kind).terms
        assert types[f"{kind}: terms"] == len(terms)
        assert all((public / kind / f"{slug}.html").is_file() for slug in terms)
        assert types[f"{kind}: overview"] == 1
    assert types["documents"] == DOCUMENTS


def test_a_place_lists_the_documents_about_places_within_it_as_ours_does(anchor_build):
    content, public, _ = anchor_build
    registries = load_registries(content)
    expected = {slug: set() for slug in registries.locations.terms}
    defaults = site_defaults({})
    for source in (content / "articles").rglob("*.md"):
        document, _ = parse_document(source.name, source.read_bytes(), registries, defaults)
        address = source.relative_to(content / "articles").with_suffix(".html").as_posix()
        for term in document.locations:
            for place in (term, *registries.locations.ancestors(term.slug)):
                expected[place.slug].add(address)
    for slug, addresses in expected.items():
        pages = [public / "locations" / f"{slug}.html"]
        pages += sorted((public / "locations" / slug / "page").glob("*.html"))
        listed = {
            a["href"].split("documents/", 1)[1]
            for page in pages
            for a in soup(page).find("main").find_all("a")
            if "documents/" in a["href"]
        }
        assert listed == addresses, slug


def test_hugo_paginates_the_home_page_by_twenty(anchor_build):
    _, public, _ = anchor_build
    assert anchor.page_types(public)["home: further"] == 1
    home = soup(public / "index.html")
    assert len(home.find("main").find_all("li")) == 20
    assert home.find("a", rel="next")


def test_the_anchor_site_works_from_disk(anchor_build):
    _, public, _ = anchor_build
    assert broken_links(public) == []


def test_pagefind_indexes_the_document_pages_only(anchor_build):
    _, public, figures = anchor_build
    entry = json.loads((public / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) == DOCUMENTS
    assert figures["wall"] >= figures["hugo"] > 0
    assert figures["pagefind"] > 0
    assert figures["peak_total_mb"] > 0
    assert figures["pages"] == sum(anchor.page_types(public).values())


def test_pagefinds_first_results_are_measured_served_and_said_not_measured_from_disk(
    anchor_build, tmp_path, monkeypatch, browser
):
    """make bench's search figures for the anchor: bytes raw and gzipped, time, both queries."""
    content, public, _ = anchor_build
    site = tmp_path / "public"  # the harness page is written into it
    shutil.copytree(public, site)
    monkeypatch.setattr(search_bench, "LOADS", 1)
    queries = {"broad": "the", "rare": search_bench.rare_query(content)}
    figures = search_bench.measure_pagefind(site, queries, browser)  # the session's browser
    assert figures["languages"] == ["en", "es", "fr"]
    for label in queries:
        measured = figures["served"][label]
        assert measured["status"].endswith("results") and not measured["status"].startswith("0")
        # pagefind.js, its worker, its entry, WebAssembly, each language's metadata and index.
        assert measured["files"] >= 10, measured
        assert 0 < measured["loaded_gzip_kb"] < measured["loaded_kb"], measured
        assert 0 < measured["first_results_s"] < 30, measured
    lines = search_bench.report_pagefind(figures)
    assert "not measured" in lines[2] and "file://" in lines[2]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("documents/syria-war/2017/doc-000012.html", "documents"),
        ("actors/index.html", "actors: overview"),
        ("actors/alar-mayial.html", "actors: terms"),
        ("actors/alar-mayial-2.html", "actors: further"),
        ("actors/alar-mayial/page/2.html", "actors: further"),
        ("collections/iraq-war/page/3.html", "collections: further"),
        ("index.html", "home: first page"),
        ("index-4.html", "home: further"),
        ("page/4/index.html", "home: further"),
        ("archive/2012.html", "year archives"),
        ("search.html", "other"),
    ],
)
def test_pages_are_counted_by_type_in_both_layouts(path, kind):
    assert anchor.page_type(path) == kind
