"""Read the bundled TopoJSON base map into polygons of (longitude, latitude) points."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

#: Natural Earth 1:50m country outlines (data/NOTICE.md).
COUNTRIES = Path(__file__).resolve().parent / "data" / "countries-50m.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (longitude, latitude) points.

    A quantized topology stores each arc's first point and then differences from the
    previous point, in integers scaled by `transform`: undo both.
    """
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if not transform:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for step in arc:
            x, y = x + step[0], y + step[1]
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """A closed ring from its arcs; a negative index (~i) is arc i reversed."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)  # arcs share their end points
    return points


@cache
def features(path: Path = COUNTRIES, name: str = "countries") -> dict[str, tuple]:
    """The object's polygons by feature name, each a tuple of rings (outer first).

    Read once per process; a map frames a place's country by the country's name.
    """
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    found: dict[str, tuple] = {}
    for number, geometry in enumerate(topology["objects"][name]["geometries"]):
        if geometry["type"] == "Polygon":
            shapes = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            shapes = geometry["arcs"]
        else:
            continue
        feature = geometry.get("properties", {}).get("name") or f"#{number}"
        found[feature] = found.get(feature, ()) + tuple(
            tuple(ring(indexes, arcs) for indexes in shape) for shape in shapes
        )
    return found


def polygons(path: Path = COUNTRIES, name: str = "countries") -> tuple:
    """Every polygon of the object, in the file's order."""
    return tuple(polygon for shapes in features(path, name).values() for polygon in shapes)
