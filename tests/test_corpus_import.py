"""Importing the real corpus: 46 scraped pages (EN/ES/FR, six layouts) against values read by hand.

tests/fixtures/corpus/expected.yml was written from the pages before the importer learnt
their layouts; pages/ is a copy of ../shared/corpus/nizkor/ so that the tests do not depend
on a folder outside the repository.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, write_settings

from archive.cli import main
from archive.editors.bulk_import import (
    ALREADY_IMPORTED,
    DUPLICATE,
    IMPORTED,
    collect_pages,
    import_pages,
    read_manifest,
    summary,
)
from archive.editors.drafts import slug_for
from archive.editors.importer import parse_page, parse_short_date, title_doubt
from archive.model.captures import capture_problems
from archive.model.registries import load_registries

CORPUS = FIXTURES / "corpus"
PAGES = CORPUS / "pages"
SHARED = ROOT.parent / "shared" / "corpus" / "nizkor"
EXPECTED = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))
FIELDS = (
    "title",
    "publisher",
    "place",
    "author",
    "source_date",
    "via_date",
    "collection",
    "language",
    "first",
    "last",
    "paragraphs",
)
TODAY = dt.date(2024, 5, 1)
#: Text of the site's chrome as INDEX.md lists it: none of it may reach a document's body.
CHROME_WORDS = ("Nizkor", "NIZKOR", "Bookshop", "Donate", "Donaciones", "Tienda", "small logo")
LABELS = {"Information", "Información", "Informations", "DERECHOS", "Derechos", "|"}


def urls():
    """The address of each page, from INDEX.md's main table (as the manifest gives them)."""
    found = {}
    for line in (PAGES / "INDEX.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split(" | ")]
        if cells[0].startswith("| 1") and cells[1].startswith("http"):
            found[cells[0].removeprefix("| ")] = cells[1]
    return found


def new_archive(root):
    content = root / "content"
    shutil.copytree(CORPUS / "registry", content / "registry")
    (content / "articles").mkdir()
    return content


def files_of(content):
    return {
        path.relative_to(content): path.stat().st_mtime_ns
        for path in content.rglob("*")
        if path.is_file()
    }


@dataclass
class CorpusImport:
    content: object
    pages: object
    run: object

    def result(self, name):
        return next(r for r in self.run.results if r.page.display == name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The whole corpus imported once into an empty archive with the corpus registries."""
    root = tmp_path_factory.mktemp("corpus")
    content = new_archive(root)
    pages = root / "pages"
    shutil.copytree(PAGES, pages)
    found, skipped = collect_pages([pages])
    run = import_pages(content, found, read_manifest(CORPUS / "manifest.csv"), TODAY, skipped)
    return CorpusImport(content, pages, run)


def found_fields(draft):
    body = [p.removeprefix("## ") for p in draft.paragraphs]
    return {
        "title": draft.title,
        "publisher": draft.publisher,
        "place": draft.place,
        "author": draft.author,
        "source_date": str(draft.source_date),
        "via_date": str(draft.via_date),
        "collection": draft.collection_line,
        "language": draft.language,
        "first": body[0] if body else None,
        "last": body[-1] if body else None,
        "paragraphs": len(body),
    }


def front_matter(path):
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def test_fixture_pages_are_the_shared_corpus():
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus/nizkor is not beside this clone")
    for name in EXPECTED:
        assert (PAGES / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_field_accuracy_per_layout_and_language(corpus):
    right: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for name, expected in EXPECTED.items():
        found = found_fields(corpus.result(name).draft)
        for field in FIELDS:
            ok = found[field] == expected[field]
            for group in (("all",), ("layout", expected["layout"]), ("lang", expected["language"])):
                right[group][0] += ok
                right[group][1] += 1
            if not ok:
                wrong.append(f"{name} {field}: {found[field]!r} != {expected[field]!r}")
    for group, (good, total) in sorted(right.items()):
        print(f"{' '.join(group):10} {good}/{total} fields right ({good / total:.1%})")
    good, total = right[("all",)]
    assert total == 46 * len(FIELDS)
    assert good / total >= 0.98, "\n".join(wrong)
    assert not [line for line in wrong if " title:" in line]


def test_body_paragraphs_are_the_pages_own(corpus):
    for name, expected in EXPECTED.items():
        draft = corpus.result(name).draft
        lines = {
            " ".join(line.split()).strip("| ")
            for line in (PAGES / name).read_text(encoding="utf-8").splitlines()
        }
        assert len(draft.paragraphs) == expected["paragraphs"], name
        for paragraph in draft.paragraphs:
            assert paragraph.removeprefix("## ") in lines, (name, paragraph)
        assert not any(p.startswith("## ") for p in draft.paragraphs), name  # none has headings


def test_no_chrome_line_in_any_body(corpus):
    for path in (corpus.content / "articles").rglob("*.md"):
        _, body = front_matter(path)
        for paragraph in body.strip().split("\n\n"):
            assert not any(word in paragraph for word in CHROME_WORDS), (path, paragraph)
            assert paragraph not in LABELS, (path, paragraph)
            assert parse_short_date(paragraph) is None, (path, paragraph)
            assert not paragraph.startswith(("[Source", "[Fuente")), (path, paragraph)
            assert "published on" not in paragraph and "\xa0" not in paragraph, path
            assert not paragraph.endswith("|"), (path, paragraph)


def test_every_distinct_text_becomes_one_draft(corpus):
    statuses = {r.page.display: r.status for r in corpus.run.results}
    assert statuses.pop("139_syr9780.txt") == DUPLICATE
    assert set(statuses.values()) == {IMPORTED} and len(statuses) == 45
    assert len(list((corpus.content / "articles").rglob("*.md"))) == 45
    assert [p.display for p in corpus.run.skipped] == ["INDEX.md"]


def test_duplicate_extraction_is_reported_with_the_document_it_repeats(corpus):
    original, duplicate = corpus.result("103_syr9780.txt"), corpus.result("139_syr9780.txt")
    assert duplicate.document == original.document
    assert "103_syr9780.txt" in duplicate.message
    assert found_fields(original.draft) | {"collection": ""} == found_fields(duplicate.draft)
    report = summary(corpus.run)
    assert "139_syr9780.txt: duplicate: same text as content/articles/syria-war/2018/" in report


def test_drafts_record_fields_and_capture_with_its_checksum(corpus):
    addresses = urls()
    for result in corpus.run.results:
        if result.status != IMPORTED:
            continue
        name, draft = result.page.display, result.draft
        fields, body = front_matter(result.document)
        assert fields["title"] == draft.title and fields["status"] == "draft"
        assert "published" not in fields  # the day an editor publishes it, not the page's
        assert fields["via"]["date"] == draft.via_date
        assert fields["via"]["publisher"] == "Equipo Nizkor"
        source = {"publisher": draft.publisher, "date": draft.source_date}
        source |= {key: value for key, value in (("place", draft.place),) if value}
        source |= {"author": draft.author} if draft.author else {}
        assert fields["source"] == source, name
        assert fields.get("collection", "") == draft.collection
        assert fields["language"] == EXPECTED[name]["language"]
        assert fields["rights"] == "fair-use-us"
        assert body.strip().split("\n\n") == draft.paragraphs

        capture = fields["capture"]
        page_bytes = (PAGES / name).read_bytes()
        stored = corpus.content / capture["file"]
        assert stored.read_bytes() == page_bytes  # as received, not re-encoded
        assert capture["sha256"] == hashlib.sha256(page_bytes).hexdigest()
        assert capture["url"] == addresses[name]
        assert "captured" not in capture  # the manifest gives none: none is recorded
        assert capture["file"] == (
            "captures/"
            + result.document.relative_to(corpus.content / "articles")
            .with_suffix(".txt")
            .as_posix()
        )
        assert capture_problems(str(result.document), capture, corpus.content) == []


def test_collection_lines_map_to_registry_collections(corpus):
    keys = {r.page.display: r.draft.collection for r in corpus.run.results}
    assert keys["101_syr5269.txt"] == "syria-war"
    assert keys["124_syr9272.txt"] == "syria-war"  # "War in Syria", an alias
    assert keys["135_irq1000.txt"] == "iraq-war"  # "War in Afghanistan & Iraq", an alias
    assert keys["104_ukr475.txt"] == "ukraine-unrest"
    assert keys["108_irq139.txt"] == "iraq-war"
    assert keys["109_lby1934.txt"] == "libya-war"
    assert keys["146_rusukr1560.txt"] == "russian-affairs"
    pipes = corpus.result("137_syr3625.txt")
    assert pipes.draft.collection == "" and pipes.document.parts[-3] == "unsorted"
    report = summary(corpus.run)
    assert "collection: not found" in report.split("137_syr3625.txt", 1)[1].splitlines()[0]


def test_second_run_creates_nothing_and_says_so(corpus):
    before = files_of(corpus.content)
    found, _ = collect_pages([corpus.pages])
    again = import_pages(corpus.content, found, read_manifest(CORPUS / "manifest.csv"), TODAY)
    assert files_of(corpus.content) == before
    statuses = {r.page.display: r.status for r in again.results}
    assert statuses.pop("139_syr9780.txt") == DUPLICATE
    assert set(statuses.values()) == {ALREADY_IMPORTED}
    report = summary(again)
    first = corpus.result("101_syr5269.txt").document.relative_to(corpus.content.parent)
    assert f"101_syr5269.txt: already imported as {first.as_posix()}" in report
    assert "Nothing new: no file was written." in report


def test_a_capture_that_changed_or_disappeared_is_named_with_its_fix(corpus, tmp_path):
    result = corpus.result("109_lby1934.txt")
    fields, _ = front_matter(result.document)
    capture = fields["capture"]
    content = tmp_path / "content"
    shutil.copytree(corpus.content / "captures", content / "captures")
    stored = content / capture["file"]
    stored.write_bytes(stored.read_bytes().replace(b"74", b"75", 1))  # one byte changed
    [changed] = capture_problems("articles/x.md", capture, content, line=12)
    assert changed.path == "articles/x.md" and changed.line == 12
    assert capture["file"] in changed.message and "articles/x.md" in changed.message
    assert "changed" in changed.message
    assert f"git checkout -- content/{capture['file']}" in changed.hint
    assert "re-import" in changed.hint
    stored.unlink()
    [missing] = capture_problems("articles/x.md", capture, content)
    assert "disappeared" in missing.message and capture["file"] in missing.message
    outside = capture | {"file": "../secrets.txt"}
    assert "not under content/captures" in capture_problems("a.md", outside, content)[0].message


def test_subjects_are_proposed_in_any_language_and_unknown_names_listed(corpus):
    spanish = corpus.result("121_syr6628.txt").draft
    assert "Islamic State" in spanish.actors  # "Daesh", "Estado Islámico"
    assert {"Syria", "Deir ez-Zor", "Russia"} <= set(spanish.locations)  # Siria, Deir Ezzor
    french = corpus.result("125_syr951.txt").draft
    assert {"Syria", "Moscow"} <= set(french.locations)  # Syrie, Moscou
    assert corpus.result("141_lby536.txt").draft.actors[0] == "NATO"
    assert "Moussa Ibrahim" in corpus.result("140_lby516.txt").draft.unmatched_names
    report = summary(corpus.run)
    names = report.split("as a name or an alias):\n", 1)[1].splitlines()[0]
    assert "Kiev (6)" in names and "Moussa Ibrahim (2)" in names
    fields, _ = front_matter(corpus.result("140_lby516.txt").document)
    text = corpus.result("140_lby516.txt").document.read_text(encoding="utf-8")
    assert "# Names in the text that no registry entry has:" in text
    assert "Moussa Ibrahim" in text.split("no registry entry has:", 1)[1].splitlines()[0]


#: Links to the report in another language, as pages print them: each language's name in its
#: own script (Cyrillic, Latin, Arabic, Chinese, Greek, Devanagari), or in English.
LANGUAGE_LINKS = ("Русский", "Türkçe", "Español", "العربية", "中文", "Ελληνικά", "हिन्दी", "Russian")


def first_page_of_each_layout():
    pages = {}
    for name, expected in EXPECTED.items():
        pages.setdefault(expected["layout"], name)
    assert sorted(pages) == list("ABCDEF")
    return sorted(pages.values())


def with_line_before_title(raw: str, title: str, line: str) -> str:
    """The page with `line` on its own line just above its title (after any date line)."""
    at = next(
        match.start()
        for match in re.finditer(r"(?m)^.*$", raw)
        if " ".join(match.group().split()).strip("| ") == title
    )
    return raw[:at] + line + "\n" + raw[at:]


@pytest.mark.parametrize("language", LANGUAGE_LINKS)
def test_a_link_to_another_language_is_never_the_title(language, tmp_path):
    """A language's name between the date and the title, on a page of every layout."""
    content = new_archive(tmp_path)
    folder = tmp_path / "pages"
    folder.mkdir()
    chosen = first_page_of_each_layout()
    for name in chosen:
        raw = (PAGES / name).read_text(encoding="utf-8")
        page = with_line_before_title(raw, EXPECTED[name]["title"], language)
        (folder / name).write_text(page, encoding="utf-8")
    found, _ = collect_pages([folder])
    run = import_pages(content, found, today=TODAY)
    for result in run.results:
        name, draft = result.page.display, result.draft
        title = EXPECTED[name]["title"]
        assert result.status == IMPORTED, (name, result.message)
        assert draft.title == title, name
        assert not draft.title_doubt, name
        assert len(draft.paragraphs) == EXPECTED[name]["paragraphs"], name
        fields, body = front_matter(result.document)
        assert language not in body.strip().split("\n\n"), name  # nor pushed into the text
        assert result.document.stem == slug_for(title), name
        assert fields["capture"]["file"].endswith(f"/{slug_for(title)}.txt"), name
    assert [r.page.display for r in run.results] == chosen


def test_language_links_under_the_title_leave_it_the_title_and_stay_out_of_the_text():
    text = "Russia's Foreign Ministry said on Wednesday that Russian military experts were there."
    draft = parse_page(
        "Equipo Nizkor\nDerechos | Equipo Nizkor\n\n09Sep15\n\n"
        "Moscow says Russian military experts present in Syria\nРусский · English · 中文\n\n"
        f"{text}\n\n[Source: Reuters, Moscow, 09Sep15]",
        load_registries(CORPUS),
    )
    assert draft.title == "Moscow says Russian military experts present in Syria"
    assert draft.paragraphs == [text]


def test_proposals_ignore_accents_and_case_but_need_whole_words():
    registries = load_registries(CORPUS)
    draft = parse_page(
        "Some title\n\nEl ESTADO ISLAMICO atacó Siria, no la región siriaca; this is it.\n"
        "[Source: X, 01ene20]",
        registries,
    )
    assert draft.actors == ["Islamic State"]  # not "IS" from "is"
    assert draft.locations == ["Syria"]  # "Siria" once, not inside "siriaca"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("25ene16", "2016-01-25"),
        ("22fév13", "2013-02-22"),
        ("22FÉV13", "2013-02-22"),
        ("31juil13", "2013-07-31"),
        ("24aoû13", "2013-08-24"),
        ("11déc12", "2012-12-11"),
        ("25sep18", "2018-09-25"),
        ("25SEP18", "2018-09-25"),
        ("15ago14", "2014-08-15"),
        ("27dic13", "2013-12-27"),
    ],
)
def test_month_abbreviations_of_three_languages_in_any_case(text, date):
    assert parse_short_date(text).isoformat() == date


