"""Handing the archive over: `archive bundle` writes the site as one zipped BagIt bag.

The shipped archive is bundled once; the bag must validate with the bagit library, work
opened from disk (links and search), and its verification must name every file changed,
removed or added since.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import bagit
import pytest
from conftest import ROOT, SEED_ARTICLE, collect_errors
from sitecheck import broken_links


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The shipped archive bundled as `make bundle` does, into a zip of the tests' own."""
    target = tmp_path_factory.mktemp("bundle") / "handover.zip"
    done = subprocess.run(
        [sys.executable, "-m", "archive", "bundle", "--output", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert f"Wrote {target}" in done.stdout
    return target


def unzipped(bundle: Path, into: Path) -> Path:
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(into)
    [folder] = into.iterdir()
    return folder


def verify(bundle: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archive", "bundle", "--verify", str(bundle)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_bundle_is_a_bag_the_bagit_library_validates(bundle, tmp_path):
    folder = unzipped(bundle, tmp_path)
    assert folder.name == "handover"
    bag = bagit.Bag(str(folder))
    assert bag.validate()
    assert bag.algorithms == ["sha256"]
    assert (folder / "data" / "index.html").is_file()
    assert (folder / "data" / "captures").is_dir()
    documents = json.loads((folder / "data" / "documents.json").read_text(encoding="utf-8"))
    assert bag.info["Document-Count"] == str(len(documents)) == "46"
    assert bag.info["Source-Organization"] == "Documentary Archive"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True)
    if head.returncode == 0:
        assert bag.info["External-Identifier"].startswith(head.stdout.decode().strip())
    assert bag.info["Interface-Languages"] == "en, es, fr"
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "open data/index.html" in readme and "archive bundle --verify" in readme
    assert "README.txt" in (folder / "tagmanifest-sha256.txt").read_text(encoding="utf-8")
    whole = verify(bundle)
    assert whole.returncode == 0 and "whole" in whole.stdout


def test_verification_names_each_file_changed_removed_or_added(bundle, tmp_path):
    folder = unzipped(bundle, tmp_path / "unzipped")
    page = folder / "data" / SEED_ARTICLE
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 1  # one byte
    page.write_bytes(bytes(data))
    (folder / "data" / "about.html").unlink()
    (folder / "data" / "planted.html").write_text("<p>not in the archive</p>", encoding="utf-8")
    damaged = tmp_path / "damaged.zip"
    shutil.make_archive(str(damaged.with_suffix("")), "zip", tmp_path / "unzipped")
    found = verify(damaged)
    assert found.returncode == 1
    assert found.stderr.splitlines() == [
        "damaged.zip: data/about.html: missing: the bundle listed it",
        f"damaged.zip: data/{SEED_ARTICLE}: changed since the bundle was made (its SHA-256 "
        "differs)",
        "damaged.zip: data/planted.html: added since the bundle was made",
        "3 file(s) differ from the bundle as made.",
    ]


def test_a_zip_whose_names_leave_its_folder_is_refused(tmp_path):
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("bag/../../escaped.txt", "x")
    found = verify(hostile)
    assert found.returncode == 1
    assert "the zip holds a name outside its folder" in found.stderr
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_the_unzipped_bag_works_from_disk_search_included(bundle, tmp_path, browser):
    site = unzipped(bundle, tmp_path) / "data"
    assert broken_links(site) == []
    tab = browser.new_page()
    errors = collect_errors(tab)
    tab.goto((site / "search.html").as_uri() + "?q=Surovikin")
    tab.wait_for_selector(".search__result")
    titles = tab.locator(".search__title").all_inner_texts()
    assert titles == [
        "US-led coalition colluding with IS instead of fighting terrorism – Defense Ministry"
    ]
    tab.locator(".search__title").first.click()
    tab.wait_for_load_state()
    assert tab.url.startswith((site / SEED_ARTICLE).as_uri())
    tab.close()
    assert errors == []
