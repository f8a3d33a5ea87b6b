"""A deploy build reuses the pages and readings of the last one (BUILD_CACHE)."""

from .plugin import register

__all__ = ["register"]
