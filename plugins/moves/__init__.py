"""The addresses of renamed documents keep leading readers to them."""

from .plugin import register

__all__ = ["register"]
