"""The search page as a reader uses it: facets, keyboard, narrow screens, Back, the header box.

Each test runs served over HTTP and opened from disk, on the shipped archive.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SEED_ARTICLE, NetlifyHandler, collect_errors

DONE = "['done', 'failed'].includes(document.querySelector('[data-search]').dataset.state)"


@pytest.fixture(params=["served", "disk"])
def site_url(request, serve, shipped_site):
    """The shipped site's address, served and from disk."""
    if request.param == "served":
        return serve(shipped_site)
    return shipped_site.as_uri() + "/"


@pytest.fixture
def tab(browser):
    """A fresh browser tab (its own context), closed after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = collect_errors(page)
    yield page
    context.close()


def open_search(page, site_url: str, query: str = ""):
    page.goto(f"{site_url}search.html{'?' + query if query else ''}")
    page.wait_for_function(DONE, timeout=20000)


def wait_done(page):
    page.wait_for_function(DONE, timeout=20000)


def facet_values(page, name: str) -> list[str]:
    """The labels of a facet's values, in the order shown, e.g. ['2016 (7)', …]."""
    boxes = page.locator(f".search__facets input[name={name}]")
    return [
        " ".join(label.split())
        for label in boxes.evaluate_all("b => b.map(x => x.parentNode.innerText)")
    ]


def results(page) -> int:
    return page.locator(".search__result").count()


def status_count(page) -> int:
    return int(page.inner_text(".search__status").split(" ", 1)[0])


def test_years_are_chronological_or_within_a_facet_and_across_facets(tab, site_url):
    open_search(tab, site_url, "q=Syria")
    years = [label.split(" ")[0] for label in facet_values(tab, "year")]
    assert years == sorted(years) and len(years) > 3
    counts = {
        label.split(" ")[0]: int(label.split("(")[1][:-1]) for label in facet_values(tab, "year")
    }
    box = tab.locator(".search__facets input[name=year][value='2016']")
    box.focus()
    tab.keyboard.press("Space")
    wait_done(tab)
    assert status_count(tab) == counts["2016"]
    # Focus stays on the filter the reader ticked, though the facets were drawn again.
    assert tab.evaluate("document.activeElement.name + '=' + document.activeElement.value") == (
        "year=2016"
    )
    tab.keyboard.press("Tab")  # on to 2017: OR within the facet adds its documents
    tab.keyboard.press("Space")
    wait_done(tab)
    assert status_count(tab) == counts["2016"] + counts["2017"]
    # The other years keep the counts they would add.
    assert (
        dict(
            (label.split(" ")[0], int(label.split("(")[1][:-1]))
            for label in facet_values(tab, "year")
        )
        == counts
    )
    languages = {label.rsplit(" ", 1)[0]: label for label in facet_values(tab, "language")}
    tab.locator(".search__facets input[name=language][value='Español']").check()
    wait_done(tab)
    spanish = int(languages["Español"].split("(")[1][:-1])
    assert status_count(tab) == spanish  # AND across facets
    assert "year=2016" in tab.url and "year=2017" in tab.url and "language=Espa" in tab.url
    assert tab.problems == []


def test_a_year_range_and_clear_filters(tab, site_url):
    open_search(tab, site_url, "collection=Libya+War")
    assert status_count(tab) == 8
    tab.select_option("select[name=from]", "2014")
    wait_done(tab)
    assert status_count(tab) == 2  # 2014 and 2017
    tab.select_option("select[name=to]", "2014")
    wait_done(tab)
    assert status_count(tab) == 1 and "from=2014" in tab.url and "to=2014" in tab.url
    assert tab.inner_text(".search__filters summary").strip() == "Filters (3)"
    tab.click(".search__clear")
    wait_done(tab)
    assert "collection" not in tab.url and "from" not in tab.url
    assert tab.locator(".search__result").count() == 0  # no query, no filter: the prompt
    assert tab.problems == []


