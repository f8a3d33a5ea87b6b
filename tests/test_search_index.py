"""The search index's format (docs/search-index.md), held to by its writer and its reader.

One golden index, tests/fixtures/search-index/index/, written from the invented records of
records.json: the writer (plugins/search/offline.py) must write exactly it, and the engine
(theme/static/js/search-engine.js) must answer queries on it as tests/search_engine.test.mjs
reasons they should, under Node, without a browser. What both halves must agree on and
cannot see in the files (the format's version, BM25's k1, the impact alphabet, the "did you
mean" threshold, what a word is) is compared here directly.

After a deliberate change of format: bump FORMAT on both sides and in the specification, then
`ARCHIVE_WRITE_GOLDEN=1 .venv/bin/python -m pytest tests/test_search_index.py` writes the
new golden index, to be read and committed with the change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, needs, node

from archive.model import folding
from plugins.search import offline

FIXTURE = ROOT / "tests" / "fixtures" / "search-index"
GOLDEN = FIXTURE / "index"
SPECIFICATION = ROOT / "docs" / "search-index.md"
ENGINE_TESTS = ROOT / "tests" / "search_engine.test.mjs"
SPELLINGS = ROOT / "tests" / "search_spellings.mjs"

#: Prints what search-engine.js and highlight.js hold, for the comparisons below: the scripts
#: run as the search page runs them (tests/search_page.mjs; no index file is read).
READ_ENGINE = """
import { readFileSync } from "node:fs";
import { engineOver } from "./tests/search_page.mjs";
const { ArchiveSearchEngine: engine, ArchiveHighlight: highlight } = engineOver("").window;
const text = readFileSync(0, "utf8");
process.stdout.write(JSON.stringify({ FORMAT: engine.FORMAT, K1: engine.K1,
  IMPACTS: engine.IMPACTS, SIMILAR: engine.SIMILAR, words: highlight.words(text) }));
"""

#: Words at the edges of what a word is: accents written apart, marks, digits, apostrophes,
#: underscores, scripts other than Latin.
SAMPLE = (
    "L'armée a déclaré (déclare\u0301) la trêve; snake_case 2016-04-12 «Ирина» "
    "al-Assad's 'quoted' Ǆemal ﬁne x\u00b2 مُحَمَّد 北京市 ९४ n\u0303o 3.14"
)


def written(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_writer_writes_the_golden_index(tmp_path):
    fixture = json.loads((FIXTURE / "records.json").read_text(encoding="utf-8"))
    offline.write_index(str(tmp_path), fixture["records"], fixture["catalogue"])
    if os.environ.get("ARCHIVE_WRITE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(tmp_path, GOLDEN)
    golden, now = written(GOLDEN), written(tmp_path)
    assert sorted(now) == sorted(golden), "files added or missing: see the module's docstring"
    changed = [name for name in golden if golden[name] != now[name]]
    assert not changed, f"the writer no longer writes the golden index: {changed[:5]}"


def test_the_engine_answers_on_the_golden_index_as_reasoned():
    needs(bool(shutil.which("node")), "node")
    result = subprocess.run(
        ["node", "--test", "--test-reporter=tap", str(ENGINE_TESTS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    failures = [line for line in result.stdout.splitlines() if line.startswith("not ok")]
    assert result.returncode == 0, "\n".join(failures) or result.stdout + result.stderr
    assert re.search(r"^# pass ([1-9]\d*)$", result.stdout, re.MULTILINE), result.stdout


def engine_reads(text: str) -> dict:
    return json.loads(node("--input-type=module", "-e", READ_ENGINE, stdin=text))


def test_writer_reader_and_specification_name_the_same_format():
    engine = engine_reads("")
    assert engine["FORMAT"] == offline.FORMAT
    heading = re.search(r"^Format version: (\d+)$", SPECIFICATION.read_text(), re.MULTILINE)
    assert heading and int(heading.group(1)) == offline.FORMAT


def test_writer_and_reader_share_their_constants():
    engine = engine_reads("")
    assert engine["K1"] == offline.K1
    assert engine["IMPACTS"] == offline.IMPACTS
    assert engine["SIMILAR"] == folding.SIMILAR


def test_writer_and_reader_cut_the_same_words():
    assert engine_reads(SAMPLE)["words"] == offline.words(SAMPLE)


def spellings_checked(index: Path) -> dict:
    """tests/search_spellings.mjs on the index in `index`: {searched, problems}."""
    return json.loads(node(str(SPELLINGS), str(index)))


@pytest.mark.parametrize("archive", ["golden", "shipped"])
def test_every_spelling_of_an_entity_finds_the_same_documents(archive, request):
    """Any spelling (name, alias, name in another language) gives the same results, in the
    same order, with every tagged document: "Kyiv" finds the reports that say "Kiev"."""
    if archive == "golden":
        index, least = GOLDEN, 20
    else:
        index, least = request.getfixturevalue("shipped_site") / "search-index", 500
    checked = spellings_checked(index)
    assert checked["problems"] == []
    assert checked["searched"] >= least
