"""The interface in every reader's language: gettext in the templates, Babel dates."""

from .plugin import register

__all__ = ["register"]
