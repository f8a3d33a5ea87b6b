"""The live site behind `archive serve`: an edit rewrites only the pages that show it."""

from __future__ import annotations

import posixpath
import shutil

import pytest
from conftest import build, bulk_site, digest, fixture_content, write_settings

from archive.model.problems import ArchiveError
from archive.site.interface import interface_languages
from archive.site.live import LiveSite

EDITED = "articles/bulk-007.md"
#: Where the search indexes live; they are refreshed in the background, apart from the pages.
SEARCH_FOLDERS = ("search-index/",)


@pytest.fixture
def live(tmp_path, request):
    """A 300-document site built live, read and rendered in parallel (or, asked, serially:
    then the build itself has already rendered each document's text in this process)."""
    content = bulk_site(tmp_path)
    settings = write_settings(tmp_path, content, tmp_path / "output")
    if getattr(request, "param", "parallel") == "serial":
        with settings.open("a", encoding="utf-8") as handle:
            handle.write("PARALLEL_RENDER = {'workers': 1}\nDOCUMENTS = {'workers': 1}\n")
    site = LiveSite(str(settings))
    site.build()
    yield site, content
    site.wait_for_search()


def stamps(folder) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: unchanged when nothing wrote to it."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def edit(content, relative: str, old: str, new: str) -> None:
    source = content / relative
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")


def add_text(content):
    """Edit the text of the document EDITED (a new sentence); return its path."""
    source = content / EDITED
    source.write_text(
        source.read_text(encoding="utf-8") + "\nThe editor adds a word: quokkaword.\n",
        encoding="utf-8",
    )
    return source


def test_a_text_edit_linking_a_file_the_build_copies_rebuilds_the_site(tmp_path):
    """Case B12: a {static} link added, then removed, by a text edit: the live site must be
    what a clean build writes each time (the linked file copied, then no longer)."""
    content = fixture_content("minimal", tmp_path)
    settings = write_settings(tmp_path, content, tmp_path / "output")
    site = LiveSite(str(settings))
    site.build()
    source = content / "articles" / "test" / "2020" / "first-report.md"
    original = source.read_text(encoding="utf-8")
    for text in (original + "\nSee [the registry]({static}/registry/actors.yml).\n", original):
        source.write_text(text, encoding="utf-8")
        update = site.update([source])
        site.wait_for_search()
        assert update.full and "links to a file the build copies" in update.reason
        clean = build(content, tmp_path / "clean")
        assert digest(site.folder) == digest(clean)
        shutil.rmtree(clean)


@pytest.mark.parametrize("live", ["parallel", "serial"], indirect=True)
def test_a_text_edit_rewrites_its_page_and_the_search_page_only(live, tmp_path):
    site, content = live
    before = stamps(site.folder)
    source = add_text(content)
    update = site.update([source])

    assert not update.full
    # The document's page and the search page, in every interface language.
    folders = [language.folder for language in interface_languages(site.settings)]
    pages = [name for name in update.written if name.endswith("/bulk-007.html")]
    searches = [name for name in update.written if name.endswith("search.html")]
    assert sorted(update.written) == sorted(pages + searches)
    assert sorted(searches) == sorted(posixpath.join(f, "search.html") for f in folders)
    assert sorted(pages) == sorted(posixpath.join(f, pages[0]) for f in folders)
    after = stamps(site.folder)
    rewritten = {
        name
        for name, stamp in after.items()
        if before.get(name) != stamp and not name.startswith(SEARCH_FOLDERS)
    }
    assert rewritten == set(update.written)
    for page in pages:
        assert "quokkaword" in (site.folder / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("live", ["parallel", "serial"], indirect=True)
def test_after_a_text_edit_the_site_is_what_a_clean_serial_build_makes(live, tmp_path):
    site, content = live
    source = add_text(content)
    site.update([source])
    site.wait_for_search()
    clean = build(
        content,
        tmp_path / "clean",
        PARALLEL_RENDER={"workers": 1},
        DOCUMENTS={"default_rights": "fair-use-us", "workers": 1},
    )
    assert digest(site.folder) == digest(clean)
    index = (site.folder / "search-index/en/terms/7175.js").read_text(encoding="utf-8")
    assert '"quokkaword"' in index  # the offline index ("qu" chunk) was refreshed too


def test_a_front_matter_edit_rebuilds_the_site_reusing_the_pages_that_do_not_show_it(
    live, tmp_path
):
    site, content = live
    before = stamps(site.folder)
    edit(content, EDITED, "title: Bulk report 7", "title: Bulk report seven")
    update = site.update([content / EDITED])
    assert update.full
    assert update.reason == f"the front matter of {EDITED} changed"
    home_pages = "".join(p.read_text(encoding="utf-8") for p in site.folder.glob("index*.html"))
    assert "Bulk report seven" in home_pages
    after = stamps(site.folder)
    pages = [name for name in after if name.endswith(".html")]
    kept = [name for name in pages if before.get(name) == after[name]]
    # The same files, put back from the build's own cache: most pages do not show the title.
    assert len(kept) > len(pages) / 2
    assert not any(name.endswith("/bulk-007.html") for name in kept)
    site.wait_for_search()
    assert digest(site.folder) == digest(build(content, tmp_path / "clean"))


@pytest.mark.parametrize("change", ["new document", "deleted document", "registry"])
def test_other_changes_rebuild_the_whole_site(live, change):
    site, content = live
    if change == "new document":
        changed = content / "articles/added.md"
        changed.write_text((content / EDITED).read_text(encoding="utf-8"), encoding="utf-8")
    elif change == "deleted document":
        changed = content / EDITED
        changed.unlink()
    else:
        changed = content / "registry/actors.yml"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    update = site.update([changed])
    assert update.full
    pages = {p.name for p in site.folder.rglob("*.html")}
    assert ("added.html" in pages) == (change == "new document")
    assert ("bulk-007.html" in pages) == (change != "deleted document")


def test_a_broken_edit_changes_nothing_and_names_the_fix(live):
    site, content = live
    before = digest(site.folder)
    edit(content, EDITED, "date: ", "date: not-a-date ")
    with pytest.raises(ArchiveError) as failure:
        site.update([content / EDITED])
    [problem] = failure.value.problems
    assert problem.path == EDITED and problem.line and problem.hint
    assert digest(site.folder) == before

    edit(content, EDITED, "date: not-a-date ", "date: ")  # fixed: the next edit applies
    source = content / EDITED
    source.write_text(source.read_text(encoding="utf-8") + "\nFixed.\n", encoding="utf-8")
    assert not site.update([source]).full


def test_a_full_rebuild_during_a_search_refresh_keeps_the_newest_indexes(live, tmp_path):
    site, content = live
    source = add_text(content)
    assert not site.update([source]).full  # the search refresh starts in the background
    edit(content, EDITED, "title: Bulk report 7", "title: Bulk report seven")
    assert site.update([source]).full  # waits for that refresh, then rebuilds everything
    site.wait_for_search()
    clean = build(content, tmp_path / "clean", PARALLEL_RENDER={"workers": 1})
    assert digest(site.folder) == digest(clean)
