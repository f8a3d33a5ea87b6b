"""The theme speaks English, Spanish and French: complete catalogs that match the templates,
a layout that mirrors for right-to-left languages, and every page in every language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from conftest import ROOT, SEED_ARTICLE, theme_address
from jinja2 import Environment
from pelican.settings import read_settings
from sitecheck import html_files, soup

from archive.model.terms import ACTORS, LOCATIONS
from archive.site.interface import interface_languages, translations, use_language

CATALOGS = ROOT / "theme" / "translations"
LANGUAGES = ("en", "es", "fr")
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
#: Translations rightly the same as their English source: the same word in the language, or
#: nothing to translate but punctuation (which French spaces differently, Spanish not).
SAME_AS_ENGLISH = {
    "es": {
        "%(date)s: %(note)s",
        "%(date)s: %(reason)s",
        "%(period)s: %(documents)s",
        "%(place)s: %(documents)s",
        "A–Z",
        "Actor",
        "actor",
    },
    "fr": {
        "%(num)s document",
        "1 document",
        "A–Z",
        "Collection",
        "Collections",
        "Corrections",
        "corrections",
        "District",
        "document",
        "Documents",
        "Latitude, longitude",
        "MMMM y",  # a Babel date pattern: "juin 2017"
        "Menu",
        "Site",
        "Source",
        "Sources",
        "Types",
        "Village",
        "{count} document",
    },
}
#: A document in Spanish, imported with its captured page.
SPANISH_DOCUMENT = (
    "documents/syria-war/2016/zapadores-sirios-desactivan-36-minas-cerca-de-palmira.html"
)
#: Placeholders: %(name)s for gettext in templates, {name} for search.js's messages.
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def catalog(code: str) -> Catalog:
    with open(CATALOGS / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=code)


def forms(message) -> list[tuple[str, str]]:
    """Each translated form of a message with the source it translates: (source, string).

    The first form translates the singular, every other form the plural.
    """
    if not isinstance(message.id, tuple):
        return [(message.id, message.string)]
    singular, plural = message.id
    return [(singular if n == 0 else plural, s) for n, s in enumerate(message.string)]


def key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def extracted() -> Catalog:
    """The templates' messages, extracted in-process as `make translations` does (babel.cfg)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    found = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, comment_tags=("Translators:",)
    ):
        found.add(message, locations=[(filename, lineno)], context=context)
    return found


def ids(messages: Catalog) -> set:
    return {(message.context, message.id) for message in messages if message.id}


