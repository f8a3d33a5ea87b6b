"""Content warnings: a warned document's text is hidden until asked, and never in excerpts."""

from .plugin import register

__all__ = ["register"]
