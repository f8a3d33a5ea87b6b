"""Fixture sites: what the build makes of good, hostile and broken input."""

from __future__ import annotations

import pytest
from conftest import archive_command, build, fixture_content, write_settings
from sitecheck import broken_links, soup

from archive.model.problems import ArchiveError


def test_minimal_site(tmp_path):
    output = build(fixture_content("minimal", tmp_path), tmp_path / "output")
    first = soup(output / "documents/test/2020/first-report.html")
    assert first.h1.get_text() == "First report"
    # {filename} links survive markdown-it and become relative links to the other document.
    link = first.select_one(".document__body a")
    assert link["href"] == "../../../documents/other/2020/second-report.html"
    assert first.select_one(".document__body h2#a-section")
    second = soup(output / "documents/other/2020/second-report.html")
    # The page speaks the interface language; the document's title and text their own.
    assert second.html["lang"] == "en"
    assert second.h1["lang"] == second.select_one(".document__body")["lang"] == "es"
    # The same page in the Spanish interface: the {filename} link stays in that language.
    spanish = soup(output / "es/documents/test/2020/first-report.html")
    assert spanish.html["lang"] == "es"
    assert spanish.select_one(".document__body a")["href"] == link["href"]
    assert second.select_one(".provenance__rights").get_text(strip=True) == (
        "Licensed under Creative Commons Attribution 4.0."
    )
    assert "Place" not in [dt.get_text() for dt in second.select(".provenance dt")]
    # Pages are not documents: no source block, but they are in the navigation.
    about = soup(output / "about.html")
    assert not about.select(".provenance")
    assert about.select_one(".site-nav a[href='./about.html']")
    assert broken_links(output) == []


def test_collection_pages_are_addressed_by_their_key(tmp_path):
    # The fixture collection's key is "test", its name "Test Collection": renaming a
    # collection must not move its page.
    output = build(fixture_content("minimal", tmp_path), tmp_path / "output")
    assert (output / "collections/test.html").is_file()
    assert not (output / "collections/test-collection.html").exists()
    first = soup(output / "documents/test/2020/first-report.html")
    links = [a["href"] for a in first.select("a") if "collections/t" in a["href"]]
    assert links and all(href.endswith("collections/test.html") for href in links)
    overview = soup(output / "collections/index.html")
    assert overview.select_one("a[href$='test.html']").get_text(strip=True) == "Test Collection"


def test_raw_html_and_scripts_are_escaped(tmp_path):
    output = build(fixture_content("hostile-markup", tmp_path), tmp_path / "output")
    html = (output / "documents/test/2021/hostile.html").read_text(encoding="utf-8")
    page = soup(output / "documents/test/2021/hostile.html")
    # No inline code: the theme's own scripts by src, and the JSON-LD data block with its
    # markup characters escaped.
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            assert "<" not in script.string
        else:
            assert script["src"].startswith("../../../theme/js/") and not script.string
    assert page.find("img") is None and page.find("b") is None
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Hostile title" in html
    assert "<script>" not in html and "</script> Hostile" not in html
    assert page.h1.get_text() == "<script>alert('title')</script> Hostile title"
    assert "<script>alert(" in page.select_one(".document__body").get_text()
    assert "<img src=x onerror=alert(1)>" in page.select_one(".document__source").get_text()
    assert not any(a["href"].startswith("javascript:") for a in page.find_all("a", href=True))
    # The search page's scripts are the theme's, by src; no other page has inline code.
    scripts = soup(output / "search.html").find_all("script")
    assert scripts and all(s["src"].startswith("./theme/js/") and not s.string for s in scripts), (
        scripts
    )
    assert not [s for s in soup(output / "index.html").find_all("script") if s.string]


def test_broken_front_matter_fails_naming_file_line_and_fix(tmp_path):
    content = fixture_content("broken-front-matter", tmp_path)
    output = tmp_path / "output"
    output.mkdir()
    (output / "previous.html").write_text("the previous site", encoding="utf-8")
    settings = write_settings(tmp_path, content, output)

    result = archive_command("build", "--settings", str(settings), cwd=tmp_path)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "articles/broken.md:3: 'published' is not a date (got 'yesterday')" in result.stderr
    assert (
        "articles/broken.md:5: unknown field 'acters'. Fix: did you mean 'actors'?" in result.stderr
    )
    # The failed build replaced nothing: the previous site is exactly as it was.
    assert [p.name for p in output.iterdir()] == ["previous.html"]
    assert not (tmp_path / "output.building").exists()


def test_successful_cli_build_replaces_output(tmp_path):
    content = fixture_content("minimal", tmp_path)
    output = tmp_path / "output"
    output.mkdir()
    (output / "stale.html").write_text("old", encoding="utf-8")
    result = archive_command(
        "build", "--settings", str(write_settings(tmp_path, content, output)), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert not (output / "stale.html").exists()
    assert (output / "documents/test/2020/first-report.html").is_file()


def test_documents_sharing_an_output_file_fail(tmp_path):
    content = fixture_content("duplicate-slugs", tmp_path)
    with pytest.raises(ArchiveError) as caught:
        build(content, tmp_path / "output")
    message = str(caught.value)
    assert "would be published at the same address (documents/test/2020/report.html)" in message
    assert "articles/a/report.md" in message and "articles/b/report.md" in message


def test_file_pelican_cannot_read_is_not_dropped_silently(tmp_path):
    content = fixture_content("minimal", tmp_path)
    (content / "articles" / "notes.markdown").write_bytes(b"\x00\x01binary")
    with pytest.raises(ArchiveError, match=r"articles/notes.markdown: this is a binary file"):
        build(content, tmp_path / "output")


@pytest.mark.parametrize("target", ["content", "."])
def test_refuses_to_build_over_content_or_project(tmp_path, target):
    content = fixture_content("minimal", tmp_path)
    output = content if target == "content" else content.parent
    settings = write_settings(tmp_path, content, output)
    result = archive_command("build", "--settings", str(settings), cwd=tmp_path)
    assert result.returncode == 1
    assert "refusing to build into this folder" in result.stderr
    assert (content / "articles/test/2020/first-report.md").is_file()


def test_a_broken_registry_is_reported_once(tmp_path):
    content = fixture_content("minimal", tmp_path)
    (content / "registry/actors.yml").write_text(
        "example-army:\n  name: Example Army\n  type: army\n"
    )
    with pytest.raises(ArchiveError) as caught:
        build(content, tmp_path / "output")
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == len(set(messages))
    assert any("registry/actors.yml:3: entry 'example-army' has type 'army'" in m for m in messages)


def test_a_summary_link_leads_to_its_document_from_every_list(tmp_path):
    """Pelican resolves a summary's links once, for the site's root: on a collection page
    (one folder down) and in es/ the link was broken."""
    content = fixture_content("minimal", tmp_path)
    first = content / "articles" / "test" / "2020" / "first-report.md"
    summary = 'summary: "Compare [the second report]({filename}second-report.md)."\n'
    first.write_text(
        first.read_text(encoding="utf-8").replace("\ntitle: ", f"\n{summary}title: ", 1),
        encoding="utf-8",
    )
    site = build(content, tmp_path / "output")
    lists = [site / "index.html", site / "collections" / "test.html", site / "es" / "index.html"]
    lists += [site / "es" / "collections" / "test.html"]
    for page in lists:
        [link] = soup(page).select(".document-list__summary a")
        assert link.get_text() == "the second report"
        target = (page.parent / link["href"]).resolve()
        assert target.is_file() and target.name == "second-report.html", (page, link["href"])
    assert broken_links(site) == []
