"""Full-text search: one script-loaded index and engine, served and from disk."""

from .plugin import register

__all__ = ["register"]
