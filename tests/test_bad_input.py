"""Bad input never crashes the build or loses work: one clear line per problem, naming the
file (and line), a non-zero exit, and nothing else lost."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import (
    FIXTURES,
    ROOT,
    build,
    examples,
    fixture_content,
    site_settings,
    write_settings,
)
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from archive.editors.importer import parse_page
from archive.model.documents import FIELDS, parse_document
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

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
    "a year in the far future": (
        {"far.md": GOOD.replace("2020-01-01", "2999-01-01").encode()},
        "articles/far.md:3: 'published' is 2999-01-01, later than next year. Fix: check the year",
    ),
    "a year before the archive's": (
        {"early.md": GOOD.replace("2020-01-01", "0201-01-01").encode()},
        "articles/early.md:3: 'published' is 0201-01-01, before 1800",
    ),
    "a correction before the publication": (
        {
            "corrected.md": GOOD.replace(
                "---\n\n", "corrections:\n  - date: 2019-05-01\n    note: Fixed.\n---\n\n"
            ).encode()
        },
        "articles/corrected.md:7: 'corrections' is 2019-05-01, before the document was "
        "published (2020-01-01)",
    ),
    "an update before the publication": (
        {"updated.md": GOOD.replace("---\n\n", "updated: 2019-12-31\n---\n\n").encode()},
        "articles/updated.md:7: 'updated' is 2019-12-31, before the document was published",
    ),
    "a summary as long as a text": (
        {"long.md": GOOD.replace("---\n\n", f"summary: {'Words. ' * 20_000}\n---\n\n").encode()},
        "articles/long.md:7: 'summary' is 139,999 characters long; lists show it on every page",
    ),
    # Found by test_random_documents_are_published_or_reported_never_lost (issue 30):
    "a hidden text file": (
        {".M½.txt": GOOD.encode()},
        "articles/.M½.txt: this file is hidden (its name starts with a dot)",
    ),
    "a hidden document": (
        {".report.md": GOOD.encode()},
        "articles/.report.md: this file is hidden (its name starts with a dot), so editors do "
        "not see it, and it would not be published as it is. Fix: rename it to report.md",
    ),
    "a content warning as long as a text": (
        {
            "warned.md": GOOD.replace(
                "---\n\n", f"content_warning: {'Graphic. ' * 3000}\n---\n\n"
            ).encode()
        },
        "articles/warned.md:7: 'content_warning' is 26,999 characters long; readers read it",
    ),
    "a summary linking to a missing document": (
        {
            "summarised.md": GOOD.replace(
                "---\n\n", "summary: See [it]({filename}nowhere.md).\n---\n\n"
            ).encode()
        },
        "articles/summarised.md:7: the link target 'nowhere.md' does not exist",
    ),
    "a summary linking out of the archive": (
        {
            "out.md": GOOD.replace(
                "---\n\n", "summary: '[x]({static}/../pelicanconf.py)'\n---\n\n"
            ).encode()
        },
        "articles/out.md:7: the link target '/../pelicanconf.py' is outside the content folder",
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


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


LISTED = GOOD.replace("---\n\nText.", "actors:\n  - Example Army\n  - EA\n---\n\nText.")
GROUPED = GOOD.replace("  publisher: P\n", "  publisher: P\n  place: Moscow\n")
CORRECTED = GOOD.replace(
    "---\n\nText.",
    "corrections:\n  - date: 2020-02-01\n    note: A.\n  - date: 2020-03-01\n    note: B.\n"
    "---\n\nText.",
)
#: Layouts YAML cannot read, whatever the list or group: the document, and what the editor
#: is told, at the line to change, instead of PyYAML's "found character that cannot start
#: any token" or "did not find expected key (while parsing a block mapping…)".
LAYOUTS = {
    "a tab after a list item's dash": (
        LISTED.replace("  - EA", "  -\tEA"),
        "doc.md:9: this line has a tab after its '-', and YAML needs spaces. Fix: replace the "
        "tab after the '-' with one space.",
    ),
    "a tab after '- '": (
        LISTED.replace("  - EA", "  - \tEA"),
        "doc.md:9: this line has a tab after its '-', and YAML needs spaces.",
    ),
    "a tab after the dash of a nested item": (
        CORRECTED.replace("  - date: 2020-03-01", "  -\tdate: 2020-03-01"),
        "doc.md:10: this line has a tab after its '-', and YAML needs spaces.",
    ),
    "a list item indented less than the one before": (
        LISTED.replace("  - Example Army\n  - EA", "   - Example Army\n  - EA"),
        "doc.md:9: the list items from line 8 are not indented alike: this one starts at "
        "column 3, line 8's at column 4. Fix: start every item of one list at the same column: "
        "under the '-' on line 8.",
    ),
    "a list item indented more than the one before, which YAML reads without an error": (
        LISTED.replace("  - EA", "   - EA"),
        "doc.md:9: this list item is indented more than line 8, so YAML reads both as one item "
        "('Example Army - EA'). Fix: start it under the '-' on line 8.",
    ),
    "a field of a group indented less than the one before": (
        GROUPED.replace("  publisher: P\n  place", "   publisher: P\n  place"),
        "doc.md:7: the fields from line 6 are not indented alike: this one starts at column 3, "
        "line 6's at column 4. Fix: start every field of one group at the same column: under "
        "'publisher' on line 6.",
    ),
    "a field of a list item indented less than its first": (
        CORRECTED.replace("    note: B.", "   note: B."),
        "doc.md:11: the fields from line 10 are not indented alike: this one starts at column "
        "4, line 10's at column 5. Fix: start every field of one group at the same column: "
        "under 'date' on line 10.",
    ),
    "a field indented more than the one before": (
        GROUPED.replace("  place", "   place"),
        "doc.md:7: this field is indented more than line 6, so YAML reads it as part of that "
        "line's value. Fix: if it is a field of its own, start it under 'publisher' on line 6; "
        'if it goes on with that value, put the whole value in double quotes ("…").',
    ),
}


@pytest.mark.parametrize("case", LAYOUTS, ids=list(LAYOUTS))
def test_a_layout_yaml_cannot_read_is_said_in_plain_words(case):
    text, message = LAYOUTS[case]
    for good in (LISTED, GROUPED, CORRECTED):  # each case breaks a document that was right
        parse_document("doc.md", good.encode(), REGISTRIES, {"rights": "fair-use-us"})
    with pytest.raises(ArchiveError) as caught:
        parse_document("doc.md", text.encode(), REGISTRIES, {"rights": "fair-use-us"})
    [problem] = caught.value.problems
    assert str(problem).startswith(message)


def test_text_indented_under_a_field_is_not_taken_for_uneven_fields():
    """The lines of a `|` block, or of a value going on over several lines, are text: their
    indentation says nothing of the fields', so a YAML error elsewhere is still said as is."""
    text = GOOD.replace(
        "---\n\nText.",
        "summary: |\n  one: two\n     three: four\nnote: a long\n   value: here\n---\n\nText.",
    )
    with pytest.raises(ArchiveError) as caught:
        parse_document("doc.md", text.encode(), REGISTRIES, {"rights": "fair-use-us"})
    assert "YAML reads it as part of that line's value" in str(caught.value)
    assert "doc.md:11:" in str(caught.value)  # `value: here`, not a line of the `|` block


