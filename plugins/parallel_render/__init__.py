"""Render the site's pages on every core."""

from .plugin import ParallelWriter, register

__all__ = ["ParallelWriter", "register"]
