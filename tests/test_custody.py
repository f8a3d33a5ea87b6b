"""The chain of custody: the original, the intermediary, the capture and this archive.

Each link is recorded in the front matter (archive/model/documents.py), filled by the importer
from the page and, for documents imported before, completed from git once
(archive/editors/custody.py), and told everywhere a document is: its page, its JSON-LD, its
feeds and the open data.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from conftest import (
    FIXTURES,
    PREVIEW,
    ROOT,
    SEED_ARTICLE,
    build,
    fixture_content,
    needs,
    site_settings,
)
from sitecheck import soup

from archive.model.documents import parse_document
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEED_SHA256 = "b0714f44a95aead7deb5b19d52318e6648fd489a93058a28cd7c4ed1c6b847f3"
NIZKOR_NOTICE = "This document has been published on 12Jun17 by the Equipo Nizkor"
JING = Path("/usr/share/java/jing.jar")


def first_commit_day() -> dt.date:
    """The day of the repository's first commit: nothing was in this archive before it."""
    log = subprocess.run(
        ["git", "-C", str(ROOT), "log", "--reverse", "--format=%cs"],
        capture_output=True,
        text=True,
    )
    if log.returncode != 0 or not log.stdout.strip():
        pytest.skip("the tests run outside the archive's git repository")
    return dt.date.fromisoformat(log.stdout.split()[0])


def shipped_documents() -> dict[str, dict]:
    """Every shipped document's front matter, by its page's address."""
    documents = {}
    for path in sorted((ROOT / "content/articles").rglob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        relative = path.relative_to(ROOT / "content/articles").with_suffix(".html")
        documents[f"documents/{relative.as_posix()}"] = front
    return documents


def facts(page) -> dict[str, str]:
    """The "Source and rights" list of a document page: term -> its text."""
    terms = page.select(".provenance__facts dt")
    return {dt_.get_text(strip=True): text_of(dt_.find_next_sibling("dd")) for dt_ in terms}


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split()).replace(" ,", ",").replace(" .", ".")


# --- The page ----------------------------------------------------------------------------