#: A day to check on (not the real one: the rule must not depend on the year it runs).
CHECK_DAY = dt.date(2031, 5, 4)
#: Each date of something done, written the day after CHECK_DAY: (front matter, its line,
#: its name in the message).
FUTURE_DATES = {
    "updated": ("updated: {day}\n", 8, "'updated'"),
    "source.date": ("", 7, "'source.date'"),
    "via.date": ("via:\n  publisher: Example Wire\n  date: {day}\n", 10, "'via.date'"),
    "capture.captured": (
        "capture:\n  file: captures/x.txt\n  sha256: {sha}\n  captured: {day}T08:00:00Z\n",
        11,
        "'capture.captured'",
    ),
    "capture.committed": (
        "capture:\n  file: captures/x.txt\n  sha256: {sha}\n  committed: {day}\n",
        11,
        "'capture.committed'",
    ),
    "a correction's date": (
        "corrections:\n  - date: 2031-05-01\n    note: A.\n  - date: {day}\n    note: B.\n",
        11,
        "'date' of 'corrections' item 2",
    ),
    "withdrawn.date": (
        "withdrawn:\n  date: {day}\n  reason: safety\n  title: shown\n",
        9,
        "'withdrawn.date'",
    ),
}


@pytest.mark.parametrize("case", FUTURE_DATES, ids=list(FUTURE_DATES))
def test_a_date_of_something_done_is_never_after_today(case, monkeypatch):
    monkeypatch.setattr("archive.model.documents.today", lambda: CHECK_DAY)
    extra, line, name = FUTURE_DATES[case]
    tomorrow = (CHECK_DAY + dt.timedelta(days=1)).isoformat()

    def document(day: str) -> bytes:
        text = GOOD.replace("published: 2020-01-01", "published: 2031-05-04")
        text = text.replace("  publisher: P\n", "  publisher: P\n  date: 2031-05-04\n")
        if case == "source.date":
            text = text.replace("date: 2031-05-04\n", f"date: {day}\n")
        extra_text = extra.format(day=day, sha="a" * 64)
        return text.replace("---\n\nText.", extra_text + "---\n\nText.").encode()

    with pytest.raises(ArchiveError) as caught:
        parse_document("doc.md", document(tomorrow), REGISTRIES, {"rights": "fair-use-us"})
    assert f"doc.md:{line}: {name} is 2031-05-05, after today (2031-05-04), and it is the " in (
        str(caught.value)
    )
    assert "Fix: check the date and write the day it happened" in str(caught.value)
    if case != "source.date":  # the same document, dated today, is fine
        today_text = document(CHECK_DAY.isoformat())
        try:
            parse_document("doc.md", today_text, REGISTRIES, {"rights": "fair-use-us"})
        except ArchiveError as err:
            assert "after today" not in str(err)


