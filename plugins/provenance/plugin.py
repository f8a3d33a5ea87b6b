"""Pelican plugin: provenance, the archive's legal basis and its credibility.

Every document page shows where the document comes from and the notice under which it is
republished, offers ready-made citations and carries citation metadata for Zotero, Google
Scholar and search engines; every other page shows the site-wide notice and how to cite the
archive. After the site is written, every HTML file is checked for its notice, so a template
added later without it fails the build instead of publishing a page with no legal basis.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from archive.model.citations import (
    Citation,
    CopyInArchive,
    archive_record,
    citations,
    csl_record,
)
from archive.model.csl import entry
from archive.model.link_states import SHOWN, load_states, wayback
from archive.model.metadata import json_ld, meta_tags
from archive.model.problems import ArchiveError, Problem, fail
from archive.model.registries import Rights, load_registries
from archive.site.interface import interface_languages

DEFAULTS = {
    # The archive's public address: citations point readers there, also from an offline copy.
    # Empty: citations name the archive without an address (local builds).
    "site_url": "",
    # Publish builds set this: a missing or placeholder site_url then stops the build.
    "require_site_url": False,
    # The notice shown on pages that are not documents (a key of registry/rights.yml).
    "site_rights": "fair-use-us",
}
#: The marker templates put on the element holding a page's rights notice.
MARKER = 'data-provenance="notice"'


class DocumentProvenance:
    """A document's citations and metadata, computed when its page is rendered.

    Pages are rendered by parallel workers (archive/site/rendering.py): computing these
    there, not for every document up front, spreads the work over every core.
    """

    def __init__(self, document, copy: CopyInArchive, site_url: str, key: str):
        self.document, self.copy, self.site_url, self.key = document, copy, site_url, key
        self._citations: dict[str, tuple[Citation, ...]] = {}

    @cached_property
    def record(self) -> dict:
        """The CSL-JSON record: the citation and the whole chain, for reference managers."""
        return csl_record(self.document, self.copy, self.key)

    @cached_property
    def record_download(self) -> str:
        """The record as a `data:` address, so that it downloads from any copy of the site.

        Compact JSON in base64: about 60 % of the bytes percent-encoding took, on every page.
        """
        text = json.dumps([self.record], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        encoded = base64.b64encode(text.encode()).decode("ascii")
        return "data:application/vnd.citationstyles.csl+json;base64," + encoded

    def citations_in(self, language: str) -> tuple[Citation, ...]:
        """Chicago, APA and BibTeX citations, in the interface language's locale."""
        if language not in self._citations:
            self._citations[language] = citations(self.record, language)
        return self._citations[language]

    @cached_property
    def meta_tags(self):
        """Highwire and Dublin Core (name, content) pairs."""
        return meta_tags(self.document, self.copy)

    @cached_property
    def json_ld(self):
        """The schema.org description, as a dict for the `tojson` filter."""
        return json_ld(self.document, self.copy, self.site_url + "/")


@dataclass(frozen=True)
class SiteProvenance:
    """What pages that are not documents show: the site notice and how to cite the archive."""

    rights: Rights
    site_url: str
    record: dict

    def citation_in(self, language: str) -> str:
        """The archive's citation (APA: a website as a whole), in the interface language."""
        return _archive_citation(json.dumps(self.record, sort_keys=True), language)


@functools.lru_cache(maxsize=16)
def _archive_citation(record: str, language: str) -> str:
    """Formatted once per language: every page that is not a document shows it."""
    return entry(json.loads(record), "APA", language).html


#: Hosts that are never an archive's real address (RFC 2606 names, this machine).
PLACEHOLDER_HOST = re.compile(r"(^|\.)(example\.(org|com|net)|example|invalid|test|localhost)$")


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`PROVENANCE = {...}`) over its defaults, checked."""
    options = {**DEFAULTS, **settings.get("PROVENANCE", {})}
    site_url = options["site_url"].rstrip("/")
    host = urlsplit(site_url).hostname or ""
    if site_url and not re.match(r"^https?://[^/]+", site_url):
        _refuse(f"PROVENANCE['site_url'] is not a web address ({site_url!r})")
    if options["require_site_url"] and (not host or PLACEHOLDER_HOST.search(host)):
        _refuse(
            "a published archive needs its public address for citations, and "
            f"PROVENANCE['site_url'] is {site_url or 'empty'!r}",
            "set the environment variable ARCHIVE_SITE_URL (Netlify's URL is used when set) "
            "or PROVENANCE['site_url'] in publishconf.py to the archive's address",
        )
    options["site_url"] = site_url
    return options


def _refuse(message: str, hint: str = "set it to the archive's address, e.g. https://…") -> None:
    fail("publishconf.py / pelicanconf.py", None, message, hint)


def copy_in_archive(settings: dict, site_url: str, article) -> CopyInArchive:
    """The archive's copy of a document: its public address, or none without a site_url."""
    if not site_url:
        return CopyInArchive(settings["SITENAME"], "")
    capture = article.document.capture
    return CopyInArchive(
        settings["SITENAME"],
        f"{site_url}/{article.url}",
        f"{site_url}/{capture.file}" if capture else "",
    )


