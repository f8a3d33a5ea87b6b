"""The site's interface languages: their catalogs, where their pages go, what a page knows.

Readers use the archive in English, Spanish or French. Every page exists once per interface
language: the first language at the root of the site, each other one in a folder named by
its code (`es/`, `fr/`). Only the page chrome differs between them; the documents are read
and rendered to HTML once, and the files every language shares (the theme's static files,
the search index, captures, downloads) exist once, at the root. So a page knows two bases:
`SITEURL`, the root of its own language's pages (Pelican computes it for each page), and
`SHARED_URL`, the root of the site.

The theme's strings go through gettext (Jinja2's i18n extension); the catalogs are the
`.po` files under the theme's `translations/` folder, compiled when the build loads them,
so the repository never holds a compiled `.mo` that could disagree with its source.
Dates and numbers are formatted by Babel for the interface language.
"""

from __future__ import annotations

import gettext
import io
import os
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from html import escape as html_escape
from html import unescape as html_unescape

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import pass_context
from markupsafe import Markup
from pelican.utils import get_relative_path, path_to_url

from archive.model.problems import fail
from archive.model.translations import version_in
from archive.site.pelican_internals import links_resolved

DEFAULTS = {
    # Interface languages, by code; the first one's pages are at the root of the site.
    "interface": None,  # None: only DEFAULT_LANG
    # Babel locale for dates and numbers per language, where the language's own code is
    # not the wanted one (English dates as "12 June 2017", not "June 12, 2017").
    "locales": {"en": "en_GB"},
    # The site's subtitle in the other interface languages (SITESUBTITLE is the first's).
    "subtitles": {},
}
DOMAIN = "messages"


def settings_of(settings: dict) -> dict:
    """The languages settings (`LANGUAGES = {...}`) over their defaults."""
    options = {**DEFAULTS, **settings.get("LANGUAGES", {})}
    options["interface"] = list(options["interface"] or [settings.get("DEFAULT_LANG", "en")])
    return options


@dataclass(frozen=True)
class InterfaceLanguage:
    """One interface language: its code, its folder under the site root, its own name."""

    code: str
    folder: str  # "" for the first language, whose pages are at the root
    name: str  # the language's name in itself: "Español"
    direction: str  # "ltr" or "rtl"
    locale: str  # Babel locale for dates and numbers
    subtitle: str = ""  # the site's subtitle in this language, if the settings give one

    def page_context(self, name: str, languages: list[InterfaceLanguage]) -> dict:
        """What a page of this language, written as `name` in its folder, adds to its context.

        `name` is the page's file relative to this language's root (Pelican's `output_file`).
        """
        shared = path_to_url(get_relative_path(posixpath.join(self.folder, name)))
        subtitle = {"SITESUBTITLE": self.subtitle} if self.subtitle else {}
        return subtitle | {
            "INTERFACE_LANG": self.code,
            "INTERFACE_DIR": self.direction,
            "INTERFACE_LOCALE": self.locale,
            "INTERFACE_FOLDER": self.folder,
            "SHARED_URL": shared,
            "language_links": [
                {
                    "code": other.code,
                    "name": other.name,
                    "folder": other.folder,
                    "prefix": posixpath.join(shared, other.folder, ""),
                    "current": other is self,
                }
                for other in languages
            ],
        }


@cache
@cache
def language_direction(code: str) -> str:
    """The direction a language is written in: "rtl" (Arabic, Hebrew, Persian…) or "ltr"."""
    try:
        order = Locale.parse(code.replace("-", "_")).character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def interface_languages(settings: dict) -> list[InterfaceLanguage]:
    """The interface languages the settings ask for, the first one at the root."""
    options = settings_of(settings)
    languages = []
    for position, code in enumerate(options["interface"]):
        locale = options["locales"].get(code, code)
        try:
            Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            fail(
                "settings",
                None,
                f"LANGUAGES lists the interface language {code!r}, which is not a language code",
                "use a code such as en, es, fr or ar",
            )
        languages.append(
            InterfaceLanguage(
                code=code,
                folder="" if position == 0 else code,
                name=language_autonym(code),
                direction=language_direction(code),
                locale=locale,
                subtitle=options["subtitles"].get(code, "") if position else "",
            )
        )
    return languages


