"""The fast paths produce exactly what the plain, serial build produces."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build, bulk_site, digest, needs
from pelican.settings import read_settings

from archive.model.problems import ArchiveError
from archive.site.interface import interface_languages
from bench import anchor
from bench.run import shared_page_types


def test_parallel_rendering_writes_the_same_bytes_as_serial(tmp_path):
    content = bulk_site(tmp_path)
    serial = build(content, tmp_path / "serial", PARALLEL_RENDER={"workers": 1})
    parallel = build(content, tmp_path / "parallel", PARALLEL_RENDER={"workers": 2, "min_pages": 1})
    assert len(list(serial.rglob("*.html"))) > 300
    assert digest(serial) == digest(parallel)


def run_bench(results: Path, *options: str) -> dict:
    """`python -m bench.run` at a small size with `options`; its run's figures from the JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--no-browser", "--results", str(results), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [report] = results.glob("bench-*.json")
    [run] = json.loads(report.read_text())["runs"]
    return run


def test_the_benchmark_compares_core_and_hugo_in_interleaved_rounds(tmp_path):
    """The bench's figures, not its wording: present, positive and consistent."""
    needs(anchor.installed(), "Hugo and the Pagefind CLI (bench/requirements.lock)")
    run = run_bench(tmp_path, "--sizes", "40", "--builds", "hugo,core", "--rounds", "2")
    corpus = run["corpus"]
    assert corpus["documents"] == 40 == sum(corpus["languages"].values())
    assert set(corpus["languages"]) == {"en", "es", "fr"}  # the shipped archive's languages
    assert 0 < corpus["distinct_words"] < corpus["words"]
    for kind in ("core", "hugo"):
        walls = [each["wall"] for each in run["runs"][kind]]
        assert len(walls) == 2 and all(wall > 0 for wall in walls)
        assert run[kind]["wall"] in walls and run[kind]["pages"] > corpus["documents"]
        assert all(each["load_before"].count(" ") == 2 for each in run["runs"][kind])
    ratio = run["ratios"]["core/hugo+pagefind"]
    pairs = zip(run["runs"]["core"], run["runs"]["hugo"], strict=True)
    rounds = [core["wall"] / hugo["wall"] for core, hugo in pairs]
    assert ratio["rounds"] == rounds and ratio["min"] <= ratio["median"] <= ratio["max"]
    assert set(run["ratios"]) == {"core/hugo+pagefind"}  # no build measured, no ratio
    core, hugo = run["page_types"]["core"], run["page_types"]["hugo+pf"]
    assert core["documents"] == hugo["documents"] == corpus["documents"]
    assert {kind: core[kind] for kind in shared_page_types()} == {
        kind: hugo[kind] for kind in shared_page_types()
    }


def test_deploys_are_timed_with_the_search_index_against_the_full_publish_build(tmp_path):
    run = run_bench(tmp_path, "--sizes", "30", "--builds", "deploy", "--rounds", "1")
    deploys = run["deploys"]
    [full] = deploys["full"]
    assert full["search_index"] > 0
    languages = len(interface_languages(read_settings(str(ROOT / "pelicanconf.py"))))
    for change, added in (("text", 0), ("added", 1), ("newest", 1)):
        [deploy] = deploys[change]
        assert deploy["search_index"] > 0  # the publish build writes its search index
        assert deploy["share"] == deploy["wall"] / full["wall"] > 0
        assert deploys[f"{change}_share"]["median"] == 100 * deploy["share"]
        # Every page of the full build, plus the added document's in each interface language.
        assert deploy["pages"] == full["pages"] + added * languages, change


def test_a_bad_document_read_in_parallel_is_reported_with_its_line(tmp_path):
    content = bulk_site(tmp_path)
    broken = content / "articles" / "bulk-123.md"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("published: ", "published: soon "),
        encoding="utf-8",
    )
    with pytest.raises(ArchiveError) as failure:
        build(content, tmp_path / "output")
    # The failed build's report also says its warnings (the fixture's publishers are unknown).
    [problem] = [problem for problem in failure.value.problems if not problem.is_warning]
    assert (problem.path, problem.line) == ("articles/bulk-123.md", 3)
    assert not (tmp_path / "output").exists()


def test_cached_list_entries_are_what_rendering_each_one_gives(tmp_path):
    """Each document's list entry is rendered once per page depth (plugins/fragments)."""
    content = bulk_site(tmp_path)
    cached = build(content, tmp_path / "cached")
    fresh = build(content, tmp_path / "fresh", FRAGMENTS={"cache": False})
    assert digest(cached) == digest(fresh)
