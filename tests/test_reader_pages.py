"""What archive readers expect of a document's page and of the lists (issue 32): the byline
under the title, editors' [sic] marks, a stable identifier and permanent address to copy,
the address on printouts, other orders and a month index on collection and year pages, and
an accessibility statement and a way to ask for a correction, in every language."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from conftest import MAIN_ADDRESS, PREVIEW, SEED_ARTICLE
from sitecheck import broken_links, soup

#: The interface languages' folders: the same pages in each.
LANGUAGES = ["", "es/", "fr/"]
LANGUAGE_IDS = ["en", "es", "fr"]
#: A document whose source names its author.
WITH_AUTHOR = "documents/libya-war/2011/libya-nato-strikes-civilian-spots.html"
#: A document whose source cut its last word, marked `chimiqu[sic]` by the editors.
WITH_SIC = "documents/syria-war/2013/des-armes-chimiques-decouvertes-chez-les-rebelles.html"


def plain(element) -> str:
    return re.sub(r"\s+", " ", element.get_text()).strip()


@pytest.mark.parametrize(
    ("language", "byline"),
    [("", "By Ikram al Yacoub"), ("es/", "Por Ikram al Yacoub"), ("fr/", "Par Ikram al Yacoub")],
    ids=LANGUAGE_IDS,
)
def test_the_byline_is_under_the_title(shipped_site, language, byline):
    page = soup(shipped_site / language / WITH_AUTHOR)
    title = page.select_one(".document__header h1")
    following = title.find_next_sibling()
    assert "document__byline" in following["class"]
    assert plain(following) == byline
    # A document whose source names no author has no byline.
    assert not soup(shipped_site / language / SEED_ARTICLE).select(".document__byline")


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("", "[sic]: as in the source"),
        ("es/", "[sic]: así en la fuente"),
        ("fr/", "[sic] : ainsi dans la source"),
    ],
    ids=LANGUAGE_IDS,
)
def test_the_sic_mark_links_to_its_one_note_in_the_readers_language(shipped_site, language, note):
    page = soup(shipped_site / language / WITH_SIC)
    marks = page.select(".document__body .sic")
    assert [plain(mark) for mark in marks] == ["[sic]"]
    assert marks[0].previous_sibling.endswith("arme chimiqu")  # right after the cut word
    assert marks[0].a["href"] == "#sic-note"
    notes = page.select("#sic-note")
    assert len(notes) == 1
    assert plain(notes[0]).replace("\xa0", " ").startswith(note)
    assert not notes[0].find_parent(class_="document__body")  # the interface's, not the text's
    assert not soup(shipped_site / language / SEED_ARTICLE).select("#sic-note, .sic")


def test_a_sources_own_sic_is_kept_as_text():
    from archive.model.render import make_markdown

    html = make_markdown().render("chimiqu[sic] and \\[sic] as printed")
    assert html.count('class="sic"') == 1
    assert "and [sic] as printed" in html


@pytest.mark.parametrize("language", LANGUAGES, ids=LANGUAGE_IDS)
def test_the_identifier_is_the_documents_stable_address(shipped_site, published_site, language):
    page = soup(shipped_site / language / SEED_ARTICLE)
    identifier = page.select_one(".document__header .document__identifier code")
    assert identifier.get_text() == "syria-war/2017/us-led-coalition-colluding-with-is"
    # A local build has no public address to give; a published one gives this page's.
    assert not page.select(".document__address")
    published = soup(published_site / language / SEED_ARTICLE)
    address = published.select_one(".document__address a")
    assert address["href"] == f"{MAIN_ADDRESS}/{language}{SEED_ARTICLE}"
    assert address.get_text() == address["href"]  # visible and selectable without scripts
    assert published.select_one("link[rel=canonical]")["href"] == address["href"]


def test_the_copy_link_button_copies_the_permanent_address(browser, published_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    # The Clipboard API needs a secure context: the page is served from loopback.
    tab.route(
        f"{PREVIEW}/**",
        lambda route: route.fulfill(
            path=str(published_site / urlsplit(route.request.url).path.lstrip("/"))
        ),
    )
    tab.goto(f"{PREVIEW}/fr/{SEED_ARTICLE}")
    button = tab.locator(".document__address button")
    assert button.inner_text() == "Copier le lien"
    button.click()
    tab.wait_for_function("document.querySelector('.document__address [role=status]').textContent")
    assert tab.evaluate("navigator.clipboard.readText()") == f"{MAIN_ADDRESS}/fr/{SEED_ARTICLE}"
    context.close()


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("shipped_site", f"Printed from Documentary Archive, page {SEED_ARTICLE}"),
        ("published_site", f"Printed from {MAIN_ADDRESS}/{SEED_ARTICLE}"),
    ],
)
def test_a_printout_shows_the_pages_address(browser, request, site, expected):
    folder = request.getfixturevalue(site)
    tab = browser.new_page()
    tab.goto((folder / SEED_ARTICLE).as_uri())
    address = tab.locator(".print-address")
    assert not address.is_visible()  # on screen the address bar shows it
    tab.emulate_media(media="print")
    assert address.is_visible()
    assert address.inner_text() == expected
    tab.close()


def _list_pages(site, first: str) -> list:
    """The pages of a list, from its first: following each page's "next" link."""
    pages, path = [], site / first
    while path:
        page = soup(path)
        pages.append(page)
        following = page.select_one(".pagination a[rel=next]")
        path = (path.parent / following["href"]).resolve() if following else None
    return pages


def _listed(site, first: str) -> list[str]:
    """The documents a list shows, by address, over all its pages."""
    return [
        li.a["href"].rsplit("documents/", 1)[1]
        for page in _list_pages(site, first)
        for li in page.select(".document-list > li")
    ]