def test_the_seed_page_tells_its_whole_chain_and_what_is_not_known(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    line = text_of(page.select_one(".custody"))
    assert line == (
        "Itar Tass, Moscow, 9 June 2017 · republished by Equipo Nizkor, 12 June 2017 · "
        "capture date not recorded · in this archive since 25 November 2026"
    )
    told = facts(page)
    assert told["Source"] == "Itar Tass"
    assert told["Republished by"] == "Equipo Nizkor, 12 June 2017"
    assert told["Its copy"] == "Address not recorded."  # the seed's intermediary address
    assert told["In this archive since"] == "25 November 2026"
    captured = told["Captured page"]
    assert "the address it was captured from was not recorded" in captured
    assert (
        "Capture date not recorded; the capture has been in the archive's repository since "
        "25 November 2026 (from its history)." in captured
    )
    assert SEED_SHA256 in captured
    # The capture it links to is the page as received, byte for byte.
    link = page.select_one(".provenance__facts a[type='text/plain']")["href"]
    capture = (shipped_site / SEED_ARTICLE).parent.joinpath(link).resolve()
    assert capture.read_bytes() == (FIXTURES / "seeds/000_874ab42d718d5189.txt").read_bytes()
    # The fair-use claim rests on the intermediary's own notice, quoted word for word.
    basis = page.select_one(".provenance__via-rights")
    assert text_of(basis).startswith(NIZKOR_NOTICE)
    assert "Title 17 U.S.C. Section 107" in text_of(basis)
    # Its original and intermediary link where they have an address: TASS's homepage.
    assert page.select_one(".provenance__facts dd a[href='https://tass.com/']").get_text() == (
        "Itar Tass"
    )


def test_the_intermediary_is_named_in_the_readers_language_and_its_notice_in_its_own(
    shipped_site,
):
    page = soup(shipped_site / "es" / SEED_ARTICLE)
    line = text_of(page.select_one(".custody"))
    assert "republicado por Equipo Nizkor, 12 de junio de 2017" in line, line
    assert "en este archivo desde el 25 de noviembre de 2026" in line, line
    # The notice is English on a Spanish page: it says so, for screen readers.
    assert page.select_one(".provenance__via-rights")["lang"] == "en"


def test_a_capture_with_a_recorded_date_and_address_says_both(tmp_path):
    content = fixture_content("minimal", tmp_path)
    document = content / "articles/test/2020/first-report.md"
    page_text = b"The page as captured.\n"
    (content / "captures").mkdir()
    (content / "captures/page.txt").write_bytes(page_text)
    text = document.read_text(encoding="utf-8")
    sha = __import__("hashlib").sha256(page_text).hexdigest()
    text = text.replace(
        "\n---\n",
        "\nvia:\n  publisher: Equipo Nizkor\n  url: https://www.derechos.org/nizkor/x.html\n"
        "  date: 2020-03-01\ncapture:\n  file: captures/page.txt\n"
        f"  sha256: {sha}\n  url: https://www.derechos.org/nizkor/x.html\n"
        "  captured: 2020-03-02T09:30:00Z\n---\n",
        1,
    )
    document.write_text(text, encoding="utf-8")
    output = build(content, tmp_path / "output")
    page = soup(output / "documents/test/2020/first-report.html")
    line = text_of(page.select_one(".custody"))
    assert "republished by Equipo Nizkor, 1 March 2020 · captured 2 March 2020" in line
    assert page.select_one(".custody a[href='https://www.derechos.org/nizkor/x.html']")
    told = facts(page)
    assert told["Its copy"] == "https://www.derechos.org/nizkor/x.html"
    assert "Captured 2 March 2020." in told["Captured page"]
    data = json.loads(page.find("script", type="application/ld+json").string)
    captured = data["isBasedOn"]["isBasedOn"]["archivedAt"]
    assert captured["dateCreated"] == "2020-03-02T09:30:00+00:00"
    assert captured["isBasedOn"] == "https://www.derechos.org/nizkor/x.html"


def test_every_document_that_came_through_an_intermediary_names_it_everywhere(shipped_site):
    """On its page, in its citations and in the open data, in every interface language."""
    documents = shipped_documents()
    rows = {
        row["url"]: row
        for row in csv.DictReader(
            (shipped_site / "documents.csv").read_text(encoding="utf-8").splitlines()
        )
    }
    through = {url: front for url, front in documents.items() if front.get("via")}
    assert len(through) == len(documents) == 46  # every shipped document came through Nizkor
    missing = []
    for url, front in through.items():
        name = front["via"]["publisher"]
        for folder in ("", "es/", "fr/"):
            page = soup(shipped_site / f"{folder}{url}")
            if name not in text_of(page.select_one(".custody")):
                missing.append((folder + url, "custody line"))
            if name not in text_of(page.select_one(".provenance")):
                missing.append((folder + url, "source and rights"))
            record = json.loads(page.find("script", type="application/ld+json").string)
            if record["isBasedOn"]["publisher"]["name"] != name:
                missing.append((folder + url, "JSON-LD"))
            # Its citations: the CSL-JSON record offered for download, and the BibTeX entry
            # (no official style prints an intermediary in a formatted entry).
            download = page.select_one(".cite__record a")["href"].split(",", 1)[1]
            (citation,) = json.loads(base64.b64decode(download))
            if citation["source"] != name or f"republished by {name}" not in citation["note"]:
                missing.append((folder + url, "CSL-JSON"))
            if f"republished by {name}" not in page.select_one(".cite__bibtex").get_text():
                missing.append((folder + url, "BibTeX"))
        if rows[url]["via"] != name or rows[url]["via_date"] != str(front["via"]["date"]):
            missing.append((url, "documents.csv"))
    assert missing == []


def test_no_page_says_the_archive_published_anything_before_it_existed(shipped_site):
    first = first_commit_day()
    early = []
    for url in shipped_documents():
        page = soup(shipped_site / url)
        told = page.select_one(".provenance__facts dt:-soup-contains('In this archive since')")
        since = dt.date.fromisoformat(told.find_next_sibling("dd").time["datetime"])
        record = json.loads(page.find("script", type="application/ld+json").string)
        online = page.find("meta", attrs={"name": "citation_online_date"})["content"]
        for date in (since, dt.date.fromisoformat(record["datePublished"]), online):
            if str(date).replace("/", "-") < first.isoformat():
                early.append((url, date))
    assert early == []


# --- What the model accepts ------------------------------------------------------------------

DOCUMENT = """---
title: A report
published: {published}
collection: test
source:
  publisher: Example Wire
  date: 2020-03-01
via:
  publisher: {via}
  date: {via_date}
capture:
  file: captures/x.txt
  sha256: {sha}
  {captured}
---
Text.
"""


def parse(**fields):
    values = {
        "published": "2020-03-10",
        "via": "Equipo Nizkor",
        "via_date": "2020-03-02",
        "sha": "0" * 64,
        "captured": "captured: 2020-03-05T10:00:00Z",
        **fields,
    }
    return parse_document(
        "articles/a.md",
        DOCUMENT.format(**values).encode(),
        load_registries(FIXTURES),
        {"rights": "fair-use-us"},
    )[0]


def problems(**fields) -> list[str]:
    with pytest.raises(ArchiveError) as caught:
        parse(**fields)
    return [str(problem) for problem in caught.value.problems]


def test_a_complete_chain_is_read_with_its_capture_time_in_utc():
    document = parse(captured="captured: 2020-03-05T12:00:00+02:00")
    assert document.via.publisher.slug == "equipo-nizkor"
    assert document.via.date == dt.date(2020, 3, 2)
    assert document.capture.captured == dt.datetime(2020, 3, 5, 10, tzinfo=dt.UTC)
    assert document.source.registered.slug == "example-wire"


@pytest.mark.parametrize(
    ("fields", "line", "what"),
    [
        ({"published": "2020-02-20"}, 3, "before the original was published ('source.date'"),
        ({"published": "2020-03-01"}, 3, "before the intermediary published its copy"),
        ({"published": "2020-03-04"}, 3, "before the page was captured ('capture.captured'"),
    ],
)
def test_check_refuses_an_archive_date_before_any_date_of_the_chain(fields, line, what):
    found = problems(**fields)
    assert len(found) == 1 or all(f.startswith(f"articles/a.md:{line}:") for f in found)
    assert found[0].startswith(f"articles/a.md:{line}: 'published' is "), found
    assert what in found[0]
    assert "never copy the source's or the intermediary's date" in found[0]


def test_an_intermediary_before_the_original_or_unknown_to_the_registry_is_refused():
    assert problems(via_date="2020-02-01") == [
        "articles/a.md:10: 'via.date' is 2020-02-01, before the original was published "
        "('source.date': 2020-03-01). Fix: check both dates against the pages: an "
        "intermediary republishes after the original."
    ]
    (found,) = problems(via="Equipo Niskor")
    assert found.startswith("articles/a.md:9: unknown publisher 'Equipo Niskor' in 'via'")
    assert "did you mean 'Equipo Nizkor'?" in found
    assert "archive add publisher" in found


def test_a_capture_time_needs_its_zone_and_committed_is_only_for_an_unrecorded_date():
    (found,) = problems(captured="captured: 2020-03-05 10:00:00")
    assert "'capture.captured' has a time but no time zone" in found
    (found,) = problems(captured="captured: 2020-03-05\n  committed: 2020-03-06")
    assert "'capture.committed' is only for a capture whose date was not recorded" in found


def test_a_published_document_needs_its_archive_date_and_a_draft_does_not():
    text = DOCUMENT.replace("published: {published}\n", "")
    registries, defaults = load_registries(FIXTURES), {"rights": "fair-use-us"}
    values = {"via": "Equipo Nizkor", "via_date": "2020-03-02", "sha": "0" * 64, "captured": ""}
    with pytest.raises(ArchiveError) as caught:
        parse_document("articles/a.md", text.format(**values).encode(), registries, defaults)
    today = dt.date.today().isoformat()
    assert str(caught.value.problems[0]) == (
        "articles/a.md:2: 'published' is missing: the day this archive publishes the "
        f"document. Fix: add a line 'published: {today}' (today, if you publish it now)."
    )
    draft = text.replace("title: A report", "title: A report\nstatus: draft")
    document, _ = parse_document(
        "articles/a.md", draft.format(**values).encode(), registries, defaults
    )
    assert document.published is None and document.date == dt.date(2020, 3, 1)


def test_a_publisher_the_registry_lacks_is_kept_as_printed_and_reported(tmp_path):
    from archive.site.build import build_warnings
    from archive.site.rendering import ArchiveBuild

    content = fixture_content("minimal", tmp_path)
    document = content / "articles/test/2020/first-report.md"
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("Example Wire", "Agence Inconnue", 1), encoding="utf-8")
    built = ArchiveBuild(site_settings(content, tmp_path / "output"))
    built.run()
    page = soup(tmp_path / "output/documents/test/2020/first-report.html")
    assert facts(page)["Source"] == "Agence Inconnue"
    source = page.select_one(".provenance__facts dt").find_next_sibling("dd")
    assert source.get_text() == "Agence Inconnue" and not source.select("a")
    assert (  # a warning: said, and the build goes on
        "articles/test/2020/first-report.md:6: warning: unknown publisher 'Agence Inconnue', "
        "shown unlinked (not a name or alias in registry/publishers.yml)"
    ) in [str(problem).split(". Fix:")[0] for problem in build_warnings(built.generators)]


