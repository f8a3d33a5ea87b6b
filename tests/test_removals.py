"""Withdrawal and redaction: a document taken down, a name taken out, and nothing left behind.

On the shipped archive, deployed once with a cache: one document is withdrawn (its title
withheld) and a byline removed from another, with `archive withdraw` and `archive redact` as
an editor runs them; then the archive is deployed again with that cache, and built clean.
Every file of both builds and of the cache is searched for what was removed, as a reader
(or a search engine) would find it: tags stripped, entities and JSON escapes decoded, case
and accents ignored.
"""

from __future__ import annotations

import html
import re
import shutil
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import (
    FIXTURES,
    ROOT,
    archive_command,
    build,
    collect_errors,
    deploy_build,
    digest,
    editors_clone,
    write_settings,
)
from sitecheck import broken_links, soup

from archive.model.captures import sha256_of
from archive.model.documents import parse_document
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

WITHDRAWN = "articles/syria-war/2017/russian-frigate-hits-terrorist-command-centers-in-syria.md"
NOTICE = "documents/syria-war/2017/russian-frigate-hits-terrorist-command-centers-in-syria.html"
TITLE = "Russian frigate hits terrorist command centers in Syria with missiles"
SENTENCE = "The missile strike wiped out command centers and a communication facility"
REDACTED = "articles/syria-war/2016/israel-strikes-mezzeh-airbase-in-damascus.md"
REDACTED_PAGE = "documents/syria-war/2016/israel-strikes-mezzeh-airbase-in-damascus.html"
CAPTURE = "captures/syria-war/2016/israel-strikes-mezzeh-airbase-in-damascus.txt"
NAME = "Paul Antonopoulos"
#: Feeds are written only with the deployed site's address (publishconf.py).
FEEDS = (
    "SITEURL = 'https://archive.example'\nFEED_DOMAIN = SITEURL\n"
    "FEEDS = {'all': 'feeds/all.atom.xml', 'collection': 'feeds/{slug}.atom.xml', "
    "'actor': 'feeds/actors/{slug}.atom.xml', 'location': 'feeds/locations/{slug}.atom.xml'}\n"
)


def readable(data: bytes) -> str:
    """A file as a reader would find words in it: folded, without markup or escapes."""
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def files_holding(folder: Path, words: str) -> list[str]:
    wanted = " ".join(words.casefold().split())
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and wanted in readable(p.read_bytes())
    )


@pytest.fixture(scope="module")
def removals(tmp_path_factory):
    """The deploys before and after a withdrawal and a redaction, and a clean build after."""
    work = tmp_path_factory.mktemp("removals")
    content = work / "checkout" / "content"
    shutil.copytree(ROOT / "content", content)
    deploy_build(work, content, work / "before", work / "cache", extra=FEEDS)
    original_capture = sha256_of((content / CAPTURE).read_bytes())
    settings = write_settings(work, content, work / "before")
    settings_option = ["--settings", str(settings)]
    withdrawn = archive_command(
        "withdraw", str(content / WITHDRAWN), "--reason", "safety", *settings_option, cwd=work
    )
    redacted = archive_command("redact", str(content / REDACTED), NAME, *settings_option, cwd=work)
    checked = archive_command("check", *settings_option, cwd=work)
    deploy_build(work, content, work / "cached", work / "cache", extra=FEEDS)
    deploy_build(work, content, work / "clean", extra=FEEDS)
    return SimpleNamespace(
        work=work,
        content=content,
        withdrawn=withdrawn,
        redacted=redacted,
        checked=checked,
        original_capture=original_capture,
    )


