"""Pelican plugin: the archive's two taxonomies, actors and locations, as one mechanism.

Each taxonomy is a `Taxonomy` over a `TermRegistry` (archive/model/terms.py); the same generator,
templates and JSON export serve both, configured only by the term kind. A reader reaches
everything about "Sergey Surovikin" or "Raqqa" in one click from any document.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from itertools import chain

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from archive.model.registries import load_registries
from archive.model.terms import (
    ACTORS,
    LOCATIONS,
    TermKind,
    TermRegistry,
    collation_key,
    collation_key_in,
    heading_in,
)
from archive.site.plan import Shows, plan_page

DEFAULTS = {
    # Documents listed on one term page before it is split into numbered pages.
    "per_page": 100,
    # How many co-occurring actors and locations a term page shows.
    "related": 12,
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`TAXONOMIES = {...}`) over its defaults."""
    return {**DEFAULTS, **settings.get("TAXONOMIES", {})}


class TermPage(URLWrapper):
    """A term with its page's URL and what the page shows; filled by `Taxonomy.index`."""

    def __init__(self, term, settings):
        super().__init__(term.name, settings)
        self.slug = term.slug
        self.term = term
        self.articles = []  # newest first, including those about places within (locations)
        self.direct_count = 0
        self.parent = None
        self.children = []
        self.related_actors = []  # [(TermPage, count)], most frequent first
        self.related_locations = []

    @property
    def ancestors(self) -> list:
        """Containing places, nearest first."""
        chain, current = [], self.parent
        while current is not None:
            chain.append(current)
            current = current.parent
        return chain

    def places_in(self, article) -> list:
        """The article's locations that are this place or lie within it."""
        found = []
        for place in getattr(article, "locations", ()):
            current = place
            while current is not None and current is not self:
                current = current.parent
            if current is self:
                found.append(place)
        return found

    def names_of_places_in(self, article, language: str) -> str:
        """The names of `places_in(article)` in `language`, as a list reads: "Raqqa, Tadia".

        Called for every document on a place's pages (tens of thousands in a large archive):
        one call from the template instead of a loop in it.
        """
        return ", ".join(place.term.name_in(language) for place in self.places_in(article))


class Actor(TermPage):
    """URLs from ACTOR_URL / ACTOR_SAVE_AS."""


class Location(TermPage):
    """URLs from LOCATION_URL / LOCATION_SAVE_AS."""


class Taxonomy:
    """All pages of one kind of term, and the indexes their templates read."""

    def __init__(self, kind: TermKind, registry: TermRegistry, page_class, settings):
        self.kind = kind
        self.settings = settings
        ordered = sorted(registry.terms.values(), key=lambda t: collation_key(t.name))
        self.entries = {term.slug: page_class(term, settings) for term in ordered}
        for entry in self.entries.values():
            if entry.term.parent:
                entry.parent = self.entries[entry.term.parent]
                entry.parent.children.append(entry)
        # Per interface language, computed when a page of it first asks: entries in order of
        # their names in it, each entry's children (slug -> pages) and the A–Z in that order.
        self._ordered: dict[str, list[TermPage]] = {}
        self._children: dict[str, dict[str | None, list[TermPage]]] = {}
        self._alphabetical: dict[str, list[tuple[str, list[TermPage]]]] = {}

    @property
    def name(self) -> str:
        """The taxonomy's name: "actors" or "locations"."""
        return self.kind.plural

    @property
    def url(self) -> str:
        """URL of the overview page (ACTORS_URL, LOCATIONS_URL)."""
        return self.settings[f"{self.kind.plural.upper()}_URL"]

    @property
    def save_as(self) -> str:
        """Output path of the overview page (ACTORS_SAVE_AS, LOCATIONS_SAVE_AS)."""
        return self.settings[f"{self.kind.plural.upper()}_SAVE_AS"]

    def pages_of(self, terms) -> list[TermPage]:
        """The pages of the given registry terms."""
        return [self.entries[term.slug] for term in terms]

    def ordered(self, language: str = "") -> list[TermPage]:
        """Entries in the order of their names in `language` (its collation), computed once.

        "" (or a language the registry gives no names in) orders by the registry's names.
        """
        if language not in self._ordered:
            self._ordered[language] = sorted(
                self.entries.values(),
                key=lambda e: collation_key_in(e.term.name_in(language), language),
            )
        return self._ordered[language]

    def roots(self, language: str = "") -> list[TermPage]:
        """Entries with no parent (the top of the place hierarchy), by name in `language`."""
        return self.children_of(None, language)

    def children_of(self, entry: TermPage | None, language: str = "") -> list[TermPage]:
        """The places within `entry` (None: the roots), by their names in `language`."""
        if language not in self._children:
            children: dict[str | None, list[TermPage]] = {}
            for member in self.ordered(language):
                parent = member.parent.slug if member.parent is not None else None
                children.setdefault(parent, []).append(member)
            self._children[language] = children
        return self._children[language].get(entry.slug if entry is not None else None, [])

    def by_type(self, language: str = "") -> list[tuple[str, list[TermPage]]]:
        """Entries grouped by type, in the order the kind lists its types; by name in `language`."""
        groups: dict[str, list[TermPage]] = {term_type: [] for term_type in self.kind.types}
        for entry in self.ordered(language):
            groups.setdefault(entry.term.type, []).append(entry)
        return [(term_type, members) for term_type, members in groups.items() if members]

    def alphabetical(self, language: str = "") -> list[tuple[str, list[TermPage]]]:
        """Entries under A–Z headings of their names in `language`, in its collation order.

        A heading holds every name starting with its letter, even where the collation puts a
        name of another heading between two of them (an "Æ" sorts among the "A"s, under Æ).
        """
        if language not in self._alphabetical:
            groups: dict[str, list[TermPage]] = {}
            for entry in self.ordered(language):
                heading = heading_in(entry.term.name_in(language), language)
                groups.setdefault(heading, []).append(entry)
            self._alphabetical[language] = list(groups.items())
        return self._alphabetical[language]

    def most_documented(self, limit: int) -> list[TermPage]:
        """The entries with the most documents, for the home page."""
        ranked = sorted(
            (e for e in self.entries.values() if e.articles),
            key=lambda e: (-len(e.articles), collation_key(e.name)),
        )
        return ranked[:limit]

    def as_json(self) -> list[dict]:
        """The registry with each entry's documents, for researchers (the site's open data).

        `articles` are the documents' addresses, the key that joins documents.json; `count`
        includes, for a place, the documents about places within it, `direct_count` not.
        """
        records = []
        for entry in self.entries.values():
            term = entry.term
            record = {
                "slug": term.slug,
                "name": term.name,
                "names": dict(term.names),
                "type": term.type,
                "aliases": list(term.aliases),
                "description": term.description,
                "descriptions": dict(term.descriptions),
                "wikidata": term.wikidata or None,
                "url": entry.url,
                "count": len(entry.articles),
                "direct_count": entry.direct_count,
            }
            if self.kind.hierarchical:
                record["parent"] = term.parent or None
                record["ancestors"] = [place.slug for place in entry.ancestors]
                record["coordinates"] = list(term.coordinates) if term.coordinates else None
            record["articles"] = [article.url for article in entry.articles]
            records.append(record)
        return records


