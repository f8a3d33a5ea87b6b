"""Exploring the archive: related documents, previous/next, timelines, maps, open data, feeds,
corrections and content warnings, over the shipped archive and the `explore` fixture."""

from __future__ import annotations

from pathlib import Path

import plugins_path  # noqa: F401  (plugins/ on the path, as Pelican has it)
import pytest
from conftest import SEED_ARTICLE, build, fixture_content
from sitecheck import broken_links, soup

X1 = "documents/test/2020/x1.html"


def plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def explore_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("explore")
    return build(fixture_content("explore", tmp), tmp / "output")


def related_of(page) -> list[tuple[str, str]]:
    return [
        (li.a.get_text(strip=True), plain(li.select_one(".related-documents__why").get_text()))
        for li in page.select(".related-documents li")
    ]


# --- 1. Related documents, previous and next ------------------------------------------------


def test_related_documents_rank_shared_rare_subjects_then_places_within_then_dates(
    explore_site,
):
    assert related_of(soup(explore_site / X1)) == [
        ("Report x3", "Shares Example Army, Tadia · 1 day later"),
        ("Report x2", "Shares Islamic State; both within Raqqa Governorate · 3 days later"),
        ("Report x4", "Shares Islamic State; both within Syria · 5 years earlier"),
    ]  # x5 shares nothing with x1: never related
    assert related_of(soup(explore_site / "documents/test/2019/x5.html")) == []


def test_related_documents_of_the_seed_checked_by_hand(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    related = related_of(page)
    assert len(related) == 5
    # The Spanish report of April 2016 names Palmira (Palmyra), Estado Islámico, the Syrian
    # government forces and Deir ez-Zor (the seed names Abu Kamal, in that governorate).
    assert related[0] == (
        "Zapadores sirios desactivan 36 minas cerca de Palmira",
        "Shares Islamic State, Syrian government forces, Palmyra; "
        "both within Deir ez-Zor Governorate · 14 months earlier",
    )
    first = page.select_one(".related-documents li a")
    assert first["lang"] == "es"
    assert ((shipped_site / SEED_ARTICLE).parent / first["href"]).exists()


def test_previous_and_next_in_the_collection(explore_site, shipped_site):
    page = soup(explore_site / X1)
    assert page.select_one(".neighbours a[rel=next]").get_text() == "Report x3"  # 2 March
    assert page.select_one(".neighbours a[rel=prev]").get_text() == "Report x5"  # 2019
    newest = soup(explore_site / "documents/test/2020/x2.html")
    assert newest.select_one(".neighbours a[rel=next]") is None
    assert "Newer in Test Collection" not in newest.select_one(".neighbours").get_text()
    seed = soup(shipped_site / SEED_ARTICLE)
    assert seed.select_one(".neighbours a[rel=prev]").get_text() == (
        "Israel strikes Mezzeh Airbase in Damascus"
    )


def test_the_related_step_grows_with_the_documents_not_their_square():
    from related.plugin import DEFAULTS, RelatedIndex

    from bench.related import synthetic

    articles, registries = synthetic(2000)
    index = RelatedIndex(articles, registries, DEFAULTS)
    # Each document's candidates come from windows of its subjects' lists, whatever N.
    bound = DEFAULTS["candidates"]
    assert all(len(index.candidates(n)) <= bound for n in range(0, 2000, 97))


def test_every_link_of_the_explore_site_resolves_from_disk(explore_site):
    assert broken_links(explore_site) == []
