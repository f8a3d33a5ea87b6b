"""The accessibility statement: what the site conforms to, how it is tested, its limits."""

from .plugin import register

__all__ = ["register"]
