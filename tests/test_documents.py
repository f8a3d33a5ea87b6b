"""The document model: what editors write in front matter, and what they are told if wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXTURES, ROOT

from archive.model.documents import parse_document, parse_page
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

GOOD = """---
title: A report
published: 2020-03-02
collection: test
source:
  publisher: Example Wire
  place: Geneva
  date: 2020-03-01
actors:
  - Example Army
---

Text.
"""


@pytest.fixture(scope="module")
def registries():
    return load_registries(FIXTURES)


def parse(text: str | bytes, registries, defaults=None):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document("doc.md", data, registries, defaults or {"rights": "fair-use-us"})


def problems_of(text, registries) -> list[str]:
    with pytest.raises(ArchiveError) as caught:
        parse(text, registries)
    return [str(p) for p in caught.value.problems]


def test_valid_document_fields(registries):
    document, body = parse(GOOD, registries)
    assert document.title == "A report"
    assert document.published == dt.date(2020, 3, 2)
    assert document.source.publisher == "Example Wire"
    assert document.source.place == "Geneva"
    assert document.date == dt.date(2020, 3, 1)
    assert document.collection.name == "Test Collection"
    assert document.rights.key == "fair-use-us"
    assert document.language == "en"
    assert [term.name for term in document.actors] == ["Example Army"]
    assert body.strip() == "Text."
    assert document.body_line == 12


def test_date_falls_back_to_archive_publication(registries):
    document, _ = parse(GOOD.replace("  date: 2020-03-01\n", ""), registries)
    assert document.date == dt.date(2020, 3, 2)


def test_collection_by_name_ignoring_case(registries):
    document, _ = parse(GOOD.replace("collection: test", "collection: other conflict"), registries)
    assert document.collection.key == "other"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("published: 2020-03-02", "published: yesterday"),
            "doc.md:3: 'published' is not a date (got 'yesterday'). "
            "Fix: write the date as YYYY-MM-DD",
        ),
        (("title: A report\n", ""), "doc.md:2: 'title' is missing"),
        (
            ("actors:\n  - Example Army", "actors: Example Army, EA"),
            "doc.md:9: 'actors' must be a list, one name per line. Fix: write 'actors:' alone, "
            "then one line per name: '  - Example Army', '  - EA'",
        ),
        (("actors:", "acters:"), "doc.md:9: unknown field 'acters'. Fix: did you mean 'actors'?"),
        (
            ("collection: test", "collection: tset"),
            "doc.md:4: unknown collection 'tset'. Fix: did you mean 'test'",
        ),
        (
            ("published: 2020-03-02", "published: 2020-03-02\nrights: fair-use"),
            "doc.md:4: unknown rights key 'fair-use'. Fix: did you mean 'fair-use-us'?",
        ),
        (("  publisher: Example Wire\n", ""), "doc.md:5: 'source.publisher' is missing"),
        (
            ("source:\n  publisher: Example Wire\n  place: Geneva\n  date: 2020-03-01\n", ""),
            "doc.md:2: 'source' is missing. Fix: add 'source:' with at least '  publisher: …'",
        ),
        (
            (
                "source:\n  publisher: Example Wire\n  place: Geneva\n  date: 2020-03-01\n",
                "source: Example Wire\n",
            ),
            "doc.md:5: 'source' must list its parts",
        ),
        (
            ("  place: Geneva", "  place: Geneva\n  url: www.example.org"),
            "doc.md:8: 'source.url' is not a web address ('www.example.org')",
        ),
        (
            ("published: 2020-03-02", "published: 2020-03-02\nlanguage: English"),
            "doc.md:4: 'language' must be a language code, not 'English'",
        ),
        (
            ("published: 2020-03-02", "published: 2020-03-02\nslug: My Report"),
            "doc.md:4: 'slug' 'My Report' is not a URL-safe name",
        ),
        (
            ("title: A report", "title: [A report"),
            "doc.md:3: YAML syntax error: did not find expected ',' or ']' "
            "(while parsing a flow sequence that starts on line 2)",
        ),
    ],
)
def test_problems_name_line_and_fix(registries, change, expected):
    old, new = change
    assert old in GOOD
    problems = problems_of(GOOD.replace(old, new), registries)
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_is_reported_at_once(registries):
    text = GOOD.replace("published: 2020-03-02", "published: soon").replace("actors:", "acters:")
    problems = problems_of(text, registries)
    assert len(problems) == 2


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "doc.md: the file is empty"),
        (b"Just text, no front matter.\n", "doc.md:1: the document has no front matter"),
        (b"---\ntitle: x\nText never closed\n", "doc.md:1: the front matter is never closed"),
        (b"---\n---\nText\n", "doc.md:1: the front matter is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "doc.md: this is a binary file"),
        ("---\ntitle: caf\u00e9\n---\n".encode("latin-1"), "doc.md:2: the file is not valid UTF-8"),
        (GOOD.replace("Text.\n", "").encode(), "doc.md:12: the document has no text"),
    ],
)
def test_unreadable_files(registries, data, expected):
    problems = problems_of(data, registries)
    assert problems[0].startswith(expected), problems


def test_bom_and_crlf_are_accepted(registries):
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    document, body = parse(data, registries)
    assert document.title == "A report"
    assert body.strip() == "Text."


def test_yaml_no_is_not_false(registries):
    """YAML 1.1 reads `no` as False; Norwegian documents must keep their language code."""
    document, _ = parse(
        GOOD.replace("published: 2020-03-02", "published: 2020-03-02\nlanguage: no"), registries
    )
    assert document.language == "no"


def test_page_schema():
    page, body = parse_page("pages/a.md", b"---\ntitle: About\nslug: about\n---\nHello\n")
    assert (page.title, page.slug, body.strip()) == ("About", "about", "Hello")
    with pytest.raises(ArchiveError, match="unknown field 'published'"):
        parse_page("pages/a.md", b"---\ntitle: About\npublished: 2020-01-01\n---\nHello\n")


def test_shipped_registries_load():
    registries = load_registries(ROOT / "content")
    assert registries.collection("Syria War").key == "syria-war"
    assert "Title 17 U.S.C. Section 107" in registries.rights["fair-use-us"].text


def test_registry_problems_name_the_file(tmp_path):
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "collections.yml").write_text("war:\n  nmae: War\n", encoding="utf-8")
    (folder / "rights.yml").write_text("x:\n  label: X\n  text: T\n", encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        load_registries(tmp_path)
    text = str(caught.value)
    assert "registry/collections.yml:1: entry 'war' needs a text 'name:'" in text
    assert (
        "registry/collections.yml:2: unknown field 'nmae' in entry 'war'. Fix: did you mean 'name'"
        in text
    )
