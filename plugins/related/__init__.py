"""Related documents and the previous/next document of the same collection, on every page."""

from .plugin import compute_related, register

__all__ = ["compute_related", "register"]