@pytest.fixture
def cli_archive(tmp_path):
    content = new_archive(tmp_path)
    settings = write_settings(tmp_path, content, tmp_path / "output")

    def run(*args):
        return CliRunner().invoke(
            main, ["import", "--settings", str(settings), *args], catch_exceptions=False
        )

    run.content = content
    run.settings = settings
    return run


def test_import_command_takes_folders_and_prints_a_table(cli_archive, tmp_path):
    folder = tmp_path / "scrape" / "nested"
    folder.mkdir(parents=True)
    for name in ("101_syr5269.txt", "137_syr3625.txt", "INDEX.md"):
        shutil.copy(PAGES / name, folder / name)
    result = cli_archive("--manifest", str(CORPUS / "manifest.csv"), str(folder.parent))
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr  # the progress bar
    header, *rows = result.stdout.split("\n\n")[0].splitlines()
    assert (
        header.split()
        == (
            "file status title publisher place author source date via via date collection "
            "lang could not determine"
        ).split()
    )
    assert [row.split()[:2] for row in rows] == [
        ["nested/101_syr5269.txt", "imported"],
        ["nested/137_syr3625.txt", "imported"],
    ]
    assert "Skipped 1 file(s)" in result.stdout and "nested/INDEX.md" in result.stdout
    assert "Capture date unknown for 2 page(s)" in result.stdout