def test_the_commands_say_what_they_did_where_it_is_still_found_and_what_git_keeps(removals):
    withdrawn, redacted = removals.withdrawn, removals.redacted
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "removed its text" in withdrawn.stdout
    assert f"deleted its capture captures/syria-war/2017/{Path(WITHDRAWN).stem}.txt" in (
        withdrawn.stdout
    )
    # The first deploy's output still shows the withheld title: said, with the fix.
    assert "Warning: Its title is still found in" in withdrawn.stderr
    assert f"before/{NOTICE}" in withdrawn.stderr and "rebuild the site" in withdrawn.stderr
    assert redacted.returncode == 0, redacted.stderr
    assert "replaced it in 'source.author'" in redacted.stdout
    assert f"in the capture {CAPTURE}, keeping the checksum of the copy before" in redacted.stdout
    for done in (withdrawn, redacted):
        assert "The repository's history still holds what was removed" in done.stdout
        assert "CONTRIBUTING.md" in done.stdout
    assert removals.checked.returncode == 0, removals.checked.stderr


def test_the_files_keep_only_what_may_stay(removals):
    content = removals.content
    withdrawn = (content / WITHDRAWN).read_text(encoding="utf-8")
    assert withdrawn.endswith("\n---\n")  # no text
    assert "withdrawn:\n  date: " in withdrawn and "reason: safety" in withdrawn
    assert "title: withheld" in withdrawn and TITLE not in withdrawn
    assert "capture:" not in withdrawn
    assert not (content / "captures/syria-war/2017" / (Path(WITHDRAWN).stem + ".txt")).exists()
    document, _ = parse_document(
        REDACTED, (content / REDACTED).read_bytes(), load_registries(content), {}
    )
    assert document.source.authors == ("[name withheld]",)
    assert document.corrections[-1].removed == "safety" and document.corrections[-1].note == ""
    [before] = document.capture.redacted
    assert before.sha256 == removals.original_capture
    assert document.capture.sha256 == sha256_of((content / CAPTURE).read_bytes())
    assert NAME not in (content / CAPTURE).read_text(encoding="utf-8")
    assert "[name withheld]" in (content / CAPTURE).read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["clean", "cached", "cache"])
def test_nothing_removed_is_left_in_any_file_of_a_build_a_cached_deploy_or_its_cache(
    removals, folder
):
    before = removals.work / "before"

    def kinds(words: str) -> set[str]:
        return {Path(name).suffix for name in files_holding(before, words)}

    # The first deploy had them in every kind of file a deploy writes: the byline in pages,
    # feeds, open data, citations (BibTeX reverses it) and the capture; the withdrawn
    # document's text in its page, its capture and the search index.
    assert {".html", ".json", ".csv", ".xml", ".txt", ".bib"} <= kinds("Antonopoulos")
    assert {".html", ".txt", ".js"} <= kinds(SENTENCE)
    assert files_holding(before, TITLE)
    found = removals.work / folder
    for removed in (NAME, "Antonopoulos", TITLE, SENTENCE):
        assert files_holding(found, removed) == [], removed


def test_a_cached_deploy_writes_what_a_clean_build_writes(removals):
    assert digest(removals.work / "cached") == digest(removals.work / "clean")


@pytest.mark.parametrize("language", ["", "es/", "fr/"])
def test_the_withdrawn_address_keeps_a_notice_in_every_language(removals, language):
    site = removals.work / "clean"
    page = soup(site / language / NOTICE)
    heading = {
        "": "A withdrawn document",
        "es/": "Un documento retirado",
        "fr/": "Un document retiré",
    }
    assert page.h1.get_text(strip=True) == heading[language]
    notice = page.select_one(".withdrawal__notice").get_text(" ", strip=True)
    reason = {
        "": "for the safety of a person named in it",
        "es/": "por la seguridad de una persona mencionada en él",
        "fr/": "pour la sécurité d’une personne qui y est nommée",
    }
    assert reason[language] in notice
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    log = page.select_one(f'a[href$="{"../" * 3}corrections.html"]')
    assert log is not None
    entries = soup(site / language / "corrections.html").select(".corrections-log__entry")
    kinds = [entry["class"][-1] for entry in entries]
    assert "corrections-log__entry--withdrawal" in kinds
    assert "corrections-log__entry--removal" in kinds


