"""Translations of a document: one report in several languages, joined by `translation:`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, build

from archive.model.documents import parse_page
from archive.model.problems import ArchiveError
from archive.model.translations import page_versions

REPORT = """---
title: {title}
published: {published}
collection: Test Collection
language: {language}
translation: {key}
source:
  publisher: {publisher}
---

{text}
"""


def write_report(content: Path, name: str, **fields) -> Path:
    """A document in content/articles/test/2021/ with a translation key."""
    path = content / "articles" / "test" / "2021" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"publisher": "Agency", "text": "Text.", "published": "2021-03-01", **fields}
    path.write_text(REPORT.format(**values), encoding="utf-8")
    return path


def translated_site(tmp_path: Path) -> Path:
    """The minimal fixture plus one report in English, Spanish and French."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    shutil.copytree(FIXTURES / "registry", content / "registry")
    write_report(
        content,
        "truce-statement",
        title="Truce statement",
        language="en",
        key="truce-2021",
        text="The parties agreed to a truce.",
    )
    write_report(
        content,
        "declaracion-de-tregua",
        title="Declaración de tregua",
        language="es",
        key="truce-2021",
        published="2021-03-02",
        text="Las partes acordaron una tregua.",
    )
    write_report(
        content,
        "declaration-de-treve",
        title="Déclaration de trêve",
        language="fr",
        key="truce-2021",
        published="2021-03-03",
        text="Les parties ont convenu d'une trêve.",
    )
    return content


def listed_titles(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [a.get_text(strip=True) for a in soup.select("ol.document-list > li > a")]


def test_lists_show_one_entry_per_report_and_every_version_has_its_page(tmp_path):
    output = build(translated_site(tmp_path), tmp_path / "output")
    versions = ["truce-statement", "declaracion-de-tregua", "declaration-de-treve"]
    for name in versions:
        assert (output / "documents" / "test" / "2021" / f"{name}.html").is_file()
    titles = listed_titles(output / "collections" / "test.html")
    # The English version is listed (the site's default language); its translations not.
    assert "Truce statement" in titles
    assert "Declaración de tregua" not in titles and "Déclaration de trêve" not in titles
    assert listed_titles(output / "index.html").count("Truce statement") == 1


def test_a_version_links_the_others_and_lists_follow_the_interface_language(tmp_path):
    output = build(translated_site(tmp_path), tmp_path / "output")
    page = BeautifulSoup(
        (output / "documents/test/2021/truce-statement.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    links = page.select(".document__translations a")
    assert [(a.get_text(), a["hreflang"]) for a in links] == [("Español", "es"), ("Français", "fr")]
    assert [a["href"] for a in links] == [
        "../../../documents/test/2021/declaracion-de-tregua.html",
        "../../../documents/test/2021/declaration-de-treve.html",
    ]
    # The Spanish interface lists the report once, by its Spanish version; French likewise.
    spanish = listed_titles(output / "es" / "collections" / "test.html")
    assert "Declaración de tregua" in spanish and "Truce statement" not in spanish
    french = listed_titles(output / "fr" / "index.html")
    assert french.count("Déclaration de trêve") == 1 and "Truce statement" not in french
    # A version's page in a language folder links the other versions in that folder.
    spanish_page = output / "es/documents/test/2021/truce-statement.html"
    assert "También en:" in spanish_page.read_text(encoding="utf-8")


def test_every_version_is_searchable(tmp_path):
    output = build(translated_site(tmp_path), tmp_path / "output")
    documents = (output / "documents.json").read_text(encoding="utf-8")
    for title in ("Truce statement", "Declaración de tregua", "Déclaration de trêve"):
        assert title in documents


def test_a_key_that_points_nowhere_is_refused_with_its_line(sandbox):
    write_report(sandbox.content, "lonely", title="Lonely", language="en", key="no-such-report")
    result = sandbox.run("check")
    assert result.returncode != 0
    assert "articles/test/2021/lonely.md:6" in result.stdout + result.stderr
    assert "points nowhere" in result.stdout + result.stderr
    built = sandbox.run("build")
    assert built.returncode != 0 and "points nowhere" in built.stdout + built.stderr


def test_two_versions_in_one_language_are_refused(sandbox):
    write_report(sandbox.content, "one", title="One", language="en", key="twice")
    write_report(sandbox.content, "two", title="Two", language="en", key="twice")
    result = sandbox.run("check")
    assert result.returncode != 0
    assert "articles/test/2021/two.md:6" in result.stdout + result.stderr
    assert "same language (en)" in result.stdout + result.stderr


def test_a_malformed_key_names_the_fix(sandbox):
    write_report(sandbox.content, "odd", title="Odd", language="en", key="Not A Key")
    result = sandbox.run("check")
    assert result.returncode != 0
    assert "articles/test/2021/odd.md:6" in result.stdout + result.stderr
    assert "lowercase ASCII letters" in result.stdout + result.stderr


def page(name: str, front: str) -> tuple[str, bytes]:
    return f"pages/{name}.md", f"---\n{front}---\n\nText.\n".encode()


@pytest.mark.parametrize(
    "front, problem",
    [
        ("translation_of: contact\nlanguage: es\n", "'translation_of: contact' names no page"),
        ("translation_of: about\nlanguage: de\n", "'language: de' is not one of the site's"),
        ("translation_of: about\n", "needs both 'translation_of:' and 'language:'"),
        ("language: es\n", "needs both 'translation_of:' and 'language:'"),
        ("translation_of: About Us\nlanguage: es\n", "'About Us' is not a page's slug"),
    ],
)
def test_a_page_in_another_language_must_translate_a_page_into_one_of_the_sites(front, problem):
    pages = [parse_page(*page("about", "title: About\n"))[0]]
    try:
        pages.append(parse_page(*page("about.es", "title: Acerca\n" + front))[0])
    except ArchiveError as err:
        assert problem in str(err)
        return
    versions, problems = page_versions(pages, lambda p: Path(p.path).stem, ["es", "fr"])
    assert [problem in str(p) for p in problems] == [True] and versions == {}


def test_a_page_is_translated_once_per_language():
    pages = [parse_page(*page("about", "title: About\n"))[0]]
    for name in ("about.es", "acerca"):
        pages.append(parse_page(*page(name, "title: A\ntranslation_of: about\nlanguage: es\n"))[0])
    versions, problems = page_versions(pages, lambda p: Path(p.path).stem, ["es", "fr"])
    assert [str(p) for p in problems] == [
        "pages/acerca.md: pages/about.es.md already translates 'about' into 'es'. Fix: keep one "
        "of them."
    ]
    assert list(versions["about"]) == ["es"]
