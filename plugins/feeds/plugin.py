"""Pelican plugin: Atom feeds of the archive's documents, in every interface language.

A reader following the archive, a collection, a group or a place subscribes to its feed.
Feeds need absolute addresses, which an offline copy cannot have, so they are written only
when the settings name them: publishconf.py sets `FEEDS = {"all": …, "collection": …,
"actor": …, "location": …}` (patterns with `{slug}`). Each interface language has its own
feeds in its folder: titles and categories in its language, links to its pages, its code as
`xml:lang` (each entry carries its text's own).

Each entry names who wrote the document, else who published it (Atom requires an author),
its rights notice and the page it came through; a feed's rights are the site's notice, and
its id is its own address. The plugin writes them with feedgenerator, the library Pelican's
writer uses, because that writer gives every feed one id and every entry an empty author,
and knows no languages. It still sends Pelican's `feed_generated` and `feed_written` signals,
so that plugins which adjust feeds (plugins/content_warnings) work on these.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
from dataclasses import dataclass

from feedgenerator import Atom1Feed
from pelican import signals
from pelican.generators import Generator

from archive.model.registries import load_registries
from archive.site.interface import InterfaceLanguage, interface_languages

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Output paths of the feeds, under each interface language's folder; the per-entry ones
    # with {slug}. Empty: no feed (local, offline builds).
    "all": "",
    "collection": "",
    "actor": "",
    "location": "",
}
#: The feeds whose paths name an entry (a collection, an actor, a place) by its slug.
PER_ENTRY = ("collection", "actor", "location")


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`FEEDS = {...}`) over its defaults, checked."""
    options = {**DEFAULTS, **settings.get("FEEDS", {})}
    for kind in PER_ENTRY:
        if options[kind] and "{slug}" not in options[kind]:
            logger.error("feeds: FEEDS[%r] must contain {slug}: %r", kind, options[kind])
            options[kind] = ""
    return options


class ArchiveAtomFeed(Atom1Feed):
    """An Atom feed whose entries say the language of their text and where it came from.

    An entry's `xml:lang` is its text's language where it differs from the feed's; its
    `<link rel="via">` is the page this archive took the document from (RFC 4287 §4.2.7.2:
    "a resource that is the source of the information provided in the containing element").
    """

    def item_attributes(self, item):
        """The entry's own language, where it differs from the feed's."""
        language = item.get("language")
        return {"xml:lang": language} if language and language != self.feed["language"] else {}

    def add_item_elements(self, handler, item):
        """Atom's elements of an entry, then its `via` link."""
        super().add_item_elements(handler, item)
        if item.get("via"):
            handler.addQuickElement("link", "", {"rel": "via", "href": item["via"]})


@dataclass
class Feed:
    """One feed the archive offers: its path, its subject's page and names, its documents.

    `names` maps an interface language's code to the subject's name in it ("" for the
    whole archive).
    """

    path: str
    page: str
    names: dict[str, str]
    documents: list


