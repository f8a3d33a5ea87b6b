"""Source citation and rights notice on every page, in human- and machine-readable form."""

from .plugin import register

__all__ = ["register"]