def test_no_other_page_lists_or_links_the_withdrawn_document(removals):
    site = removals.work / "clean"
    target = (site / NOTICE).resolve()
    linking = set()
    for path in site.rglob("*.html"):
        for link in soup(path).select("a[href]"):
            href = link["href"].split("#")[0].split("?")[0]
            if href and "://" not in href and (path.parent / href).resolve() == target:
                linking.add(path.relative_to(site).as_posix())
    allowed = {
        f"{lang}{page}" for lang in ("", "es/", "fr/") for page in (NOTICE, "corrections.html")
    }
    assert linking and linking <= allowed, linking - allowed
    assert broken_links(site) == []


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_search_finds_nothing_removed_served_or_from_disk(removals, browser, serve, mode):
    site = removals.work / "clean"
    base = serve(site) if mode == "served" else site.as_uri() + "/"
    tab = browser.new_page()
    errors = collect_errors(tab)
    for query in (NAME, "Antonopoulos", "Admiral Essen"):
        tab.goto(base + "search.html?q=" + query.replace(" ", "+"))
        tab.wait_for_function(
            "['done', 'failed'].includes(document.querySelector('[data-search]').dataset.state)",
            timeout=15000,
        )
        titles = tab.locator(".search__title").all_inner_texts()
        assert TITLE not in titles and all("Mezzeh" not in title for title in titles), query
    for language, heading in (
        ("", "A withdrawn document"),
        ("es/", "Un documento retirado"),
        ("fr/", "Un document retiré"),
    ):
        tab.goto(base + language + NOTICE)
        assert tab.inner_text("h1") == heading
    tab.goto(base + REDACTED_PAGE)
    assert NAME not in tab.inner_text("body") and "[name withheld]" in tab.inner_text("body")
    tab.close()
    assert errors == []


@pytest.mark.parametrize("page", [NOTICE, "corrections.html", "fr/corrections.html"])
def test_the_notice_and_the_corrections_log_pass_axe(removals, browser, page):
    from axe_playwright_python.sync_playwright import Axe
    from conftest import WCAG_TAGS

    tab = browser.new_page(viewport={"width": 320, "height": 800})
    errors = collect_errors(tab)
    tab.goto((removals.work / "clean" / page).as_uri())
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320  # reflow
    assert errors == []
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    tab.close()
    assert results.violations_count == 0, results.generate_report()


# --- What `archive check` refuses: a withdrawal or a removal that leaves something --------

REGISTRIES = load_registries(FIXTURES)
PUBLISHED = (
    "---\n{title}published: 2020-01-01\ncollection: test\nsource:\n  publisher: P\n"
    "  date: 2019-05-01\n{extra}---\n{text}"
)
WITHDRAWAL = "withdrawn:\n  date: 2020-02-01\n  reason: {reason}\n  title: {title}\n"


def problems(text: str) -> list[str]:
    try:
        parse_document("doc.md", text.encode(), REGISTRIES, {"rights": "fair-use-us"})
    except ArchiveError as err:
        return [str(problem) for problem in err.problems]
    return []


