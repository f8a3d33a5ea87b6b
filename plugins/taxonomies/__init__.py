"""Actors and locations: a page per term, overview pages and JSON, from the curated registries."""

from .plugin import Actor, Location, TaxonomiesGenerator, register

__all__ = ["Actor", "Location", "TaxonomiesGenerator", "register"]
