"""A deploy build from a clean checkout reuses the cache folder of the last one (build_cache).

Each test builds the shipped archive once with a cache, then builds again from a clean
checkout (a fresh copy of the sources, at the place the first was built from, as on Netlify)
after one change an editor makes, sharing a copy of that cache: the output must be what a
clean full build of the changed sources writes, byte for byte, and the pages the change does
not touch must come from the cache rather than be rendered again.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SECRET, deploy_build, digest, reused_pages

from plugins.build_cache.store import MANIFEST, file_digest, inside, seal_folder

DOCUMENT = "articles/syria-war/2017/us-led-coalition-colluding-with-is.md"
PAGE = "documents/syria-war/2017/us-led-coalition-colluding-with-is.html"


def vouch(folder: Path, secret: str = SECRET) -> None:
    """Seal a key's cache folder again as a build with `secret` would, pages as they are now.

    What a trusted build would have left: the tests mark kept pages and entries to see
    which the next deploy takes.
    """
    pages = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    for entry in pages.values():
        entry["files"] = {name: file_digest(folder / "pages" / name) for name in entry["files"]}
    (folder / "pages.json").write_text(json.dumps(pages), encoding="utf-8")
    key = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["key"]
    seal_folder(folder, key, secret.encode("utf-8"))


@pytest.fixture(scope="module")
def first_deploy(tmp_path_factory):
    """The shipped archive built once with a cache: (work folder, checkout, cache kept)."""
    work = tmp_path_factory.mktemp("deploys")
    checkout = work / "checkout"
    shutil.copytree(ROOT / "content", checkout / "content")
    deploy_build(work, checkout / "content", work / "first", work / "cache")
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
    started = deploy_build(work, checkout / "content", output, cache, theme)
    full = work / "full"
    shutil.rmtree(full, ignore_errors=True)
    shutil.copytree(checkout, work / "clean")
    deploy_build(work, work / "clean" / "content", full, theme=theme)
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
    added = added.replace("published: 2026-11-25", "published: 2026-11-26", 1)
    (content / DOCUMENT).with_name("a-later-report-on-the-coalition.md").write_text(
        added, encoding="utf-8"
    )


def remove_document(content: Path):
    """The document deleted with its capture (a capture no document names is refused)."""
    (content / DOCUMENT).unlink()
    (content / "captures/syria-war/2017/us-led-coalition-colluding-with-is.txt").unlink()


def add_translation(content: Path):
    """The document in Spanish: both versions get the key that joins them."""
    source = content / DOCUMENT
    english = source.read_text(encoding="utf-8")
    joined = english.replace("\nlanguage: en\n", "\nlanguage: en\ntranslation: coalition\n", 1)
    source.write_text(joined, encoding="utf-8")
    spanish = joined.replace("\nlanguage: en\n", "\nlanguage: es\n", 1).replace(
        'title: "US-led coalition', 'title: "La coalición liderada por EE. UU.', 1
    )
    source.with_name("la-coalicion-liderada-por-ee-uu.md").write_text(spanish, encoding="utf-8")


def rename_actor(content: Path):
    """An actor renamed in the registry, its old name kept as an alias (documents use it)."""
    registry = content / "registry" / "actors.yml"
    text = registry.read_text(encoding="utf-8")
    old = "  name: New Syrian Army\n  type: armed group\n  aliases:\n"
    assert old in text
    new = "  name: Revolutionary Commando Army (New Syrian Army)\n  type: armed group\n"
    new += "  aliases:\n    - New Syrian Army\n"
    registry.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = {
    "text": edit(DOCUMENT, "\n---\n", "\n---\n\nA sentence the editor adds.\n\n"),
    "title": edit(DOCUMENT, 'title: "US-led', 'title: "The US-led'),
    "date": edit(DOCUMENT, "published: 2026-11-25", "published: 2026-11-30"),
    "actor": edit(DOCUMENT, "  - New Syrian Army\n", ""),
    "added": add_document,
    "removed": remove_document,
    "translation": add_translation,
    "actor renamed": rename_actor,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_deploy_after_one_change_writes_what_a_full_build_writes(first_deploy, change):
    output, reused, full = deploy_again(first_deploy, CHANGES[change])
    assert digest(output) == digest(full)
    pages = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    if change == "actor renamed":  # the registries are part of the site's key
        assert reused == set()
        return
    # A page that shows no document (the About page) is always kept; in an archive of 46
    # documents one of them is around half the others, so only an edit of its text can
    # say how few pages are rendered (`make bench` measures 10,000 documents).
    assert "about.html" in reused and "es/about.html" in reused
    if change == "added":  # to a 2017 report of the Syria collection: other lists are kept
        assert {"collections/iraq-war.html", "archive/2013.html"} <= reused
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
    deploy_build(tmp_path, content, tmp_path / "first", tmp_path / "cache")
    edit(DOCUMENT, "  date: 2017-06-12", "  date: 2018-01-06")(content)  # the intermediary's
    edit(DOCUMENT, "  date: 2017-06-09", "  date: 2018-01-05")(content)  # the address's year
    started = deploy_build(tmp_path, content, tmp_path / "again", tmp_path / "cache")
    deploy_build(tmp_path, content, tmp_path / "full")
    assert digest(tmp_path / "again") == digest(tmp_path / "full")
    page = linking.relative_to(content / "articles").with_suffix(".html").as_posix()
    again = {p for p in reused_pages(tmp_path / "again", started) if p.endswith(".html")}
    assert not any(name.endswith(Path(page).name) for name in again)
    assert "about.html" in again


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


def test_no_template_shows_an_argument_the_fingerprints_leave_out():
    from archive.site.pelican_internals import NEVER_SHOWN

    templates = (ROOT / "theme" / "templates").rglob("*.html")
    named = [(t.name, a) for t in templates for a in NEVER_SHOWN if a in t.read_text()]
    assert named == []


def test_a_list_entry_is_rendered_again_only_for_the_document_that_changed(first_deploy, tmp_path):
    """A document added to a list changes every page of it (they count its documents), but
    the entries of the others are the kept ones (plugins/fragments, kept by build_cache)."""
    work, checkout, kept = first_deploy
    marked = tmp_path / "marked"
    shutil.copytree(kept, marked)
    [folder] = marked.iterdir()
    store = folder / "fragments.json"
    fragments = json.loads(store.read_text(encoding="utf-8"))
    assert fragments, "the first deploy kept its list entries"
    marked_entries = [[key, text + "<!-- kept -->"] for key, text in fragments]
    store.write_text(json.dumps(marked_entries), encoding="utf-8")
    vouch(folder)
    output, _, _ = deploy_again((work, checkout, marked), add_document)
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
    deploy_build(tmp_path, checkout, tmp_path / "first", tmp_path / "cache", extra=extra)
    kept = tmp_path / "kept"
    shutil.copytree(tmp_path / "cache", kept)
    add_document(checkout)
    deploy_build(tmp_path, checkout, tmp_path / "full", extra=extra)

    # Mark the kept later pages of every list, and seal the cache again as the build that
    # left it would have, to see which pages of the deploy come from them.
    [folder] = kept.iterdir()
    later = [p for p in (folder / "pages").rglob("*-[0-9]*.html") if "documents" not in p.parts]
    for page in later:
        marked = page.read_bytes().replace(b"</body>", b"</BODY>")
        page.unlink()  # a hard link to the first build's page: leave that one as it was
        page.write_bytes(marked)
    vouch(folder)

    started = {}
    for cache, output in ((tmp_path / "cache", "again"), (kept, "marked")):
        shutil.copytree(cache, tmp_path / "deploying")
        started[output] = deploy_build(
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


class Payload:
    """A pickle that, loaded, writes a file: proof that the cache ran code."""

    def __init__(self, proof: Path):
        self.proof = proof

    def __reduce__(self):
        return (exec, (f"open({str(self.proof)!r}, 'w').write('ran')",))


def plant_fragments(folder: Path, proof: Path) -> None:
    """A1: list entries that run code, in the old pickle's place and in the JSON's."""
    (folder / "fragments.pickle").write_bytes(pickle.dumps(Payload(proof)))
    (folder / "fragments.json").write_text('[[["entry"], "<script>planted</script>"]]')


def plant_readers(folder: Path, proof: Path) -> None:
    """A2: Pelican's readers cache replaced by a pickle that runs code."""
    for readers in (folder / "readers").iterdir():
        readers.write_bytes(pickle.dumps(Payload(proof)))


