"""Headless Chromium (Debian's, driven by Playwright) opens the built site from disk."""

from __future__ import annotations

import pytest
from conftest import SEED_ARTICLE, collect_errors

#: The interface languages' folders: the same pages in each.
LANGUAGES = pytest.mark.parametrize("language", ["", "es/", "fr/"], ids=["en", "es", "fr"])


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = collect_errors(page)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors


@LANGUAGES
def test_article_page_is_typeset_from_disk(browser, shipped_site, tmp_path, language):
    page, errors = open_page(browser, (shipped_site / language / SEED_ARTICLE).as_uri())
    assert errors == []
    metrics = page.evaluate("""() => {
        const p = document.querySelector('.document__body p');
        const style = getComputedStyle(p);
        return {
            width: p.getBoundingClientRect().width,
            fontSize: parseFloat(style.fontSize),
            lineHeight: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
            headerBorder: getComputedStyle(document.querySelector('.site-header'))
                .borderBottomStyle,
        };
    }""")
    # The stylesheet loaded (relative link from a nested folder) and sets a readable measure.
    assert metrics["headerBorder"] == "solid"
    assert 16 <= metrics["fontSize"] <= 22
    assert 1.4 <= metrics["lineHeight"] <= 1.8
    assert 480 <= metrics["width"] <= 720
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    assert (tmp_path / "article.png").stat().st_size > 10_000


def test_no_page_of_the_site_scrolls_sideways_at_320_px(browser, shipped_site):
    """WCAG 1.4.10 Reflow, on every page of the built site in every interface language.

    A page is as wide as the widest thing in it, hidden or not (a visually hidden table
    once widened 130 actor and place pages): what is measured is the page's scroll width.
    """
    page = browser.new_page(viewport={"width": 320, "height": 800})
    errors = collect_errors(page)
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) > 500  # the whole site, not a sample
    wider = {}
    for path in pages:
        page.goto(path.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wider[path.relative_to(shipped_site).as_posix()] = width
    assert wider == {}
    assert errors == []


@pytest.mark.parametrize(
    ("language", "label"),
    [("", "Skip to content"), ("es/", "Ir al contenido"), ("fr/", "Aller au contenu")],
    ids=["en", "es", "fr"],
)
def test_skip_link_moves_focus_to_content(browser, shipped_site, language, label):
    page, _ = open_page(browser, (shipped_site / language / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == label
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    ("language", "collections", "collection"),
    [
        ("", "Collections", "Syria War"),
        ("es/", "Colecciones", "Guerra en Siria"),
        ("fr/", "Collections", "Guerre en Syrie"),
    ],
    ids=["en", "es", "fr"],
)
def test_navigation_works_by_clicking_from_disk(
    browser, shipped_site, language, collections, collection
):
    page, errors = open_page(browser, (shipped_site / language / "index.html").as_uri())
    page.click(f".site-nav >> text={collections}")
    page.click(f"main >> text={collection}")
    page.click("text=US-led coalition colluding with IS")
    assert page.url.endswith(language + SEED_ARTICLE)
    assert errors == []


#: What each kind of page gives a reader with scripts turned off (the accessibility
#: statement says so): its selector of what must be visible, and how many of it at least.
WITHOUT_SCRIPTS = {
    SEED_ARTICLE: {".document__body p": 3, ".cite p.citation": 2, ".related-documents li": 1},
    "collections/syria-war.html": {".document-list > li": 10, ".timeline__bar": 2},
    "locations/syria.html": {".map__point": 5, ".map__label": 1, ".document-list > li": 10},
    "archive/2016.html": {".document-list > li": 5},
    "search.html": {".search__note a": 3},
}


@LANGUAGES
def test_documents_lists_citations_charts_and_maps_work_without_scripts(
    browser, shipped_site, language
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    errors = collect_errors(page)
    for address, wanted in WITHOUT_SCRIPTS.items():
        page.goto((shipped_site / language / address).as_uri())
        for selector, least in wanted.items():
            shown = page.locator(selector).evaluate_all(
                "found => found.filter(e => e.getClientRects().length).length"
            )
            assert shown >= least, (language, address, selector, shown)
    context.close()
    # With scripts off, Chromium refuses to preload the search page's scripts ("csp"): no
    # reader sees it. Anything else failing is a broken page.
    assert [error for error in errors if not error.endswith(".js csp")] == []