def test_zero_counts_are_hidden_and_long_lists_have_a_filter_box(tab, site_url):
    open_search(tab, site_url, "q=Surovikin")
    labels = tab.locator(".search__facets label").all_inner_texts()
    assert labels and not [label for label in labels if "(0)" in label]
    open_search(tab, site_url, "q=Syria")
    places = tab.locator("fieldset", has_text="Places")
    box = places.locator(".search__filter-box")
    box.fill("raqq")
    visible = [
        " ".join(label.split()).rsplit(" ", 1)[0]
        for label in places.locator("li:visible > label").all_inner_texts()
    ]
    assert "Raqqa" in visible and "Raqqa Governorate" in visible and "Syria" in visible
    assert "Palmyra" not in visible and "Aleppo" not in visible
    assert tab.problems == []


@pytest.mark.parametrize(
    ("language", "collection", "actor"),
    [("es", "Guerra en Siria", "Estado Islámico"), ("fr", "Guerre en Syrie", "État islamique")],
)
def test_filters_are_named_as_readers_of_the_page_language_know_them(
    tab, site_url, language, collection, actor
):
    """The values stay the registry's names (the address and the index use them); what a
    reader reads, and types in a facet's filter box, is the name in their language."""
    open_search(tab, f"{site_url}{language}/", "q=Siria" if language == "es" else "q=Syrie")
    collections = [label.rsplit(" (", 1)[0] for label in facet_values(tab, "collection")]
    actors = [label.rsplit(" (", 1)[0] for label in facet_values(tab, "actor")]
    assert collection in collections and "Syria War" not in collections
    assert actor in actors and "Islamic State" not in actors
    box = tab.locator(".search__facets input[name=actor][value='Islamic State']")
    assert box.count() == 1  # the value is still the registry's name
    box.check()
    wait_done(tab)
    assert "actor=Islamic+State" in tab.url
    assert tab.problems == []


@pytest.mark.parametrize(
    ("query", "facet", "value"),
    [
        ("language=fr", "language", "Français"),
        ("collection=syria-war", "collection", "Syria War"),
        ("collection=Guerra+en+Siria", "collection", "Syria War"),
        ("actor=nato", "actor", "NATO"),
        ("actor=OTAN", "actor", "NATO"),
        ("location=Siria", "location", "Syria"),
    ],
)
def test_a_filter_in_the_address_may_name_a_value_by_any_of_its_spellings(
    tab, site_url, query, facet, value
):
    """A key, an alias or a name in any language, as another site or a reader writes it."""
    open_search(tab, site_url, query)
    ticked = tab.locator(f".search__facets input[name={facet}]:checked")
    assert ticked.evaluate_all("boxes => boxes.map(b => b.value)") == [value]
    assert status_count(tab) > 0
    assert tab.locator(".search__unknown").is_hidden()
    address = parse_qs(urlsplit(tab.url).query)
    assert address[facet] == [value]  # the address says what it found
    assert tab.problems == []


def test_a_filter_the_archive_does_not_know_is_said_not_silently_empty(tab, site_url):
    open_search(tab, site_url, "q=Syria&actor=Nobody+Known&collection=syria-war")
    assert "“Nobody Known” is not known to the archive" in tab.inner_text(".search__unknown")
    assert status_count(tab) > 0  # what it knows still filters
    assert tab.problems == []


def test_the_language_switch_keeps_the_search_and_dates_follow_the_language(tab, site_url):
    open_search(tab, site_url, "q=Siria&collection=syria-war")
    english_date = tab.locator(".search__date time").first.inner_text()
    assert not english_date[:4].isdigit()  # "April 12, 2016", not 2016-04-12
    tab.click("header a[hreflang='es']")
    wait_done(tab)
    assert "/es/search.html?q=Siria&collection=Syria+War" in tab.url
    assert tab.input_value("#search-query") == "Siria"
    spanish_date = tab.locator(".search__date time").first.inner_text()
    assert " de " in spanish_date and spanish_date != english_date
    assert tab.problems == []


