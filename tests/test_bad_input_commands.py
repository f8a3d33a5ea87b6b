"""Hostile input to the editors' commands `archive new` and `archive import`.

Each refusal is one line naming the option or file, the problem and the fix, with exit 1 (2
for a usage error); nothing is ever written outside content/articles and content/captures
(the sandbox compares every file around the archive before and after); and whatever `new`
does write reads back with exactly the values it was given.
"""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, SEED, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.cli import main
from archive.editors.drafts import closest_collection, slug_for, windows_reserved, write_new
from archive.editors.importer import parse_page
from archive.model.documents import PLACEHOLDER_TEXT, SLUG, parse_document
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

PAGES = FIXTURES / "corpus" / "pages"
#: The fixture site's settings: its default rights notice.
RIGHTS = {"rights": "fair-use-us"}
NEW = ("--publisher=SANA", "--collection=test", "--source-date=2018-07-01")


def documents(sandbox):
    """The files the command made under the documents and captures folders."""
    if sandbox.before is None:  # as the first command does: the case is laid out
        sandbox.before = sandbox.fingerprint()
    prefix = sandbox.content.relative_to(sandbox.root).as_posix() + "/"
    known = {key.removeprefix(prefix) for key in sandbox.before if key.startswith(prefix)}
    return sorted(
        path.relative_to(sandbox.content).as_posix()
        for folder in ("articles", "captures")
        for path in (sandbox.content / folder).rglob("*")
        if path.is_file() and path.relative_to(sandbox.content).as_posix() not in known
    )


def read_back(path, registries):
    """The document `new` wrote, as the build reads it once the editor has written its text."""
    data = path.read_text(encoding="utf-8").replace(PLACEHOLDER_TEXT, "The text.").encode()
    return parse_document(str(path), data, registries, RIGHTS)[0]


def one_line(result) -> str:
    """The command's only line on stderr, checking there was no traceback and nothing more."""
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def refused_lines(result) -> dict[str, str]:
    """`archive import`'s refusals: page name -> the rest of its one line."""
    return {
        line.split(": refused: ", 1)[0]: line.split(": refused: ", 1)[1]
        for line in result.stdout.splitlines()
        if ": refused: " in line
    }


# archive new --slug (C10, C11): only slugs, only inside content/articles


@pytest.mark.parametrize(
    "slug", ["../../x", "../../../../../../escaped", "/tmp/abs", "a/b", "Upper Case Slug!", "a--b"]
)
def test_new_refuses_a_slug_that_is_not_a_slug(sandbox, slug):
    before = documents(sandbox)
    result = sandbox.run("new", "--title=Traversal", f"--slug={slug}", *NEW)
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith(f"--slug: {slug!r} is not a URL-safe name")
    assert "Fix: use lowercase ASCII letters, digits and single hyphens, e.g. " in line
    assert documents(sandbox) == before


