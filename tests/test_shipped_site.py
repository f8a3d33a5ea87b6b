"""The shipped site, built from content/: the seed article reads as the archive intends."""

from __future__ import annotations

import re

from conftest import SEED, SEED_ARTICLE, theme_address
from sitecheck import broken_links, html_files, references, soup

SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
SEED_JUNK = (
    "Bookshop",
    "Donate",
    "small logo",
    "Radio Nizkor",
    "Derechos | Equipo Nizkor",
    "[Source:",
    "This document has been published on",
)


def plain(text: str) -> str:
    """Text as a reader compares it: typographic quotes folded, white space collapsed."""
    return re.sub(r"\s+", " ", text.translate(SMART)).strip()


def seed_report() -> list[str]:
    """The report's own lines in the raw seed: after the title, up to the [Source: …] line."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    title = lines.index(
        "US-led coalition colluding with IS instead of fighting terrorism – Defense Ministry"
    )
    end = next(i for i, line in enumerate(lines) if line.startswith("[Source:"))
    return [line for line in lines[title + 1 : end] if line]


def test_seed_article_title_and_full_text(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    assert page.h1.get_text(strip=True) == (
        "US-led coalition colluding with IS instead of fighting terrorism – Defense Ministry"
    )
    body = page.select_one(".document__body")
    blocks = [plain(el.get_text()) for el in body.find_all(["p", "h2"])]
    assert blocks == [plain(line) for line in seed_report()]
    headings = [h.get_text(strip=True).translate(SMART) for h in body.find_all("h2")]
    assert headings == [
        "US-led coalition aviation impedes Syrian troops' war on terror",
        "Situation on the border",
    ]


def test_seed_article_citation_and_rights(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    assert plain(page.select_one(".document__source").get_text()).startswith(
        "Itar Tass, Moscow, 9 June 2017 · republished by Equipo Nizkor, 12 June 2017"
    )
    facts = {
        dt.get_text(strip=True): plain(dt.find_next_sibling("dd").get_text())
        for dt in page.select(".provenance dt")
    }
    assert facts["Source"] == "Itar Tass"
    assert facts["Place"] == "Moscow"
    assert facts["Original date"] == "9 June 2017"
    assert facts["Republished by"] == "Equipo Nizkor, 12 June 2017"
    assert facts["In this archive since"] == "25 November 2026"
    assert facts["Collection"] == "Syria War"
    assert page.select_one(".provenance time[datetime='2017-06-12']")
    assert plain(page.select_one(".provenance__rights").get_text()) == (
        "In accordance with Title 17 U.S.C. Section 107, this material is distributed without "
        "profit to those who have expressed a prior interest in receiving the included "
        "information for research and educational purposes."
    )
    assert page.html["lang"] == "en"


def test_no_scrape_junk_anywhere(shipped_site):
    """No chrome of the scraped site anywhere; its notice only where it is quoted as such, as
    the intermediary's rights notice."""
    for path in html_files(shipped_site):
        page = soup(path)
        for quoted in page.select(".provenance__via-rights"):
            quoted.decompose()
        text = page.get_text()
        for junk in SEED_JUNK:
            assert junk not in text, f"{junk!r} in {path}"


def test_every_internal_link_resolves_to_a_file(shipped_site):
    assert len(html_files(shipped_site)) >= 8
    assert broken_links(shipped_site) == []


def test_nothing_is_loaded_from_the_network(shipped_site):
    """Offline means no remote stylesheet, script, font, image or frame."""
    for page, element, url in references(shipped_site):
        if element.name == "a":
            continue
        assert not re.match(r"^(https?:)?//", url), f"{page}: <{element.name}> loads {url}"
    for css in shipped_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.read_text()), css


def test_navigation_and_archive_pages(shipped_site):
    home = soup(shipped_site / "index.html")
    nav = {a.get_text(strip=True): a["href"] for a in home.select(".site-nav a")}
    assert {"Home", "Collections", "Archive"} <= set(nav)
    assert home.select_one(f"a[href='./{SEED_ARTICLE}']")
    collection = soup(shipped_site / "collections" / "syria-war.html")
    assert collection.h1.get_text(strip=True) == "Syria War"
    listed = [a.get_text(strip=True) for a in collection.select(".document-list > li > a")]
    assert listed[0].startswith("Moscow says Idlib received")  # newest first (25 Sep 2018)
    assert any(title.startswith("US-led coalition") for title in listed)
    year = soup(shipped_site / "archive" / "2017.html")
    assert "US-led coalition colluding" in year.select_one(".document-list").get_text()
    assert (shipped_site / "404.html").is_file()


def test_every_page_has_language_skip_link_and_stylesheets(shipped_site):
    for path in html_files(shipped_site):
        page = soup(path)
        assert page.html.get("lang"), path
        assert page.select_one("a.skip-link[href='#main']"), path
        assert page.select_one("main#main"), path
        sheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
        assert any(href.endswith(theme_address("css/main.css")) for href in sheets), path
        assert page.select_one("link[rel=stylesheet][media=print]"), path
