"""Renaming a document (`archive rename`): its file, its capture and every link to them move,
and its old addresses keep leading readers to it, online (Netlify's forced redirects) and
from disk (a page at each old address), in every interface language."""

from __future__ import annotations

import datetime as dt
import http.client
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from conftest import (
    ROOT,
    NetlifyHandler,
    archive_command,
    deploy_build,
    digest,
    site_settings,
    write_settings,
)
from sitecheck import broken_links, soup

from archive.model.captures import sha256_of
from archive.site.interface import interface_languages

FOLDER = "articles/syria-war/2020"
CAPTURE_TEXT = b"Russkii\n\nThe real title of the report\n\nIts text.\n"
DOCUMENT = """---
title: The real title of the report
published: 2020-03-01
collection: syria-war
source:
  publisher: Reuters
  date: 2020-02-28
capture:
  file: captures/syria-war/2020/russkii.txt
  sha256: {sha}
  url: https://example.org/report
  committed: 2020-03-01
{extra}---

Its text, which links to [the other report]({{filename}}other.md#part).
"""
OTHER = """---
title: Another report
published: 2020-03-02
collection: syria-war
summary: "Follows [the first]({filename}russkii.md)."
source:
  publisher: Reuters
---

See [the report]({filename}/articles/syria-war/2020/russkii.md#section), [again][r], and
[its capture]({static}/captures/syria-war/2020/russkii.txt); not [this one](russkii.html).

[r]: {filename}russkii.md
"""


def write_archive(archive, extra: str = "") -> Path:
    """A document named badly by an import, with its capture, and a document linking both."""
    folder = archive.content / FOLDER
    folder.mkdir(parents=True)
    capture = archive.content / "captures/syria-war/2020/russkii.txt"
    capture.parent.mkdir(parents=True)
    capture.write_bytes(CAPTURE_TEXT)
    document = folder / "russkii.md"
    document.write_text(DOCUMENT.format(sha=sha256_of(CAPTURE_TEXT), extra=extra), "utf-8")
    (folder / "other.md").write_text(OTHER, "utf-8")
    return document


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_rename_moves_the_file_its_capture_and_every_link_and_records_the_old_address(archive):
    document = write_archive(archive)
    before = document.read_text("utf-8")
    result = archive("rename", str(document), "real-title-of-the-report")
    assert result.exit_code == 0, result.output
    assert "Renamed articles/syria-war/2020/russkii.md to " in result.output
    assert "- moved its capture captures/syria-war/2020/russkii.txt to " in result.output
    assert "- updated 4 link(s) in articles/syria-war/2020/other.md" in result.output
    assert not document.exists()
    renamed = document.with_name("real-title-of-the-report.md")
    text = renamed.read_text("utf-8")
    assert text.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # the text as it was
    assert "  file: captures/syria-war/2020/real-title-of-the-report.txt\n" in text
    assert (
        "moved:\n"
        f"  - date: {dt.date.today().isoformat()}\n"
        "    address: documents/syria-war/2020/russkii.html\n"
        "    capture: captures/syria-war/2020/russkii.txt\n"
    ) in text
    capture = archive.content / "captures/syria-war/2020/real-title-of-the-report.txt"
    assert capture.read_bytes() == CAPTURE_TEXT  # the same bytes: its checksum still holds
    other = (archive.content / FOLDER / "other.md").read_text("utf-8")
    assert other == (
        OTHER.replace("{filename}russkii.md", "{filename}real-title-of-the-report.md")
        .replace("2020/russkii.md#", "2020/real-title-of-the-report.md#")
        .replace("/russkii.txt", "/real-title-of-the-report.txt")
    )
    assert "(russkii.html)" in other  # not a link to a file of the archive: left as written
    checked = archive("check")
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(
    "new_name, message",
    [
        ("Real Title", "'Real Title' cannot be a document's name"),
        ("../2019/real-title", "cannot be a document's name"),
        ("other", "articles/syria-war/2020/other.md exists"),
        ("other.md", "articles/syria-war/2020/other.md exists"),
    ],
)
def test_rename_refuses_a_name_it_cannot_give_and_changes_nothing(archive, new_name, message):
    document = write_archive(archive)
    before = files_of(archive.content)
    result = archive("rename", str(document), new_name)
    assert result.exit_code == 1 and message in result.output, result.output
    assert files_of(archive.content) == before


def test_rename_refuses_a_document_whose_address_comes_from_its_slug_line(archive):
    document = write_archive(archive, "slug: russkii\n")
    before = files_of(archive.content)
    result = archive("rename", str(document), "real-title")
    assert "its address comes from its 'slug:' line" in result.output
    assert files_of(archive.content) == before


