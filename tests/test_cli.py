"""The editors' `archive` command: new, check, import (serve is covered by build tests)."""

from __future__ import annotations

import datetime

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, build, fixture_content, write_settings

from archive.cli import main
from archive.editors.importer import parse_short_date

IMPORTS = FIXTURES / "import"


def front_matter(path):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_import_reproduces_the_curated_seed_article(archive):
    result = archive("import", str(FIXTURES / "seeds" / "000_874ab42d718d5189.txt"))
    assert result.exit_code == 0, result.output
    [draft] = archive.content.glob("articles/syria-war/2017/*.md")
    fields, body = front_matter(draft)
    curated, curated_body = front_matter(
        ROOT / "content/articles/syria-war/2017/us-led-coalition-colluding-with-is.md"
    )
    for key in ("title", "collection", "language", "source", "via", "rights"):
        assert fields[key] == curated[key], key
    assert fields["status"] == "draft"
    assert "published" not in fields  # the day an editor publishes it, never the page's
    assert body.strip() == curated_body.strip()  # same paragraphs and headings, no junk
    assert {"Sergey Surovikin", "Islamic State", "Syrian Democratic Forces"} <= set(
        fields["actors"]
    )
    assert {"Raqqa", "Palmyra", "Tadia", "al-Hamam", "Al-Tanf"} <= set(fields["locations"])


def test_imported_seed_passes_check_and_builds(archive, tmp_path):
    archive("import", str(FIXTURES / "seeds" / "000_874ab42d718d5189.txt"))
    result = archive("check")
    assert result.exit_code == 0, result.output
    output = build(archive.content, tmp_path / "site")
    assert list((output / "drafts").glob("*.html"))  # a draft: built, but listed nowhere


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "es-sputnik.txt",
            {
                "title": "Rusia denuncia que la coalición liderada por EEUU bombardeó Deir ez-Zor",
                "language": "es",
                "collection": "syria-war",
                "rights": "fair-use-us",
                "via": "2016-01-27",
                "source": {"publisher": "Sputnik News", "place": "Moscú", "date": "2016-01-25"},
            },
        ),
        (
            "fr-rianovosti.txt",
            {
                "title": "Moscou dénonce des frappes de la coalition près de Palmyre",
                "language": "fr",
                "rights": "fair-use-us",
                "via": "2013-02-25",
                "source": {"publisher": "Ria Novosti", "place": "Moscou", "date": "2013-02-22"},
            },
        ),
        (
            "en-un-comma-place.txt",
            {
                "title": "UN envoy warns of new displacement near Al-Tanf",
                "language": "en",
                "collection": "syria-war",
                "via": "2014-03-14",
                "source": {
                    "publisher": "UN News Centre",
                    "place": "United Nations, NY",
                    "date": "2014-03-12",
                },
            },
        ),
    ],
)
def test_import_variants(archive, page, expected):
    result = archive("import", str(IMPORTS / page))
    assert result.exit_code == 0, result.output
    [draft] = archive.content.glob("articles/*/*/*.md")
    fields, body = front_matter(draft)
    fields = yaml.safe_load(yaml.safe_dump(fields, default_flow_style=False).replace("'", ""))
    for key, value in expected.items():
        got = fields[key]
        if key == "via":  # who republished the page, and when: its notice
            assert got["publisher"] == "Equipo Nizkor"
            got = str(got["date"])
        elif isinstance(value, dict):
            got = {k: str(v) for k, v in got.items()}
        assert got == value, key
    assert "Equipo Nizkor" not in body and "Tienda" not in body and "|" not in body


def test_import_spanish_page_structure(archive):
    archive("import", str(IMPORTS / "es-sputnik.txt"))
    [draft] = archive.content.glob("articles/*/*/*.md")
    fields, body = front_matter(draft)
    paragraphs = body.strip().split("\n\n")
    assert paragraphs[2] == "## Reacción en Damasco"
    assert len(paragraphs) == 4
    assert "Islamic State" in fields["actors"]  # "Estado Islámico" is one of its aliases
    assert {"Abu Kamal", "Damascus"} <= set(fields["locations"])


def test_import_reports_what_it_could_not_determine(archive):
    result = archive("import", str(IMPORTS / "fr-rianovosti.txt"))
    assert "collection: not found" in result.output
    [draft] = archive.content.glob("articles/unsorted/2013/*.md")
    assert "# Could not determine: collection." in draft.read_text(encoding="utf-8")


