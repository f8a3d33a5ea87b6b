"""Pelican plugin: the archive's metadata as open data, for researchers and other tools.

Beside the pages it writes `documents.csv` and `documents.json` (every published document's
metadata and address, newest first), `locations.geojson` (every place, with its point when
the registry has coordinates) and `datapackage.json`, a Frictionless Data package describing
those files and the taxonomies plugin's `actors.json` and `locations.json`, which it
describes rather than duplicates. One table, `DOCUMENT_FIELDS`, says what a document's row
holds: the CSV, the JSON and the package's schema all follow it. Nothing depends on the
clock, so two builds write the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
from dataclasses import dataclass
from typing import Any

from pelican import signals
from pelican.generators import Generator

from archive.model.citations import bibtex
from archive.model.registries import load_registries

logger = logging.getLogger(__name__)

DEFAULTS = {
    # The data package's machine name; by default from SITENAME ("documentary-archive").
    "name": "",
    # The licence of the metadata the package holds (not of the documents' texts, which keep
    # their own rights notices): a Data Package `licenses` entry, {"name", "path", "title"}.
    # The archive's team decides it; without one the package says no licence was given.
    "license": None,
    # File names in the output (at the site's root, beside actors.json and locations.json).
    "documents_csv": "documents.csv",
    "documents_json": "documents.json",
    "geojson": "locations.geojson",
    "publishers": "publishers.json",
    # Every document's citation record (plugins/provenance), for reference managers.
    "citations_json": "documents.csl.json",
    "citations_bibtex": "documents.bib",
    "package": "datapackage.json",
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`OPEN_DATA = {...}`) over its defaults."""
    options = {**DEFAULTS, **settings.get("OPEN_DATA", {})}
    if not options["name"]:
        options["name"] = re.sub(r"[^a-z0-9]+", "-", settings["SITENAME"].lower()).strip("-")
    return options


@dataclass(frozen=True)
class Column:
    """One field of a document's row: its name, Table Schema type, meaning and value."""

    name: str
    type: str
    description: str
    value: Any  # article -> value (a list for the several-valued fields)


def _iso(date) -> str:
    return date.isoformat() if date else ""


def _part(thing, *names: str):
    """`thing.a.b`, or "" where a link of the chain is missing (no intermediary, no capture)."""
    for name in names:
        thing = getattr(thing, name, None) if thing else None
    return thing if thing is not None else ""