# --- The catalogs ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_none_fuzzy_none_obsolete(code):
    messages = catalog(code)
    assert messages.plural_forms == PLURAL_FORMS[code]
    untranslated = [key(m) for m in messages if m.id and not all(s for _, s in forms(m))]
    fuzzy = [key(m) for m in messages if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert list(messages.obsolete) == []
    assert not messages.fuzzy  # the header
    for message in messages:
        if isinstance(message.id, tuple):
            assert len(message.string) == messages.num_plurals, key(message)
    # Babel's own checks: plural forms and python-format placeholders.
    assert [(key(m), errors) for m, errors in messages.check()] == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_themes_gettext_says_what_jinjas_i18n_extension_says(code):
    """archive.site.interface.Messages stands in for the extension's newstyle functions: every
    message of the catalog, with markup in its variables, renders the same through both."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    language = next(lang for lang in interface_languages(settings) if lang.code == code)
    jinjas = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    jinjas.install_gettext_translations(translations(settings, code), newstyle=True)
    ours = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    use_language(ours, settings, language)
    assert ours.globals["_"] != jinjas.globals["_"]
    for message in catalog(code):
        if not message.id:
            continue
        names = {m[0] or m[1] for m in PLACEHOLDER.findall(" ".join(forms(message)[0]))}
        variables = {name: f'<b title="{name}">&</b>' for name in names}
        if isinstance(message.id, tuple):
            source = "{{ ngettext(singular, plural, n, **variables) }}"
            cases = [{"singular": message.id[0], "plural": message.id[1], "n": n} for n in (1, 2)]
        else:
            source = "{{ _(message, **variables) }} {{ gettext(message, **variables) }}"
            cases = [{"message": message.id}]
        for case in cases:
            said = ours.from_string(source).render(**case, variables=variables)
            assert said == jinjas.from_string(source).render(**case, variables=variables)
            assert "<b" not in said
    trans = '{% trans name=name %}Documents about %(name)s{% endtrans %} {{ _("100%%") }}'
    trans += "{% trans count=2 %}%(count)s <b>{% pluralize %}%(count)s <i>{% endtrans %}"
    assert ours.from_string(trans).render(name="<i>") == jinjas.from_string(trans).render(
        name="<i>"
    )


def test_the_english_catalog_translates_each_message_as_itself():
    for message in catalog("en"):
        if message.id:
            for source, string in forms(message):
                assert string == source


@pytest.mark.parametrize("code", ["es", "fr"])
def test_a_translation_equals_its_english_source_only_where_listed(code):
    same = {key(m) for m in catalog(code) if m.id and all(s == src for src, s in forms(m))}
    assert same == SAME_AS_ENGLISH[code]


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_of_each_translation_match_its_source(code):
    for message in catalog(code):
        if not message.id:
            continue
        for source, string in forms(message):
            names = sorted(PLACEHOLDER.findall(string))
            assert names == sorted(PLACEHOLDER.findall(source)), (key(message), string)
            # Newstyle gettext always %-formats: a stray % would break the page.
            values = {name: "" for name, _ in PLACEHOLDER.findall(source) if name}
            string % values  # noqa: B018


def test_catalogs_and_template_hold_exactly_the_templates_messages():
    """`make translations` has been run since the templates last changed."""
    wanted = ids(extracted())
    assert len(wanted) > 150
    with open(CATALOGS / "messages.pot", "rb") as handle:
        assert ids(read_po(handle)) == wanted
    for code in LANGUAGES:
        assert ids(catalog(code)) == wanted, code


def test_every_type_of_actor_and_place_has_a_message():
    messages = {key(m) for m in catalog("en")}
    types = set(ACTORS.types) | set(LOCATIONS.types)
    assert {kind.capitalize() for kind in types} <= messages


# --- Right to left: logical properties only ----------------------------------------------------

PHYSICAL = re.compile(r"\b(left|right)\b")
FOUR_SIDES = {"margin", "padding", "inset", "border-width", "border-style", "border-color"}


def declarations(css: str):
    """(property, value) of every declaration of a stylesheet, nested blocks included."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\"[^\"]*\"|'[^']*'", '""', css)  # strings (content: "›") are not values
    for match in re.finditer(r"(?<=[{;])\s*(-?[a-z][-a-z]*)\s*:\s*([^;{}]+)(?=[;}])", css):
        yield match.group(1).lower(), " ".join(match.group(2).split())


def test_the_stylesheets_use_logical_properties_so_a_page_mirrors_right_to_left():
    problems = []
    sheets = sorted((ROOT / "theme" / "static" / "css").glob("*.css"))
    assert len(sheets) >= 4
    for sheet in sheets:
        found = list(declarations(sheet.read_text(encoding="utf-8")))
        assert found, sheet
        for prop, value in found:
            where = f"{sheet.name}: {prop}: {value}"
            if PHYSICAL.search(prop) or PHYSICAL.search(value):
                problems.append(where)
            values = value.split()
            if prop in FOUR_SIDES and len(values) == 4 and values[1] != values[3]:
                problems.append(where + " (left and right differ)")
            if prop == "border-radius" and len(value.split("/")[0].split()) > 1:
                problems.append(where + " (corners left and right)")
    assert problems == []


def test_the_physical_property_check_catches_physical_properties():
    css = """.a { margin-left: 1rem; text-align: right; }
    @media print { .b { padding: 0 1rem 0 2rem; float: left; } }
    .c:hover { margin-inline-start: 1rem; text-align: end; content: "left"; }"""
    flagged = [(p, v) for p, v in declarations(css) if PHYSICAL.search(p) or PHYSICAL.search(v)]
    assert flagged == [("margin-left", "1rem"), ("text-align", "right"), ("float", "left")]
    assert ("padding", "0 1rem 0 2rem") in list(declarations(css))


# --- The built site in every interface language ------------------------------------------------


def english_left(code: str) -> set[str]:
    """English messages (without placeholders) that `code` translates differently."""
    english = set()
    for message in catalog(code):
        for source, string in forms(message):
            if message.id and string != source and not PLACEHOLDER.search(source):
                english.add(source)
    return english