def test_the_check_reads_the_real_date_and_published_may_be_a_day_to_come():
    """The day a pull request is to be merged may be written in 'published' ahead of it."""
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    text = GOOD.replace("published: 2020-01-01", f"published: {tomorrow}")
    parse_document("doc.md", text.encode(), REGISTRIES, {"rights": "fair-use-us"})
    updated = text.replace("collection: test", f"collection: test\nupdated: {tomorrow}")
    with pytest.raises(ArchiveError, match=rf"'updated' is {tomorrow}, after today \({today}\)"):
        parse_document("doc.md", updated.encode(), REGISTRIES, {"rights": "fair-use-us"})


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


@settings(max_examples=examples(200), deadline=None)
@given(fields)
def test_structured_front_matter_never_crashes(values):
    import yaml

    data = ("---\n" + yaml.safe_dump(values, allow_unicode=True) + "---\n\nText.\n").encode()
    try:
        parse_document("doc.md", data, REGISTRIES, {"rights": "fair-use-us"})
    except ArchiveError as err:
        assert all(str(p).startswith("doc.md") for p in err.problems)


@settings(max_examples=examples(200), deadline=None)
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
    if draft.is_document:  # a headline, or none found and said so (never the text's own)
        assert draft.title or ("title" in draft.unknown and draft.paragraphs)
        assert not draft.title.startswith("|")


# --- Hostile and careless editors (issue 15): each case in a sandbox with canaries around it.

DOC = "articles/test/2020/case.md"


def write(box, relative: str, text: str | bytes) -> Path:
    path = box.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def with_field(line: str) -> str:
    """The good document with one more front-matter line."""
    return GOOD.replace("---\n\nText.", f"{line}\n---\n\nText.")


def link_out(box):
    (box.root / "outside" / "assets").mkdir()
    (box.root / "outside" / "assets" / "secret.txt").write_text("secret")
    (box.content / "assets").symlink_to(box.root / "outside" / "assets")
    write(box, DOC, GOOD.replace("Text.", "[data]({static}/assets/secret.txt)"))


def attach_out(box):
    (box.content / "notes.txt").symlink_to(box.root / "outside" / "secret.txt")
    write(box, DOC, GOOD.replace("Text.", "[notes]({attach}/notes.txt)"))


def registry_out(box):
    (box.root / "outside" / "rights.yml").write_text("x:\n  label: X\n  text: SECRET\n")
    rights = box.content / "registry" / "rights.yml"
    rights.unlink()
    rights.symlink_to(box.root / "outside" / "rights.yml")


def file_loop(box):
    folder = box.content / "articles" / "test" / "2020"
    (folder / "a.md").symlink_to(folder / "b.md")
    (folder / "b.md").symlink_to(folder / "a.md")


def folder_loop(box):
    (box.content / "articles" / "test" / "loop").symlink_to(box.content / "articles")


def bomb(box):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{n}: &{n} [{','.join(['*' + p] * 9)}]"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    write(box, DOC, GOOD.replace("---\n\nText.", "\n".join(lines) + "\n---\n\nText."))


