"""A document's capture: shown and linked on its page, copied as it is, checked for fixity."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, build
from sitecheck import broken_links, soup

from archive.model.problems import ArchiveError

PAGE = FIXTURES / "corpus" / "pages" / "101_syr5269.txt"


@pytest.fixture
def imported(archive):
    """An archive with the shipped registries and one corpus page imported with its address."""
    run, content = archive, archive.content
    result = run(
        "import",
        str(PAGE),
        "--url",
        "https://www.derechos.org/peace/syria/doc/syr5269.html",
        "--captured",
        "2026-11-20",
    )
    assert result.exit_code == 0, result.output
    [document] = content.glob("articles/**/*.md")
    document.write_text(document.read_text().replace("status: draft", "published: 2026-11-21"))
    [capture] = content.glob("captures/**/*.txt")
    run.content, run.document, run.capture = content, document, capture
    return run


def test_the_document_page_links_its_capture_which_is_copied_byte_for_byte(imported, tmp_path):
    output = build(imported.content, tmp_path / "site")
    [page] = output.glob("documents/**/*.html")
    html = soup(page)
    link = html.select_one(".provenance a[type='text/plain']")
    target = (page.parent / link["href"]).resolve()
    assert target.read_bytes() == PAGE.read_bytes()
    assert "syr5269.html" in html.select_one(".provenance").get_text()
    assert html.select_one(".provenance__checksum code").get_text() in imported.document.read_text()
    assert broken_links(output) == []
    assert not list(output.glob("captures/**/*.html"))  # evidence, never a page


def test_check_reports_a_capture_changed_by_one_byte(imported):
    assert imported("check").exit_code == 0
    data = bytearray(imported.capture.read_bytes())
    data[10] ^= 1
    imported.capture.write_bytes(bytes(data))
    result = imported("check")
    assert result.exit_code == 1
    relative = imported.document.relative_to(imported.content).as_posix()
    line = next(
        n
        for n, text in enumerate(imported.document.read_text().splitlines(), 1)
        if text.startswith("capture:")
    )
    [message] = [line_ for line_ in result.output.splitlines() if "has changed" in line_]
    assert message.startswith(f"{relative}:{line}: the capture captures/")
    assert "Fix: restore it from git (git checkout -- content/captures/" in message


def test_a_missing_capture_stops_check_and_build(imported, tmp_path):
    imported.capture.unlink()
    result = imported("check")
    assert result.exit_code == 1 and "has disappeared" in result.output
    with pytest.raises(ArchiveError, match="has disappeared"):
        build(imported.content, tmp_path / "site")
