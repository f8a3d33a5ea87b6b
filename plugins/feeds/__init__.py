"""Atom feeds of each actor's and location's documents, in publish builds."""

from .plugin import FeedsGenerator, register

__all__ = ["FeedsGenerator", "register"]