class FeedsGenerator(Generator):
    """Name every feed before pages are rendered (term pages link theirs), then write them."""

    def generate_context(self):
        """Give every collection, actor and location with documents the path of its feed."""
        options = settings_of(self.settings)
        languages = interface_languages(self.settings)
        self.feeds: list[Feed] = []
        documents = self.context.get("published_documents", [])
        if options["all"] and documents:
            everywhere = {language.code: "" for language in languages}
            self.feeds.append(Feed(options["all"], "index.html", everywhere, documents))
        registries = load_registries(self.settings["PATH"])
        if options["collection"]:
            for category, articles in self.context.get("categories", []):
                collection = registries.collections.get(category.slug)
                names = {lang.code: collection.name_in(lang.code) for lang in languages}
                path = options["collection"].format(slug=category.slug)
                self.feeds.append(Feed(path, category.url, names, list(articles)))
        for kind, taxonomy in (("actor", "actors"), ("location", "locations")):
            if not options[kind] or taxonomy not in self.context:
                continue
            for entry in self.context[taxonomy].entries.values():
                entry.feed = options[kind].format(slug=entry.slug) if entry.articles else ""
                if entry.feed:
                    names = {lang.code: entry.term.name_in(lang.code) for lang in languages}
                    self.feeds.append(Feed(entry.feed, entry.url, names, list(entry.articles)))

    def generate_output(self, writer):
        """Write every feed in every interface language while the pages are rendered."""
        if self.feeds:
            writer.run_while_rendering(self._write_all)

    def _write_all(self) -> None:
        site_url = self.settings["FEED_DOMAIN"].rstrip("/")
        limit = self.settings.get("FEED_MAX_ITEMS")
        # The site's notice (plugins/provenance), which pages that are not documents show.
        provenance = self.context.get("site_provenance")
        rights = provenance.rights.text if provenance else None
        for language in interface_languages(self.settings):
            for feed in self.feeds:
                atom = self._feed(feed, language, site_url, rights)
                for article in sorted(feed.documents, key=_newest_first)[:limit]:
                    _add_entry(atom, article, language, site_url)
                path = posixpath.join(language.folder, feed.path)
                signals.feed_generated.send(self.context, feed=atom)
                target = os.path.join(self.output_path, *path.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8") as handle:
                    atom.write(handle, "utf-8")
                signals.feed_written.send(target, context=self.context, feed=atom)

    def _feed(self, feed: Feed, language: InterfaceLanguage, site_url: str, rights: str | None):
        """An empty feed of `feed`'s subject in `language`."""
        name = feed.names[language.code]
        site_name = self.settings["SITENAME"]
        return ArchiveAtomFeed(
            title=f"{site_name}: {name}" if name else site_name,
            link=_address(site_url, language, feed.page),
            feed_url=_address(site_url, language, feed.path),
            feed_guid=_address(site_url, language, feed.path),
            description=language.subtitle or self.settings.get("SITESUBTITLE", ""),
            language=language.code,
            author_name=site_name,
            feed_copyright=rights,
        )


def _newest_first(article) -> tuple:
    """Newest in this archive first, then by the document's own date, then by path."""
    document = article.document
    return (-document.published.toordinal(), -document.date.toordinal(), document.path)


def _address(site_url: str, language: InterfaceLanguage, path: str) -> str:
    return "/".join(part for part in (site_url, language.folder, path) if part)


def _midnight(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC)


def _add_entry(atom: ArchiveAtomFeed, article, language: InterfaceLanguage, site_url: str):
    """The document as an entry, published the day this archive published it.

    It is updated on its last correction, and authored by its authors or else its publisher
    (as printed).
    """
    document = article.document
    corrected = [document.updated, *(c.date for c in document.corrections)]
    updated = max((date for date in corrected if date), default=document.published)
    link = _address(site_url, language, article.url)
    subjects = [
        document.collection.name_in(language.code),
        *(term.name_in(language.code) for term in (*document.actors, *document.locations)),
    ]
    atom.add_item(
        title=document.title,
        link=link,
        unique_id=link,
        description=article.summary,
        content=article.get_content(site_url),
        author_name=", ".join(document.source.authors) or document.source.publisher,
        pubdate=_midnight(document.published),
        updateddate=_midnight(updated),
        categories=subjects,
        item_copyright=document.rights.text,
        language=document.language,
        via=_source_of(document),
    )


def _source_of(document) -> str:
    """The address of the page this archive took the document from, where one is recorded."""
    if document.via and document.via.url:
        return document.via.url
    if document.capture and document.capture.url:
        return document.capture.url
    return document.source.url


def add_generator(pelican):
    """Pelican asks plugins for extra generators; ours runs after the taxonomies'."""
    return FeedsGenerator


def register():
    """Connect to Pelican: our generator."""
    signals.get_generators.connect(add_generator)