def test_a_correspondent_is_found_by_name_and_is_a_filter(tab, site_url):
    """Bylines are searched as titles are, and each author is a filter."""
    open_search(tab, site_url, "q=Leith+Fadel")
    assert status_count(tab) == 3  # the three reports he signed, whose text never names him
    assert [label.rsplit(" (", 1)[0] for label in facet_values(tab, "author")] == ["Leith Fadel"]
    assert tab.problems == []


def test_places_follow_the_hierarchy(tab, site_url):
    open_search(tab, site_url, "q=Tadia")
    nested = tab.locator(
        "li:has(> label input[value='Syria']) li:has(> label input[value='Raqqa Governorate'])"
        " li > label input[value='Tadia']"
    )
    assert nested.count() == 1
    assert tab.problems == []


def test_on_a_narrow_screen_results_come_first_and_filters_fold_away(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = collect_errors(page)
    open_search(page, site_url, "q=Syria")
    first = page.locator(".search__result").first.bounding_box()
    assert first["y"] < 844  # the first result is on the first screen
    assert not page.evaluate("document.querySelector('.search__filters').open")
    assert page.locator(".search__facets").is_hidden()
    filters = page.locator(".search__filters").bounding_box()
    assert filters["y"] > first["y"] + first["height"]  # after the results
    page.click(".search__filters summary")
    assert page.locator(".search__facets").is_visible()
    context.close()
    assert problems == []


def test_by_keyboard_the_first_result_is_a_few_tabs_away(tab, site_url):
    open_search(tab, site_url, "q=Syria")
    tab.focus("#search-query")
    presses = 0
    while not tab.evaluate("document.activeElement.classList.contains('search__title')"):
        presses += 1
        assert presses <= 6  # submit, order, the entity card's link, then the first result
        tab.keyboard.press("Tab")


def test_back_restores_the_results_shown_and_the_scroll_position(tab, site_url):
    open_search(tab, site_url, "location=Syria")
    assert results(tab) == 10
    tab.click(".search__more")
    tab.wait_for_function("document.querySelectorAll('.search__result').length === 20")
    link = tab.locator(".search__title").nth(15)
    link.scroll_into_view_if_needed()
    tab.wait_for_timeout(300)  # the page notes where it is scrolled
    scrolled = tab.evaluate("window.scrollY")
    assert scrolled > 500
    link.click()
    tab.wait_for_selector(".document__body")
    tab.go_back()
    wait_done(tab)
    assert results(tab) == 20
    assert abs(tab.evaluate("window.scrollY") - scrolled) < 50
    assert tab.problems == []


def test_every_page_has_a_search_box_in_its_header(tab, site_url):
    tab.goto(f"{site_url}{SEED_ARTICLE}")
    tab.fill("#site-search-query", "Palmira")
    tab.press("#site-search-query", "Enter")
    tab.wait_for_url("**/search.html?q=Palmira")
    wait_done(tab)
    assert tab.input_value("#search-query") == "Palmira"
    assert tab.locator(".search__entity-name").all_inner_texts() == ["Palmyra"]
    assert tab.problems == []


def test_the_header_box_works_under_the_deployed_security_headers(browser, shipped_site, serve):
    """The header's box is a plain form, which the deployed CSP allows (form-action 'self').

    No page but the search page loads the search scripts: the box needs none.
    """
    root = serve(shipped_site, NetlifyHandler)
    page = browser.new_page()
    problems = collect_errors(page)
    page.goto(root + "index.html")
    scripts = page.eval_on_selector_all("script[src]", "all => all.map((s) => s.src)")
    assert not [src for src in scripts if "search" in src or "stemmers" in src], scripts
    page.fill("#site-search-query", "Daesh")
    page.press("#site-search-query", "Enter")
    page.wait_for_url("**/search.html?q=Daesh")
    wait_done(page)
    assert page.locator(".search__entity-name").all_inner_texts() == ["Islamic State"]
    assert page.locator(".search__result").count() == 10
    page.close()
    assert problems == []
