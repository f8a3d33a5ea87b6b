"""Full-text search: Pagefind when the site is served, a script-loaded index from disk."""

from .plugin import register

__all__ = ["register"]