def registry_append(name: str, text: str):
    def append(box):
        path = box.content / "registry" / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return append


def registry_replace(name: str, text: str):
    def replace(box):
        (box.content / "registry" / name).write_text(text, encoding="utf-8")

    return replace


def files(**named):
    def put(box):
        for relative, text in named.items():
            write(box, relative.replace("__", "/").replace("_DOT_", "."), text)

    return put


#: case -> (how to make it, the one line `archive build` and `archive check` must print).
def live_capture(suffix: str):
    """A capture a browser would open as a page of the archive, and run (case E11)."""

    def make(box):
        write(box, f"captures/test/2020/p{suffix}", '<script src="p.js"></script>')

    return make


HOSTILE = {
    **{
        f"a capture saved as {suffix}": (
            live_capture(suffix),
            f"captures/test/2020/p{suffix}: captures are published only as plain text (.txt) "
            f"or PDF (.pdf), and "
            f"this one ends in '{suffix}'",
        )
        for suffix in (".htm", ".html", ".xhtml", ".svg", ".js")  # cases E11, E12
    },
    # Found by the red-team of December 2026 (second round): a reference-style definition
    # with no space after its colon.
    "a reference link copying a file from outside": (
        files(
            articles__test__2020__case_DOT_md=GOOD.replace(
                "Text.", "See [the notes][n].\n\n[n]:{attach}/../../outside/secret.txt"
            )
        ),
        f"{DOC}:9: the link target '/../../outside/secret.txt' is outside the content folder",
    ),
    "a capture linked to a file outside": (
        lambda box: (
            (box.content / "captures").mkdir()
            or (box.content / "captures" / "env.txt").symlink_to(
                box.root / "outside" / "secret.txt"
            )
        ),
        "captures/env.txt: this is a link to a file outside the content folder, and the site "
        "would publish that file",
    ),
    "a noncharacter in the title": (
        files(articles__test__2020__case_DOT_md=GOOD.replace("title: T", 'title: "T \\uFFFE"')),
        f"{DOC}:2: 'title' contains an invisible noncharacter (U+FFFE)",
    ),
    "a control character in the text": (
        files(articles__test__2020__case_DOT_md=GOOD.replace("Text.", "Text.\n\nA \x0c page.")),
        f"{DOC}:11: the text contains an invisible control character (U+000C)",
    ),
    "a list as a field name": (
        files(articles__test__2020__case_DOT_md=with_field("? [a, b]\n: x")),
        f"{DOC}:7: a field name must be one word, not a list or a group of fields",
    ),
    "a list as a registry entry's name": (
        registry_append("actors.yml", "? [a, b]\n: x\n"),
        "registry/actors.yml:18: a field name must be one word, not a list or a group of fields",
    ),
    "a merge key": (
        files(
            articles__test__2020__case_DOT_md=GOOD.replace(
                "  publisher: P\n", "  publisher: P\n  <<: {place: Madrid}\n"
            )
        ),
        f"{DOC}:7: YAML merge keys (<<) are not allowed",
    ),
    "places inside places inside places": (
        registry_append(
            "locations.yml",
            "".join(
                f"deep-{n}:\n  name: Deep {n}\n  type: town\n"
                + (f"  parent: deep-{n - 1}\n" if n else "")
                for n in range(30)
            ),
        ),
        "registry/locations.yml:",
    ),
    "a capture no document names": (
        lambda box: write(box, "captures/test/2020/left-behind.txt", "A withdrawn page's text."),
        "captures/test/2020/left-behind.txt: no document names this capture, so it would be "
        "published on its own",
    ),
    "registry linked from outside": (
        registry_out,
        "registry/rights.yml: this is a link to a file outside the content folder. Fix: copy",
    ),
    "{static} through a linked folder": (
        link_out,
        "assets: this is a link to a folder, which the archive does not follow. Fix: copy",
    ),
    "{attach} to a linked file": (
        attach_out,
        f"{DOC}:9: the link target '/notes.txt' is outside the content folder. Fix: copy",
    ),
    "{static}/../ out of the archive": (
        files(
            articles__test__2020__case_DOT_md=GOOD.replace("Text.", "[x]({static}/../README.md)")
        ),
        f"{DOC}:9: the link target '/../README.md' is outside the content folder. Fix: copy",
    ),
    "document ending in .MD": (
        files(articles__test__2020__upper_DOT_MD=GOOD),
        "articles/test/2020/upper.MD: this file ends in '.MD', which is not read, so it would "
        "not be published. Fix: rename it to upper.md.",
    ),
    "document in a misspelt folder": (
        files(Articles__test__2020__case_DOT_md=GOOD),
        "Articles/test/2020/case.md: this file is outside the folders the archive reads, so it "
        "would not be published. Fix: did you mean 'articles'?",
    ),
    "document loose in content/": (
        files(loose_DOT_md=GOOD),
        "loose.md: this file is outside the folders the archive reads",
    ),
    ".mdown instead of .md": (
        files(articles__test__2020__report_DOT_mdown=GOOD),
        "articles/test/2020/report.mdown: this file ends in '.mdown', which is not read",
    ),
    "page named index": (
        files(pages__index_DOT_md="---\ntitle: Hijack\n---\n\nHijack.\n"),
        "pages/index.md: would be published at index.html, the address of the index page, and "
        "replace it. Fix: rename the file, or give it another 'slug:'.",
    ),
    "page named search": (
        files(pages__search_DOT_md="---\ntitle: Hijack\n---\n\nHijack.\n"),
        "pages/search.md: would be published at search.html, the address of the search page",
    ),
    "a name Windows cannot store": (
        files(articles__test__2020__con_DOT_md=GOOD),
        "articles/test/2020/con.md: its address documents/test/2020/con.html uses the name "
        "'con', which Windows cannot store",
    ),
    "a file name with no letters": (
        files(**{"articles__test__2020__\U0001f4a5_DOT_md": GOOD}),
        "articles/test/2020/\U0001f4a5.md: its file name gives no address "
        "(documents/test/2020/.html)",
    ),
    "collection key that is no address": (
        registry_append("collections.yml", '"Mixed Case Key?#":\n  name: Odd\n'),
        "registry/collections.yml:6: collection key 'Mixed Case Key?#' is not a valid address",
    ),
    "impossible date in a document": (
        files(articles__test__2020__case_DOT_md=GOOD.replace("2020-01-01", "2017-02-30")),
        f"{DOC}:3: '2017-02-30' is not a real date. Fix: check the day and the month",
    ),
    "year 0": (
        files(articles__test__2020__case_DOT_md=GOOD.replace("2020-01-01", "0000-01-01")),
        f"{DOC}:3: '0000-01-01' is not a real date",
    ),
    "impossible date in a registry": (
        registry_append("actors.yml", "  founded: 2014-02-30\n"),
        "registry/actors.yml:",
    ),
    "YAML alias bomb": (
        bomb,
        f"{DOC}:7: YAML aliases (*name) are not allowed. Fix: write the value out in full",
    ),
    "javascript: rights url": (
        registry_append(
            "rights.yml", "xss:\n  label: X\n  text: T\n  url: 'javascript:alert(1)'\n"
        ),
        "registry/rights.yml:11: 'url' of rights notice 'xss' is not a web address",
    ),
    "control characters in an escaped string": (
        files(
            articles__test__2020__case_DOT_md=GOOD.replace(
                "title: T", 'title: "NUL \\0 ESC \\e RLO \\u202e"'
            )
        ),
        f"{DOC}:2: 'title' contains an invisible control character (U+0000)",
    ),
    "a value that does not fit its tag": (
        files(articles__test__2020__case_DOT_md=GOOD.replace("title: T", "title: !!int 12x")),
        f"{DOC}:2: '12x' cannot be read as the int its '!!int' asks for",
    ),
    "a tab before a field": (
        files(articles__test__2020__case_DOT_md=GOOD.replace("  publisher", "\tpublisher")),
        f"{DOC}:6: this line is indented with a tab, and YAML needs spaces. Fix: replace the tab",
    ),
    "an unquoted colon in a title": (
        files(
            articles__test__2020__case_DOT_md=GOOD.replace(
                "title: T", "title: Report: the findings"
            )
        ),
        f"{DOC}:2: a value contains ': ' (a colon and a space), which YAML reads as a new field. "
        'Fix: put the whole value in double quotes, e.g. title: "Report: the findings".',
    ),
    "a UTF-16 file": (
        files(articles__test__2020__case_DOT_md=GOOD.encode("utf-16")),
        f"{DOC}: the file is saved as UTF-16 text, and documents must be UTF-8",
    ),
    "a loop of file links": (
        file_loop,
        "articles/test/2020/a.md: this is a link to a file that does not exist (or a loop of "
        "links)",
    ),
    "a loop of folder links": (
        folder_loop,
        "articles/test/loop: this is a link to a folder, which the archive does not follow",
    ),
    "a loop of parents": (
        registry_append(
            "locations.yml",
            "loop-a:\n  name: Loop A\n  type: town\n  parent: loop-b\n"
            "loop-b:\n  name: Loop B\n  type: town\n  parent: loop-a\n",
        ),
        "registry/locations.yml:35: the places loop-a → loop-b → loop-a contain each other in "
        "a loop",
    ),
    "an empty rights registry": (
        registry_replace("rights.yml", "# nothing yet\n"),
        "registry/rights.yml:1: the rights registry has no notice",
    ),
    "a registry written as a list": (
        registry_replace("collections.yml", "- name: Test\n  key: test\n"),
        "registry/collections.yml:1: a registry must be made of 'key:' entries, each with its "
        "fields indented, not a list of '- ' items",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_input_gets_one_line_and_changes_nothing_outside(case, sandbox):
    make, message = HOSTILE[case]
    make(sandbox)
    for command in ("build", "check"):
        result = sandbox.run(command)
        printed = result.stdout + result.stderr
        assert result.returncode == 1, (command, printed)
        assert "Traceback" not in printed and "logged above" not in printed, printed
        [line] = [line for line in printed.splitlines() if message in line] or [printed]
        assert line.strip().startswith(message.split(":")[0]), line
    assert not sandbox.output.exists()  # no build was ever finished


def test_whatever_pelican_would_copy_from_outside_the_content_folder_is_refused(tmp_path):
    """The last word before anything is copied: the files Pelican itself finds to copy in a
    rendered text, in any placeholder form its INTRASITE_LINK_REGEX takes ({attach},
    |attach|), however the HTML came to hold them (markdown-it percent-encodes a '|')."""
    from archive.model.links import copied_file_problems
    from archive.site.articles import copied_by

    content = fixture_content("minimal", tmp_path)
    path = content / "articles" / "test" / "case.md"
    path.write_text(GOOD, encoding="utf-8")
    document, _ = parse_document(
        "articles/test/case.md", GOOD.encode(), REGISTRIES, {"rights": "fair-use-us"}
    )
    settings = site_settings(content, tmp_path / "output")
    html = (
        '<a href="|attach|../../../outside/secret.txt">a</a>'
        "<img src='{static}/../pelicanconf.py'><a href=\"{attach}inside.txt\">b</a>"
    )
    copied = copied_by(html, document, str(path), settings)
    assert copied == {"../outside/secret.txt", "../pelicanconf.py", "articles/test/inside.txt"}
    problems = [str(p) for p in copied_file_problems(content, copied, "articles/test/case.md")]
    assert problems == [
        f"articles/test/case.md: a link in its text would copy {name!r} into the site, and it "
        "is outside the content folder. Fix: copy the file into content/ and link to it there."
        for name in ("../outside/secret.txt", "../pelicanconf.py")
    ]


def test_a_link_placeholder_in_alt_text_a_title_or_a_language_stays_text(sandbox):
    """Pelican rewrites `src='{attach}…'` wherever it finds it inside a tag: in an image's
    alt text, a link's title or a code block's language it would publish any file the
    build can read (../shared/reviews/hostile-inputs-2026-12.md, case E9)."""
    planted = "src='{attach}/../../outside/secret.txt'"
    body = f'[x](https://example.net "{planted}")\n\n![{planted}](https://example.net/a.png)\n\n'
    body += f"```{planted}\ncode\n```\n"
    write(sandbox, DOC, GOOD.replace("Text.\n", body))
    result = sandbox.run("build")
    assert result.returncode == 0, result.stderr
    published = [p for p in sandbox.output.rglob("*") if p.is_file()]
    assert not [p for p in published if p.name == "secret.txt"]
    assert not [p for p in published if b"canary secret.txt" in p.read_bytes()]
    page = (sandbox.output / "documents" / "test" / "2020" / "case.html").read_text("utf-8")
    assert page.count("src=&#39;{attach}/../../outside/secret.txt&#39;") == 3


def test_the_alias_bomb_is_refused_at_once(sandbox):
    bomb(sandbox)
    started = time.monotonic()
    result = sandbox.run("check")
    assert result.returncode == 1 and time.monotonic() - started < 30


def test_a_repeated_collection_is_reported_once(sandbox):
    registry_append("collections.yml", "test:\n  name: Again\n")(sandbox)
    result = sandbox.run("check")
    assert result.returncode == 1
    assert result.stderr.count("appears twice") == 1, result.stderr


@pytest.mark.parametrize("output", ["content/articles", "content", "theme", "plugins"])
def test_the_output_folder_never_replaces_sources(sandbox, output):
    theme, plugins = sandbox.archive / "theme", sandbox.archive / "plugins"
    shutil.copytree(ROOT / "theme", theme)
    shutil.copytree(ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__"))
    with sandbox.settings.open("a", encoding="utf-8") as handle:
        handle.write(f"THEME = {str(theme)!r}\nPLUGIN_PATHS = [{str(plugins)!r}]\n")
    result = sandbox.run("build", "--output", str(sandbox.archive / output))
    assert result.returncode == 1
    assert "refusing to build into this folder" in result.stderr
    assert "Fix: set OUTPUT_PATH (or --output) to a folder of its own" in result.stderr


def test_the_output_folder_never_holds_tracked_files(sandbox):
    notes = sandbox.archive / "notes"
    notes.mkdir()
    (notes / "plan.txt").write_text("tracked")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(sandbox.archive)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "notes"], check=True)
    subprocess.run([*git, "commit", "-qm", "notes"], check=True)
    result = sandbox.run("build", "--output", str(notes))
    assert result.returncode == 1
    assert "it holds files tracked by git (plan.txt…)" in result.stderr


def test_numbers_stay_as_written(sandbox):
    write(
        sandbox,
        DOC,
        GOOD.replace("title: T", "title: 1.10").replace(
            "publisher: P", "publisher: P\n  place: 0x1F"
        ),
    )
    assert sandbox.run("build").returncode == 0
    page = (sandbox.output / "documents/test/2020/case.html").read_text(encoding="utf-8")
    assert "<h1>1.10</h1>" in page.replace("\n", "") or ">1.10<" in page
    assert ">0x1F<" in page


def test_collections_whose_names_slugify_alike_keep_their_own_pages(sandbox):
    registry_append("collections.yml", 'iraq:\n  name: "Test Collection!"\n')(sandbox)
    write(
        sandbox, "articles/iraq/2020/iraq.md", GOOD.replace("collection: test", "collection: iraq")
    )
    write(sandbox, DOC, GOOD)
    assert sandbox.run("build").returncode == 0
    assert (sandbox.output / "collections/iraq.html").is_file()
    assert (sandbox.output / "collections/test.html").is_file()


def test_github_annotations_cannot_be_forged_by_a_file_name(sandbox):
    write(sandbox, "articles/test/2020/evil\n::warning file=README.md::FORGED\n.md", "---\n")
    result = sandbox.run("check", "--format", "github")
    assert result.returncode == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    annotations = ("::error file=content/", "::warning file=content/")  # the fixture's too
    assert commands and all(line.startswith(annotations) for line in commands)
    assert "%0A::warning file%3DREADME.md" in result.stdout or "%0A" in result.stdout


def test_check_refuses_a_path_outside_the_archive(sandbox):
    result = sandbox.run("check", str(sandbox.root / "outside" / "secret.txt"))
    assert result.returncode == 2
    assert "is not in the content folder" in result.stderr


def test_serve_on_a_busy_or_impossible_port_says_so_in_one_line(sandbox):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = sandbox.run("serve", "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert f"cannot serve on 127.0.0.1:{port} (Address already in use)" in result.stderr
    other = port + 1
    assert (  # the command editors run (`make serve`) cannot take --port: both forms are said
        f"Fix: choose another port, 'make serve PORT={other}' or 'archive serve --port "
        f"{other}', or stop the program using this one"
    ) in result.stderr
    assert "--port $(PORT)" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "`make serve PORT=8001`" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr
    result = sandbox.run("serve", "--port", "99999")
    assert result.returncode == 2 and "99999 is not in the range 1<=x<=65535" in result.stderr


def test_serve_on_a_network_address_warns_that_drafts_are_readable_there(sandbox):
    """Case B13: `--host 0.0.0.0` served drafts to the whole network without a word."""
    import socket
    import threading

    with socket.socket() as probe:
        probe.bind(("0.0.0.0", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "archive", "serve", "--settings", str(sandbox.settings)]
    sandbox.before = sandbox.fingerprint()
    server = subprocess.Popen(
        [*command, "--host", "0.0.0.0", "--port", str(port)],
        cwd=sandbox.archive,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    deadline = threading.Timer(120, server.terminate)  # no warning: stderr ends then
    deadline.start()
    try:
        warning = ""
        for line in server.stderr:  # the warning follows the first build
            if line.startswith("Warning: on 0.0.0.0"):
                warning = line
                break
    finally:
        deadline.cancel()
        server.terminate()
        server.wait(timeout=30)
    assert "other machines of the network can read this preview, drafts included" in warning
    assert "Fix: serve on 127.0.0.1" in warning


file_names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1,
    max_size=20,
).filter(lambda name: name not in (".", "..") and len(name.encode()) < 200)
front_matter = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=20),
        "published": st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)) | st.text(max_size=12),
        "collection": st.sampled_from(["test", "test", "other", "nope"]),
        "source": st.fixed_dictionaries({"publisher": st.text(min_size=1, max_size=10)}),
    },
    optional={
        "slug": st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True) | st.text(max_size=12),
        "actors": st.lists(st.sampled_from(["Example Army", "EA", "Nobody"]), max_size=3),
        "summary": st.text(max_size=20),
    },
)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=file_names,
    suffix=st.sampled_from([".md", ".MD", ".markdown", ".txt", ""]),
    values=front_matter,
)
def test_random_documents_are_published_or_reported_never_lost(name, suffix, values):
    """Random file names and front matter: check and build agree, and a document the build
    does not publish is always reported, naming its file; never a traceback."""
    import tempfile

    import yaml

    from archive.editors.check import check

    with tempfile.TemporaryDirectory() as folder:
        content = fixture_content("minimal", Path(folder))
        text = "---\n" + yaml.safe_dump(values, allow_unicode=True) + "---\n\nSome text.\n"
        path = content / "articles" / "test" / "2020" / (name + suffix)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError:
            event("name refused by the file system")
            return  # a name this file system refuses is no editor's file
        display = path.relative_to(content).as_posix()
        settings_ = site_settings(content, Path(folder) / "output")
        said = check(content, settings_)
        reported = [p for p in said if p.path == display and not p.is_warning]  # warnings pass
        try:
            build(content, Path(folder) / "output")
        except ArchiveError as err:
            event("refused")
            assert reported, "the build refused what check passed"
            assert any(p.path == display for p in err.problems) or any(
                display in str(p) for p in err.problems
            )
            return
        event("published")
        assert not reported, reported
        pages = [p.read_text(encoding="utf-8") for p in (Path(folder) / "output").rglob("*.html")]
        assert any("Some text." in page for page in pages), "published nowhere, reported nowhere"


