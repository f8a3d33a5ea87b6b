"""Open data: documents.csv/json, locations.geojson and a Frictionless data package."""

from .plugin import DOCUMENT_FIELDS, OpenDataGenerator, register

__all__ = ["DOCUMENT_FIELDS", "OpenDataGenerator", "register"]
