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

logger = logging.getLogger(__name__)

DEFAULTS = {
    # The data package's machine name; by default from SITENAME ("documentary-archive").
    "name": "",
    # File names in the output (at the site's root, beside actors.json and locations.json).
    "documents_csv": "documents.csv",
    "documents_json": "documents.json",
    "geojson": "locations.geojson",
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
        "published", "date", "when the archive published it", lambda a: _iso(a.document.published)
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
        "who first published it",
        lambda a: a.document.source.publisher,
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


def _schema_field(column: Column) -> dict:
    field = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "array":  # in the CSV, a string of values joined by CSV_SEPARATOR
        field = {
            **field,
            "type": "string",
            "description": f"{column.description}, separated by '{CSV_SEPARATOR.strip()}'",
        }
    return field


def data_package(settings: dict, options: dict, taxonomies: bool) -> dict:
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
            "name": "documents-json",
            "path": options["documents_json"],
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "description": "The same metadata as documents.csv, several values as lists.",
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
    return {
        "profile": "data-package",
        "name": options["name"],
        "title": settings["SITENAME"],
        "description": settings.get("SITESUBTITLE", ""),
        "resources": resources,
    }


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
        taxonomies = "locations" in self.context and "actors" in self.context
        if taxonomies:
            self._write(options["geojson"], _json(locations_geojson(self.context["locations"])))
        self._write(options["package"], _json(data_package(self.settings, options, taxonomies)))

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