def plant_names(folder: Path, proof: Path) -> None:
    """A3: a kept page whose files are named outside the output."""
    pages = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    entry = next(iter(pages.values()))
    entry["files"][f"../{proof.name}"] = file_digest(folder / "pages" / "about.html")
    (folder / "pages.json").write_text(json.dumps(pages), encoding="utf-8")
    (folder / proof.name).write_text("planted")


def falsify_page(folder: Path, proof: Path) -> None:
    """A4: a kept page's testimony changed, same size, time kept."""
    _edit_kept(folder / "pages" / PAGE, b"Surovikin", b"Gerasimov")


def drop_notice(folder: Path, proof: Path) -> None:
    """A5: a kept page's rights notice made unrecognisable, same size, time kept."""
    _edit_kept(folder / "pages" / PAGE, b'data-provenance="notice"', b'data-provenance="xxxxxx"')


def seal_as_a_preview(folder: Path, proof: Path) -> None:
    """A preview with a secret of its own leaves a cache that production must not take."""
    vouch(folder, secret="a deploy preview's own secret, long enough")


def link_elsewhere(folder: Path, proof: Path) -> None:
    """The key's folder made a link to another folder, which the build would write in."""
    proof.mkdir()
    shutil.rmtree(folder)
    folder.symlink_to(proof, target_is_directory=True)