@settings(max_examples=examples(200), deadline=None)
@given(
    tag=st.sampled_from(
        ["int", "float", "bool", "null", "timestamp", "str", "binary", "set", "omap", "seq"]
    ),
    value=st.text(max_size=12).filter(lambda v: "\n" not in v),
)
def test_any_tagged_value_is_read_or_reported_at_its_line(tag, value):
    """PyYAML's constructors raise plain Python errors on values that do not fit their tag."""
    from archive.model.sourcefile import load_yaml

    try:
        load_yaml("f.md", f"a: 1\nb: !!{tag} {value}\n")
    except ArchiveError as err:
        assert all(str(p).startswith("f.md") for p in err.problems)


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.dates().map(str),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["date", "note", "file", "sha256", "url", "es", "x"]), inner, max_size=3
        )
    ),
    max_leaves=8,
)


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(FIELDS)), yaml_values, max_size=5))
@example({"corrections": [None, {"date": "2020-01-02", "x": 1, 1: 1.5}]})  # once a crash
def test_any_value_in_any_field_is_read_or_reported(values):
    """Every field of the schema, given any YAML value: a document or problems naming it."""
    import yaml

    data = {"title": "T", "published": "2020-01-01", "collection": "test", **values}
    data.setdefault("source", {"publisher": "P"})
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n\nText.\n"
    try:
        parse_document("doc.md", text.encode(), REGISTRIES, {"rights": "fair-use-us"})
    except ArchiveError as err:
        assert err.problems and all(str(p).startswith("doc.md") for p in err.problems)