@pytest.mark.parametrize(
    ("title", "extra", "text", "expected"),
    [
        ("title: T\n", WITHDRAWAL.format(reason="safety", title="shown"), "", []),
        ("", WITHDRAWAL.format(reason="legal", title="withheld"), "", []),
        (
            "title: T\n",
            WITHDRAWAL.format(reason="safety", title="withheld"),
            "",
            ["doc.md:2: the title is withheld ('withdrawn.title: withheld') but still written"],
        ),
        (
            "title: T\n",
            WITHDRAWAL.format(reason="safety", title="shown"),
            "\nThe text, left behind.\n",
            ["doc.md:14: a withdrawn document keeps no text"],
        ),
        (
            "title: T\n",
            "summary: S\n" + WITHDRAWAL.format(reason="safety", title="shown"),
            "",
            ["doc.md:8: a withdrawn document keeps no 'summary': it would still be published"],
        ),
        (
            "title: T\n",
            "capture:\n  file: captures/a.txt\n  sha256: "
            + "0" * 64
            + "\n"
            + WITHDRAWAL.format(reason="safety", title="shown"),
            "",
            ["doc.md:8: a withdrawn document keeps no 'capture'", "and the file captures/a.txt"],
        ),
        (
            "title: T\n",
            "status: draft\n" + WITHDRAWAL.format(reason="safety", title="shown"),
            "",
            ["doc.md:9: a draft was never published, so it cannot be withdrawn"],
        ),
        (
            "title: T\n",
            WITHDRAWAL.format(reason="safty", title="shown"),
            "",
            [
                "doc.md:10: 'safty' is not a reason the archive gives for a removal. Fix: did you "
                "mean 'safety'?"
            ],
        ),
        (
            "title: T\n",
            WITHDRAWAL.format(reason="safety", title="hidden"),
            "",
            ["doc.md:11: 'withdrawn.title' must be shown or withheld, not 'hidden'"],
        ),
    ],
    ids=[
        "title shown",
        "title withheld",
        "withheld title written",
        "text left",
        "summary left",
        "capture left",
        "a draft",
        "reason misspelt",
        "title choice unknown",
    ],
)
def test_a_withdrawn_document_keeps_nothing_that_was_published(title, extra, text, expected):
    found = problems(PUBLISHED.format(title=title, extra=extra, text=text))
    if not expected:
        assert found == []
    for part in expected:
        assert any(part in problem for problem in found), found


def test_a_removal_is_a_correction_saying_why_and_never_needs_to_say_what():
    removal = "corrections:\n  - date: 2020-03-01\n    removed: {reason}\n"
    assert (
        problems(
            PUBLISHED.format(
                title="title: T\n", extra=removal.format(reason="rights"), text="\nText.\n"
            )
        )
        == []
    )
    [wrong] = problems(
        PUBLISHED.format(title="title: T\n", extra=removal.format(reason="other"), text="\nT.\n")
    )
    assert wrong.startswith("doc.md:10: 'other' is not a reason the archive gives for a removal")
    bare = "corrections:\n  - date: 2020-03-01\n"
    [missing] = problems(PUBLISHED.format(title="title: T\n", extra=bare, text="\nText.\n"))
    assert missing.startswith("doc.md:9: 'corrections' item 1 has no 'note'")


def test_a_redaction_of_the_capture_must_have_changed_it():
    capture = (
        "capture:\n  file: captures/a.txt\n  sha256: {now}\n  redacted:\n"
        "    - date: 2020-03-01\n      sha256: {before}\n"
    )
    same, other = "a" * 64, "b" * 64
    extra = capture.format(now=same, before=other)
    assert problems(PUBLISHED.format(title="title: T\n", extra=extra, text="\nT.\n")) == []
    extra = capture.format(now=same, before=same)
    [found] = problems(PUBLISHED.format(title="title: T\n", extra=extra, text="\nT.\n"))
    assert found.startswith("doc.md:11: the capture's redaction records the checksum of the copy")


def test_the_commands_refuse_what_they_cannot_do_in_one_line(archive):
    path = archive.content / "articles" / "a.md"
    path.write_text(
        PUBLISHED.format(title="title: T\n", extra="", text="\nWords.\n").replace(
            "collection: test", "collection: syria-war"
        ),
        encoding="utf-8",
    )
    missing = archive("redact", str(path), "Nobody Here")
    assert missing.exit_code == 1
    assert "the passage 'Nobody Here' is not in this document or its capture" in missing.output
    assert archive("withdraw", str(path), "--reason", "error", "--title", "shown").exit_code == 0
    again = archive("withdraw", str(path), "--reason", "error")
    assert again.exit_code == 1 and "this document is already withdrawn" in again.output
    bad = archive("withdraw", str(path), "--reason", "because")
    assert bad.exit_code == 2 and "'because' is not one of" in bad.output