def _edit_kept(page: Path, old: bytes, new: bytes) -> None:
    found = page.stat()
    text = page.read_bytes()
    assert old in text and len(old) == len(new)
    page.unlink()  # a hard link to the first build's page: leave that one as it was
    page.write_bytes(text.replace(old, new))
    os.utime(page, ns=(found.st_atime_ns, found.st_mtime_ns))


#: Caches a hostile deploy preview can leave (../shared/reviews/hostile-inputs-2026-12.md,
#: cases A1-A5), and whether the production deploy refuses the whole cache (else the one
#: page is rendered again).
ATTACKS = {
    "fragments that run code (A1)": (plant_fragments, True),
    "readers that run code (A2)": (plant_readers, True),
    "names outside the output (A3)": (plant_names, True),
    "a falsified page (A4)": (falsify_page, False),
    "a page without its notice (A5)": (drop_notice, False),
    "sealed by a preview": (seal_as_a_preview, True),
    "a link to elsewhere": (link_elsewhere, True),
}


def hostile_cache(first_deploy, attack: str) -> tuple[Path, Path, Path]:
    """A copy of the first deploy's cache as `attack` left it: (cache, key's folder, proof)."""
    work, _, kept = first_deploy
    cache = work / "hostile"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(kept, cache)
    [folder] = cache.iterdir()
    proof = work / "proof"
    shutil.rmtree(proof, ignore_errors=True)
    ATTACKS[attack][0](folder, proof)
    return cache, folder, proof


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_cache_folder_takes_nothing_a_hostile_preview_wrote(first_deploy, attack, tmp_path):
    """What the next production deploy makes of each hostile cache, before it builds."""
    from plugins.build_cache.store import CacheFolder

    _, _, kept = first_deploy
    [sealed] = kept.iterdir()
    key = json.loads((sealed / MANIFEST).read_text(encoding="utf-8"))["key"]
    pages = json.loads((sealed / "pages.json").read_text(encoding="utf-8"))
    [page] = [name for name, entry in pages.items() if PAGE in entry["files"]]
    cache, folder, proof = hostile_cache(first_deploy, attack)
    opened = CacheFolder(cache, key, SECRET.encode("utf-8"))
    assert not proof.is_file(), "the cache ran code or wrote outside the output"
    if ATTACKS[attack][1]:
        assert opened.refused and not opened.valid and opened.previous == {}
        assert not folder.is_symlink() and list(folder.iterdir()) == []  # cleared
        if proof.is_dir():
            assert not any(proof.iterdir()), "the build wrote where the cache's link pointed"
    else:  # the seal holds, but the changed page is not put back; the others are
        assert opened.valid and opened.refused is None
        output = tmp_path / "output"
        assert opened.restore(page, pages[page]["fingerprint"], str(output)) is None
        other = next(name for name in pages if name.endswith("/about.html"))
        assert opened.restore(other, pages[other]["fingerprint"], str(output))


