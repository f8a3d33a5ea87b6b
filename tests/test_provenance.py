"""Provenance: every page's rights notice, citations, and citation metadata."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, SEED_ARTICLE, build, fixture_content
from sitecheck import html_files, soup

from archive.model.problems import ArchiveError

SITE_NOTICE = "In accordance with Title 17 U.S.C. Section 107"


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
        # A local build has no public address: no made-up domain in any citation, and it
        # says so. The year is the newest publication's in this archive.
        notice = page.select_one(".site-notice")
        assert notice.select_one(".citation").get_text() == "Documentary Archive. (2026)."
        assert "built without a public address" in notice.get_text()
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
    assert meta["citation_online_date"] == ["2026/11/25"]  # in this archive since
    assert "citation_public_url" not in meta  # a local build has no public address
    assert "citation_author" not in meta  # unsigned: no invented author
    assert meta["DC.source"] == [
        "Itar Tass, Moscow, 2017-06-09; republished by Equipo Nizkor, 2017-06-12; captured, "
        "date not recorded (in the archive's repository since 2026-11-25)"
    ]
    assert meta["DC.rights"][0].startswith(SITE_NOTICE)
    assert "Sergey Surovikin" in meta["DC.subject"][0] and "Raqqa" in meta["DC.subject"][0]


def test_seed_article_json_ld(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2026-11-25"  # the day this archive published it
    # Based on the intermediary's copy (no address recorded), based on the original.
    copy = data["isBasedOn"]
    assert copy["publisher"] == {
        "@type": "Organization",
        "name": "Equipo Nizkor",
        "url": "https://www.derechos.org/nizkor/",
    }
    assert copy["datePublished"] == "2017-06-12" and "url" not in copy
    assert copy["copyrightNotice"].startswith("This document has been published on 12Jun17")
    original = copy["isBasedOn"]
    assert original["datePublished"] == "2017-06-09"
    assert original["publisher"] == {
        "@type": "Organization",
        "name": "Itar Tass",
        "url": "https://tass.com/",
    }
    assert original["locationCreated"] == {"@type": "Place", "name": "Moscow"}
    kept = original["archivedAt"]
    assert kept["identifier"]["value"] == (
        "b0714f44a95aead7deb5b19d52318e6648fd489a93058a28cd7c4ed1c6b847f3"
    )
    assert "dateCreated" not in kept  # not recorded: never invented ...
    assert kept["description"] == (  # ... and what is known instead
        "Capture date not recorded; in the archive's repository since 2026-11-25"
    )
    assert data["sourceOrganization"]["name"] == "Itar Tass"
    assert data["copyrightNotice"].startswith(SITE_NOTICE)
    assert data["usageInfo"] == "https://www.law.cornell.edu/uscode/text/17/107"
    about = {thing["name"]: thing["@type"] for thing in data["about"]}
    assert about["Sergey Surovikin"] == "Person"
    assert about["Islamic State"] == "Organization"
    assert about["Raqqa"] == "Place"
    assert "url" not in data  # a local build has no public address


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