LISTS = ["collections/syria-war.html", "collections/libya-war.html", "archive/2013.html"]


@pytest.mark.parametrize("newest", LISTS)
def test_the_other_orders_list_the_same_documents(shipped_site, newest):
    stem = newest.removesuffix(".html")
    by_date = _listed(shipped_site, newest)
    assert len(by_date) > 5
    assert _listed(shipped_site, f"{stem}-oldest.html") == by_date[::-1]
    by_title = _listed(shipped_site, f"{stem}-title.html")
    assert sorted(by_title) == sorted(by_date)
    titles = [
        li.a.get_text().casefold()
        for page in _list_pages(shipped_site, f"{stem}-title.html")
        for li in page.select(".document-list > li")
    ]
    assert titles == sorted(titles)
    # Every order links to the others.
    orders = soup(shipped_site / newest).select(".list-orders a")
    assert [a["href"].rsplit("/", 1)[1] for a in orders] == [
        f"{stem.rsplit('/', 1)[1]}-oldest.html",
        f"{stem.rsplit('/', 1)[1]}-title.html",
    ]


@pytest.mark.parametrize("newest", LISTS)
def test_the_month_index_leads_to_each_months_newest_document(shipped_site, newest):
    page_path = shipped_site / newest
    links = soup(page_path).select(".month-index a")
    listed = [
        li
        for page in _list_pages(shipped_site, newest)
        for li in page.select(".document-list > li")
    ]
    months = {li.time["datetime"][:7] for li in listed}
    assert len(links) == len(months) > 1  # every month of the list, once
    for link in links:
        target, anchor = link["href"].split("#")
        entry = soup((page_path.parent / target).resolve()).find(id=anchor)
        day = dt.date.fromisoformat(entry.time["datetime"])
        assert anchor == f"month-{day:%Y-%m}"
        # The first entry of its month in the newest-first list: its newest document.
        first = next(li for li in listed if li.time["datetime"].startswith(f"{day:%Y-%m}"))
        assert first is entry or first.get("id") == anchor


def test_the_month_index_is_on_the_first_page_of_each_order_only(shipped_site):
    """On every page of a 10,000-document archive's lists it weighed 46 MB."""
    later = soup(shipped_site / "collections/syria-war-2.html")
    assert later.select(".list-orders a") and not later.select(".month-index")
    for order in ("", "-oldest", "-title"):
        assert soup(shipped_site / f"collections/syria-war{order}.html").select(".month-index")


def test_the_other_orders_run_over_several_pages(tmp_path):
    """Pages of an order say which way they run; together they list the whole collection."""
    from conftest import ROOT, build

    site = build(ROOT / "content", tmp_path / "output", LIST_ORDERS={"per_page": 7})
    by_date = _listed(site, "collections/syria-war.html")
    oldest = _list_pages(site, "collections/syria-war-oldest.html")
    assert len(oldest) == -(-len(by_date) // 7) > 1
    assert [
        li.a["href"].rsplit("documents/", 1)[1]
        for page in oldest
        for li in page.select(".document-list > li")
    ] == by_date[::-1]
    assert plain(oldest[0].select_one(".pagination a[rel=next]")) == "Newer"
    assert plain(oldest[1].select_one(".pagination a[rel=prev]")) == "Older"
    titles = _list_pages(site, "collections/syria-war-title.html")
    assert plain(titles[0].select_one(".pagination a[rel=next]")) == "Next"
    assert not titles[0].select(".pagination small")  # no span of years on pages by title
    assert broken_links(site) == []


def test_no_link_of_the_new_pages_is_broken(shipped_site):
    assert broken_links(shipped_site) == []


@pytest.mark.parametrize(
    ("language", "accessibility", "correction"),
    [
        ("", "Accessibility", "Ask for a correction"),
        ("es/", "Accesibilidad", "Pedir una corrección"),
        ("fr/", "Accessibilité", "Demander une correction"),
    ],
    ids=LANGUAGE_IDS,
)
def test_the_accessibility_statement_and_corrections_contact_are_in_every_footer(
    shipped_site, language, accessibility, correction
):
    for page in ("index.html", SEED_ARTICLE, "collections/syria-war-oldest.html"):
        footer = soup(shipped_site / language / page).select_one(".site-footer")
        links = {plain(a): a["href"] for a in footer.select("a")}
        statement = (shipped_site / language / page).parent / links[accessibility]
        assert statement.resolve() == (shipped_site / language / "accessibility.html").resolve()
        assert links[correction].endswith("corrections.html#ask-for-a-correction")
    statement = soup(shipped_site / language / "accessibility.html")
    assert statement.html["lang"] == (language.strip("/") or "en")
    text = plain(statement.select_one("main"))
    assert "WCAG" in text and "2.2" in text and "axe" in text and "320" in text
    assert statement.select_one("#report")
    corrections = soup(shipped_site / language / "corrections.html")
    assert corrections.select_one("#ask-for-a-correction")


def test_without_a_contact_the_pages_say_so_and_with_one_they_give_it(shipped_site, tmp_path):
    from conftest import build, fixture_content

    statement = soup(shipped_site / "accessibility.html")
    assert "gives no contact address yet" in plain(statement.select_one("#report").parent)
    assert not statement.select("main a[href^=mailto]")
    site = build(
        fixture_content("minimal", tmp_path), tmp_path / "output", CONTACT="editors@example.org"
    )
    for page in ("accessibility.html", "corrections.html"):
        link = soup(site / page).select_one("main a[href^=mailto]")
        assert link["href"] == "mailto:editors@example.org"
