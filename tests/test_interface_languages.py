"""A reader uses the whole archive in Spanish or French: the journey of issue 18, from disk.

From the English home page: switch to Español, open a document, its actor, search for a
word, switch to Français. Each switch must land on the same page in the other language, and
no label may be left in English: every text of the page's chrome (text nodes and the
attributes readers hear or see) is compared with the English catalog's messages.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, build, collect_errors, fixture_content
from pelican.settings import read_settings
from sitecheck import soup

from archive.model.registries import load_registries, untranslated_texts

CATALOGS = ROOT / "theme" / "translations"

#: Every text a reader meets in the page's chrome: text nodes and the attributes read out or
#: shown, outside the parts that are in a document's own language (marked with `lang`).
CHROME_TEXTS = """() => {
  const language = document.documentElement.lang;
  const own = (element) =>
    (element.closest('[lang]') || document.documentElement).lang === language;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style') || !own(parent)) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) texts.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (!own(element)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = element.getAttribute(name);
      if (value) texts.push(value.trim());
    }
  }
  texts.push(document.title);
  return texts;
}"""


def english_left(language: str) -> set[str]:
    """The catalog's English messages that `language` translates differently."""
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        catalog = read_po(handle, locale=language)
    english = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids:
            if "%(" not in source and source not in strings:
                english.add(source)
    return english