DOCUMENT_FIELDS = (
    Column("url", "string", "the document's page, relative to the site's root", lambda a: a.url),
    Column("title", "string", "the title as published", lambda a: a.title),
    Column(
        "date",
        "date",
        "the document's own date: the source's, else the archive's publication date",
        lambda a: _iso(a.document.date),
    ),
    Column(
        "published",
        "date",
        "the day this archive first published it",
        lambda a: _iso(a.document.published),
    ),
    Column(
        "updated", "date", "the date of its last correction", lambda a: _iso(a.document.updated)
    ),
    Column(
        "collection",
        "string",
        "the collection's key (collections/<key>.html)",
        lambda a: a.document.collection.key,
    ),
    Column(
        "collection_name", "string", "the collection's name", lambda a: a.document.collection.name
    ),
    Column("language", "string", "the text's language code", lambda a: a.document.language),
    Column(
        "publisher",
        "string",
        "who first published it, as the source printed the name",
        lambda a: a.document.source.publisher,
    ),
    Column(
        "publisher_key",
        "string",
        "the publisher's key in the publishers registry (publishers.json), if it has one",
        lambda a: _part(a.document.source, "registered", "slug"),
    ),
    Column("source_place", "string", "where it was published", lambda a: a.document.source.place),
    Column(
        "source_date",
        "date",
        "the original publication date",
        lambda a: _iso(a.document.source.date),
    ),
    Column("source_url", "string", "the original web address", lambda a: a.document.source.url),
    Column(
        "source_title",
        "string",
        "the original title, if different",
        lambda a: a.document.source.title,
    ),
    Column("authors", "array", "the source's authors", lambda a: list(a.document.source.authors)),
    Column(
        "via",
        "string",
        "the intermediary that republished it before this archive",
        lambda a: _part(a.document.via, "publisher", "name"),
    ),
    Column(
        "via_key",
        "string",
        "the intermediary's key in the publishers registry (publishers.json)",
        lambda a: _part(a.document.via, "publisher", "slug"),
    ),
    Column(
        "via_date",
        "date",
        "the day the intermediary published its copy",
        lambda a: _iso(_part(a.document.via, "date")),
    ),
    Column(
        "via_url",
        "string",
        "the address of the intermediary's copy",
        lambda a: _part(a.document.via, "url"),
    ),
    Column(
        "via_rights",
        "string",
        "the intermediary's own rights notice, word for word",
        lambda a: _part(a.document.via, "rights"),
    ),
    Column(
        "capture_file",
        "string",
        "the capture this archive keeps of the page it took the text from, relative to the "
        "site's root",
        lambda a: _part(a.document.capture, "file"),
    ),
    Column(
        "capture_sha256",
        "string",
        "the capture's SHA-256 checksum",
        lambda a: _part(a.document.capture, "sha256"),
    ),
    Column(
        "capture_url",
        "string",
        "the address the page was captured from",
        lambda a: _part(a.document.capture, "url"),
    ),
    Column(
        "captured",
        "string",
        "when the page was captured: an ISO 8601 date and time in UTC, or a date; empty when "
        "it was not recorded",
        lambda a: _iso(_part(a.document.capture, "captured")),
    ),
    Column(
        "capture_committed",
        "date",
        "when the capture date was not recorded: the day the capture entered the archive's "
        "repository, from its history",
        lambda a: _iso(_part(a.document.capture, "committed")),
    ),
    Column(
        "rights", "string", "the rights notice's key (rights.yml)", lambda a: a.document.rights.key
    ),
    Column(
        "actors",
        "array",
        "the slugs of the actors it names (actors.json)",
        lambda a: [term.slug for term in a.document.actors],
    ),
    Column(
        "locations",
        "array",
        "the slugs of the places it names (locations.json)",
        lambda a: [term.slug for term in a.document.locations],
    ),
)
#: Several values in one CSV cell are separated by this (slugs never contain it).
CSV_SEPARATOR = "; "


def document_rows(documents: list) -> list[dict]:
    """Every document's metadata as a dict, in the order of DOCUMENT_FIELDS."""
    return [
        {column.name: column.value(article) for column in DOCUMENT_FIELDS} for article in documents
    ]


