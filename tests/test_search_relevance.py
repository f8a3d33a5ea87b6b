"""The relevance set (bench/relevance_set.py): what readers type, and the documents each query
must and must not find.

Every query runs in headless Chromium on the search page served over HTTP and opened from
disk; both must give the same documents in the same order (first 20 results), and each case
is checked on both. Two archives: the shipped one (its real documents in English, Spanish
and French) and a synthetic one (tests/fixtures/search-relevance: invented names, so the
search is tried on names no code was written for).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import build, collect_errors, fixture_content

from bench.relevance_set import SHIPPED, SYNTHETIC, Case

MODES = ("served", "disk")


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("search-relevance")
    return build(fixture_content("search-relevance", tmp), tmp / "output")


def ask(browser, url: str) -> dict:
    """Open the search page at `url`; return what it shows (up to 20 results)."""
    context = browser.new_context()
    page = context.new_page()
    problems = collect_errors(page)
    page.goto(url)
    done = "['done', 'failed'].includes(document.querySelector('[data-search]').dataset.state)"
    page.wait_for_function(done, timeout=20000)
    if page.is_visible(".search__more"):
        page.click(".search__more")
        page.wait_for_function(
            "document.querySelectorAll('.search__result').length >= 20"
            " || document.querySelector('.search__more').hidden",
            timeout=20000,
        )
    answer = {
        "urls": [
            urlsplit(href).path.rsplit("/", 1)[-1]
            for href in page.eval_on_selector_all(".search__title", "a => a.map(x => x.href)")
        ],
        "status": page.inner_text(".search__status"),
        "cards": page.locator(".search__entity-name").all_inner_texts(),
        "suggestions": page.locator(".search__suggestions a").all_inner_texts(),
        "unmarked": page.eval_on_selector_all(
            ".search__result", "items => items.filter(i => !i.querySelector('mark')).length"
        ),
        "highlights": page.eval_on_selector_all(
            ".search__title",
            "links => links.flatMap(a => new URL(a.href).searchParams.getAll('highlight'))",
        ),
        "problems": problems,
    }
    context.close()
    return answer


def ask_all(browser, serve, site: Path, cases: dict[str, Case]) -> dict:
    served = serve(site) + "search.html?"
    disk = (site / "search.html").as_uri() + "?"
    return {
        mode: {name: ask(browser, base + case.query) for name, case in cases.items()}
        for mode, base in (("served", served), ("disk", disk))
    }


@pytest.fixture(scope="module")
def shipped_answers(browser, serve, shipped_site):
    return ask_all(browser, serve, shipped_site, SHIPPED)


@pytest.fixture(scope="module")
def synthetic_answers(browser, serve, synthetic_site):
    return ask_all(browser, serve, synthetic_site, SYNTHETIC)


def check(case: Case, answer: dict) -> None:
    found = answer["urls"]

    def has(fragment: str) -> bool:
        return any(fragment in url for url in found)

    assert answer["problems"] == []
    assert [f for f in case.must if not has(f)] == [], found
    assert [f for f in case.must_not if has(f)] == [], found
    for position, fragment in enumerate(case.first):
        assert fragment in found[position], found
    if case.total is not None:
        shown = answer["status"].split(" ", 1)[0]
        assert (0 if shown == "No" else int(shown)) == case.total, answer["status"]
    if case.card:
        assert answer["cards"][:1] == [case.card]
    assert [s for s in case.suggest if s not in answer["suggestions"]] == []
    if case.marked and "q=" in case.query:
        assert answer["unmarked"] == 0  # no result without a query word in its excerpt
    assert sorted(set(case.unmarked) & set(answer["highlights"])) == []


def test_the_relevance_set_is_big_enough():
    assert len(SHIPPED) + len(SYNTHETIC) >= 30


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_archive(shipped_answers, mode, name):
    check(SHIPPED[name], shipped_answers[mode][name])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_archive(synthetic_answers, mode, name):
    check(SYNTHETIC[name], synthetic_answers[mode][name])


@pytest.mark.parametrize("archive", ["shipped", "synthetic"])
def test_served_and_disk_give_the_same_documents_in_the_same_order(
    shipped_answers, synthetic_answers, archive
):
    answers = shipped_answers if archive == "shipped" else synthetic_answers
    for name in answers["served"]:
        served, disk = answers["served"][name], answers["disk"][name]
        assert served["urls"][:20] == disk["urls"][:20], name
        assert served["status"] == disk["status"], name
