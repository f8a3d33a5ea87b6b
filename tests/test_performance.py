"""The fast paths produce exactly what the plain, serial build produces."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, build, fixture_content
from pelican.settings import read_settings
from test_quality import digest

from archive.interface import interface_languages
from archive.problems import ArchiveError


def bulk_site(tmp_path, count=300):
    content = fixture_content("taxonomies", tmp_path)
    template = (content / "articles" / "a1.md").read_text(encoding="utf-8")
    for number in range(count):
        year = 2011 + number % 10
        (content / "articles" / f"bulk-{number:03d}.md").write_text(
            template.replace("Report a1", f"Bulk report {number}").replace(
                "2019-05-01", f"{year}-0{1 + number % 9}-1{number % 9}"
            ),
            encoding="utf-8",
        )
    return content


def test_parallel_rendering_writes_the_same_bytes_as_serial(tmp_path):
    content = bulk_site(tmp_path)
    serial = build(content, tmp_path / "serial", PARALLEL_RENDER={"workers": 1})
    parallel = build(content, tmp_path / "parallel", PARALLEL_RENDER={"workers": 2, "min_pages": 1})
    assert len(list(serial.rglob("*.html"))) > 300
    assert digest(serial) == digest(parallel)


def test_benchmark_smoke_run(tmp_path):
    """`make bench` at a tiny size: both builds succeed and the table ends with the ratio."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--sizes",
            "50",
            "--no-browser",
            "--results",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1].startswith("ratio ours/stock at 50: ")
    # The live update after a text edit: the document's page and the search page, in every
    # interface language.
    languages = len(interface_languages(read_settings(str(ROOT / "pelicanconf.py"))))
    assert f"{2 * languages} files rewritten" in result.stdout
    assert "undone: identical to the full build" in result.stdout
    # Deploys from a clean checkout with the cache of the first build (plugins/build_cache).
    assert "deploy after one document's text edited: " in result.stdout
    assert "deploy after one document added: " in result.stdout
    assert "deploy after one document newer than all others added: " in result.stdout
    assert "(median of 3: " in result.stdout
    [report] = tmp_path.glob("bench-*.json")
    run = json.loads(report.read_text())["runs"][0]
    assert run["ours"]["pages"] > run["corpus"]["documents"]
    assert run["stock"]["pages"] > run["corpus"]["documents"]


def test_a_bad_document_read_in_parallel_is_reported_with_its_line(tmp_path):
    content = bulk_site(tmp_path)
    broken = content / "articles" / "bulk-123.md"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("published: ", "published: soon "),
        encoding="utf-8",
    )
    with pytest.raises(ArchiveError) as failure:
        build(content, tmp_path / "output")
    [problem] = failure.value.problems
    assert (problem.path, problem.line) == ("articles/bulk-123.md", 3)
    assert not (tmp_path / "output").exists()


def test_cached_list_entries_are_what_rendering_each_one_gives(tmp_path):
    """Each document's list entry is rendered once per page depth (plugins/fragments)."""
    content = bulk_site(tmp_path)
    cached = build(content, tmp_path / "cached")
    fresh = build(content, tmp_path / "fresh", FRAGMENTS={"cache": False})
    assert digest(cached) == digest(fresh)
