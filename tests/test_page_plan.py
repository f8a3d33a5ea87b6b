"""The page plan: a page is kept up to date by what it declares it shows, and by nothing else.

The rules are checked on the plan and its fingerprints directly, with a handful of documents
in memory; then end to end, with a page type the engine has never heard of (the fixture
plugin tests/fixtures/plugins/dossier): after an edit of a document it shows, a deploy and
the live site rewrite it when it declares the document, and leave it stale when it does not.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, deploy_build, digest, fixture_content, reused_pages, write_settings
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from archive.site.live import LiveSite
from archive.site.pelican_internals import replace_content_html
from archive.site.plan import NOTHING, PagePlan, PlannedPage, Shows
from plugins.build_cache.dependencies import ArchiveDigests, fingerprints

EDITED = "articles/test/2020/first-report.md"
DOSSIER_PLUGIN = (
    f"PLUGIN_PATHS = [{str(FIXTURES / 'plugins')!r}]\n"
    "PLUGINS = ['dossier', *PLUGINS]\n"  # before the plugins that render what is planned
)


def document(tmp_path, name: str, text: str = "<p>Text.</p>", title: str = "A report"):
    """A document as Pelican reads it, with its source file (what fingerprints digest)."""
    source = tmp_path / f"{name}.md"
    source.write_text(f"---\ntitle: {title}\n---\n\n{text}\n", encoding="utf-8")
    metadata = {"title": title, "slug": name, "date": datetime(2020, 3, 2)}
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    return Article(text, metadata, settings=settings, source_path=str(source))


def fingerprint(tmp_path, page: PlannedPage, documents: list) -> tuple[str, str | None]:
    digests = ArchiveDigests(str(tmp_path), documents)
    return fingerprints("site", page, digests)


def page(shows: Shows, **own) -> PlannedPage:
    template = SimpleNamespace(name="page.html")
    return PlannedPage("page.html", template, (("page.html", template, {}), own), shows=shows)


def test_a_page_declaring_a_documents_text_changes_with_it_and_one_listing_it_does_not(tmp_path):
    first = document(tmp_path, "first")
    showing, listing = page(Shows(text=[first])), page(Shows(lists=[[first]]))
    before = [fingerprint(tmp_path, p, [first]) for p in (showing, listing)]
    replace_content_html(first, "<p>Other text.</p>")  # the text, not the front matter
    after = [fingerprint(tmp_path, p, [first]) for p in (showing, listing)]
    assert before[0] != after[0]
    assert before[1] == after[1]


def test_a_list_changes_with_a_listed_documents_front_matter(tmp_path):
    first = document(tmp_path, "first")
    listing = page(Shows(lists=[[first]]))
    before = fingerprint(tmp_path, listing, [first])
    retitled = document(tmp_path, "first", title="A report, retitled")
    assert fingerprint(tmp_path, page(Shows(lists=[[retitled]])), [retitled]) != before


def test_a_document_handed_to_a_template_without_a_declaration_is_not_in_the_fingerprint(
    tmp_path,
):
    first = document(tmp_path, "first")
    undeclared = page(NOTHING, shown=first)
    before = fingerprint(tmp_path, undeclared, [first])
    replace_content_html(first, "<p>Other text.</p>")
    (tmp_path / "first.md").write_text("---\ntitle: Another\n---\n", encoding="utf-8")
    assert fingerprint(tmp_path, undeclared, [first]) == before


def test_what_only_the_first_page_shows_is_left_out_of_the_later_pages_fingerprint(tmp_path):
    term = SimpleNamespace(url="locations/x.html", direct_count=1, articles=[])
    first = Shows(counted=[term])
    whole, later = fingerprint(tmp_path, page(Shows(first_page=first)), [])
    term.direct_count = 2
    whole_after, later_after = fingerprint(tmp_path, page(Shows(first_page=first)), [])
    assert whole != whole_after and later == later_after
    assert fingerprint(tmp_path, page(NOTHING), [])[1] is None


def test_what_is_added_for_a_subject_is_shown_by_the_page_about_it():
    plan, subject, other = PagePlan(), object(), object()
    beside, mapped = [object()], [object()]
    plan.add(subject, Shows(lists=[beside]))
    plan.add(subject, Shows(first_page=Shows(counted=mapped)))
    shows = plan.with_additions(subject, Shows(text=[subject]))
    assert shows.text == [subject] and shows.lists == [beside]
    assert shows.first_page.counted == mapped and shows.later_pages().first_page is None
    assert plan.with_additions(other, NOTHING) == NOTHING


def test_the_live_site_finds_the_pages_that_show_a_documents_text():
    plan, shown, listed = PagePlan(), object(), object()
    pages = [
        page(Shows(text=[shown])),
        page(Shows(lists=[[shown, listed]])),
        page(Shows(text=[listed])),
    ]
    plan.pages += pages
    assert plan.showing_text_of([shown]) == pages[:1]


def dossier_site(tmp_path, declare: bool):
    content = fixture_content("minimal", tmp_path)
    extra = DOSSIER_PLUGIN + f"DOSSIER = {{'declare': {declare}}}\n"
    return content, extra


@pytest.mark.parametrize("declare", [True, False])
def test_a_deploy_rewrites_a_new_page_type_from_its_declaration_alone(tmp_path, declare):
    content, extra = dossier_site(tmp_path, declare)
    deploy_build(tmp_path, content, tmp_path / "first", tmp_path / "cache", extra=extra)
    old, new = "The first paragraph of the report.", "The first paragraph, as corrected."
    source = content / EDITED
    source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    again = tmp_path / "again"
    started = deploy_build(tmp_path, content, again, tmp_path / "cache", extra=extra)
    deploy_build(tmp_path, content, tmp_path / "full", extra=extra)
    dossier = (again / "dossier.html").read_text(encoding="utf-8")
    if declare:
        assert new in dossier and "dossier.html" not in reused_pages(again, started)
        assert digest(again) == digest(tmp_path / "full")
    else:  # without its declaration the engine cannot know: the kept page is stale
        assert old in dossier and "dossier.html" in reused_pages(again, started)


@pytest.mark.parametrize("declare", [True, False])
def test_the_live_site_rewrites_a_new_page_type_from_its_declaration_alone(tmp_path, declare):
    content, extra = dossier_site(tmp_path, declare)
    settings = write_settings(tmp_path, content, tmp_path / "output")
    with settings.open("a", encoding="utf-8") as handle:
        handle.write(extra)
    site = LiveSite(str(settings))
    site.build()
    source = content / EDITED
    source.write_text(source.read_text(encoding="utf-8") + "\nA new sentence.\n", "utf-8")
    update = site.update([source])
    site.wait_for_search()
    assert not update.full
    dossier = (tmp_path / "output" / "dossier.html").read_text(encoding="utf-8")
    assert ("dossier.html" in update.written) is declare
    assert ("A new sentence." in dossier) is declare
    if declare:
        shutil.rmtree(tmp_path / "output")
        site.build()
        assert (tmp_path / "output" / "dossier.html").read_text(encoding="utf-8") == dossier