# --- The importer --------------------------------------------------------------------------


def test_the_importer_records_the_intermediary_and_never_an_archive_date(sandbox):
    sandbox.allow("content/articles", "content/captures")
    seed = FIXTURES / "seeds/000_874ab42d718d5189.txt"
    result = sandbox.run("import", str(seed))
    assert result.returncode == 0, result.stderr
    (draft,) = (sandbox.content / "articles").rglob("us-led-coalition*.md")
    front = yaml.safe_load(draft.read_text(encoding="utf-8").split("---")[1])
    assert "published" not in front  # the day it is published, never a date from the page
    assert front["via"] == {
        "publisher": "Equipo Nizkor",
        "date": dt.date(2017, 6, 12),
        "rights": front["via"]["rights"],
        "rights_language": "en",
    }
    assert front["via"]["rights"].startswith(NIZKOR_NOTICE)
    assert front["via"]["rights"].endswith("for research and educational purposes.")
    assert "captured" not in front["capture"]  # not given: not recorded, never invented
    assert "Capture date unknown for 1 page(s): none recorded" in result.stdout
    text = draft.read_text(encoding="utf-8")
    assert "# To publish: replace 'status: draft' by 'published: YYYY-MM-DD'" in text
    # Published without its date, it is refused with the fix.
    draft.write_text(text.replace("status: draft\n", ""), encoding="utf-8")
    check = sandbox.run("check", str(draft))
    assert check.returncode == 1
    assert "'published' is missing: the day this archive publishes the document" in (
        check.stdout + check.stderr
    )