def test_the_guide_rewrites_the_history_as_written(tmp_path):
    """CONTRIBUTING's commands for what git keeps, run as written on a repository of the
    archive: no commit holds the removed byline or the withdrawn text afterwards."""
    import subprocess

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- history -->\n```sh\n(.*?)```\n<!-- /history -->", guide, re.S)
    assert len(blocks) == 2
    repo, env = editors_clone(tmp_path)

    def run(command: str) -> str:
        done = subprocess.run(
            command, shell=True, cwd=repo, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        return done.stdout

    for setup in ("git init -q -b main", "git add -A", "git commit -qm archive"):
        run(setup)
    assert NAME in run("git log --all -p") and SENTENCE in run("git log --all -p")
    for line in "".join(blocks).splitlines():
        run(line)
    history = run("git log --all -p")
    assert NAME not in history and "Antonopoulos" not in history
    assert SENTENCE not in history and TITLE not in history
    assert "reason: safety" in run(f"git show HEAD:content/{WITHDRAWN}")
    assert run("git status --porcelain") == ""
    run(".venv/bin/archive check")


def test_withdrawing_one_version_of_a_report_names_the_others(archive):
    folder = archive.content / "articles"
    for language, name in (("en", "truce.md"), ("es", "tregua.md")):
        text = PUBLISHED.format(
            title=f"title: Truce {language}\n",
            extra=f"language: {language}\ntranslation: truce-2019\n",
            text="\nWords.\n",
        )
        (folder / name).write_text(text.replace("collection: test", "collection: syria-war"))
    done = archive("withdraw", str(folder / "truce.md"), "--reason", "request")
    assert done.exit_code == 0, done.output
    assert (
        "Warning: its versions in other languages are still published: articles/tregua.md. "
        "Fix: withdraw them too" in done.output
    )
    assert archive("check").exit_code == 0


def test_the_redacted_page_says_its_capture_was_changed_and_keeps_the_checksum_before(removals):
    page = soup(removals.work / "clean" / REDACTED_PAGE)
    facts = page.select_one(".provenance__facts").get_text(" ", strip=True)
    assert "a name or passage was removed from this copy" in facts
    assert f"the copy before it had SHA-256 {removals.original_capture}" in facts
    history = page.select_one(".history").get_text(" ", strip=True)
    assert "A name or passage was removed for the safety of a person named in it." in history
    assert NAME not in page.get_text()


def test_every_reason_is_worded_for_readers_in_every_language(archive, tmp_path):
    """Each reason editors may give (REMOVAL_REASONS) has its own sentence in the catalogs,
    for a withdrawal's notice and for a removal in a document's corrections."""
    from archive.model.documents import REMOVAL_REASONS

    folder = archive.content / "articles"
    for reason in REMOVAL_REASONS:
        removal = f"corrections:\n  - date: 2020-03-01\n    removed: {reason}\n"
        for kind, extra, text in (("withdrawn", "", "\nWords.\n"), ("redacted", removal, "\nW.\n")):
            document = PUBLISHED.format(title=f"title: {kind} {reason}\n", extra=extra, text=text)
            path = folder / f"{kind}-{reason}.md"
            path.write_text(document.replace("collection: test", "collection: syria-war"))
        withdrawn = archive("withdraw", str(folder / f"withdrawn-{reason}.md"), "--reason", reason)
        assert withdrawn.exit_code == 0, withdrawn.output
    site = build(archive.content, tmp_path / "output")
    for language in ("", "es/", "fr/"):
        notices, removals = set(), set()
        for reason in REMOVAL_REASONS:
            pages = site / language / "documents" / "syria-war" / "2019"
            notice = soup(pages / f"withdrawn-{reason}.html").select_one(".withdrawal__notice")
            notices.add(notice.get_text(" ", strip=True))
            history = soup(pages / f"redacted-{reason}.html").select(".history__list li")
            removals.add(history[-1].get_text(" ", strip=True).split(": ", 1)[1])
        assert len(notices) == len(removals) == len(REMOVAL_REASONS), (notices, removals)
        assert all(notice.strip() for notice in notices | removals)