def test_import_refuses_non_documents_and_never_overwrites(archive):
    result = archive("import", str(IMPORTS / "not-a-document.txt"))
    assert result.exit_code == 1
    assert "not-a-document.txt: refused: not an article" in result.output
    first = archive("import", str(IMPORTS / "en-un-comma-place.txt"))
    [draft] = archive.content.glob("articles/*/*/*.md")
    draft.write_text(draft.read_text() + "\nAn editor's correction.\n")
    again = archive("import", str(IMPORTS / "en-un-comma-place.txt"))
    assert first.exit_code == 0 and again.exit_code == 0
    # The page is recognised by its capture's checksum, whatever the editor changed since.
    shown = draft.relative_to(archive.content.parent).as_posix()
    assert f"already imported as {shown}" in again.output
    assert draft.read_text().endswith("An editor's correction.\n")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("09Jun17", "2017-06-09"),
        ("25ene16", "2016-01-25"),
        ("22fév13", "2013-02-22"),
        ("3 dic 99", "1999-12-03"),
        ("1set05", "2005-09-01"),
        ("12 Mar 2014", "2014-03-12"),
    ],
)
def test_short_dates_in_three_languages(text, date):
    assert parse_short_date(text).isoformat() == date


def test_new_document_passes_check_and_builds(archive, tmp_path):
    result = archive(
        "new",
        "--title",
        "Statement: ceasefire in the south",
        "--publisher",
        "SANA",
        "--place",
        "Damascus",
        "--source-date",
        "2018-07-01",
        "--collection",
        "Syria War",
        "--published",
        "2018-07-03",
        "--actor",
        "SAA",
        "--location",
        "Sweida",
    )
    assert result.exit_code == 0, result.output
    path = archive.content / "articles/syria-war/2018/statement-ceasefire-in-the-south.md"
    fields, _ = front_matter(path)
    assert fields["source"] == {
        "publisher": "SANA",
        "place": "Damascus",
        "date": datetime.date(2018, 7, 1),
    }
    placeholder = archive("check")  # the text is still the placeholder archive new wrote
    assert placeholder.exit_code == 1 and "the text is still the placeholder" in placeholder.output
    path.write_text(
        path.read_text().replace("Write the document's text here.", "The ceasefire holds."),
        encoding="utf-8",
    )
    assert archive("check").exit_code == 0
    again = archive(
        "new",
        "--title",
        "Statement: ceasefire in the south",
        "--publisher",
        "SANA",
        "--collection",
        "syria-war",
        "--source-date",
        "2018-07-20",
    )
    assert again.exit_code == 1 and "already exists" in again.output
    output = build(archive.content, tmp_path / "site")
    page = (output / "documents/syria-war/2018/statement-ceasefire-in-the-south.html").read_text()
    assert "Syrian government forces" in page and "As-Suwayda Governorate" in page


@pytest.fixture
def broken(tmp_path):
    """A copy of the minimal fixture site, into which each test writes one broken file."""
    content = fixture_content("minimal", tmp_path)
    settings = write_settings(tmp_path, content, tmp_path / "output")
    runner = CliRunner()

    def check(*args):
        return runner.invoke(main, ["check", "--settings", str(settings), *args])

    check.content = content
    return check


GOOD = (
    "---\ntitle: T\npublished: 2020-01-01\ncollection: test\nsource:\n  publisher: P\n"
    "{extra}---\n\n{body}\n"
)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "a.md",
            GOOD.format(extra="actors: [Islamic Stat]\n", body="x"),
            "articles/a.md:7: unknown actor 'Islamic Stat' (not a name or alias in "
            "registry/actors.yml). "
            "Fix: did you mean 'Islamic State'?",
        ),
        (
            "a.md",
            GOOD.format(extra="", body="x").replace("2020-01-01", "01/02/2020"),
            "articles/a.md:3: 'published' is not a date (got '01/02/2020')",
        ),
        (
            "a.md",
            GOOD.format(extra="rights: cc-by\n", body="x"),
            "articles/a.md:7: unknown rights key 'cc-by'",
        ),
        (
            "test/2020/first-report.md",
            GOOD.format(extra="", body="x"),
            "would be published at the same address (documents/test/2020/first-report.html)",
        ),
        (
            "a.md",
            GOOD.format(extra="", body="See [the report]({filename}missing.md)."),
            "articles/a.md:9: the link target 'missing.md' does not exist",
        ),
        (
            "a.md",
            GOOD.format(extra="", body="Text.\n\nSee [the report](test/2020/first-report.md)."),
            "articles/a.md:11: the link 'test/2020/first-report.md' points at a source file",
        ),
        (
            "notes.txt",
            "Some notes",
            "articles/notes.txt: this file is not a document and would not be published",
        ),
    ],
)
def test_check_catches_each_broken_file(broken, name, text, message):
    target = broken.content / "articles" / name
    if target.exists():
        target = target.with_name("copy-" + target.name)
        text = text.replace("title: T", "title: T\nslug: first-report")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = broken()
    assert result.exit_code == 1
    assert message in result.output, result.output