def test_a_page_that_is_not_an_article_is_refused_and_the_others_imported(cli_archive, tmp_path):
    folder = tmp_path / "scrape"
    folder.mkdir()
    shutil.copy(PAGES / "101_syr5269.txt", folder / "101_syr5269.txt")
    shutil.copy(CORPUS / "not-an-article.txt", folder / "102_index.txt")
    shutil.copy(PAGES / "140_lby516.txt", folder / "103_lby516.txt")
    result = cli_archive(str(folder))
    assert result.exit_code == 1
    [reason] = [line for line in result.stdout.splitlines() if line.startswith("102_index.txt:")]
    assert reason.startswith("102_index.txt: refused: not an article")
    assert len(list((cli_archive.content / "articles").rglob("*.md"))) == 2
    assert "1 refused (102_index.txt)" in result.stdout


def test_one_page_takes_its_address_and_capture_date_from_the_options(cli_archive, tmp_path):
    page = PAGES / "146_rusukr1560.txt"
    url = "https://www.derechos.org/peace/russia/doc/rusukr1560.html"
    result = cli_archive("--url", url, "--captured", "2022-04-02", str(page))
    assert result.exit_code == 0, result.output
    [draft] = (cli_archive.content / "articles").rglob("*.md")
    capture = front_matter(draft)[0]["capture"]
    assert capture["url"] == url and capture["captured"] == dt.date(2022, 4, 2)
    both = cli_archive("--url", url, str(page), str(PAGES / "101_syr5269.txt"))
    assert both.exit_code == 2 and "use --manifest" in both.output


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.domain)//https://x", "data:text/html,<script>", "derechos.org"],
)
def test_a_capture_address_must_be_a_web_address(cli_archive, tmp_path, url):
    """Case F9: the import refuses what `check` would refuse later, and writes nothing."""
    page = PAGES / "146_rusukr1560.txt"
    result = cli_archive("--url", url, str(page))
    assert result.exit_code == 2 and "is not a web address" in result.output, result.output
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,url,captured\n146_rusukr1560.txt,{url},\n", encoding="utf-8")
    result = cli_archive("--manifest", str(manifest), str(page))
    assert result.exit_code == 1 and "is not a web address" in result.output, result.output
    assert not list((cli_archive.content / "articles").rglob("*.md"))


