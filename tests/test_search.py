"""Search: Pagefind served over HTTP, the offline index from disk, one interface for both."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SEED_ARTICLE, build, collect_errors, fixture_content, write_settings
from plugins_path import offline

from archive.live import LiveSite


@pytest.fixture(scope="module")
def taxonomy_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search-taxonomies")
    return build(fixture_content("taxonomies", tmp), tmp / "output")


@pytest.fixture
def open_search(browser):
    """Open a search page in a fresh browser context, collecting every error it reports."""
    contexts = []

    def open_page(url: str):
        contexts.append(browser.new_context())
        page = contexts[-1].new_page()
        return _watch(page, url)

    yield open_page
    for context in contexts:
        context.close()


def _watch(page, url: str):
    problems = collect_errors(page)
    page.goto(url)
    page.wait_for_function("document.querySelector('[data-engine]') !== null", timeout=15000)
    return page, problems


def settle(page):
    page.wait_for_function(
        "!document.querySelector('.search__status').textContent.startsWith('Searching')",
        timeout=15000,
    )


def result_titles(page) -> list[str]:
    return page.locator(".search__title").all_inner_texts()


def locations(site: Path, serve) -> dict[str, str]:
    return {"served": serve(site) + "search.html", "disk": (site / "search.html").as_uri()}


@pytest.mark.parametrize("mode", ["served", "disk"])
@pytest.mark.parametrize("word", ["Surovikin", "Palmyra"])
def test_finds_the_seed_article(open_search, serve, shipped_site, mode, word):
    page, problems = open_search(locations(shipped_site, serve)[mode])
    assert page.get_attribute("[data-search]", "data-engine") == (
        "pagefind" if mode == "served" else "offline"
    )
    page.fill("#search-query", word)
    page.press("#search-query", "Enter")
    page.wait_for_selector(".search__result")
    settle(page)
    assert result_titles(page) == [
        "US-led coalition colluding with IS instead of fighting terrorism – Defense Ministry"
    ]
    assert page.inner_text(".search__status") == f"1 document for “{word}”"
    meta = page.inner_text(".search__meta")
    assert "2017-06-09" in meta and "Itar Tass, Moscow" in meta
    href = page.get_attribute(".search__title", "href")
    assert SEED_ARTICLE in href and f"highlight={word.lower()}" in href
    assert f"q={word}" in page.url
    assert problems == []


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_actor_filter_narrows_and_query_is_restored_from_url(
    open_search, serve, taxonomy_site, mode
):
    url = locations(taxonomy_site, serve)[mode] + "?q=report&sort=newest"
    page, problems = open_search(url)
    page.wait_for_selector(".search__result")
    settle(page)
    assert page.input_value("#search-query") == "report"
    assert result_titles(page) == ["Report a3", "Report a2", "Report a1", "Report a4"]
    army = page.locator(".search__facets label", has_text="Example Army")
    assert army.inner_text().strip() == "Example Army (2)"
    army.locator("input").check()
    page.wait_for_function("document.querySelectorAll('.search__result').length === 2")
    settle(page)
    assert result_titles(page) == ["Report a1", "Report a4"]
    assert "actor=Example+Army" in page.url
    page.go_back()
    page.wait_for_function("document.querySelectorAll('.search__result').length === 4")
    assert problems == []


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_place_filter_includes_places_within(open_search, serve, taxonomy_site, mode):
    page, problems = open_search(
        locations(taxonomy_site, serve)[mode] + "?location=Raqqa+Governorate"
    )
    page.wait_for_selector(".search__result")
    settle(page)
    assert sorted(result_titles(page)) == ["Report a1", "Report a2"]
    assert problems == []


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_other_languages_are_offered_and_searched(open_search, serve, tmp_path, mode):
    site = build(fixture_content("minimal", tmp_path), tmp_path / "output")
    page, problems = open_search(locations(site, serve)[mode] + "?q=informe&lang=es")
    page.wait_for_selector(".search__result")
    options = page.locator("#search-language option").all_inner_texts()
    assert options == ["English (1)", "Español (1)"]
    assert result_titles(page) == ["Second report"]
    assert page.evaluate("document.documentElement.lang") == "en"
    assert problems == []


def test_after_a_live_edit_search_finds_it_and_says_when_the_index_lags(
    open_search, serve, tmp_path
):
    content = fixture_content("taxonomies", tmp_path)
    site = LiveSite(str(write_settings(tmp_path, content, tmp_path / "output")))
    site.build()
    version = site.folder / "search-index" / "version.js"
    previous = version.read_bytes()
    source = content / "articles" / "a1.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA quokkaword.\n", encoding="utf-8")
    site.update([source])
    site.wait_for_search()
    urls = locations(site.folder, serve)
    for mode, url in urls.items():
        page, problems = open_search(url)
        page.fill("#search-query", "quokkaword")
        page.press("#search-query", "Enter")
        page.wait_for_selector(".search__result")
        settle(page)
        assert result_titles(page) == ["Report a1"], mode
        assert page.locator(".search__stale").is_hidden(), mode
        assert problems == []

    version.write_bytes(previous)  # as while the index is still being rebuilt
    for mode, url in urls.items():
        page, problems = open_search(url)
        page.wait_for_selector(".search__stale", state="visible")
        assert "being brought up to date" in page.inner_text(".search__stale"), mode


def test_landing_page_highlights_the_searched_words(browser, shipped_site):
    page = browser.new_page()
    page.goto((shipped_site / SEED_ARTICLE).as_uri() + "?highlight=surovikin")
    marks = page.locator(".document__body mark").all_inner_texts()
    assert marks and all(m.lower().startswith("surovikin") for m in marks)


def test_only_document_text_is_indexed_with_filters_for_places_within(shipped_site):
    """The offline index holds the seed's words, not the site's navigation or notices."""
    import glob

    meta = (shipped_site / "search-index/en/meta.js").read_text(encoding="utf-8")
    payload = json.loads(re.search(r",(\{.*\})\);", meta).group(1))
    filters = payload["filters"]
    assert "Sergey Surovikin" in filters["actor"]
    assert "Syria" in filters["location"]  # the parent of Raqqa, Palmyra…
    # Facet counts of the English index: ids are comma-separated, one per document.
    counts = {
        name: {value: len(ids.split(",")) for value, ids in facet.items()}
        for name, facet in filters.items()
    }
    assert counts["collection"] == {
        "Syria War": 8,
        "Ukraine Unrest": 6,
        "Libya War": 8,
        "War in Iraq": 2,
        "Russian Affairs": 1,
    }
    assert counts["year"] == {
        "2011": 6,
        "2014": 7,
        "2015": 2,
        "2016": 4,
        "2017": 3,
        "2018": 2,
        "2022": 1,
    }
    words = set()
    for path in glob.glob(str(shipped_site / "search-index/en/terms/*.js")):
        words |= set(json.loads(re.search(r",(\{.*\})\);", Path(path).read_text()).group(1)))
    assert {"surovikin", "palmyra", "tadia"} <= words
    assert not {"bibtex", "skip", "chicago"} & words  # page furniture is not indexed
    assert (shipped_site / "pagefind/pagefind.js").is_file()


def test_offline_index_format(tmp_path):
    assert offline.tokens("Ålesund, al-Hamam's 19 KM") == [
        "alesund",
        "al",
        "hamam",
        "s",
        "19",
        "km",
    ]
    assert offline.encode_ids([0, 5, 41, 1337]) == "0,5,10,100"  # gaps 0, 5, 36, 1296
    documents = [
        {
            "url": f"documents/d{n}.html",
            "title": f"Doc {n}",
            "text": "Surovikin said",
            "date": "2017-06-09",
            "source": "Itar Tass",
            "filters": {"actor": ["A"]},
        }
        for n in range(3)
    ]
    offline.write_index(str(tmp_path), "en", documents)
    text = (tmp_path / "en/terms" / f"{b'su'.hex()}.js").read_text()
    name, data = re.fullmatch(r'ArchiveSearch\.load\("([^"]+)",(.*)\);\n', text).groups()
    assert name == "en/terms/7375"
    assert json.loads(data) == {"surovikin": "0,1,1|111"}
    meta = json.loads(re.search(r",(\{.*\})\);", (tmp_path / "en/meta.js").read_text()).group(1))
    assert meta["count"] == 3 and meta["filters"] == {"actor": {"A": "0,1,1"}}


def test_an_archive_without_published_documents_says_so_on_the_search_page(tmp_path):
    content = fixture_content("minimal", tmp_path)
    for source in (content / "articles").rglob("*.md"):
        source.unlink()
    site = build(content, tmp_path / "output")
    page = (site / "search.html").read_text(encoding="utf-8")
    assert "The archive has no published documents yet" in page
    assert "search.js" not in page and not (site / "pagefind").exists()