def catalog_folder(settings: dict) -> str:
    """Where the theme keeps its message catalogs: `<theme>/translations/<code>/LC_MESSAGES`."""
    return os.path.join(settings["THEME"], "translations")


@cache
def _compiled(path: str, mtime: float, code: str) -> Translations:
    with open(path, encoding="utf-8") as handle:
        catalog = read_po(handle, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translations(settings: dict, code: str) -> gettext.NullTranslations:
    """The compiled catalog of one interface language (English needs none: it is the source)."""
    path = os.path.join(catalog_folder(settings), code, "LC_MESSAGES", f"{DOMAIN}.po")
    if not os.path.exists(path):
        if code == "en":
            return gettext.NullTranslations()
        fail(
            path,
            None,
            f"the interface language {code!r} has no message catalog",
            f"run `make translations` to create {path}, then translate its messages",
        )
    return _compiled(path, os.path.getmtime(path), code)


def use_language(environment, settings: dict, language: InterfaceLanguage) -> None:
    """Have `environment`'s templates speak `language` from now on."""
    if getattr(environment, "interface_language", None) == language.code:
        return
    catalog = translations(settings, language.code)
    environment.install_gettext_translations(catalog, newstyle=True)
    if environment.autoescape is True:  # what Messages assumes of every template
        messages = _messages(catalog)
        environment.globals.update(_=messages.gettext, gettext=messages.gettext)
        environment.globals.update(ngettext=messages.ngettext)
    environment.interface_language = language.code


class Messages:
    """Jinja2's "newstyle" gettext and ngettext for one catalog, in one call each.

    The i18n extension routes every `_()` through three context calls and formats the
    message anew each time; a page says some fifty messages and an archive has tens of
    thousands of pages. These return what the extension's newstyle functions return in an
    autoescaping environment (the translation as Markup, %-formatted with its variables,
    which are escaped), and keep each message said without variables.
    """

    def __init__(self, catalog: gettext.NullTranslations):
        self.catalog = catalog
        self.said: dict[str, Markup] = {}

    def gettext(self, message: str, /, **variables) -> Markup:
        """`_("…")` and `{% trans %}` in a template."""
        if variables:
            return Markup(self.catalog.gettext(message)) % variables
        said = self.said.get(message)
        if said is None:
            said = self.said[message] = Markup(self.catalog.gettext(message)) % {}
        return said

    def ngettext(self, singular: str, plural: str, num: int, /, **variables) -> Markup:
        """`ngettext(…)` and `{% trans count=… %}…{% pluralize %}` in a template."""
        variables.setdefault("num", num)
        return Markup(self.catalog.ngettext(singular, plural, num)) % variables


@cache
def _messages(catalog: gettext.NullTranslations) -> Messages:
    return Messages(catalog)


def _locale_of(context) -> str:
    return context.get("INTERFACE_LOCALE") or context.get("INTERFACE_LANG") or "en"


# Babel parses its locale data on every call: an archive formats the same few thousand dates
# and counts on tens of thousands of pages, so each answer is kept for the build.
@cache
def _date_in(value, format: str, locale: str) -> str:  # noqa: A002 (Babel's name)
    return babel_format_date(value, format=format, locale=locale)


@cache
def _number_in(value, locale: str) -> str:
    return format_decimal(value, locale=locale)


@pass_context
def format_date(context, value, format: str = "long") -> str:  # noqa: A002 (Babel's name)
    """A date in the interface language: "12 June 2017", "12 de junio de 2017"."""
    return _date_in(value, format, _locale_of(context))


@pass_context
def format_number(context, value) -> str:
    """A number in the interface language: "10,000", "10.000", "10 000"."""
    return _number_in(value, _locale_of(context))


@pass_context
def language_name(context, code: str) -> str:
    """The name of the language `code` in the interface language: "Spanish", "español"."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(_locale_of(context)) or code
    except (ValueError, UnknownLocaleError):
        return code


@pass_context
def in_interface_language(context, article):
    """The version of `article`'s report in the interface language, where it has one."""
    return version_in(article, context.get("INTERFACE_LANG", ""))


#: A link in rendered content: the attribute, then its (double-quoted) address.
_CONTENT_LINK = re.compile(r'(\b(?:href|src)=")([^"]*)"')
#: An address that does not start from the page: a scheme, the site root, or this page.
_NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?|$)")