def key_of(article) -> str:
    """A document's citation key, as unique as its address (slugs repeat across years).

    Its address without folder and suffix: "syria-war-2017-us-led-coalition-colluding-with-is".
    """
    path = article.url.removesuffix(".html").removeprefix("documents/")
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def compact_json(generator):
    """Compact JSON in pages: the JSON-LD of every document page is not for human eyes."""
    environment = getattr(generator, "env", None)
    if environment is not None:
        environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}


def attach_provenance(generators):
    """Give every document its citations and metadata, and the site its notice and citation."""
    context = generators[0].context
    settings = generators[0].settings
    options = settings_of(settings)
    site_url = options["site_url"]
    for article in context["published_documents"] + context["unpublished_documents"]:
        copy = copy_in_archive(settings, site_url, article)
        article.provenance = DocumentProvenance(article.document, copy, site_url, key_of(article))

    registries = load_registries(settings["PATH"])
    rights = registries.rights.get(options["site_rights"])
    if rights is None:
        fail(
            "pelicanconf.py",
            None,
            f"PROVENANCE['site_rights'] names an unknown rights key {options['site_rights']!r}",
            "use a key of registry/rights.yml",
        )
    # The year is the newest publication's in this archive, never the clock's, so that
    # rebuilds are identical.
    # What `archive links` last found at the addresses documents cite (content/links.yml):
    # their pages say when one no longer leads where it did, with the Wayback Machine's copy.
    context["link_states"] = load_states(Path(settings["PATH"]))
    context["LINK_STATES_SHOWN"] = SHOWN
    context["wayback"] = wayback
    years = [a.document.published.year for a in context["published_documents"]]
    context["site_provenance"] = SiteProvenance(
        rights=rights,
        site_url=site_url,
        record=archive_record(settings["SITENAME"], site_url, max(years, default=None)),
    )


def notice_text(page: bytes) -> str:
    """The text of the page's marked notice element ('' if there is none).

    The page is searched as UTF-8 bytes: decoding each whole page of a large archive took
    longer than reading it.
    """
    marker = page.find(MARKER.encode())
    start = page.find(b">", marker) + 1 if marker >= 0 else 0
    end = page.find(b"</", start) if start else -1
    text = page[start:end].decode("utf-8") if end > 0 else ""
    return " ".join(html.unescape(text).split())


def check_every_page_has_a_notice(pelican):
    """Fail the build, naming each page, if a written HTML page carries no rights notice.

    A page is named once, as the first interface language has it: its copies in the other
    languages' folders come from the same template. Pages a deploy put back from its build
    cache (plugins/build_cache, which lists them in the setting BUILD_CACHE_RESTORED) were
    checked by the build that wrote them, with the same code, theme and registries.
    """
    checked = pelican.settings.get("BUILD_CACHE_RESTORED") or ()
    registries = load_registries(pelican.settings["PATH"])
    notices = {
        " ".join(text.split())
        for rights in registries.rights.values()
        for text in (rights.text, *(translation for _, translation in rights.texts))
    }
    languages = interface_languages(pelican.settings)
    copies = tuple(f"{language.folder}/" for language in languages if language.folder)
    missing = set()
    root = os.path.join(pelican.output_path, "")  # os.walk's folders all start with it
    for folder, _, files in os.walk(pelican.output_path):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            page = path[len(root) :].replace(os.sep, "/")
            if page in checked:
                continue
            with open(path, "rb") as handle:
                text = notice_text(handle.read())
            if text not in notices:
                missing.add(page.split("/", 1)[1] if page.startswith(copies) else page)
    if missing:
        raise ArchiveError(
            [
                Problem(
                    page,
                    None,
                    "this page carries no rights notice",
                    "its template must include partials/site_notice.html (or, for a document, "
                    "partials/document_provenance.html)",
                )
                for page in sorted(missing)
            ]
        )


def register():
    """Connect to Pelican: attach provenance before writing, check the output after."""
    signals.generator_init.connect(compact_json)
    signals.all_generators_finalized.connect(attach_provenance)
    signals.finalized.connect(check_every_page_has_a_notice)
