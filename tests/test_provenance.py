"""Provenance: every page's rights notice, citations, and citation metadata."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, ROOT, SEED_ARTICLE, build, fixture_content
from sitecheck import html_files, soup

from archive.model.citations import CopyInArchive, apa, bibtex, chicago
from archive.model.documents import parse_document
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

SITE_NOTICE = "In accordance with Title 17 U.S.C. Section 107"
COPY = CopyInArchive(
    "Documentary Archive", "https://archive.example.org/documents/x/2017/report.html"
)

FULL = """---
title: Coalition strikes near Raqqa
published: 2017-06-12
collection: test
rights: cc-by-4.0
source:
  publisher: Example Wire
  place: Geneva
  date: 2017-06-09
  url: https://wire.example.com/2017/06/09/strikes
  title: "Strikes & counter-strikes: Raqqa, 100% of it"
  author: [Jane Q. Doe, John Roe]
---
Text.
"""
PARTIAL = """---
title: Statement on the border
published: 2017-06-12
collection: test
source:
  publisher: Ministry of Example
---
Text.
"""


def document(text):
    doc, _ = parse_document(
        "doc.md", text.encode(), load_registries(FIXTURES), {"rights": "fair-use-us"}
    )
    return doc


def test_chicago_full_and_partial():
    assert chicago(document(FULL), COPY).text == (
        "Doe, Jane Q. and John Roe. “Strikes & counter-strikes: Raqqa, 100% of it.” Example Wire, "
        "Geneva, June 9, 2017. https://wire.example.com/2017/06/09/strikes. Republished in "
        "Documentary Archive, June 12, 2017. "
        "https://archive.example.org/documents/x/2017/report.html."
    )
    assert chicago(document(PARTIAL), COPY).text == (
        "Ministry of Example. “Statement on the border.” Republished in Documentary Archive, "
        "June 12, 2017. https://archive.example.org/documents/x/2017/report.html."
    )


def test_apa_full_and_partial():
    full = apa(document(FULL), COPY)
    assert full.text == (
        "Doe, J. Q. & Roe, J. (2017, June 9). Strikes & counter-strikes: Raqqa, 100% of it. "
        "Example Wire, Geneva. https://wire.example.com/2017/06/09/strikes Republished in "
        "Documentary Archive (2017, June 12). https://archive.example.org/documents/x/2017/report.html"
    )
    assert [s.text for s in full.segments if s.italic] == ["Example Wire"]
    assert apa(document(PARTIAL), COPY).text == (
        "Statement on the border. (n.d.). Ministry of Example. Republished in Documentary "
        "Archive (2017, June 12). https://archive.example.org/documents/x/2017/report.html"
    )


def test_bibtex_full_and_partial():
    assert (
        bibtex(document(FULL), COPY, "report").text
        == r"""@misc{report,
  title        = {Strikes \& counter-strikes: Raqqa, 100\% of it},
  author       = {Jane Q. Doe and John Roe},
  organization = {Example Wire},
  address      = {Geneva},
  year         = {2017},
  month        = jun,
  date         = {2017-06-09},
  howpublished = {Republished in Documentary Archive, 2017-06-12},
  url          = {https://archive.example.org/documents/x/2017/report.html},
  note         = {Original: \url{https://wire.example.com/2017/06/09/strikes}},
  language     = {en}
}"""
    )
    assert (
        bibtex(document(PARTIAL), COPY, "statement").text
        == r"""@misc{statement,
  title        = {Statement on the border},
  author       = {{Ministry of Example}},
  organization = {Ministry of Example},
  year         = {n.d.},
  howpublished = {Republished in Documentary Archive, 2017-06-12},
  url          = {https://archive.example.org/documents/x/2017/report.html},
  language     = {en}
}"""
    )


def notice_of(path) -> str:
    element = soup(path).select_one('[data-provenance="notice"]')
    return " ".join(element.get_text().split()) if element else ""


@pytest.mark.parametrize("site_name", ["shipped", "minimal"])
def test_every_page_carries_a_rights_notice(site_name, shipped_site, tmp_path):
    site = (
        shipped_site
        if site_name == "shipped"
        else build(fixture_content("minimal", tmp_path), tmp_path / "output")
    )
    pages = html_files(site)
    assert len(pages) > 5
    for page in pages:
        assert notice_of(page), page
    assert (
        "Creative Commons" in notice_of(site / "documents/other/2020/second-report.html")
        if site_name == "minimal"
        else SITE_NOTICE in notice_of(site / SEED_ARTICLE)
    )


def test_pages_that_are_not_documents_show_site_notice_and_archive_citation(shipped_site):
    for name in (
        "index.html",
        "404.html",
        "actors/index.html",
        "locations/raqqa.html",
        "about.html",
    ):
        page = soup(shipped_site / name)
        assert notice_of(shipped_site / name).startswith(SITE_NOTICE), name
        # A local build has no public address: no made-up domain in any citation.
        # The archive's year is its newest document's (Tass, 22 March 2022).
        assert page.select_one(".site-notice .citation").get_text() == "Documentary Archive. 2022."
    for page in html_files(shipped_site):
        assert "example.org" not in page.read_text(encoding="utf-8"), page


def test_a_template_without_the_notice_fails_the_build(tmp_path):
    content = fixture_content("minimal", tmp_path)
    (content / "extra.html").write_text(
        "<!doctype html><html lang='en'><title>Extra</title><p>No notice here.</p></html>"
    )
    with pytest.raises(ArchiveError) as caught:
        build(content, tmp_path / "output", TEMPLATE_PAGES={"extra.html": "extra.html"})
    assert [str(p) for p in caught.value.problems] == [
        "extra.html: this page carries no rights notice. Fix: its template must include "
        "partials/site_notice.html (or, for a document, partials/document_provenance.html)."
    ]


def test_a_broken_theme_partial_fails_the_build_naming_pages(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates/partials/site_notice.html").write_text("<p>Rights: see elsewhere.</p>")
    with pytest.raises(ArchiveError) as caught:
        build(fixture_content("minimal", tmp_path), tmp_path / "output", THEME=str(theme))
    pages = {p.path for p in caught.value.problems}
    assert {"index.html", "404.html", "about.html", "actors/index.html"} <= pages
    assert not any(p.startswith("documents/") for p in pages)


def test_seed_article_meta_tags_as_zotero_reads_them(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    meta = {}
    for tag in page.find_all("meta", attrs={"name": True}):
        meta.setdefault(tag["name"], []).append(tag["content"])
    assert meta["citation_title"] == [
        "US-led coalition colluding with IS instead of fighting terrorism – Defense Ministry"
    ]
    assert meta["citation_publication_date"] == ["2017/06/09"]
    assert meta["citation_publisher"] == ["Itar Tass"]
    assert "citation_public_url" not in meta  # a local build has no public address
    assert "citation_author" not in meta  # unsigned: no invented author
    assert meta["DC.source"] == ["Itar Tass, Moscow, 2017-06-09"]
    assert meta["DC.rights"][0].startswith(SITE_NOTICE)
    assert "Sergey Surovikin" in meta["DC.subject"][0] and "Raqqa" in meta["DC.subject"][0]


def test_seed_article_json_ld(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2017-06-12"
    assert data["isBasedOn"]["datePublished"] == "2017-06-09"
    assert data["isBasedOn"]["publisher"]["name"] == "Itar Tass"
    assert data["sourceOrganization"]["name"] == "Itar Tass"
    assert data["copyrightNotice"].startswith(SITE_NOTICE)
    assert data["usageInfo"] == "https://www.law.cornell.edu/uscode/text/17/107"
    about = {thing["name"]: thing["@type"] for thing in data["about"]}
    assert about["Sergey Surovikin"] == "Person"
    assert about["Islamic State"] == "Organization"
    assert about["Raqqa"] == "Place"
    assert "url" not in data  # a local build has no public address


def test_seed_article_cite_block(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    styles = [h.get_text() for h in page.select(".cite h3")] + [
        s.get_text() for s in page.select(".cite summary")
    ]
    assert styles == ["Chicago", "APA", "BibTeX"]
    chicago_text = page.select_one(".cite p.citation").get_text()
    assert chicago_text.startswith("Itar Tass. “US-led coalition colluding with IS")
    assert "Moscow, June 9, 2017." in chicago_text


def test_citations_name_the_public_address_when_the_archive_has_one(tmp_path):
    site_url = "https://archive.nizkor.net"
    output = build(
        fixture_content("minimal", tmp_path),
        tmp_path / "output",
        PROVENANCE={"site_url": site_url + "/"},
    )
    page = soup(output / "documents/test/2020/first-report.html")
    address = f"{site_url}/documents/test/2020/first-report.html"
    assert page.find("meta", attrs={"name": "citation_public_url"})["content"] == address
    assert page.select_one(".cite p.citation").get_text().endswith(f" {address}.")
    assert json.loads(page.find("script", type="application/ld+json").string)["url"] == address
    assert soup(output / "index.html").select_one(".site-notice .citation").get_text() == (
        f"Documentary Archive. 2020. {site_url}/."
    )


@pytest.mark.parametrize("site_url", ["", "https://archive.example.org", "http://localhost:8000"])
def test_a_publish_build_refuses_a_missing_or_placeholder_address(tmp_path, site_url):
    with pytest.raises(
        ArchiveError, match="a published archive needs its public address"
    ) as caught:
        build(
            fixture_content("minimal", tmp_path),
            tmp_path / "output",
            PROVENANCE={"site_url": site_url, "require_site_url": True},
        )
    assert "ARCHIVE_SITE_URL" in str(caught.value)


def test_a_site_url_that_is_not_an_address_is_refused(tmp_path):
    with pytest.raises(ArchiveError, match=r"PROVENANCE\['site_url'\] is not a web address"):
        build(
            fixture_content("minimal", tmp_path),
            tmp_path / "output",
            PROVENANCE={"site_url": "archive"},
        )