def test_truncated_pages_are_imported_with_a_warning_not_a_crash(cli_archive):
    result = cli_archive(str(CORPUS / "truncated"))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("imported, but no source line and no publication notice") == 2


@pytest.mark.parametrize(
    ("title", "doubt"),
    [
        ("Tripoli", "a single word"),
        ("Главная", "a single word"),
        ("Syria War", "only 2 words"),
        ("NATO air raids shake Tripoli, environs", ""),
        ("", ""),  # no title: the page is refused, not flagged
    ],
)
def test_a_title_of_fewer_than_three_words_is_uncertain(title, doubt):
    assert title_doubt(title) == doubt


@pytest.mark.parametrize(
    ("headline", "cell", "said", "written", "note"),
    [
        (
            "Tripoli",
            "? Tripoli",
            "title uncertain (a single word)",
            "[TITLE TO CHECK] Tripoli",
            "# The title is uncertain (a single word): it may be a label or a link",
        ),
        ("", "–", "title", "[TITLE TO CHECK]", "# No headline found: the page's text starts"),
    ],
)
def test_an_uncertain_title_is_flagged_in_the_table_and_the_draft(
    cli_archive, tmp_path, headline, cell, said, written, note
):
    """Kept as found (or left empty), marked in the table and the draft; never published so."""
    name = "141_lby536.txt"
    page = tmp_path / name
    raw = (PAGES / name).read_text(encoding="utf-8")
    page.write_text(raw.replace(EXPECTED[name]["title"], headline, 1), encoding="utf-8")
    result = cli_archive(str(page))
    assert result.exit_code == 0, result.output
    header, row = result.stdout.split("\n\n")[0].splitlines()
    assert row.split("  ")[:3] == [name, "imported", cell]
    assert row.endswith(f"  {said}")

    [document] = (cli_archive.content / "articles").rglob("*.md")
    fields, body = front_matter(document)
    assert fields["title"] == written
    assert body.strip().split("\n\n")[0] == EXPECTED[name]["first"]  # the text is whole
    notes = [line for line in document.read_text(encoding="utf-8").splitlines() if line[:1] == "#"]
    assert any(line.startswith(note) for line in notes), notes
    assert document.name == "141-lby536.md"  # not named after a title it doubts
    assert fields["capture"]["file"].endswith("/141-lby536.txt")

    def check():
        return CliRunner().invoke(main, ["check", "--settings", str(cli_archive.settings)])

    assert check().exit_code == 0, check().output  # a draft may keep the mark
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("status: draft", "published: 2024-05-02"), encoding="utf-8")
    refused = check()
    assert refused.exit_code == 1
    assert "the title still carries the importer's mark [TITLE TO CHECK]" in refused.output
    checked = document.read_text(encoding="utf-8").replace(written, "NATO to prolong operation")
    document.write_text(checked, encoding="utf-8")
    assert check().exit_code == 0, check().output