def test_reimporting_completes_the_custody_of_an_old_import_from_git(tmp_path):
    """An import of the old model (the intermediary's date as the archive's) is brought up
    to date: the intermediary from the page, the dates from the repository's history."""
    from conftest import Sandbox

    box = Sandbox(tmp_path, "minimal")
    shutil.rmtree(box.content / "articles")
    seed = FIXTURES / "seeds/000_874ab42d718d5189.txt"
    sha = __import__("hashlib").sha256(seed.read_bytes()).hexdigest()
    folder = box.content / "articles/test/2017"
    folder.mkdir(parents=True)
    old = folder / "report.md"
    old.write_text(
        "---\ntitle: A report\npublished: 2017-06-12\ncollection: test\nsource:\n"
        "  publisher: Itar Tass\n  place: Moscow\n  date: 2017-06-09\ncapture:\n"
        f"  file: captures/report.txt\n  sha256: {sha}\n  # kept as an editor wrote it\n"
        "rights: fair-use-us\n---\n\nText.\n",
        encoding="utf-8",
    )
    (box.content / "captures").mkdir()
    shutil.copy(seed, box.content / "captures/report.txt")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-01-02T10:00:00Z",
        "GIT_COMMITTER_DATE": "2026-01-02T10:00:00Z",
    }
    for command in (
        ["init", "-q", "-b", "main"],
        ["-c", "user.name=T", "-c", "user.email=t@example.org", "add", "."],
        ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "old"],
    ):
        subprocess.run(["git", *command], cwd=box.archive, env=env, check=True)
    box.allow("content/articles", ".git")
    result = box.run("import", str(seed))
    assert result.returncode == 0, result.stderr
    assert (
        "added its intermediary, date in this archive (from git), capture's date in the "
        "repository (from git)" in result.stdout
    )
    text = old.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["published"] == dt.date(2026, 1, 2)
    assert front["via"]["publisher"] == "Equipo Nizkor"
    assert front["capture"]["committed"] == dt.date(2026, 1, 2)
    assert "# kept as an editor wrote it" in text  # the editor's comment stays
    # Run again: nothing is missing any more, nothing is written.
    again = box.run("import", str(seed))
    assert "nothing written" in again.stdout
    assert old.read_text(encoding="utf-8") == text