def plain(text: str) -> str:
    return " ".join(text.split())


def interface_texts(page) -> list[str]:
    """What a reader of the page's interface language reads or hears of its chrome: text
    nodes, titles, labels and the search page's messages, outside text marked with another
    language (a document's own text, a notice in the registry's language)."""
    language = page.html["lang"]

    def own(element) -> bool:
        marked = element if element.has_attr("lang") else element.find_parent(lang=True)
        return marked is None or marked["lang"] == language

    texts = [
        plain(node)
        for node in page.find_all(string=True)
        if plain(node) and node.parent.name not in ("script", "style") and own(node.parent)
    ]
    for element in filter(own, page.find_all(True)):
        names = ("aria-label", "title", "alt", "placeholder")
        texts += [plain(element[name]) for name in names if element.get(name)]
        if element.get("data-messages"):
            for value in json.loads(element["data-messages"]).values():
                texts += list(value.values()) if isinstance(value, dict) else [value]
    return texts


def interface_pages(site: Path, code: str) -> list[Path]:
    return html_files(site / code)


def test_every_page_exists_in_every_interface_language(shipped_site):
    root = {
        path.relative_to(shipped_site)
        for path in html_files(shipped_site)
        if path.relative_to(shipped_site).parts[0] not in ("es", "fr")
    }
    assert len(root) > 100
    for code in ("es", "fr"):
        folder = shipped_site / code
        pages = {path.relative_to(folder) for path in interface_pages(shipped_site, code)}
        assert pages == root, code
        for path in interface_pages(shipped_site, code):
            html = soup(path).html
            assert (html["lang"], html["dir"]) == (code, "ltr"), path
    for path in sorted(root):
        html = soup(shipped_site / path).html
        assert (html["lang"], html["dir"]) == ("en", "ltr"), path


@pytest.mark.parametrize("code", ["es", "fr"])
def test_no_english_message_is_left_on_a_translated_page(shipped_site, code):
    left = english_left(code)
    found = {}
    for path in interface_pages(shipped_site, code):
        for text in interface_texts(soup(path)):
            if text in left:
                found.setdefault(text, path.relative_to(shipped_site).as_posix())
    assert found == {}