def test_an_old_address_is_never_given_to_another_document(archive):
    """Neither by a second rename, nor by a new file: readers who kept it would land there."""
    document = write_archive(archive)
    assert archive("rename", str(document), "real-title").exit_code == 0
    other = archive.content / FOLDER / "other.md"
    refused = archive("rename", str(other), "russkii")
    assert "documents/syria-war/2020/russkii.html is already a former address of" in (
        refused.output
    )
    (archive.content / FOLDER / "russkii.md").write_text(OTHER, "utf-8")
    checked = archive("check")
    assert checked.exit_code == 1
    assert "the address of a document renamed since (articles/syria-war/2020/real-title.md)" in (
        checked.output
    )


def test_renamed_back_a_document_holds_its_old_address_again(archive):
    document = write_archive(archive)
    archive("rename", str(document), "real-title")
    result = archive("rename", str(document.with_name("real-title.md")), "russkii")
    assert result.exit_code == 0, result.output
    assert archive("check").exit_code == 0


def test_a_draft_renamed_records_no_old_address(archive):
    """A draft was never at an address a reader could keep."""
    document = write_archive(archive, "status: draft\n")
    result = archive("rename", str(document), "real-title")
    assert result.exit_code == 0, result.output
    assert "moved:" not in document.with_name("real-title.md").read_text("utf-8")
    assert "recorded its old address" not in result.output


RENAMED = "libya-war/2014/libya-army-stages-attack-to-purge-terrorists-from-benghazi"
OLD = f"documents/{RENAMED}.html"
NEW = "documents/libya-war/2014/benghazi-attack.html"
OLD_CAPTURE = f"captures/{RENAMED}.txt"
NEW_CAPTURE = "captures/libya-war/2014/benghazi-attack.txt"


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    """The shipped archive deployed, one document renamed, deployed again with the cache,
    and built clean."""
    work = tmp_path_factory.mktemp("rename")
    content = work / "checkout" / "content"
    shutil.copytree(ROOT / "content", content)
    deploy_build(work, content, work / "before", work / "cache")
    settings = ["--settings", str(write_settings(work, content, work / "before"))]
    document = content / f"articles/{RENAMED}.md"
    done = archive_command("rename", str(document), "benghazi-attack", *settings, cwd=work)
    checked = archive_command("check", *settings, cwd=work)
    deploy_build(work, content, work / "cached", work / "cache")
    deploy_build(work, content, work / "clean")
    return SimpleNamespace(work=work, content=content, done=done, checked=checked)


def test_renaming_in_the_shipped_archive_leaves_it_clean(renamed):
    assert renamed.done.returncode == 0, renamed.done.stderr
    assert renamed.checked.returncode == 0, renamed.checked.stdout + renamed.checked.stderr
    assert (renamed.content / NEW_CAPTURE).is_file()
    assert not (renamed.content / OLD_CAPTURE).exists()
    assert digest(renamed.work / "cached") == digest(renamed.work / "clean")
    assert broken_links(renamed.work / "clean") == []


def language_folders() -> list[str]:
    return [language.folder for language in interface_languages(site_settings(ROOT, ROOT))]


def status_and_location(root: str, path: str) -> tuple[int, str]:
    """The first answer of the server to `path`, redirects not followed."""
    address = urlsplit(root)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", "/" + path)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer.status, answer.getheader("Location", "")


def test_old_addresses_lead_to_the_new_ones_when_served_as_netlify_serves(renamed, serve):
    site = renamed.work / "clean"
    root = serve(site, NetlifyHandler)
    for folder in language_folders():
        prefix = f"{folder}/" if folder else ""
        assert status_and_location(root, prefix + OLD) == (301, f"/{prefix}{NEW}"), folder
        assert status_and_location(root, prefix + NEW) == (200, ""), folder
    assert status_and_location(root, OLD_CAPTURE) == (301, "/" + NEW_CAPTURE)
    assert status_and_location(root, NEW_CAPTURE) == (200, "")


def test_old_addresses_lead_to_the_new_ones_from_disk(renamed, browser):
    site = renamed.work / "clean"
    page = browser.new_page()
    try:
        for folder in language_folders():
            prefix = f"{folder}/" if folder else ""
            page.goto((site / prefix / OLD).as_uri())
            page.wait_for_url((site / prefix / NEW).as_uri(), timeout=10_000)
            title = soup(site / prefix / NEW).h1.get_text(strip=True)
            assert page.locator("h1").first.inner_text().strip() == title, folder
            stub = soup(site / prefix / OLD)
            assert stub.html["lang"] == (folder or "en")
            assert stub.select_one('meta[name="robots"]')["content"] == "noindex"
    finally:
        page.close()
    notice = (site / OLD_CAPTURE).read_text("utf-8")
    assert "benghazi-attack.txt" in notice and len(notice.splitlines()) == len(language_folders())
    assert (site / OLD_CAPTURE).with_name("benghazi-attack.txt").is_file()