# --- The publishers registry ---------------------------------------------------------------


def test_publishers_have_the_registries_editing_commands(sandbox):
    sandbox.allow("content/registry")
    added = sandbox.run(
        "add",
        "publisher",
        "Agencia Siria",
        "--type",
        "news agency",
        "--alias",
        "AgSir",
        "--homepage",
        "https://agencia.example.com/",
    )
    assert added.returncode == 0, added.stderr
    assert "Added publisher 'Agencia Siria' as 'agencia-siria'" in added.stdout
    registry = yaml.safe_load((sandbox.content / "registry/publishers.yml").read_text("utf-8"))
    assert registry["agencia-siria"]["homepage"] == "https://agencia.example.com/"
    refused = sandbox.run(
        "add", "publisher", "Otra", "--type", "news agency", "--homepage", "javascript:x"
    )
    assert refused.returncode == 1
    assert "--homepage 'javascript:x' is not a web address" in refused.stdout + refused.stderr
    taken = sandbox.run("add", "publisher", "Agencia Nueva", "--alias", "agsir", "--type", "other")
    assert "'agsir' already names the publisher 'agencia-siria'" in taken.stdout + taken.stderr


def test_the_publishers_registry_is_checked_like_the_others(tmp_path):
    registry = tmp_path / "registry"
    shutil.copytree(FIXTURES / "registry", registry)
    (registry / "publishers.yml").write_text(
        "a:\n  name: Wire\n  type: news agency\n  homepage: ftp://x\n"
        "b:\n  name: Other\n  type: radio\n  aliases:\n    - wire\n",
        encoding="utf-8",
    )
    with pytest.raises(ArchiveError) as caught:
        load_registries(tmp_path)
    found = [str(problem) for problem in caught.value.problems]
    assert any(
        "registry/publishers.yml:4: 'homepage' of entry 'a' is not a web" in f for f in found
    )
    assert any("registry/publishers.yml:7: entry 'b' has type 'radio'" in f for f in found)
    assert any("'wire' of entry 'b' is already claimed by entry 'a'" in f for f in found)


# --- Feeds and open data -------------------------------------------------------------------


