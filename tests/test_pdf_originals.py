"""PDF originals: imported with their text, kept with fixity, linked with their page count.

The PDFs are made here as editors receive them: one by a real PDF writer (reportlab: a text
layer, two pages, accented text), one scanned (images only, img2pdf), and hostile ones
written with pypdf (scripts, a launch action, an embedded file, encryption, a decompression
bomb) or cut short.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import io
import re
import struct
import tomllib
import urllib.request
import zlib

import img2pdf
import pypdf
import pytest
import yaml
from conftest import ROOT, NetlifyHandler, build
from PIL import Image
from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject
from reportlab.pdfgen import canvas
from sitecheck import soup

from archive.editors.serve import PreviewHandler
from archive.model.captures import sha256_of
from archive.model.documents import UNTYPED_SCAN_TEXT
from archive.model.problems import ArchiveError

FIRST_PAGE = (
    "Déclaration du ministère des affaires étrangères",
    "Le ministère a déclaré que les forces du régime ont bombardé la ville.",
)
SECOND_PAGE = ("Alepo, año 2016: los civiles huyeron de la ciudad durante la noche.",)
METADATA_TITLE = "Déclaration du ministère"


def text_pdf() -> bytes:
    """Two pages of accented text with a text layer, as a PDF writer makes them."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setTitle(METADATA_TITLE)
    for lines in (FIRST_PAGE, SECOND_PAGE):
        for number, line in enumerate(lines):
            pdf.drawString(72, 750 - 20 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png(size: int = 16) -> bytes:
    """A grey square as a PNG, written by hand: a scanner's image, with no text in it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def rewritten(change) -> bytes:
    """The text PDF, changed by `change(writer)` with pypdf's writer."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf())))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    values = {NameObject(key): TextStringObject(value) for key, value in entries.items()}
    return DictionaryObject({NameObject("/S"): NameObject(kind), **values})


def open_action_script(writer):
    writer._root_object[NameObject("/OpenAction")] = action(
        "/JavaScript", **{"/JS": "app.alert(1)"}
    )


def launch_on_open_page(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("/Launch", **{"/F": "calc.exe"})}
    )


def embedded_file(writer):
    writer.add_attachment("notes.txt", b"not seen by any editor")


def encrypted(writer):
    writer.encrypt("secret")


def bomb(writer):
    """A page whose text stream is 300 kB of Flate that inflates to 300 MB."""
    stream = StreamObject()
    stream.set_data(b"")
    stream._data = zlib.compress(b" " * 300_000_000, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)


HOSTILE = {
    "javascript.pdf": (lambda: rewritten(open_action_script), "carries JavaScript"),
    "launch.pdf": (lambda: rewritten(launch_on_open_page), "carries a launch action"),
    "attachment.pdf": (lambda: rewritten(embedded_file), "carries embedded files"),
    "encrypted.pdf": (lambda: rewritten(encrypted), "is encrypted"),
    "bomb.pdf": (lambda: rewritten(bomb), "decompression bomb"),
    "cut-short.pdf": (lambda: text_pdf()[:-200], "not a whole PDF file"),
}


def front_matter(document) -> dict:
    return yaml.safe_load(document.read_text(encoding="utf-8").split("---\n")[1])


def imported(archive, tmp_path, name: str, data: bytes):
    """Import one PDF into the archive: (the result, the draft, its capture)."""
    pdf = tmp_path / name
    pdf.write_bytes(data)
    result = archive("import", str(pdf))
    [document] = archive.content.glob("articles/**/*.md")
    [capture] = archive.content.glob("captures/**/*.pdf")
    return result, document, capture


#: What the editor writes before `archive check` passes: the source and the collection.
COMPLETION = "collection: syria-war\nsource:\n  publisher: Ministry\n  date: 2016-05-01\n"


def completed(document) -> None:
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("\ncapture:", "\n" + COMPLETION + "capture:", 1))


def published(document) -> None:
    """The draft published today, as an editor publishes it."""
    text = document.read_text(encoding="utf-8")
    today = dt.date.today().isoformat()
    document.write_text(text.replace("status: draft\n", f"published: {today}\n"))


@pytest.fixture
def declaration(archive, tmp_path):
    result, document, capture = imported(archive, tmp_path, "declaration.pdf", text_pdf())
    assert result.exit_code == 0, result.output
    archive.document, archive.capture, archive.output = document, capture, result.output
    return archive