def test_the_english_check_finds_english_in_an_untranslated_page(shipped_site):
    """The check above reads text nodes, labels and the search page's messages alike."""
    left = english_left("es")
    html = (shipped_site / "search.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html.replace('lang="en"', 'lang="es"', 1), "html.parser")
    texts = set(interface_texts(page))
    assert {"Skip to content", "Search the documents", "Main", "Loading the search index…"} <= (
        texts & left
    )


def test_dates_and_numbers_are_in_the_interface_language(shipped_site):
    def facts(path: Path) -> dict[str, str]:
        page = soup(path)
        return {
            plain(dt.get_text()): plain(dt.find_next_sibling("dd").get_text())
            for dt in page.select(".provenance dt")
        }

    assert facts(shipped_site / SEED_ARTICLE)["In this archive since"] == "25 November 2026"
    spanish = facts(shipped_site / "es" / SEED_ARTICLE)
    assert spanish["En este archivo desde"] == "25 de noviembre de 2026"
    assert spanish["Fecha original"] == "9 de junio de 2017"
    assert spanish["Republicado por"] == "Equipo Nizkor, 12 de junio de 2017"
    french = facts(shipped_site / "fr" / SEED_ARTICLE)
    assert french["Dans cette archive depuis"] == "25 novembre 2026"
    listed = soup(shipped_site / "es" / "collections" / "syria-war.html")
    dates = [plain(t.get_text()) for t in listed.select(".document-list time")]
    assert dates and all(" de " in date for date in dates)
    assert "de junio de" in " ".join(dates)
    timeline = soup(shipped_site / "fr" / "archive" / "index.html").select_one(".timeline svg")
    assert plain(timeline.title.get_text()).startswith("Documents par année : 46 documents de ")


def test_a_document_keeps_its_own_language_inside_the_interface_language(shipped_site):
    page = soup(shipped_site / SPANISH_DOCUMENT)
    assert page.html["lang"] == "en"
    assert (page.h1["lang"], page.h1["dir"]) == ("es", "ltr")
    assert page.select_one(".document__body")["lang"] == "es"
    same_in_spanish = soup(shipped_site / "es" / SPANISH_DOCUMENT)
    assert same_in_spanish.html["lang"] == "es"
    assert not same_in_spanish.h1.has_attr("lang")
    assert not same_in_spanish.select_one(".document__body").has_attr("lang")
    english_in_spanish = soup(shipped_site / "es" / SEED_ARTICLE)
    assert english_in_spanish.h1["lang"] == "en"
    titles = soup(shipped_site / "es" / "collections" / "syria-war.html").select(
        ".document-list > li > a"
    )
    assert {a.get("lang", "es") for a in titles} == {"en", "es", "fr"}


def test_names_of_actors_places_and_collections_are_in_the_interface_language(shipped_site):
    page = soup(shipped_site / "es" / SEED_ARTICLE)
    subjects = [plain(a.get_text()) for a in page.select(".document__subjects a")]
    assert "Estado Islámico" in subjects
    assert plain(page.select_one(".document__collection").get_text()) == "Guerra en Siria"
    french = soup(shipped_site / "fr" / "actors" / "islamic-state.html")
    assert plain(french.h1.get_text()) == "État islamique"


def test_the_language_switcher_leads_to_the_same_page_in_each_language(shipped_site):
    folders = {"en": shipped_site, "es": shipped_site / "es", "fr": shipped_site / "fr"}
    for code, folder in folders.items():
        for path in html_files(folder):
            name = path.relative_to(folder)
            if code == "en" and name.parts[0] in ("es", "fr"):
                continue
            links = soup(path).select("header nav.language-switcher a")
            assert [a["hreflang"] for a in links] == list(LANGUAGES), path
            assert [a["lang"] for a in links] == list(LANGUAGES)
            assert [a.get("aria-current") for a in links] == [
                "page" if other == code else None for other in LANGUAGES
            ]
            for link in links:
                target = (path.parent / link["href"]).resolve()
                assert target == (folders[link["hreflang"]] / name).resolve(), (path, link)
    switcher = soup(shipped_site / "fr" / "index.html").select_one("nav.language-switcher")
    assert switcher["aria-label"] == "Langue"
    assert [plain(a.get_text()) for a in switcher.select("a")] == ["English", "Español", "Français"]


def test_shared_files_are_linked_at_the_site_root_from_every_language(shipped_site):
    page = soup(shipped_site / "es" / SEED_ARTICLE)
    sheet = page.select_one("link[rel=stylesheet]")["href"]
    assert sheet == "../../../../" + theme_address("css/main.css")
    capture = soup(shipped_site / "es" / SPANISH_DOCUMENT).select_one("a[type='text/plain']")
    assert capture["href"].startswith("../../../../captures/syria-war/2016/")
    assert (shipped_site / "es" / SPANISH_DOCUMENT).parent.joinpath(capture["href"]).is_file()
    search = soup(shipped_site / "fr" / "search.html").select_one("[data-search]")
    assert search["data-index"] == "../search-index/"
    assert search["data-pages"] == "./"


def test_the_search_page_gives_search_js_its_messages_in_the_interface_language(shipped_site):
    def messages(code: str) -> dict:
        folder = shipped_site if code == "en" else shipped_site / code
        page = soup(folder / "search.html")
        return json.loads(page.select_one("[data-search]")["data-messages"])

    english, spanish, french = messages("en"), messages("es"), messages("fr")
    assert set(english) == set(spanish) == set(french)
    for name, value in english.items():
        if isinstance(value, dict):  # a message with a count: its CLDR plural categories
            assert set(value) == {"one", "other"}, name
            one, other = (set(PLACEHOLDER.findall(value[form])) for form in ("one", "other"))
            assert one == other, name
            assert spanish[name]["other"] != value["other"], name
        else:
            assert set(PLACEHOLDER.findall(spanish[name])) == set(PLACEHOLDER.findall(value))
    assert english["many"] == {
        "one": "{count} document for {what}",
        "other": "{count} documents for {what}",
    }
    assert spanish["many"]["other"] == "{count} documentos para {what}"
    assert french["entityDocuments"] == {"one": "{count} document", "other": "{count} documents"}
    assert french["query"] == "«\u00a0{query}\u00a0»"
