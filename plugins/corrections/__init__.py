"""The public record of changes: every correction, removal and withdrawal, newest first."""

from .plugin import register

__all__ = ["register"]
