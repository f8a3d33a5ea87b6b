"""What search knows of each document: its text, filters, sort date and metadata.

The search index (offline.py) is built from these records, and a digest of them tells the
search page whether its index is as new as the pages.
"""

from __future__ import annotations

import hashlib
import json

from . import offline

#: Names of the languages the search page offers, in their own language.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ar": "العربية",
    "ru": "Русский",
    "de": "Deutsch",
    "pt": "Português",
    "it": "Italiano",
}


def describe(document, registries) -> dict:
    """What search knows of a document besides its text; places include their parents."""
    places = []
    for term in document.locations:
        for place in (term, *registries.locations.ancestors(term.slug)):
            if place.name not in places:
                places.append(place.name)
    source = document.source
    return {
        "filters": {
            "actor": [term.name for term in document.actors],
            "location": places,
            "collection": [document.collection.name],
            "year": [str(document.date.year)],
            "publisher": [source.publisher],
            "author": list(source.authors),
            "language": [LANGUAGE_NAMES.get(document.language, document.language)],
        },
        # Searched as a title is: a reader looks for a correspondent's reports by name.
        "byline": ", ".join(source.authors),
        "date": document.date.isoformat(),
        "source": ", ".join(part for part in (source.publisher, source.place) if part),
    }


def record_of(article) -> dict:
    """What the index holds of one document.

    A document behind a content warning (plugins/content_warnings) is indexed by its warning,
    never its hidden text, and marked `warned`: search.js words the warning in the reader's
    language.
    """
    warning = getattr(article, "search_warning", "")
    record = {
        "url": article.url,
        "title": article.title,
        "byline": article.search["byline"],
        "text": warning or offline.plain_text(article.content),
        "language": article.lang,
        "date": article.search["date"],
        "source": article.search["source"],
        "filters": article.search["filters"],
    }
    if warning:
        record["warned"] = True
    return record


def digest_of(record: dict) -> bytes:
    """A digest of one record, kept so that an edit re-hashes only its own record."""
    data = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(data).digest()


def version_of(digests: list[bytes]) -> str:
    """A digest of what is indexed: the search page compares its own with its index's."""
    return hashlib.sha256(b"".join(digests)).hexdigest()[:16]


def catalogue_of(registries, context: dict) -> dict:
    """The actors and locations search recognises in a query, and the place hierarchy.

    Each entity has its facet and name (the filter value of its documents), its names in
    other languages (by code, for the entity card in the reader's language), every spelling
    (name, aliases, names in other languages), its type (a key of the kind's types, which
    search.js names in the reader's language) and its page (when the taxonomies plugin
    writes one). `labels` gives the filter values readers of another language know by
    another name: facet -> value -> {language code: name}; `spellings` every other way an
    address may name a value (its key, aliases, names in other languages, a language's code):
    facet -> value -> spellings.
    """
    entities = []
    labels = {
        "collection": {entry.name: dict(entry.names) for entry in registries.collections.values()}
    }
    spellings = {
        "collection": {
            entry.name: list(entry.spellings) for entry in registries.collections.values()
        },
        "language": {name: [code] for code, name in LANGUAGE_NAMES.items()},
    }
    for facet, registry, pages in (
        ("actor", registries.actors, context.get("actors")),
        ("location", registries.locations, context.get("locations")),
    ):
        labels[facet], spellings[facet] = {}, {}
        for term in registry.terms.values():
            page = pages.entries.get(term.slug) if pages is not None else None
            others = [*term.aliases, *(name for _, name in term.names)]
            entities.append(
                {
                    "facet": facet,
                    "name": term.name,
                    "names": dict(term.names),
                    "type": term.type,
                    "url": page.url if page is not None else "",
                    "spellings": [term.name, *others],
                }
            )
            labels[facet][term.name] = dict(term.names)
            spellings[facet][term.name] = [term.slug, *others]
    parents = {
        term.name: registries.locations.terms[term.parent].name
        for term in registries.locations.terms.values()
        if term.parent in registries.locations.terms
    }
    return {"entities": entities, "parents": parents, "labels": labels, "spellings": spellings}
