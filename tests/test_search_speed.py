"""`make bench`'s search figures, on a small synthetic corpus: the measuring code runs, and a
broad and a rare query stay within the first-results budget both ways.

The 10,000-document figures come from `make bench` (bench/search.py); here the corpus is
small so the test stays quick, and the time is not asserted tightly (the machine is shared).
"""

from __future__ import annotations

from conftest import build

import bench.search as search_bench
from bench.corpus import generate


def test_broad_and_rare_queries_load_little_before_their_first_results(
    tmp_path, monkeypatch, browser
):
    corpus = generate(tmp_path, 400, seed=3)
    content = tmp_path / "ours" / "content"
    output = build(content, tmp_path / "output")
    monkeypatch.setattr(search_bench, "LOADS", 1)
    queries = {"broad": corpus["broad_query"], "rare": search_bench.rare_query(content)}
    figures = search_bench.measure(output, queries, browser)  # the session's browser
    for mode in ("served", "disk"):
        for label in queries:
            measured = figures[mode][label]
            assert "documents for" in measured["status"] or "1 document" in measured["status"]
            assert measured["loaded_kb"] <= search_bench.GATE_KB, (mode, label, measured)
            assert measured["first_results_s"] < 5, (mode, label, measured)
    assert figures["served"]["broad"]["loaded_kb"] == figures["disk"]["broad"]["loaded_kb"]
    lines = search_bench.report(figures)
    assert len(lines) == 5 and all("gate 300 kB" in line for line in lines[:4])
