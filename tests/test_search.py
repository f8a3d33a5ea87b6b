"""Search: one engine and one index, served over HTTP and opened from disk."""

from __future__ import annotations

import base64
import html
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import SEED_ARTICLE, build, collect_errors, examples, fixture_content, write_settings
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sitecheck import soup

from archive.site.interface import language_direction
from archive.site.live import LiveSite
from plugins.search import offline


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
    """Wait until the results and the facets are shown."""
    page.wait_for_function(
        "['done', 'failed'].includes(document.querySelector('[data-search]').dataset.state)",
        timeout=15000,
    )


def result_titles(page) -> list[str]:
    return page.locator(".search__title").all_inner_texts()


def locations(site: Path, serve, folder: str = "") -> dict[str, str]:
    """The search page of one interface language (`folder`: "", "es/"…), served and on disk."""
    page = f"{folder}search.html"
    return {"served": serve(site) + page, "disk": (site / page).as_uri()}


@pytest.mark.parametrize("mode", ["served", "disk"])
@pytest.mark.parametrize("word", ["Surovikin", "Tadia"])
def test_finds_the_seed_article(open_search, serve, shipped_site, mode, word):
    page, problems = open_search(locations(shipped_site, serve)[mode])
    assert page.get_attribute("[data-search]", "data-engine") == "archive"
    assert page.get_attribute("[data-search]", "data-transport") == mode
    page.fill("#search-query", word)
    page.press("#search-query", "Enter")
    page.wait_for_selector(".search__result")
    settle(page)
    assert result_titles(page) == [
        "US-led coalition colluding with IS instead of fighting terrorism – Defense Ministry"
    ]
    assert page.inner_text(".search__status") == f"1 document for “{word}”"
    meta = page.inner_text(".search__meta")
    assert meta == "June 9, 2017 · Itar Tass, Moscow"  # the date as the pages write it
    assert page.get_attribute(".search__meta time", "datetime") == "2017-06-09"
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
def test_every_language_is_searched_with_a_language_facet(open_search, serve, tmp_path, mode):
    site = build(fixture_content("minimal", tmp_path), tmp_path / "output")
    page, problems = open_search(locations(site, serve)[mode] + "?q=informe")
    page.wait_for_selector(".search__result")
    settle(page)
    assert result_titles(page) == ["Second report"]
    for part in (".search__title", ".search__excerpt"):  # Spanish, in an English interface
        assert page.get_attribute(part, "lang") == "es"
        assert page.get_attribute(part, "dir") == "ltr"
    languages = page.locator("fieldset", has_text="Languages").locator("label").all_inner_texts()
    assert [text.strip() for text in languages] == ["Español (1)"]  # zero counts are hidden
    assert page.evaluate("document.documentElement.lang") == "en"
    assert problems == []


ARABIC = """---
title: تقرير الحدود
published: 2020-05-02
collection: test
language: ar
source:
  publisher: وكالة مثال
---

تقرير عن الحدود والمعابر.
"""


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_a_result_is_marked_with_its_documents_language_and_direction(
    open_search, serve, tmp_path, mode
):
    """An Arabic document shown in an English interface reads right to left (meta.js)."""
    content = fixture_content("minimal", tmp_path)
    (content / "articles" / "test" / "2020" / "arabic-report.md").write_text(
        ARABIC, encoding="utf-8"
    )
    site = build(content, tmp_path / "output")
    languages = load(site / "search-index/meta.js")["languages"]
    assert {code: language["dir"] for code, language in languages.items()} == {
        "ar": "rtl",
        "en": "ltr",
        "es": "ltr",
    }
    page, problems = open_search(locations(site, serve)[mode] + "?q=" + quote("الحدود"))
    page.wait_for_selector(".search__result")
    settle(page)
    assert result_titles(page) == ["تقرير الحدود"]
    for part in (".search__title", ".search__excerpt"):
        assert page.get_attribute(part, "lang") == "ar"
        assert page.get_attribute(part, "dir") == "rtl"
    assert page.get_attribute("html", "dir") in (None, "ltr")
    assert problems == []


