"""Read archived documents (Markdown + YAML front matter) and stop the build on bad ones."""

from .plugin import MarkdownReader, register

__all__ = ["MarkdownReader", "register"]
