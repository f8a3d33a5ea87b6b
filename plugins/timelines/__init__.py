"""Timelines: documents per year (or month) on the archive, actor, location and collection pages."""

from .plugin import Timeline, register, timeline_of

__all__ = ["Timeline", "register", "timeline_of"]