class TaxonomiesGenerator(Generator):
    """Index published documents by actor and location, then write their pages and JSON."""

    def generate_context(self):
        """Attach term pages to every document and index the published ones."""
        options = settings_of(self.settings)
        registries = load_registries(self.settings["PATH"])
        self.actors = Taxonomy(ACTORS, registries.actors, Actor, self.settings)
        self.locations = Taxonomy(LOCATIONS, registries.locations, Location, self.settings)
        published = self.context["published_documents"]
        for article in published + self.context["unpublished_documents"]:
            article.actors = self.actors.pages_of(article.document.actors)
            article.locations = self.locations.pages_of(article.document.locations)
        # Term pages list one version of each report, like every list.
        self._index(self.context["listed_documents"], options["related"])
        self.context["actors"] = self.actors
        self.context["locations"] = self.locations

    def _index(self, documents, related_limit: int) -> None:
        """Fill each term's documents (locations: with places within) and co-occurrences."""
        for article in documents:  # already newest first (ARTICLE_ORDER_BY)
            for entry in article.actors:
                entry.articles.append(article)
                entry.direct_count += 1
            places = set()
            for entry in article.locations:
                entry.direct_count += 1
                places.update([entry, *entry.ancestors])
            for entry in places:
                entry.articles.append(article)
        for taxonomy in (self.actors, self.locations):
            for entry in taxonomy.entries.values():
                # Counted at C speed; a term never counts as appearing with itself.
                actors = Counter(chain.from_iterable(a.actors for a in entry.articles))
                locations = Counter(chain.from_iterable(a.locations for a in entry.articles))
                actors.pop(entry, None)
                locations.pop(entry, None)
                entry.related_actors = _ranked(actors, related_limit)
                entry.related_locations = _ranked(locations, related_limit)

    def generate_output(self, writer):
        """Write overview, term pages (split past `per_page` documents) and the JSON export."""
        relative = self.settings["RELATIVE_URLS"]
        for taxonomy in (self.actors, self.locations):
            # The overview counts every term's documents, and lists it with the related ones.
            plan_page(
                writer,
                Shows(everything=True),
                taxonomy.save_as,
                self.get_template("terms"),
                self.context,
                relative,
                taxonomy=taxonomy,
                nav_current=taxonomy.name,
            )
            template = self.get_template("term")
            for entry in taxonomy.entries.values():
                # A term's page lists its documents and counts those of the terms within it;
                # its parent, ancestors and related terms are shown by name and address
                # (what its documents and the registries fix).
                plan_page(
                    writer,
                    Shows(lists=[entry.articles], counted=[entry, *entry.children]),
                    entry.save_as,
                    template,
                    self.context,
                    relative,
                    paginated={"articles": entry.articles},
                    template_name="term",
                    url=entry.url,
                    taxonomy=taxonomy,
                    term=entry,
                    articles=entry.articles,
                    nav_current=taxonomy.name,
                    subject=entry,
                )
            self._write_json(taxonomy)

    def _write_json(self, taxonomy: Taxonomy) -> None:
        os.makedirs(self.output_path, exist_ok=True)
        path = os.path.join(self.output_path, f"{taxonomy.name}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(taxonomy.as_json(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")


def _ranked(counter: Counter, limit: int) -> list:
    return sorted(counter.items(), key=lambda item: (-item[1], collation_key(item[0].name)))[:limit]


def add_generator(pelican):
    """Pelican asks plugins for extra generators; ours runs after the articles are read."""
    return TaxonomiesGenerator


def configure(pelican):
    """Default URLs for term pages, and their pagination at this plugin's `per_page`."""
    settings = pelican.settings
    for kind in (ACTORS, LOCATIONS):
        for key in ("URL", "SAVE_AS"):
            settings.setdefault(f"{kind.name.upper()}_{key}", f"{kind.plural}/{{slug}}.html")
            settings.setdefault(f"{kind.plural.upper()}_{key}", f"{kind.plural}/index.html")
    settings["PAGINATED_TEMPLATES"].setdefault("term", settings_of(settings)["per_page"])


def register():
    """Connect to Pelican: settings at start-up, then our generator."""
    signals.initialized.connect(configure)
    signals.get_generators.connect(add_generator)