def test_check_a_single_path_and_github_format(broken):
    bad = broken.content / "articles" / "bad.md"
    bad.write_text(GOOD.format(extra="acters: [x]\n", body="x"), encoding="utf-8")
    assert broken(str(broken.content / "articles/test")).exit_code == 0
    result = broken("--format", "github", str(bad))
    assert result.exit_code == 1
    assert (
        "::error file=content/articles/bad.md,line=7::unknown field 'acters'. "
        "Fix: did you mean 'actors'?"
    ) in result.output


def test_check_labels_warnings_counts_them_apart_and_passes_with_only_warnings(broken):
    """A warning (a source's publisher the registry does not know: shown as printed) is said
    as one, counted apart from the problems, and fails nothing; the counts add up to the
    lines shown. The severity is the problem's own, not read from its words."""
    warned = broken.content / "articles" / "warned.md"
    warned.write_text(GOOD.format(extra="", body="Text."), encoding="utf-8")
    bad = broken.content / "articles" / "bad.md"
    result = broken(str(warned))
    assert result.exit_code == 0, result.output
    told = (
        "articles/warned.md:6: warning: unknown publisher 'P', shown unlinked (not a name or "
        "alias in registry/publishers.yml). Fix: add it to registry/publishers.yml, or correct "
        "its spelling (archive check --fix-names)."
    )
    assert result.output.splitlines() == [told, "No problems, 1 warning."]
    bad.write_text(GOOD.format(extra="acters: [x]\n", body="x"), encoding="utf-8")
    result = broken(str(warned), str(bad))
    assert result.exit_code == 1
    *lines, count = result.output.splitlines()
    assert count == "1 problem, 1 warning."
    assert lines[0].startswith("articles/bad.md:7: unknown field 'acters'")
    assert lines[1:] == [told]
    github = broken("--format", "github", str(warned)).output
    assert "::warning file=content/articles/warned.md,line=6::unknown publisher 'P'" in github


def test_build_and_serve_say_where_drafts_are_and_draft_pages_say_they_are_drafts(sandbox):
    """No list, menu or search leads to a draft: the build and the preview print each
    draft's address, and its page says first that it is not published, in the reader's
    language. The build also says and counts its warnings (a publisher the registry lacks)."""
    import socket
    import subprocess
    import sys
    import threading

    from sitecheck import soup

    draft = sandbox.content / "articles/test/2020/draft-report.md"
    draft.write_text(
        "---\ntitle: A draft\nstatus: draft\ncollection: test\nsource:\n  publisher: Example "
        "Wire\n  date: 2020-05-01\n---\n\nNot yet.\n",
        encoding="utf-8",
    )
    built = sandbox.run("build")
    assert built.returncode == 0, built.stderr
    printed = built.stdout.splitlines()
    assert "1 draft, not in the site's lists: output/drafts/draft-report.html" in printed
    [warned] = [line for line in built.stderr.splitlines() if ": warning: " in line]
    assert warned.startswith("articles/test/2020/second-report.md:")
    assert any(line.endswith("/output (no problems, 1 warning)") for line in printed), printed
    banner = soup(sandbox.output / "drafts/draft-report.html").select_one("main .draft-banner")
    assert banner.get_text(" ", strip=True).startswith("Draft: this document is not published.")
    french = soup(sandbox.output / "fr/drafts/draft-report.html").select_one(".draft-banner")
    assert french.get_text(" ", strip=True).startswith("Brouillon\u00a0: ce document n’est pas")
    published = soup(sandbox.output / "documents/test/2020/first-report.html")
    assert published.select(".draft-banner") == []

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "archive", "serve", "--settings", str(sandbox.settings)]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=sandbox.archive,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = threading.Timer(120, server.terminate)  # no notice: stdout ends then
    deadline.start()
    try:
        notice = next((line for line in server.stdout if "not in the site" in line), "")
    finally:
        deadline.cancel()
        server.terminate()
        server.wait(timeout=30)
    assert notice.strip() == (
        f"1 draft, not in the site's lists: http://127.0.0.1:{port}/drafts/draft-report.html"
    )


def test_check_passes_on_the_shipped_content():
    result = CliRunner().invoke(main, ["check", "--settings", str(ROOT / "pelicanconf.py")])
    assert result.exit_code == 0, result.output
