"""Render a template fragment once per build and reuse it wherever it repeats."""

from .plugin import FragmentCache, register

__all__ = ["FragmentCache", "register"]
