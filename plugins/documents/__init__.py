"""Read archived documents (Markdown + YAML front matter) and stop the build on bad ones."""

from .plugin import register
from .reader import MarkdownReader

__all__ = ["MarkdownReader", "register"]