#: What a spreadsheet takes a cell starting with for a formula (OWASP's list): such a text
#: cell gets an apostrophe first, which spreadsheets show as text and do not display.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value):
    """A CSV cell that no spreadsheet runs as a formula (a publisher named `=HYPERLINK(…)`)."""
    if isinstance(value, list):
        value = CSV_SEPARATOR.join(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def documents_csv(rows: list[dict]) -> str:
    """The rows as CSV (RFC 4180, CRLF line ends), list values joined by CSV_SEPARATOR.

    A text cell a spreadsheet would take for a formula is written as text (`as_text_cell`);
    documents.json keeps every value as it is.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in DOCUMENT_FIELDS])
    for row in rows:
        writer.writerow(as_text_cell(value) for value in row.values())
    return out.getvalue()


def locations_geojson(locations) -> dict:
    """Every place as a GeoJSON feature; a place without coordinates has a null geometry."""
    features = []
    for entry in locations.entries.values():
        term = entry.term
        point = None
        if term.coordinates:
            latitude, longitude = term.coordinates
            point = {"type": "Point", "coordinates": [longitude, latitude]}
        features.append(
            {
                "type": "Feature",
                "id": term.slug,
                "geometry": point,
                "properties": {
                    "slug": term.slug,
                    "name": term.name,
                    "type": term.type,
                    "parent": term.parent or None,
                    "url": entry.url,
                    "documents": len(entry.articles),
                    "documents_naming_it": entry.direct_count,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def publishers_json(registry) -> list[dict]:
    """Every publisher and intermediary of the registry: the keys documents.csv refers to."""
    return [
        {
            "key": term.slug,
            "name": term.name,
            "names": dict(term.names),
            "type": term.type,
            "aliases": list(term.aliases),
            "homepage": term.homepage,
            "wikidata": term.wikidata,
            "description": term.description,
            "descriptions": dict(term.descriptions),
        }
        for term in sorted(registry.terms.values(), key=lambda term: term.slug)
    ]


def _schema_field(column: Column) -> dict:
    field = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "array":  # in the CSV, a string of values joined by CSV_SEPARATOR
        field = {
            **field,
            "type": "string",
            "description": f"{column.description}, separated by '{CSV_SEPARATOR.strip()}'",
        }
    return field


def data_package(settings: dict, options: dict, taxonomies: bool, citations: bool) -> dict:
    """The Frictionless Data package descriptor (data-package profile) of the files."""
    resources = [
        {
            "name": "documents",
            "path": options["documents_csv"],
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": "Every published document's metadata and address, newest first.",
            "schema": {
                "fields": [_schema_field(column) for column in DOCUMENT_FIELDS],
                "primaryKey": ["url"],
            },
        },
        {
            "name": "publishers",
            "path": options["publishers"],
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "description": "Every publisher and intermediary of the registry, by the key "
            "documents.csv gives in publisher_key and via_key: names, aliases, homepage.",
        },
        {
            "name": "documents-json",
            "path": options["documents_json"],
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "description": "The same metadata as documents.csv, several values as lists.",
        },
    ]
    if citations:
        resources += [
            {
                "name": "citations",
                "path": options["citations_json"],
                "format": "json",
                "mediatype": "application/vnd.citationstyles.csl+json",
                "encoding": "utf-8",
                "description": "Every published document's citation record (CSL-JSON, for "
                "Zotero and other reference managers), with its chain of custody.",
            },
            {
                "name": "citations-bibtex",
                "path": options["citations_bibtex"],
                "format": "bib",
                "mediatype": "application/x-bibtex",
                "encoding": "utf-8",
                "description": "The same citations as BibTeX entries.",
            },
        ]
    if taxonomies:
        resources += [
            {
                "name": "actors",
                "path": "actors.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "Every actor of the registry with its names in other languages, "
                "aliases, page and documents (their url, as in documents.json).",
            },
            {
                "name": "locations",
                "path": "locations.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "Every place of the registry with its parent and containing places, "
                "coordinates, page and documents (their url, as in documents.json).",
            },
            {
                "name": "locations-geojson",
                "path": options["geojson"],
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
                "description": "Every place as a GeoJSON feature (longitude, latitude); places "
                "without coordinates have a null geometry.",
            },
        ]
    package = {
        "profile": "data-package",
        "name": options["name"],
        "title": settings["SITENAME"],
        "description": settings.get("SITESUBTITLE", ""),
        "resources": resources,
    }
    if options["license"]:
        package["licenses"] = [options["license"]]
    return package


class OpenDataGenerator(Generator):
    """Write the documents' metadata, the places' GeoJSON and the data package."""

    def generate_context(self):
        """Nothing to add: the data comes from the documents and taxonomies as they are."""

    def generate_output(self, writer):
        """Write the files at the site's root (no template: they are data, not pages).

        They do not need the pages: they are written while the pages are rendered.
        """
        writer.run_while_rendering(self._write_all)

    def _write_all(self) -> None:
        options = settings_of(self.settings)
        rows = document_rows(self.context.get("published_documents", []))
        self._write(options["documents_csv"], documents_csv(rows))
        self._write(options["documents_json"], _json(rows))
        registries = load_registries(self.settings["PATH"])
        self._write(options["publishers"], _json(publishers_json(registries.publishers)))
        # Citation records are made by plugins/provenance, when it is enabled.
        documents = self.context.get("published_documents", [])
        records = [a.provenance.record for a in documents if hasattr(a, "provenance")]
        if records:
            self._write(options["citations_json"], _json(records))
            self._write(options["citations_bibtex"], "\n\n".join(map(bibtex, records)) + "\n")
        taxonomies = "locations" in self.context and "actors" in self.context
        if taxonomies:
            self._write(options["geojson"], _json(locations_geojson(self.context["locations"])))
        package = data_package(self.settings, options, taxonomies, bool(records))
        self._write(options["package"], _json(package))

    def _write(self, name: str, text: str) -> None:
        path = os.path.join(self.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def add_generator(pelican):
    """Pelican asks plugins for extra generators; ours runs after the taxonomies'."""
    return OpenDataGenerator


def register():
    """Connect to Pelican: our generator."""
    signals.get_generators.connect(add_generator)