def test_a_pdf_is_imported_with_its_text_and_kept_with_its_checksum(declaration):
    fields = front_matter(declaration.document)
    body = declaration.document.read_text(encoding="utf-8").split("---\n", 2)[2]
    for line in FIRST_PAGE + SECOND_PAGE:
        assert line in body
    assert fields["status"] == "draft" and "published" not in fields
    assert fields["title"] == METADATA_TITLE
    capture = fields["capture"]
    assert capture["file"].endswith(".pdf") and capture["pages"] == 2
    kept = declaration.content / capture["file"]
    assert kept == declaration.capture
    assert kept.read_bytes() == text_pdf_of(declaration) and capture["sha256"] == sha256_of(
        kept.read_bytes()
    )
    assert "imported from a PDF of 2 page(s)" in declaration.output


def text_pdf_of(archive) -> bytes:
    """The bytes the editor imported (reportlab stamps each PDF with its time)."""
    return (archive.content.parent / "declaration.pdf").read_bytes()


def test_the_pdf_metadata_is_labelled_as_the_pdfs_never_the_sources(declaration):
    text = declaration.document.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any("PDF's metadata title" in line for line in comments)
    created = pypdf.PdfReader(declaration.capture).metadata.creation_date.date().isoformat()
    assert any(f"created on {created}" in line for line in comments)
    assert "date" not in front_matter(declaration.document).get("source", {})
    assert created not in "\n".join(line for line in text.splitlines() if not line.startswith("#"))


def test_check_verifies_the_pdf_and_names_it_after_one_changed_byte(declaration):
    completed(declaration.document)
    result = declaration("check")
    assert result.exit_code == 0, result.output
    data = bytearray(declaration.capture.read_bytes())
    data[len(data) // 2] ^= 1
    declaration.capture.write_bytes(bytes(data))
    result = declaration("check")
    assert result.exit_code == 1
    file = declaration.capture.relative_to(declaration.content).as_posix()
    [message] = [line for line in result.output.splitlines() if "has changed" in line]
    assert f"the capture {file} of " in message and f"git checkout -- content/{file}" in message


def test_a_scanned_pdf_is_imported_with_a_note_and_is_not_published_as_is(archive, tmp_path):
    result, document, capture = imported(archive, tmp_path, "scan.pdf", img2pdf.convert(png()))
    assert result.exit_code == 0, result.output
    assert "scan with no text layer" in result.output
    assert UNTYPED_SCAN_TEXT in document.read_text(encoding="utf-8")
    assert front_matter(document)["capture"]["pages"] == 1
    assert capture.read_bytes() == (tmp_path / "scan.pdf").read_bytes()
    completed(document)
    assert archive("check").exit_code == 0  # as a draft it is fine
    published(document)
    result = archive("check")
    assert result.exit_code == 1 and "no text layer" in result.output
    with pytest.raises(ArchiveError, match="no text layer"):
        build(archive.content, tmp_path / "site")


def test_two_scans_are_two_drafts_not_duplicates_of_one_note(archive, tmp_path):
    for name, size in (("first.pdf", 16), ("second.pdf", 24)):
        (tmp_path / name).write_bytes(img2pdf.convert(png(size)))
    result = archive("import", str(tmp_path / "first.pdf"), str(tmp_path / "second.pdf"))
    assert result.exit_code == 0, result.output
    assert len(list(archive.content.glob("captures/**/*.pdf"))) == 2


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_pdf_is_refused_in_one_line_and_nothing_is_written(archive, tmp_path, name):
    make, reason = HOSTILE[name]
    (tmp_path / name).write_bytes(make())
    before = sorted(p.relative_to(archive.content) for p in archive.content.rglob("*"))
    result = archive("import", str(tmp_path / name))
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.startswith(f"{name}: ")]
    assert reason in line and "nothing written. Fix: " in line
    assert sorted(p.relative_to(archive.content) for p in archive.content.rglob("*")) == before


def test_the_page_links_the_pdf_with_its_pages_and_search_finds_its_text(declaration, tmp_path):
    completed(declaration.document)
    published(declaration.document)
    output = build(declaration.content, tmp_path / "site")
    [page] = output.glob("documents/**/*.html")
    link = soup(page).select_one(".provenance a[type='application/pdf']")
    assert link.get_text() == "The original PDF, 2 pages"
    assert (page.parent / link["href"]).resolve().read_bytes() == declaration.capture.read_bytes()
    [french] = output.glob("fr/documents/**/*.html")
    assert soup(french).select_one(".provenance a[type='application/pdf']").get_text() == (
        "Le PDF original, 2 pages"
    )
    indexed = {}
    for chunk in output.glob("search-index/*/terms/*.js"):
        text = chunk.read_text(encoding="utf-8")
        indexed.update(dict.fromkeys(re.findall(r'"([^"]+)":', text)))
    assert {"ministère", "déclaré", "alepo", "año"} <= set(indexed)