def assert_in_language(page, language: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language
    left = english_left(language)
    texts = page.evaluate(CHROME_TEXTS)
    assert texts, "the page shows no text"
    untranslated = sorted({text for text in texts if text in left})
    assert untranslated == [], f"English left on {page.url}: {untranslated}"


def switch(page, language: str) -> None:
    """Follow the language switcher to the same page in `language`."""
    before = page.url
    page.click(f"header a[hreflang='{language}']")
    page.wait_for_load_state("load")
    assert page.url != before


def same_page(url: str, other: str, site: Path) -> bool:
    """Whether two file:// URLs show the same page in two interface languages."""
    root = site.as_uri() + "/"

    def neutral(address: str) -> str:
        path = address.split("?")[0].removeprefix(root)
        first, _, rest = path.partition("/")
        return rest if first in ("es", "fr") else path

    return neutral(url) == neutral(other)


@pytest.fixture
def reader(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = collect_errors(page)
    yield page
    assert errors == []
    page.close()


def test_a_reader_goes_through_the_archive_in_spanish_then_french(reader, shipped_site):
    page = reader
    page.goto((shipped_site / "index.html").as_uri())
    assert page.evaluate("document.documentElement.lang") == "en"

    switch(page, "es")
    assert page.url == (shipped_site / "es" / "index.html").as_uri()
    assert_in_language(page, "es")
    # The site's own words (its subtitle) come from the settings, in each language.
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    assert settings["SITESUBTITLE"] not in page.inner_text("body")
    assert settings["LANGUAGES"]["subtitles"]["es"] in page.inner_text("main")

    page.click("main ol.document-list > li > a >> nth=0")
    page.wait_for_load_state("load")
    assert "/es/documents/" in page.url
    assert_in_language(page, "es")
    document = page.url

    page.click(".document__subjects a[href*='actors/'] >> nth=0")
    page.wait_for_load_state("load")
    assert "/es/actors/" in page.url
    assert_in_language(page, "es")

    page.fill("header form[data-site-search] input[name=q]", "tregua")
    page.press("header form[data-site-search] input[name=q]", "Enter")
    page.wait_for_selector(".search__result")
    assert "/es/search.html" in page.url
    assert_in_language(page, "es")
    status = page.inner_text(".search__status")
    assert "tregua" in status

    search = page.url
    switch(page, "fr")
    assert "/fr/search.html" in page.url and same_page(page.url, search, shipped_site)
    assert_in_language(page, "fr")

    page.goto(document)
    switch(page, "fr")
    assert same_page(page.url, document, shipped_site) and "/fr/documents/" in page.url
    assert_in_language(page, "fr")

    switch(page, "en")
    assert same_page(page.url, document, shipped_site) and "/es/" not in page.url
    assert page.evaluate("document.documentElement.lang") == "en"


def english_registry_texts() -> dict[str, str]:
    """The registries' English texts that have a translation which differs: text -> entry.

    Descriptions, rights labels and notices, and the About page's title and paragraphs
    (content/pages), each with spaces folded as a page's text nodes are compared.
    """
    registries = load_registries(ROOT / "content")
    described = [*registries.collections.items()]
    for kind in ("actor", "location", "publisher"):
        described += registries.terms_of(kind).terms.items()
    pairs = [(key, entry.description, entry.descriptions) for key, entry in described]
    for key, rights in registries.rights.items():
        pairs += [(key, rights.label, rights.labels), (key, rights.text, rights.texts)]
    texts = {}
    for key, own, translations in pairs:
        if own and any(text != own for _, text in translations):
            texts[" ".join(own.split())] = key
    about = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    for block in about.split("\n---\n", 1)[1].split("\n\n"):
        if block.strip() and not block.lstrip().startswith(("-", "#")):
            texts[" ".join(block.split())] = "about"
    return texts


@pytest.mark.parametrize("language", ["es", "fr"])
def test_no_page_shows_an_english_registry_text_or_message_where_a_translation_exists(
    shipped_site, language
):
    """Every page of the es/ and fr/ sites: registry descriptions, rights labels and notices,
    the About page and the catalog's messages are in the reader's language.

    The shipped registries translate every text (archive check lists none): an English one
    may not appear at all, marked as English or not; a catalog message not in the page's own
    language parts either.
    """
    assert untranslated_texts(load_registries(ROOT / "content"), ["es", "fr"]) == []
    registry = english_registry_texts()
    catalog = english_left(language)
    found = {}
    pages = sorted((shipped_site / language).rglob("*.html"))
    assert len(pages) > 200
    for path in pages:
        for node in soup(path).find_all(string=True):
            if node.parent.name in ("script", "style", "template") or not node.strip():
                continue
            text = " ".join(node.split())
            marked = node.find_parent(attrs={"lang": True})
            own = marked is None or marked["lang"] == language
            if text in registry or (own and text in catalog):
                found.setdefault(text[:60], path.relative_to(shipped_site).as_posix())
    assert found == {}
    about = soup(shipped_site / language / "about.html")
    assert about.select_one("article.page").get("lang") is None  # in the reader's language


def test_a_spanish_document_keeps_its_language_in_an_english_page(reader, shipped_site):
    spanish = next(
        path
        for path in sorted((shipped_site / "documents").rglob("*.html"))
        if re.search(r"<h1 [^>]*lang=\"es\"", path.read_text(encoding="utf-8"))
    )
    reader.goto(spanish.as_uri())
    assert reader.evaluate("document.documentElement.lang") == "en"
    language_of = "(selector) => document.querySelector(selector).closest('[lang]').lang"
    assert reader.evaluate(language_of, ".document__body") == "es"
    assert reader.evaluate(language_of, ".document__header h1") == "es"
    assert reader.evaluate(language_of, ".site-header") == "en"


ARABIC = """---
title: بيان حول وقف إطلاق النار
published: 2021-05-01
collection: Test Collection
language: ar
source:
  publisher: وكالة الأنباء
---

أعلنت الأطراف وقفا لإطلاق النار.

> قال المتحدث إن الهدنة ستبدأ غدا.

- البند الأول
- البند الثاني
"""


def test_an_arabic_document_reads_right_to_left(tmp_path, browser):
    """The theme's logical CSS mirrors a right-to-left text: it starts at the right."""
    content = fixture_content("minimal", tmp_path)
    source = content / "articles" / "test" / "2021" / "waqf.md"
    source.parent.mkdir(parents=True)
    source.write_text(ARABIC, encoding="utf-8")
    output = build(content, tmp_path / "output")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = collect_errors(page)
    page.goto((output / "documents/test/2021/waqf.html").as_uri())
    layout = page.evaluate("""() => {
      const body = document.querySelector('.document__body');
      const box = body.getBoundingClientRect();
      const text = document.createRange();
      text.selectNodeContents(body.querySelector('p'));
      const line = text.getClientRects()[0];
      const quote = getComputedStyle(body.querySelector('blockquote'));
      const item = body.querySelector('li').getBoundingClientRect();
      return {
        dir: body.closest('[dir]').dir, lang: body.closest('[lang]').lang,
        direction: getComputedStyle(body).direction,
        gapRight: box.right - line.right, gapLeft: line.left - box.left,
        quoteRight: quote.borderRightStyle, quoteLeft: quote.borderLeftStyle,
        itemIndentRight: box.right - item.right, itemIndentLeft: item.left - box.left,
      };
    }""")
    assert (layout["dir"], layout["lang"], layout["direction"]) == ("rtl", "ar", "rtl")
    # The first line starts at the right edge and leaves the left side empty.
    assert layout["gapRight"] < 2 < layout["gapLeft"]
    # The quotation's rule and the list's indent are on the right, where the text starts.
    assert (layout["quoteRight"], layout["quoteLeft"]) == ("solid", "none")
    assert layout["itemIndentRight"] > layout["itemIndentLeft"]
    assert errors == []


def test_documents_and_the_search_index_are_made_once_whatever_the_languages(tmp_path, monkeypatch):
    """Three interface languages render the chrome three times, and nothing else."""
    from markdown_it import MarkdownIt

    from plugins.search import offline

    rendered, indexes = Counter(), []
    render, write_index = MarkdownIt.render, offline.write_index

    def counting_render(self, source, env=None):
        rendered[source] += 1
        return render(self, source, env)

    def counting_index(folder, *args, **kwargs):
        indexes.append(folder)
        return write_index(folder, *args, **kwargs)

    monkeypatch.setattr(MarkdownIt, "render", counting_render)
    monkeypatch.setattr(offline, "write_index", counting_index)
    content = fixture_content("minimal", tmp_path)
    for languages in (["en"], ["en", "es", "fr"]):
        rendered.clear()
        indexes.clear()
        output = tmp_path / "-".join(languages)
        build(content, output, LANGUAGES={"interface": languages})
        assert rendered and set(rendered.values()) == {1}, rendered  # each text once
        assert len(indexes) == 1 and Path(indexes[0]).parent == output
        for code in languages[1:]:
            assert (output / code / "index.html").is_file()
            assert not (output / code / "search-index").exists()