def test_writing_direction_comes_from_babel():
    assert [language_direction(code) for code in ("ar", "he", "fa", "ur")] == ["rtl"] * 4
    assert [language_direction(code) for code in ("en", "es", "fr", "ru", "xx", "")] == ["ltr"] * 6


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_messages_may_give_plural_forms_and_numbers_follow_the_page_language(
    open_search, serve, tmp_path, mode
):
    """A message may be a string or CLDR plural forms (chosen by Intl.PluralRules for the
    page's language); numbers in it are written the page's way (Intl.NumberFormat)."""
    site = build(fixture_content("taxonomies", tmp_path), tmp_path / "output")
    search_page = site / "search.html"
    text = search_page.read_text(encoding="utf-8")
    messages = json.loads(html.unescape(re.search(r'data-messages="([^"]*)"', text).group(1)))
    messages["many"] = {
        "zero": "zero: {count}",
        "one": "one: {count}",
        "two": "two: {count}",
        "few": "few: {count}",
        "many": "many: {count}",
        "other": "other: {count}",
    }
    messages["entityDocuments"] = {"one": "{count} → one", "other": "{count} → other"}
    encoded = html.escape(json.dumps(messages, ensure_ascii=False))
    text = re.sub(r'data-messages="[^"]*"', lambda _: f'data-messages="{encoded}"', text)
    # Arabic plural rules have "two" and "few"; its digits are Arabic-Indic.
    search_page.write_text(re.sub(r'<html lang="[^"]*"', '<html lang="ar-EG"', text), "utf-8")
    url = locations(site, serve)[mode]
    for query, status in (("report", "few: ٤"), ("a3", "one: ١")):
        page, problems = open_search(f"{url}?q={query}")
        settle(page)
        assert page.inner_text(".search__status") == status
        assert problems == []
    page, problems = open_search(f"{url}?q=Example+Army")
    settle(page)
    assert page.inner_text(".search__entity-count") == "٢ → other"  # "one" and "other" only


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_entity_cards_name_the_entity_and_its_type_in_the_interface_language(
    open_search, serve, shipped_site, mode
):
    """The index, one for every language, holds an entity's type as a key and its names in
    other languages: the card words both as the page's language does."""
    shown = {
        "": ("Islamic State", "Actor · Armed group"),
        "es/": ("Estado Islámico", "Actor · Grupo armado"),
        "fr/": ("État islamique", "Acteur · Groupe armé"),
    }
    for folder, (name, kind) in shown.items():
        page, problems = open_search(locations(shipped_site, serve, folder)[mode] + "?q=Daesh")
        settle(page)
        assert page.locator(".search__entity-name").all_inner_texts() == [name], folder
        assert page.inner_text(".search__entity-kind") == kind, folder
        link = page.get_attribute(".search__entity-name a", "href")
        assert link.endswith(f"{folder}actors/islamic-state.html"), link
        assert problems == []
    # A place named by its Spanish name, and a type the term pages also name so.
    page, problems = open_search(locations(shipped_site, serve, "es/")[mode] + "?q=Palmyra")
    settle(page)
    assert page.locator(".search__entity-name").all_inner_texts() == ["Palmira"]
    assert page.inner_text(".search__entity-kind") == "Lugar · Ciudad"
    term_page = soup(shipped_site / "es/locations/palmyra.html")
    assert term_page.select_one(".term__type").get_text(strip=True) == "Ciudad"
    assert problems == []


def test_did_you_mean_proposes_names_in_the_interface_language(open_search, serve, shipped_site):
    page, problems = open_search(locations(shipped_site, serve, "es/")["disk"] + "?q=Palmirra")
    settle(page)
    assert "Palmira" in page.locator(".search__suggestions a").all_inner_texts()
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


def load(path: Path):
    """The data an index file hands to ArchiveSearch.load()."""
    return json.loads(
        re.fullmatch(r'ArchiveSearch\.load\("[^"]+",(.*)\);\n', path.read_text()).group(1)
    )


def test_only_document_text_is_indexed_with_filters_for_places_within(shipped_site):
    """The index holds the documents' words, not the site's navigation or notices."""
    index = shipped_site / "search-index"
    actors = load(index / "filters/actor.js")
    assert "Sergey Surovikin" in actors["values"]
    places = load(index / "filters/location.js")
    syria = places["values"].index("Syria")  # the parent of Raqqa, Palmyra…
    raqqa_governorate = places["values"][places["parents"][places["values"].index("Raqqa")]]
    assert raqqa_governorate == "Raqqa Governorate"
    assert places["values"][places["parents"][places["values"].index(raqqa_governorate)]] == "Syria"
    assert count_ids(places["ids"][syria]) == 23
    collections = load(index / "filters/collection.js")
    meta = load(index / "meta.js")
    assert meta["count"] == 46 and set(meta["languages"]) == {"en", "es", "fr"}
    assert dict(zip(collections["values"], map(count_ids, collections["ids"]), strict=True)) == {
        "Syria War": 24,
        "Ukraine Unrest": 11,
        "Libya War": 8,
        "War in Iraq": 2,
        "Russian Affairs": 1,
    }
    words = set()
    for path in (index / "en/terms").glob("*.js"):
        words |= set(load(path))
    assert {"surovikin", "palmyra", "tadia"} <= words
    assert not {"bibtex", "skip", "chicago"} & words  # page furniture is not indexed
    assert not (shipped_site / "pagefind").exists()