def test_pdfs_are_served_as_pdf_with_scripts_off():
    assert PreviewHandler.extensions_map[".pdf"] == "application/pdf"
    rules = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))["headers"]
    served = {}
    for rule in rules:
        if fnmatch.fnmatchcase("/captures/syria-war/2026/report.pdf", rule["for"]):
            for name, value in rule["values"].items():
                served.setdefault(name, []).append(value)
    assert served["Content-Type"] == ["application/pdf"]
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["X-Content-Type-Options"][0] == "nosniff"


def test_a_capture_of_another_kind_stays_refused(declaration):
    completed(declaration.document)
    renamed = declaration.capture.with_suffix(".html")
    declaration.capture.rename(renamed)
    text = declaration.document.read_text(encoding="utf-8")
    declaration.document.write_text(text.replace(".pdf\n", ".html\n"), encoding="utf-8")
    result = declaration("check")
    assert result.exit_code == 1
    assert "not a kind the archive publishes" in result.output
    assert "captures are published only as plain text (.txt) or PDF (.pdf)" in result.output


def test_redact_refuses_a_document_whose_capture_is_a_pdf(declaration):
    """A name cannot be cut out of a PDF's bytes: the original would go on publishing it."""
    completed(declaration.document)
    before = declaration.document.read_bytes(), declaration.capture.read_bytes()
    result = declaration("redact", str(declaration.document), "Alepo", "--reason", "safety")
    assert result.exit_code == 1
    assert "is a PDF, from which 'archive redact' cannot remove a passage" in result.output
    assert (declaration.document.read_bytes(), declaration.capture.read_bytes()) == before


def test_chromium_shows_the_pdf_in_its_own_viewer_under_the_deployed_headers(
    declaration, tmp_path, browser, serve
):
    """The site's policy (default-src 'none') and the captures' sandbox keep scripts off, and
    the reader still sees the original: Chromium's viewer draws its pages, it does not
    download or block the file."""
    completed(declaration.document)
    published(declaration.document)
    output = build(declaration.content, tmp_path / "site")
    [pdf] = output.glob("captures/**/*.pdf")
    tab = browser.new_page(viewport={"width": 800, "height": 600})
    downloads = []
    tab.on("download", lambda download: downloads.append(download))
    address = serve(output, NetlifyHandler) + pdf.relative_to(output).as_posix()
    with urllib.request.urlopen(address) as served:
        assert served.headers["Content-Type"] == "application/pdf"
        assert served.headers["Content-Security-Policy"] == "sandbox"
    tab.goto(address)
    tab.wait_for_timeout(2000)  # the viewer draws the first page
    assert downloads == []
    drawn = Image.open(io.BytesIO(tab.screenshot())).convert("L")
    tab.close()
    # The viewer: its dark frame around a white page. A blocked, empty or text page is white.
    shades = drawn.histogram()  # pixels per shade of grey, 0 (black) to 255 (white)
    assert sum(shades[:70]) / sum(shades) > 0.2 and shades[255] > 0


def test_a_hostile_pdf_put_in_place_by_hand_is_refused_by_check_and_build(declaration, tmp_path):
    """Its checksum recorded by hand, it never met the importer: check and build read it."""
    completed(declaration.document)
    published(declaration.document)
    hostile = rewritten(open_action_script)
    declaration.capture.write_bytes(hostile)
    text = declaration.document.read_text(encoding="utf-8")
    recorded = front_matter(declaration.document)["capture"]["sha256"]
    declaration.document.write_text(text.replace(recorded, sha256_of(hostile)), encoding="utf-8")
    file = declaration.capture.relative_to(declaration.content).as_posix()
    checked = declaration("check")
    assert checked.exit_code == 1
    assert f"{file}: this PDF carries JavaScript, which a reader's viewer could run" in (
        checked.output
    )
    with pytest.raises(ArchiveError) as refused:
        build(declaration.content, tmp_path / "site")
    assert any("this PDF carries JavaScript" in str(p) for p in refused.value.problems)


def test_a_page_count_that_is_not_the_pdfs_is_refused(declaration):
    """The page says "The original PDF, 2 pages": the count is checked against the PDF."""
    completed(declaration.document)
    text = declaration.document.read_text(encoding="utf-8")
    declaration.document.write_text(text.replace("pages: 2", "pages: 7"), encoding="utf-8")
    checked = declaration("check")
    assert checked.exit_code == 1
    assert "records 7 page(s), and the PDF has 2" in checked.output