@pytest.mark.parametrize("attack", ["readers that run code (A2)", "a page without its notice (A5)"])
def test_a_deploy_from_a_hostile_cache_writes_exactly_a_clean_build(first_deploy, attack):
    """End to end: Pelican never loads the planted readers; the page is rendered and checked."""
    work, checkout, _ = first_deploy
    shutil.rmtree(checkout)  # the first deploy's sources (other tests leave theirs changed)
    shutil.copytree(ROOT / "content", checkout / "content")
    cache, _, proof = hostile_cache(first_deploy, attack)
    said = []
    output = work / "after-attack"
    shutil.rmtree(output, ignore_errors=True)
    started = deploy_build(work, checkout / "content", output, cache, said=said)
    assert digest(output) == digest(work / "first")  # what a clean build of it writes
    assert not proof.exists(), "the cache ran code"
    refusals = [line for line in said[0].splitlines() if "refused" in line]
    reused = reused_pages(output, started)
    if ATTACKS[attack][1]:
        [refusal] = refusals
        assert refusal.startswith("WARNING: Build cache ") and "building clean" in refusal
        assert reused == set()
    else:
        assert refusals == [] and PAGE not in reused and "index.html" in reused


def test_without_the_secret_the_cache_is_neither_read_nor_written(first_deploy):
    work, checkout, kept = first_deploy
    cache = work / "unsecret"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(kept, cache)
    before = digest(cache)
    said = []
    output = work / "unsecret-output"
    started = deploy_build(work, checkout / "content", output, cache, secret=None, said=said)
    assert reused_pages(output, started) == set()
    assert digest(cache) == before
    assert "not used, ARCHIVE_CACHE_SECRET is not set" in said[0]


@pytest.mark.parametrize(
    "name, kept",
    [
        ("documents/syria-war/2017/x.html", True),
        ("es/index.html", True),
        ("../Makefile", False),
        ("documents/../../Makefile", False),
        ("/etc/hostname", False),
        ("", False),
        ("..", False),
        ("documents//x.html", False),
        ("documents\\..\\x.html", False),
        ("x\0.html", False),
    ],
)
def test_a_kept_page_may_name_only_files_inside_the_output(name, kept):
    assert inside(name) is kept


def test_a_list_entry_follows_a_document_its_summary_links_to_when_that_one_moves(tmp_path):
    """A19: a summary's link ({filename}) shows the other document's address in every list
    entry of the linking document; after the other moves (its year is in its address), the
    deploy is a clean build's, though the linking document did not change."""
    content = tmp_path / "checkout" / "content"
    shutil.copytree(ROOT / "content", content)
    linking = min((content / "articles" / "iraq-war").rglob("*.md"))
    text = linking.read_text(encoding="utf-8")
    summary = f'summary: "Compare [the coalition report]({{filename}}/{DOCUMENT})."\n'
    linking.write_text(text.replace("\ntitle: ", f"\n{summary}title: ", 1), encoding="utf-8")
    deploy_build(tmp_path, content, tmp_path / "first", tmp_path / "cache")
    edit(DOCUMENT, "  date: 2017-06-12", "  date: 2018-01-06")(content)  # the intermediary's
    edit(DOCUMENT, "  date: 2017-06-09", "  date: 2018-01-05")(content)  # the address's year
    deploy_build(tmp_path, content, tmp_path / "again", tmp_path / "cache")
    deploy_build(tmp_path, content, tmp_path / "full")
    assert digest(tmp_path / "again") == digest(tmp_path / "full")
    moved = PAGE.replace("/2017/", "/2018/")
    listed = (tmp_path / "again" / "collections" / "iraq-war.html").read_text(encoding="utf-8")
    assert moved in listed and PAGE not in listed
