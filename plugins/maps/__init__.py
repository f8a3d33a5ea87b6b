"""Maps drawn at build time: places over a bundled Natural Earth base map, as SVG."""

from .plugin import PlaceMap, register

__all__ = ["PlaceMap", "register"]
