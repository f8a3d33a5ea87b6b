"""A deploy build from a clean checkout reuses the cache folder of the last one (build_cache).

Each test builds the shipped archive once with a cache, then builds again from a clean
checkout (a fresh copy of the sources, at the place the first was built from, as on Netlify)
after one change an editor makes, sharing a copy of that cache: the output must be what a
clean full build of the changed sources writes, byte for byte, and the pages the change does
not touch must come from the cache rather than be rendered again.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, write_settings
from test_quality import digest

DOCUMENT = "articles/syria-war/2017/us-led-coalition-colluding-with-is.md"
PAGE = "documents/syria-war/2017/us-led-coalition-colluding-with-is.html"


def settings_file(
    folder: Path, content: Path, output: Path, cache: Path | None, theme: Path, extra: str = ""
):
    """The project's settings on this checkout, with a cache folder (or none), a theme and
    `extra` settings."""
    path = write_settings(folder, content, output)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"THEME = {str(theme)!r}\nBUILD_CACHE = {{'folder': {str(cache or '')!r}}}\n")
        handle.write(extra)
    return path


def build(
    folder: Path, content: Path, output: Path, cache=None, theme=ROOT / "theme", extra=""
) -> float:
    """`archive build` in its own process; returns when it started (for file times)."""
    settings = settings_file(folder, content, output, cache, theme, extra)
    started = time.time_ns()
    done = subprocess.run(
        [sys.executable, "-m", "archive", "build", "--settings", str(settings)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return started


def reused_pages(output: Path, started: int) -> set[str]:
    """The pages of `output` not written by the build that started at `started`."""
    return {
        p.relative_to(output).as_posix()
        for p in output.rglob("*.html")
        if p.stat().st_mtime_ns < started
    }


@pytest.fixture(scope="module")
def first_deploy(tmp_path_factory):
    """The shipped archive built once with a cache: (work folder, checkout, cache kept)."""
    work = tmp_path_factory.mktemp("deploys")
    checkout = work / "checkout"
    shutil.copytree(ROOT / "content", checkout / "content")
    build(work, checkout / "content", work / "first", work / "cache")
    kept = work / "cache-after-first"
    shutil.copytree(work / "cache", kept)
    return work, checkout, kept


def deploy_again(first_deploy, change, theme=ROOT / "theme"):
    """A clean checkout with `change` made, built with a copy of the first deploy's cache.

    Returns (output, pages reused, a clean full build of the same sources without cache).
    """
    work, checkout, kept = first_deploy
    shutil.rmtree(checkout)
    shutil.copytree(ROOT / "content", checkout / "content")
    change(checkout / "content")
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(kept, cache)
    output = work / "again"
    shutil.rmtree(output, ignore_errors=True)
    started = build(work, checkout / "content", output, cache, theme)
    full = work / "full"
    shutil.rmtree(full, ignore_errors=True)
    shutil.copytree(checkout, work / "clean")
    build(work, work / "clean" / "content", full, theme=theme)
    shutil.rmtree(work / "clean")
    return output, reused_pages(output, started), full


def edit(relative: str, old: str, new: str):
    def change(content: Path):
        path = content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def add_document(content: Path):
    source = (content / DOCUMENT).read_text(encoding="utf-8")
    added = source.replace('title: "US-led', 'title: "A later report: US-led', 1)
    added = added.replace("published: 2017-06-12", "published: 2017-06-20", 1)
    (content / DOCUMENT).with_name("a-later-report-on-the-coalition.md").write_text(
        added, encoding="utf-8"
    )


def remove_document(content: Path):
    (content / DOCUMENT).unlink()


CHANGES = {
    "text": edit(DOCUMENT, "\n---\n", "\n---\n\nA sentence the editor adds.\n\n"),
    "title": edit(DOCUMENT, 'title: "US-led', 'title: "The US-led'),
    "date": edit(DOCUMENT, "published: 2017-06-12", "published: 2015-03-02"),
    "actor": edit(DOCUMENT, "  - New Syrian Army\n", ""),
    "added": add_document,
    "removed": remove_document,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_deploy_after_one_change_writes_what_a_full_build_writes(first_deploy, change):
    output, reused, full = deploy_again(first_deploy, CHANGES[change])
    assert digest(output) == digest(full)
    pages = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    # A page that shows no document (the About page) is always kept; in an archive of 46
    # documents one of them is around half the others, so only an edit of its text can
    # say how few pages are rendered (`make bench` measures 10,000 documents).
    assert "about.html" in reused and "es/about.html" in reused
    if change == "text":  # only the document's own page, and the search page, show its text
        rendered = {
            page.split("/", 1)[1] if page[:3] in ("es/", "fr/") else page for page in pages - reused
        }
        assert rendered == {PAGE, "search.html"}


def test_a_link_follows_the_document_it_names_when_that_one_moves(tmp_path):
    """A document linking to another ({filename}) is rendered again when the other's
    address changes (its year is in it), though its own source did not change."""
    content = tmp_path / "checkout" / "content"
    shutil.copytree(ROOT / "content", content)
    linking = min((content / "articles" / "iraq-war").rglob("*.md"))  # another collection
    linking.write_text(
        linking.read_text(encoding="utf-8")
        + f"\nSee [the later report]({{filename}}/{DOCUMENT}).\n",
        encoding="utf-8",
    )
    build(tmp_path, content, tmp_path / "first", tmp_path / "cache")
    edit(DOCUMENT, "published: 2017-06-12", "published: 2018-01-06")(content)
    edit(DOCUMENT, "  date: 2017-06-09", "  date: 2018-01-05")(content)  # the address's year
    started = build(tmp_path, content, tmp_path / "again", tmp_path / "cache")
    build(tmp_path, content, tmp_path / "full")
    assert digest(tmp_path / "again") == digest(tmp_path / "full")
    page = linking.relative_to(content / "articles").with_suffix(".html").as_posix()
    again = {p for p in reused_pages(tmp_path / "again", started) if p.endswith(".html")}
    assert not any(name.endswith(Path(page).name) for name in again)
    assert "about.html" in again


def test_a_changed_registry_changes_the_pages_it_names(first_deploy):
    change = edit("registry/actors.yml", "military coalition led by", "military coalition under")
    output, reused, full = deploy_again(first_deploy, change)
    assert digest(output) == digest(full)
    assert reused == set(), "a registry is part of the key: nothing is reused"


def test_a_cache_from_another_theme_is_ignored(first_deploy, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    footer = theme / "templates" / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    output, reused, full = deploy_again(first_deploy, lambda content: None, theme=theme)
    assert digest(output) == digest(full)
    assert reused == set()
    # The first theme's cache is kept beside it (a deploy preview does not empty production's).
    work, _, kept = first_deploy
    [first] = [folder.name for folder in kept.iterdir()]
    assert first in {folder.name for folder in (work / "cache").iterdir()}
    assert len(list((work / "cache").iterdir())) == 2


def test_a_kept_page_changed_since_is_rendered_again(first_deploy):
    work, _, kept = first_deploy
    [folder] = kept.iterdir()  # the cache of the first deploy's key
    page = folder / "pages" / PAGE
    original = page.read_bytes()
    try:
        page.write_bytes(original + b"<!-- changed in place -->")
        output, reused, full = deploy_again(first_deploy, lambda content: None)
    finally:
        page.write_bytes(original)
    assert digest(output) == digest(full)
    assert PAGE not in reused and "index.html" in reused


def test_no_template_shows_an_argument_the_fingerprints_leave_out():
    sys.path.insert(0, str(ROOT / "plugins"))
    from build_cache.dependencies import UNSHOWN_ARGUMENTS

    templates = (ROOT / "theme" / "templates").rglob("*.html")
    named = [(t.name, a) for t in templates for a in UNSHOWN_ARGUMENTS if a in t.read_text()]
    assert named == []


def test_a_list_entry_is_rendered_again_only_for_the_document_that_changed(first_deploy):
    """A document added to a list changes every page of it (they count its documents), but
    the entries of the others are the kept ones (plugins/fragments, kept by build_cache)."""
    work, _, kept = first_deploy
    [folder] = kept.iterdir()
    store = folder / "fragments.pickle"
    original = store.read_bytes()
    fragments = pickle.loads(original)
    assert fragments, "the first deploy kept its list entries"
    marked = {key: text + "<!-- kept -->" for key, text in fragments.items()}
    try:
        store.write_bytes(pickle.dumps(marked))
        output, _, _ = deploy_again(first_deploy, add_document)
    finally:
        store.write_bytes(original)
    entries = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    entries = [li.decode() for li in entries.select("ol.document-list > li")]
    [added] = [entry for entry in entries if "A later report" in entry]
    assert "<!-- kept -->" not in added
    assert sum("<!-- kept -->" in entry for entry in entries) == len(entries) - 1


def test_the_pages_after_the_first_of_a_place_whose_map_alone_changed_are_kept(tmp_path):
    """A document added next to a place changes the counts on its map, which is on the
    first page of its list only: the pages after it are the kept ones, and the deploy is
    still what a full build writes."""
    extra = "TAXONOMIES = {'per_page': 2, 'related': 12}\n"
    checkout = tmp_path / "checkout" / "content"
    shutil.copytree(ROOT / "content", checkout)
    build(tmp_path, checkout, tmp_path / "first", tmp_path / "cache", extra=extra)
    kept = tmp_path / "kept"
    shutil.copytree(tmp_path / "cache", kept)
    add_document(checkout)
    build(tmp_path, checkout, tmp_path / "full", extra=extra)

    # Mark the kept later pages of every list, keeping their size and time (what the
    # cache checks), to see which pages of the deploy come from them.
    [folder] = kept.iterdir()
    later = [p for p in (folder / "pages").rglob("*-[0-9]*.html") if "documents" not in p.parts]
    for page in later:
        found = page.stat()
        page.write_bytes(page.read_bytes().replace(b"</body>", b"</BODY>"))
        os.utime(page, ns=(found.st_atime_ns, found.st_mtime_ns))

    started = {}
    for cache, output in ((tmp_path / "cache", "again"), (kept, "marked")):
        shutil.copytree(cache, tmp_path / "deploying")
        started[output] = build(
            tmp_path, checkout, tmp_path / output, tmp_path / "deploying", extra=extra
        )
        shutil.rmtree(tmp_path / "deploying")
    assert digest(tmp_path / "again") == digest(tmp_path / "full")

    marked = tmp_path / "marked"
    written = {
        p.relative_to(marked).as_posix()
        for p in marked.rglob("*.html")
        if p.stat().st_mtime_ns >= started["marked"] and b"</BODY>" in p.read_bytes()
    }
    assert any(name.startswith("locations/") for name in written), "no later page was kept"
    first, full = tmp_path / "first", tmp_path / "full"
    for name in written:  # a page the change left alone, of a list whose first page changed
        assert (full / name).read_bytes() == (first / name).read_bytes()
        first_page = re.sub(r"-[0-9]+\.html$", ".html", name)
        assert (full / first_page).read_bytes() != (first / first_page).read_bytes()