def test_new_never_writes_through_a_linked_folder(sandbox, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (sandbox.content / "articles" / "other").symlink_to(elsewhere, target_is_directory=True)
    sandbox.before = sandbox.fingerprint()
    result = sandbox.run("new", "--title=Linked", "--publisher=P", "--collection=other")
    assert result.returncode == 1
    line = one_line(result)
    assert "articles/other/" in line and "/linked.md: " in line
    assert "is outside" in line and "nothing written" in line and "Fix: replace the link" in line
    assert list(elsewhere.iterdir()) == []


def test_a_path_through_dot_dot_is_refused_before_any_folder_is_made(sandbox):
    sandbox.before = sandbox.fingerprint()
    folder = sandbox.content / "articles"
    target = folder / "test" / ".." / ".." / ".." / "made-outside" / "2018" / "x.md"
    with pytest.raises(ArchiveError) as refused:
        write_new(target, "---\n", folder)
    assert "is outside" in str(refused.value)
    assert not (sandbox.archive / "made-outside").exists()


# S7: names Windows cannot store


@pytest.mark.parametrize(
    "name",
    ["con", "CON", "Con.md", "aux.tar.gz", "nul", "prn", "com1", "COM9.txt", "lpt1", "LpT9"],
)
def test_windows_reserved_names(name):
    assert windows_reserved(name)


@pytest.mark.parametrize("name", ["console", "icon", "com10", "conn", "lpt", "auxiliary.md", ""])
def test_names_windows_can_store(name):
    assert not windows_reserved(name)


def test_new_never_makes_a_file_windows_cannot_store(sandbox):
    sandbox.allow("content/articles")
    made = sandbox.run("new", "--title=CON", *NEW)
    assert made.returncode == 0, made.stderr
    assert documents(sandbox) == ["articles/test/2018/con-document.md"]
    given = sandbox.run("new", "--title=Ports", "--slug=lpt1", *NEW)
    assert given.returncode == 1
    line = one_line(given)
    assert line.startswith("--slug: 'lpt1' is a name Windows cannot store as a file")
    assert "Fix: choose another slug, e.g. lpt1-document." in line
    assert slug_for("Aux") == "aux-document" and slug_for("nul.") == "nul-document"
    assert all(SLUG.match(slug_for(t)) for t in ("CON", "a_b", "💥", "-x-", "Ünïcödé Straße"))


# C8: an empty title


@pytest.mark.parametrize("title", ["", "   ", "\t"])
def test_new_refuses_an_empty_title(sandbox, title):
    result = sandbox.run("new", f"--title={title}", *NEW)
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith("--title: ")
    assert ("the title is empty" in line) or ("contains a tab" in line)
    assert "Fix: " in line
    assert documents(sandbox) == []


# C9: YAML specials kept exactly; line breaks and control characters refused


@pytest.mark.parametrize(
    ("title", "publisher"),
    [
        ("<script>alert(1)</script>: {{x}} # c", "a: b"),
        ('it\'s "quoted" # not a comment', "'single'"),
        ("---", "..."),
        ("- a list? no", "? key"),
        ("yes", "1.10"),
        ("2018-01-01", "null"),
        ("&anchor *alias !tag |block >fold %directive @at `tick`", "[flow, seq]"),
        ("x" * 150 + " --- " + "y" * 150 + " ---", "{a: 1}"),
    ],
)
def test_new_keeps_yaml_specials_exactly(sandbox, title, publisher):
    sandbox.allow("content/articles")
    result = sandbox.run("new", f"--title={title}", f"--publisher={publisher}", *NEW[1:])
    assert result.returncode == 0, result.stderr
    [path] = documents(sandbox)
    document = read_back(sandbox.content / path, load_registries(sandbox.content))
    assert (document.title, document.source.publisher) == (title, publisher)


@pytest.mark.parametrize(
    ("option", "value", "what"),
    [
        ("--title", "---\ntitle: injected\n---\n<script>alert(1)</script>", "a line break"),
        ("--title", "a\rb", "a line break"),
        ("--title", "NUL\x00byte", None),  # the command line itself cannot carry a NUL
        ("--title", "ESC \x1b[31m red", "a control character (U+001B)"),
        ("--title", "RLO \u202e gnp.exe", "an invisible text-direction control (U+202E)"),
        ("--title", "line\u2028separator", "a line break"),
        ("--publisher", "a: b\nc: d", "a line break"),
        ("--place", "tab\there", "a tab"),
        ("--actor", "Example\nArmy", "a line break"),
    ],
)
def test_new_refuses_line_breaks_and_control_characters(sandbox, option, value, what):
    options = {"--title": "T", "--publisher": "SANA", "--collection": "test", option: value}
    try:
        result = sandbox.run("new", *(f"{name}={text}" for name, text in options.items()))
    except ValueError:  # "embedded null byte": no editor can pass it either
        assert what is None
        return
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith(f"{option}: ") and f"contains {what}" in line
    assert "Fix: " in line
    assert documents(sandbox) == []


# Dates and collections: the right form, the closest name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("04/03/2016", "Fix: write it as YYYY-MM-DD, e.g. 2016-03-04 for 4 March 2016"),
        ("25/12/2016", "Fix: write it as YYYY-MM-DD, e.g. 2016-12-25 for 25 December 2016."),
        ("4 March 2016", "e.g. 2016-03-04 for 4 March 2016."),
        ("yesterday", "Fix: write it as YYYY-MM-DD, e.g. 2018-07-01."),
        ("2018-02-30", "is not a day of the calendar (day is out of range for month)"),
        ("0000-01-01", "is not a day of the calendar"),
    ],
)
def test_new_says_how_to_write_a_date(sandbox, value, expected):
    result = sandbox.run("new", "--title=T", *NEW[:2], f"--published={value}")
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith(f"--published: {value!r} is not a ")
    assert expected in line and "%Y" not in line