def test_the_feeds_are_valid_atom_in_every_language(published_site):
    """RFC 4287's RELAX NG grammar (jing), and what the grammar cannot say: an author for
    every entry, one id per feed, the language of the feed and of each entry."""
    needs(JING.exists() and shutil.which("java") is not None, "jing (Debian libjing-java)")
    feeds = sorted(published_site.rglob("*.atom.xml"))
    counts = Counter(path.relative_to(published_site).parts[0] for path in feeds)
    assert counts["es"] == counts["fr"] == counts["feeds"] > 100, counts
    checked = subprocess.run(
        ["java", "-jar", str(JING), "-c", str(ROOT / "tests/schemas/atom.rnc"), *map(str, feeds)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout[-3000:]
    ids = Counter()
    for path in feeds:
        feed = ElementTree.parse(path).getroot()
        relative = path.relative_to(published_site).as_posix()
        language = relative.split("/")[0] if relative.startswith(("es/", "fr/")) else "en"
        assert feed.get(XML_LANG) == language, relative
        assert feed.find(f"{ATOM}id").text == f"{PREVIEW}/{relative}"
        assert feed.find(f"{ATOM}rights").text.startswith("In accordance with Title 17")
        ids[feed.find(f"{ATOM}id").text] += 1
        for entry in feed.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}author/{ATOM}name").text.strip(), relative
            assert entry.find(f"{ATOM}rights").text
            via = entry.find(f"{ATOM}link[@rel='via']")  # the seed's intermediary has none
            assert via is None or via.get("href").startswith("http"), relative
            assert entry.get(XML_LANG, language) in ("en", "es", "fr")
    assert max(ids.values()) == 1


def test_the_spanish_feeds_speak_spanish_and_lead_to_the_spanish_pages(published_site):
    feed = ElementTree.parse(published_site / "es/feeds/syria-war.atom.xml").getroot()
    assert feed.find(f"{ATOM}title").text == "Documentary Archive: Guerra en Siria"
    for entry in feed.findall(f"{ATOM}entry"):
        href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert href.startswith(f"{PREVIEW}/es/documents/"), href
        assert (published_site / href.removeprefix(PREVIEW + "/")).is_file()
    collection = soup(published_site / "es/collections/syria-war.html")
    assert collection.select_one(".feed-link a")["href"] == f"{PREVIEW}/es/feeds/syria-war.atom.xml"


def test_the_open_data_carry_the_chain_and_the_package_validates(shipped_site):
    frictionless = pytest.importorskip("frictionless")
    package = json.loads((shipped_site / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC0-1.0"
    report = frictionless.validate(str(shipped_site / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    for resource in package["resources"]:  # frictionless does not read JSON resources
        if resource["format"] in ("json", "geojson"):
            json.loads((shipped_site / resource["path"]).read_text(encoding="utf-8"))
    rows = list(csv.DictReader((shipped_site / "documents.csv").open(encoding="utf-8")))
    seed = next(row for row in rows if row["url"] == SEED_ARTICLE)
    assert {key: seed[key] for key in ("publisher", "publisher_key", "via", "via_key")} == {
        "publisher": "Itar Tass",
        "publisher_key": "tass",
        "via": "Equipo Nizkor",
        "via_key": "equipo-nizkor",
    }
    assert seed["via_date"] == "2017-06-12" and seed["via_url"] == ""
    assert seed["published"] == "2026-11-25"
    assert seed["capture_sha256"] == SEED_SHA256
    assert seed["captured"] == "" and seed["capture_committed"] == "2026-11-25"
    assert all(row["via"] and row["capture_sha256"] for row in rows)
    publishers = json.loads((shipped_site / "publishers.json").read_text(encoding="utf-8"))
    tass = next(entry for entry in publishers if entry["key"] == "tass")
    assert {"Itar Tass", "Tass"} <= set(tass["aliases"])
    # The two spellings the sources print are one publisher for links and filters.
    assert {row["publisher_key"] for row in rows if row["publisher"] in ("Itar Tass", "Tass")} == {
        "tass"
    }