def count_ids(encoded: str) -> int:
    if encoded.startswith("="):
        return sum(bin(byte).count("1") for byte in base64.b64decode(encoded[1:]))
    return len(encoded.split(","))


def words_by_definition(text: str) -> list[str]:
    """What `offline.words` finds, one character at a time: a letter or digit, then letters,
    digits and marks (a mark alone, or after a word ended, is no word)."""
    found, word = [], ""
    for character in unicodedata.normalize("NFC", text).lower():
        if character.isalnum() or (word and unicodedata.category(character).startswith("M")):
            word += character
        elif word:
            found, word = [*found, word], ""
    return [*found, word] if word else found


@settings(max_examples=examples(300), deadline=None)
@given(st.text(st.characters(codec="utf-8")))
@example("e\u0301te\u0301 x\u0301\u0301y_z \u0301a نَص ١٢٣ \u0915\u093f\u0915")
def test_words_are_letters_and_digits_then_marks(text):
    assert offline.words(text) == words_by_definition(text)


def test_index_format(tmp_path):
    assert offline.tokens("Ålesund, al-Hamam's 19 KM") == [
        "alesund",
        "al",
        "hamam",
        "s",
        "19",
        "km",
    ]
    assert offline.encode_ids([0, 5, 41, 1337]) == "0,5,10,100"  # gaps 0, 5, 36, 1296
    assert offline.encode_set([0, 1, 2, 3, 4, 5, 6, 7, 8], 9) == "=/wE="  # a bitmap is shorter
    documents = [
        {
            "url": f"documents/d{n}.html",
            "title": f"Doc {n}",
            "byline": "",
            "text": "Surovikin said",
            "language": "en",
            "date": f"2017-06-0{n + 1}",
            "source": "Itar Tass",
            "filters": {"actor": ["A"]},
        }
        for n in range(3)
    ]
    offline.write_index(str(tmp_path), documents)
    terms = load(tmp_path / "en/terms" / f"{b'su'.hex()}.js")
    assert list(terms) == ["surovikin"]
    ids, impacts = terms["surovikin"].split("|")
    assert ids == "0,1,1" and len(impacts) == 3
    assert load(tmp_path / "docs/0.js")[:3] == ["documents/d2.html", "Doc 2", "2017-06-03"]
    assert load(tmp_path / "filters/actor.js") == {"values": ["A"], "ids": ["0,1,1"]}
    meta = load(tmp_path / "meta.js")
    # The prefixes as text, one space apart; each names its chunk's file by its hex.
    assert meta["count"] == 3 and meta["languages"]["en"]["prefixes"] == "0 1 2 do sa su"


def test_an_archive_without_published_documents_says_so_on_the_search_page(tmp_path):
    content = fixture_content("minimal", tmp_path)
    for source in (content / "articles").rglob("*.md"):
        source.unlink()
    site = build(content, tmp_path / "output")
    page = (site / "search.html").read_text(encoding="utf-8")
    assert "The archive has no published documents yet" in page
    assert "data-search" not in page and not (site / "search-index" / "docs").exists()


def test_big_chunks_are_split_and_still_found(monkeypatch, tmp_path, open_search, serve):
    """A chunk of words over CHUNK_BYTES is split by the next letter; queries do not notice."""
    monkeypatch.setattr(offline, "CHUNK_BYTES", 10)
    site = build(fixture_content("search-relevance", tmp_path), tmp_path / "output")
    prefixes = load(site / "search-index/meta.js")["languages"]["en"]["prefixes"].split(" ")
    assert "sh" not in prefixes  # split letter by letter: "shelle", "shelli"…
    assert any(p.startswith("shel") for p in prefixes)
    assert all((site / f"search-index/en/terms/{p.encode().hex()}.js").is_file() for p in prefixes)
    for mode, url in locations(site, serve).items():
        for query, count in (("attack", 2), ("shelled", 2), ("treguas", 2), ("sheling", 0)):
            page, problems = open_search(f"{url}?q={query}")
            settle(page)
            status = page.inner_text(".search__status")
            assert status.startswith(
                f"{count} documents" if count > 1 else "1 document" if count else "No"
            ), (mode, query, status)
            assert problems == []
    assert "shelling" in page.locator(".search__suggestions a").all_inner_texts()
