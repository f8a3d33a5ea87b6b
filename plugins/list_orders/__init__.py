"""Collection and year lists in other orders (oldest first, by title) and by month."""

from .plugin import register

__all__ = ["register"]