def test_new_suggests_the_closest_collection(sandbox):
    result = sandbox.run("new", "--title=T", "--publisher=P", "--collection=Test Colection")
    assert result.returncode == 1
    line = one_line(result)
    assert line == (
        "--collection: unknown collection 'Test Colection'. "
        "Fix: did you mean 'Test Collection' (test)?"
    )
    shipped = load_registries(ROOT / "content")
    assert closest_collection("Siria", shipped).key == "syria-war"  # 'Guerra en Siria'
    assert closest_collection("Irak", shipped).key == "iraq-war"
    assert closest_collection("Nope", shipped) is None


def test_new_refuses_what_the_build_would_refuse_naming_the_option(sandbox):
    result = sandbox.run(
        "new", "--title=T", *NEW, "--url=javascript:alert(1)", "--actor=Exampel Army"
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == ["--url", "--actor"]
    assert "Fix: give the full address starting with https://" in lines[0]
    assert "'Example Army'" in lines[1] or "Fix:" in lines[1]
    assert documents(sandbox) == []


# C5, C6: huge pages are refused before they are read; parsing is linear


def big_page(folder, megabytes: int, source: bool):
    head = "<!doctype html><html><head><title>Big page</title><script>var x=1;</script>\n"
    source_line = "[Source: Itar Tass, Moscow, 09Jun17]\n" if source else ""
    para = "<p>" + "The quick brown fox jumps over the lazy dog near Raqqa. " * 3 + "</p>\n"
    path = folder / f"big-{megabytes}mb-{'source' if source else 'plain'}.html"
    path.write_text(head + source_line + para * (megabytes * 1_000_000 // len(para) + 1))
    return path


@pytest.mark.parametrize("source", [False, True])
def test_import_refuses_a_huge_page_at_once(sandbox, tmp_path_factory, source):
    page = big_page(tmp_path_factory.mktemp("scrape"), 20, source)
    started = time.perf_counter()
    result = sandbox.run("import", str(page))
    assert time.perf_counter() - started < 30  # was 34 s and more than 180 s at 1.8 GB
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert refused_lines(result) == {
        page.name: "the page is 20.0 MB, more than the 2 MB a document may be; nothing read. "
        "Fix: import the extracted text of one article, not a whole site, an HTML file or a dump"
    }
    assert documents(sandbox) == []


PATHOLOGICAL = {
    # the source line near the top: the whole page is the footer the rights notice is sought in
    "source line first": lambda n: (
        "A title\n[Source: Itar Tass, Moscow, 09Jun17]\n"
        + ("The quick brown fox jumps over the lazy dog. " * 5 + "\n\n") * (n // 232)
    ),
    "one long run of capitalised words": lambda n: (
        "A title\n\n" + "Aaaa Bbbb Islamic State Cccc of Dddd " * (n // 37)
    ),
    "quotes before every word": lambda n: "A title\n\nA" + ' "B' * (n // 3),
    "one line of lower-case words": lambda n: "A title\n\n" + "word " * (n // 5),
}


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_parsing_a_page_of_the_largest_size_takes_seconds(shape):
    registries = load_registries(ROOT / "content")
    text = PATHOLOGICAL[shape](1_900_000)
    started = time.perf_counter()
    parse_page(text, registries)
    assert time.perf_counter() - started < 15  # ~1 s; a quadratic step takes minutes


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html>\n<html><body><h1>Title</h1><p>Text</p></body></html>\n",
        "  <html lang='en'>\n<p>Some text</p>\n",
        "Home | Donations\n\n<html><head><title>T</title></head><body>\n\n" + "Word " * 20 + "\n",
    ],
)
def test_import_refuses_an_html_file(sandbox, tmp_path_factory, text):
    page = tmp_path_factory.mktemp("scrape") / "page.txt"
    page.write_text(text)
    result = sandbox.run("import", str(page))
    assert result.returncode == 1
    assert refused_lines(result)["page.txt"].startswith(
        "this looks like an HTML file, not an extracted text page. Fix: import the page's text"
    )
    assert documents(sandbox) == []


# Bad files among good ones: each refused with one line, the others imported


def scrape_with_bad_files(folder):
    shutil.copy(SEED, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50)
    (folder / "latin1.txt").write_bytes("Caf\xe9 au lait\n".encode("latin-1"))
    (folder / "utf16.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16"))
    (folder / "utf16-no-bom.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16-le"))
    (folder / "loop-a.txt").symlink_to("loop-b.txt")
    (folder / "loop-b.txt").symlink_to("loop-a.txt")
    (folder / "dangling.txt").symlink_to("nothing-here.txt")
    (folder / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    os.mkfifo(folder / "pipe.txt")
    shutil.copy(PAGES / "101_syr5269.txt", folder / "evil\n::warning file=README.md::FORGED.txt")


def test_import_refuses_each_bad_file_in_one_line_and_imports_the_rest(sandbox, tmp_path_factory):
    sandbox.allow("content/articles", "content/captures")
    folder = tmp_path_factory.mktemp("scrape")
    scrape_with_bad_files(folder)
    result = sandbox.run("import", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    refused = refused_lines(result)
    assert refused["empty.txt"].startswith("the file is empty. Fix: ")
    assert refused["binary.txt"].startswith("this is a binary file, not a text document. Fix: ")
    assert refused["latin1.txt"].startswith("the file is not valid UTF-8 text (line 1). Fix: ")
    assert refused["utf16.txt"].startswith("the page is saved as UTF-16 text, not UTF-8. Fix: ")
    assert refused["utf16-no-bom.txt"].startswith("the page is saved as UTF-16 text")
    assert "leads back to itself (a loop)" in refused["loop-a.txt"]
    assert "leads back to itself (a loop)" in refused["loop-b.txt"]
    assert "a symbolic link to a file that does not exist" in refused["dangling.txt"]
    assert refused["pipe.txt"].startswith("this is not a file but a pipe; nothing read")
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert "evil\\n::warning" in result.stdout  # the name's newline, escaped
    assert not any(name.startswith("up/") for name in refused)  # the loop is not walked round
    assert "2 imported as drafts" in result.stdout and "9 refused" in result.stdout
    drafts = [path for path in documents(sandbox) if path.startswith("articles/")]
    assert len(drafts) == 2
    for draft in drafts:  # the file name is escaped in the draft's comments too
        assert "\n::warning" not in (sandbox.content / draft).read_text(encoding="utf-8")


def test_a_manifest_with_bad_rows_refuses_only_their_pages(sandbox, tmp_path_factory):
    sandbox.allow("content/articles", "content/captures")
    folder = tmp_path_factory.mktemp("scrape")
    names = ["101_syr5269.txt", "102_syr5880.txt", "104_ukr475.txt", "105_rusukr720.txt"]
    for name in names:
        shutil.copy(PAGES / name, folder / name)
    (folder / "manifest.csv").write_text(
        "file,url,captured\n"
        "101_syr5269.txt,https://example.org/1,2018-09-25\n"
        "102_syr5880.txt,https://example.org/2,04/03/2016\n"
        "104_ukr475.txt,https://example.org/3,2018-09-25\n"
        "104_ukr475.txt,https://example.org/other,2018-09-25\n"
        '"105_rusukr720.txt","https://example.org/\n5",\n'
        ",,\n"
        "extra,columns,2018-01-01,more,cells\n",
        encoding="utf-8",
    )
    result = sandbox.run("import", "--manifest", str(folder / "manifest.csv"), str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    refused = refused_lines(result)
    assert set(refused) == {"102_syr5880.txt", "104_ukr475.txt", "105_rusukr720.txt"}
    assert refused["102_syr5880.txt"] == (
        f"{folder / 'manifest.csv'}:3: capture date '04/03/2016' is not a date written "
        "YYYY-MM-DD. Fix: write it as YYYY-MM-DD, e.g. 2016-03-04 for 4 March 2016 or "
        "2016-04-03 for 3 April 2016, or leave it empty if unknown"
    )
    assert ":5: a second row for this page (the first is on line 4)" in refused["104_ukr475.txt"]
    assert (
        "contains a line break. Fix: write the address on one line"
        in (refused["105_rusukr720.txt"])
    )
    assert "1 imported as drafts" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"file,url\n101_syr5269.txt,\xe9\n", ":2: the file is not valid UTF-8 text"),
        (b"file,url\x00\n", ": this is a binary file, not a text document"),
        (b"page,address\nx,y\n", ":1: the manifest has no 'file' column"),
        (
            b'file,url\n"unclosed,' + b"x" * 200_000 + b"\n",
            ": the manifest is not a readable CSV",
        ),
    ],
)
def test_an_unreadable_manifest_stops_the_run_in_one_line(
    sandbox, tmp_path_factory, content, message
):
    folder = tmp_path_factory.mktemp("scrape")
    shutil.copy(PAGES / "101_syr5269.txt", folder)
    (folder / "manifest.csv").write_bytes(content)
    result = sandbox.run("import", "--manifest", str(folder / "manifest.csv"), str(folder))
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(str(folder / "manifest.csv")) and message in line and "Fix: " in line
    assert documents(sandbox) == []


def test_import_options_say_how_to_write_them(sandbox):
    result = sandbox.run("import", "--captured", "04/03/2016", str(SEED))
    assert result.returncode == 2
    assert one_line(result) == (
        "--captured: '04/03/2016' is not a date written YYYY-MM-DD. Fix: write it as "
        "YYYY-MM-DD, e.g. 2016-03-04 for 4 March 2016 or 2016-04-03 for 3 April 2016."
    )
    device = sandbox.run("import", "/dev/zero")
    assert device.returncode == 1
    assert refused_lines(device) == {
        "zero": "this is not a file but a device; nothing read. Fix: give the page's file"
    }


# Any title, publisher and slug: a one-line refusal, or a file that reads back the same

SPECIALS = ["\n", "\r", "\t", "\x00", "\x1b", "\x85", "\u2028", "\u202e", "\udcff", "\ufeff"]
SPECIALS += [":", ": ", " #", "#", "'", '"', "---", "...", "{{x}}", "- ", "? ", "!", "&a", "*a"]
SPECIALS += ["|", ">", "%", "@", "`", "yes", "1.10", "0x1F", ".inf", "null", "~", "2018-01-01"]
SPECIALS += ["CON", "aux", "com1", "..", "/", "\\", " ", "é", "💥", "ا"]
values = st.lists(st.sampled_from(SPECIALS) | st.text(max_size=6), max_size=6).map("".join)
slugs = st.none() | st.from_regex(SLUG, fullmatch=True) | values


@pytest.fixture
def new_in_process(sandbox):
    """`archive new` called in this process (fast enough for a property test)."""
    sandbox.allow("content/articles")
    sandbox.before = sandbox.fingerprint()
    runner = CliRunner()
    registries = load_registries(sandbox.content)

    def run(*args):
        return runner.invoke(main, ["new", "--settings", str(sandbox.settings), *args])

    run.content, run.registries = sandbox.content, registries
    return run


@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=values, publisher=values, slug=slugs)
def test_any_title_publisher_and_slug(new_in_process, title, publisher, slug):
    args = [f"--title={title}", f"--publisher={publisher}", *NEW[1:]]
    args += [f"--slug={slug}"] if slug is not None else []
    before = set(new_in_process.content.rglob("*.md"))
    result = new_in_process(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    made = set(new_in_process.content.rglob("*.md")) - before
    if result.exit_code:
        assert result.exit_code == 1 and not made
        for line in result.stderr.splitlines():
            assert re.match(r"^--[a-z-]+: .+\. Fix: .+", line) or "already exists" in line, line
        return
    [path] = made
    try:
        document = read_back(path, new_in_process.registries)
        assert (document.title, document.source.publisher) == (title.strip(), publisher.strip())
        assert slug is None or path.stem == slug
        assert SLUG.match(path.stem) and not windows_reserved(path.stem)
        assert result.stdout == f"Created {path}\n"
    finally:
        path.unlink()