@pass_context
def content_links(context, html: str) -> Markup:
    """A document's or page's HTML with links that work from this language's folder.

    The text's links are relative to where the page sits at the site's root. A page in
    `es/` is one folder deeper: links to pages still lead to this language's pages (every
    page exists in each language), but links to the files that exist once, at the root
    (captures, attachments, downloads, the theme's files), must climb out of the folder.
    """
    folder = context.get("INTERFACE_FOLDER")
    if not folder:
        return Markup(html)
    here = posixpath.dirname(context["output_file"])
    shared = tuple(
        f"{path.strip('/')}/"
        for path in [*context.get("STATIC_PATHS", ()), context.get("THEME_STATIC_DIR", "theme")]
        if path
    )

    def rebase(match: re.Match) -> str:
        address = match.group(2)
        if _NOT_RELATIVE.match(address):
            return match.group(0)
        path, *tail = re.split(r"([?#])", address, maxsplit=1)
        target = posixpath.normpath(posixpath.join(here, html_unescape(path)))
        if target.endswith(".html") and not target.startswith(shared):
            return match.group(0)  # a page: this language has it
        climbed = posixpath.relpath(target, posixpath.join(folder, here))
        return f'{match.group(1)}{html_escape(climbed)}{"".join(tail)}"'

    return Markup(_CONTENT_LINK.sub(rebase, str(html)))


@cache
def language_autonym(code: str) -> str:
    """The name of the language `code` in itself: "Español", "Français"."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


@pass_context
def lang_attributes(context, code: str | None) -> Markup:
    """` lang="es" dir="ltr"`: an element's text is in another language than the page's.

    Text in a language other than the interface language (a document's title and text, the
    registries' descriptions) says so, for screen readers, hyphenation and direction:
    `<p{{ lang_attributes(doc.lang) }}>`. Nothing when it is the interface language. A
    function, not a macro: it is called for every entry of every list of documents.
    """
    if code and code != context.get("INTERFACE_LANG"):
        return Markup(' lang="{}" dir="{}"').format(code, language_direction(code))
    return Markup("")


@pass_context
def pagefind_copy(context, article) -> bool:
    """Whether this copy of a published document's page is the one Pagefind indexes.

    Every document page exists once per interface language, and Pagefind indexes a page in
    the language of its `<html lang>`: the copy whose interface speaks the document's own
    language is indexed (`es/` for a Spanish report), so each document is indexed once and
    stemmed in its language. A document in a language the interface does not speak is
    indexed at the root, in the first interface language. Drafts never are.
    """
    if article.status != "published":
        return False
    here = context.get("INTERFACE_LANG")
    interface = [link["code"] for link in context.get("language_links") or []]
    if article.lang in interface:
        return here == article.lang
    return not context.get("INTERFACE_FOLDER")


@pass_context
def list_summary(context, content) -> Markup:
    """A document's `summary:` as a list shows it: its links lead from the page it is on.

    Pelican resolves a summary's links once, as if every list were at the site's root, so
    a link in a summary was broken on every page one folder down (collections/, es/).
    """
    html = links_resolved(content, content.summary_unresolved, context.get("SITEURL", ""))
    return content_links(context, html)


#: Functions every template can call.
GLOBALS = {
    "lang_attributes": lang_attributes,
    "list_summary": list_summary,
    "pagefind_copy": pagefind_copy,
}

FILTERS = {
    "content_links": content_links,
    "in_interface_language": in_interface_language,
    "format_date": format_date,
    "format_number": format_number,
    "language_name": language_name,
    "language_autonym": language_autonym,
    "text_direction": language_direction,
}
