"""Bad input never crashes the build or loses work: one clear line per problem, naming the
file (and line), a non-zero exit, and nothing else lost."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import FIXTURES, build, fixture_content, write_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.documents import parse_document
from archive.importer import parse_page
from archive.problems import ArchiveError
from archive.registries import load_registries

GOOD = (
    "---\ntitle: T\npublished: 2020-01-01\ncollection: test\nsource:\n  publisher: P\n"
    "---\n\nText.\n"
)


def outside_link(content):
    secret = content.parent / "secret.md"
    secret.write_text(GOOD.replace("Text.", "A private note."))
    (content / "articles" / "linked.md").symlink_to(secret)


#: name -> (what to write into articles/, the message the build gives)
CASES = {
    "empty file": ({"empty.md": b""}, "articles/empty.md: the file is empty"),
    "no front matter": (
        {"plain.md": b"Just text.\n"},
        "articles/plain.md:1: the document has no front matter",
    ),
    "YAML syntax error": (
        {"yaml.md": GOOD.replace("title: T", "title: [T").encode()},
        "articles/yaml.md:3: YAML syntax error",
    ),
    "date like yesterday": (
        {"date.md": GOOD.replace("2020-01-01", "yesterday").encode()},
        "articles/date.md:3: 'published' is not a date (got 'yesterday')",
    ),
    "actors as one string": (
        {"actors.md": GOOD.replace("---\n\n", "actors: Example Army, EA\n---\n\n").encode()},
        "articles/actors.md:7: 'actors' must be a list, one name per line",
    ),
    "misspelt key": (
        {"acters.md": GOOD.replace("---\n\n", "acters: [EA]\n---\n\n").encode()},
        "articles/acters.md:7: unknown field 'acters'. Fix: did you mean 'actors'?",
    ),
    "non-UTF-8 bytes": (
        {"latin1.md": GOOD.replace("T\n", "Caf\u00e9\n", 1).encode("latin-1")},
        "articles/latin1.md:2: the file is not valid UTF-8 text",
    ),
    "5 MB article": (
        {"huge.md": GOOD.replace("Text.", "word " * 1_000_000).encode()},
        "articles/huge.md: the file is 5.0 MB, more than the 2 MB a document may be",
    ),
    "binary file named .md": (
        {"image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        "articles/image.md: this is a binary file, not a text document",
    ),
    "duplicate slugs": (
        {"a/same.md": GOOD.encode(), "b/same.md": GOOD.encode()},
        "would be published at the same address (documents/test/2020/same.html)",
    ),
    "names differing only in case": (
        {"Report.md": GOOD.encode(), "report.md": GOOD.encode()},
        "would be published at the same address (documents/test/2020/report.html)",
    ),
    "symlink outside content": (
        outside_link,
        "articles/linked.md: this is a link to a file outside the content folder",
    ),
    "a file that is not a document": (
        {"notes.txt": b"notes"},
        "articles/notes.txt: this file is not a document and would not be published",
    ),
}


def write_case(content, files):
    if callable(files):
        files(content)
        return
    for name, data in files.items():
        path = content / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_bad_input_gets_one_clear_line(case, tmp_path):
    files, message = CASES[case]
    content = fixture_content("minimal", tmp_path)
    write_case(content, files)
    with pytest.raises(ArchiveError) as caught:
        build(content, tmp_path / "output")
    lines = [str(p) for p in caught.value.problems]
    assert any(message in line for line in lines), lines
    assert all("\n" not in line and "Traceback" not in line for line in lines)


def test_all_at_once_through_the_command(tmp_path):
    """Every bad file reported in one run, no traceback, exit 1, the previous site intact."""
    content = fixture_content("minimal", tmp_path)
    output = tmp_path / "output"
    settings = write_settings(tmp_path, content, output)
    command = [sys.executable, "-m", "archive", "build", "--settings", str(settings)]
    assert subprocess.run(command, cwd=tmp_path, capture_output=True).returncode == 0
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    # Cases that write a second copy of a page would collide with each other's files.
    together = [case for case in CASES if case not in ("names differing only in case",)]
    for case in together:
        write_case(content, CASES[case][0])
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for case in together:
        assert CASES[case][1] in result.stderr, case
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before


def test_unicode_and_spaces_in_file_names_get_an_ascii_address(tmp_path):
    content = fixture_content("minimal", tmp_path)
    (content / "articles" / "Informe de Raqqa – versión final.md").write_text(
        GOOD, encoding="utf-8"
    )
    output = build(content, tmp_path / "output")
    assert (output / "documents/test/2020/informe-de-raqqa-version-final.html").is_file()


def test_html_and_javascript_in_metadata_stay_text(tmp_path):
    content = fixture_content("minimal", tmp_path)
    (content / "articles" / "x.md").write_text(
        GOOD.replace("title: T", 'title: "<img src=x onerror=alert(1)>"').replace(
            "publisher: P", "publisher: \"<script>alert(1)</script>\"\n  url: 'javascript:alert(1)'"
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        ArchiveError, match=r"'source.url' is not a web address \('javascript:alert\(1\)'\)"
    ):
        build(content, tmp_path / "output")


REGISTRIES = load_registries(FIXTURES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=600)
    | st.text(max_size=600).map(lambda t: ("---\n" + t).encode("utf-8", "surrogatepass"))
)
def test_front_matter_parsing_never_crashes(data):
    """Any bytes: a valid document or problems that each name the file; nothing else."""
    try:
        document, body = parse_document("doc.md", data, REGISTRIES, {"rights": "fair-use-us"})
    except ArchiveError as err:
        assert err.problems and all(str(p).startswith("doc.md") for p in err.problems)
    else:
        assert document.title and body.strip()


fields = st.fixed_dictionaries(
    {},
    optional={
        "title": st.text(max_size=30),
        "published": st.dates().map(str) | st.text(max_size=10),
        "collection": st.sampled_from(["test", "nope", ""]),
        "actors": st.lists(st.text(max_size=10)),
        "source": st.dictionaries(
            st.sampled_from(["publisher", "place", "url", "date"]), st.text(max_size=15)
        ),
    },
)


@settings(max_examples=200, deadline=None)
@given(fields)
def test_structured_front_matter_never_crashes(values):
    import yaml

    data = ("---\n" + yaml.safe_dump(values, allow_unicode=True) + "---\n\nText.\n").encode()
    try:
        parse_document("doc.md", data, REGISTRIES, {"rights": "fair-use-us"})
    except ArchiveError as err:
        assert all(str(p).startswith("doc.md") for p in err.problems)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Equipo Nizkor",
                "Bookshop | Donate",
                "| Tienda | Donaciones online ||",
                "Información",
                "09Jun17",
                "A title line",
                "A paragraph of text that ends with a period.",
                "[Source: Itar Tass, Moscow, 09Jun17]",
                "[Fuente: Sputnik News, Moscú, 25ene16]",
                "Syria War",
                "",
                "| ||",
                "31Feb17",
                "[Source: ]",
                "This document has been published on 12Jun17 by the Equipo Nizkor.",
            ]
        )
        | st.text(max_size=40),
        max_size=25,
    )
)
def test_importer_never_crashes(lines):
    draft = parse_page("\n".join(lines), REGISTRIES)
    assert isinstance(draft.unknown, list)
    if draft.is_document:
        assert draft.title and not draft.title.startswith("|")
