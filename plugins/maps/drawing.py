"""Frame places on a plate carrée map and draw the base map under them, as SVG path data.

The frame is the places' bounding box with a margin, widened to a readable shape; the
projection is equirectangular with the frame's middle latitude as standard parallel (x and
y are linear in longitude and latitude, so a point's position can be checked by inverting
two straight lines). Land outside the frame is clipped away, so a page carries only what
it shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    """What a map shows: west, south, east, north in degrees, drawn `width` units wide."""

    west: float
    south: float
    east: float
    north: float
    width: int
    height: int

    def project(self, longitude: float, latitude: float) -> tuple[float, float]:
        """Map coordinates of a point (x to the east, y downwards)."""
        x = (longitude - self.west) / (self.east - self.west) * self.width
        y = (self.north - latitude) / (self.north - self.south) * self.height
        return x, y

    def around(self, longitude: float) -> float:
        """The longitude, a turn of the globe (360°) on or back, that falls in the frame.

        A frame across the antimeridian runs east past 180° (Fiji at 179° and -179° are
        neighbours, drawn at 179° and 181°).
        """
        while longitude < self.west:
            longitude += 360
        while longitude > self.west + 360:
            longitude -= 360
        return longitude


def _longitude_span(longitudes: list[float]) -> tuple[float, float]:
    """West and east of the shortest stretch of longitudes holding them all.

    It leaves out the widest gap between neighbouring longitudes, going round the globe: for
    places either side of the antimeridian, that gap is the rest of the world, and the east
    edge lies past 180°.
    """
    ordered = sorted(longitudes)
    gaps = [(ordered[0] + 360 - ordered[-1], len(ordered) - 1)]  # the gap across ±180°
    gaps += [(ordered[i + 1] - ordered[i], i) for i in range(len(ordered) - 1)]
    _, before = max(gaps, key=lambda gap: (gap[0], gap[1] == len(ordered) - 1))
    if before == len(ordered) - 1:
        return ordered[0], ordered[-1]
    return ordered[before + 1], ordered[before] + 360


def frame_of(
    points: list[tuple[float, float]],
    options: dict,
    region: tuple[float, float, float, float] | None = None,
    pad: float = 0,
) -> Frame:
    """The frame around (latitude, longitude) points: their box, a margin, a sane shape.

    `region` (west, south, east, north) is the area the map is about, its country's outline:
    framed with the points, or a map of a country's towns cut off the rest of it (northern
    Syria). `pad` map units more on every side keep the points' marks, drawn `pad` units
    around their centres, inside the frame.
    """
    latitudes = [p[0] for p in points]
    longitudes = [p[1] for p in points]
    if region:
        longitudes += [region[0], region[2]]
        latitudes += [region[1], region[3]]
    south, north = min(latitudes), max(latitudes)
    west, east = _longitude_span(longitudes)
    margin, least = options["margin"], options["min_span"]
    height_span = max((north - south) * (1 + 2 * margin), least)
    middle = (south + north) / 2
    squeeze = math.cos(math.radians(max(-80.0, min(80.0, middle))))
    width_span = max((east - west) * (1 + 2 * margin), least) * squeeze  # in "latitude" degrees
    # Both axes have one scale, width_span / width degrees a unit: the narrowest width that
    # leaves `pad` units either side and is not taller than max_height, then a height that
    # leaves them above and below and is not wider than min_height.
    width = options["width"]
    width_span = max(
        width_span / (1 - 2 * pad / width),
        height_span * width / (options["max_height"] - 2 * pad),
    )
    height_span = max(
        height_span + 2 * pad * width_span / width,
        width_span * options["min_height"] / width,
    )
    centre = (west + east) / 2
    half_lon = width_span / squeeze / 2
    south, north = middle - height_span / 2, middle + height_span / 2
    return Frame(
        west=round(centre - half_lon, 4),
        south=round(south, 4),
        east=round(centre + half_lon, 4),
        north=round(north, 4),
        width=width,
        height=round(width * height_span / width_span),
    )


def _clip(points: list, inside, cross) -> list:
    """One step of Sutherland–Hodgman: the ring clipped by one edge of the frame."""
    clipped = []
    for index, current in enumerate(points):
        previous = points[index - 1]
        if inside(current):
            if not inside(previous):
                clipped.append(cross(previous, current))
            clipped.append(current)
        elif inside(previous):
            clipped.append(cross(previous, current))
    return clipped


def _at_x(edge: float):
    def cross(a, b):
        t = (edge - a[0]) / (b[0] - a[0])
        return edge, a[1] + t * (b[1] - a[1])

    return cross


def _at_y(edge: float):
    def cross(a, b):
        t = (edge - a[1]) / (b[1] - a[1])
        return a[0] + t * (b[0] - a[0]), edge

    return cross


def clip_ring(points: list, width: float, height: float, pad: float = 2) -> list:
    """A projected ring clipped to the frame (plus `pad` units, so no edge is stroked)."""
    low_x, low_y, high_x, high_y = -pad, -pad, width + pad, height + pad
    for inside, cross in (
        (lambda p: p[0] >= low_x, _at_x(low_x)),
        (lambda p: p[0] <= high_x, _at_x(high_x)),
        (lambda p: p[1] >= low_y, _at_y(low_y)),
        (lambda p: p[1] <= high_y, _at_y(high_y)),
    ):
        if not points:
            break
        points = _clip(points, inside, cross)
    return points


def _bounds(ring: list) -> tuple[float, float, float, float]:
    longitudes = [p[0] for p in ring]
    latitudes = [p[1] for p in ring]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def simplified(ring: list, tolerance: float) -> list:
    """The ring without the points closer than `tolerance` degrees to the last one kept.

    A map a few hundred units wide over a continent shows a degree as a unit or less: the
    points in between would be projected and clipped only to round to the same unit.
    """
    if tolerance <= 0:
        return ring
    kept = [ring[0]]
    for point in ring[1:]:
        last = kept[-1]
        if abs(point[0] - last[0]) >= tolerance or abs(point[1] - last[1]) >= tolerance:
            kept.append(point)
    return kept


def bounded_rings(polygons, tolerance: float = 0) -> list[tuple[tuple, list]]:
    """Every ring of the polygons with its bounds (west, south, east, north).

    Simplified to `tolerance` degrees; rings it reduces to less than a triangle are left out.
    """
    rings = (simplified(ring, tolerance) for polygon in polygons for ring in polygon)
    return [(_bounds(ring), ring) for ring in rings if len(ring) >= 3]


def land_path(rings: list[tuple[tuple, list]], frame: Frame) -> str:
    """SVG path data of the land within the frame, in whole map units, relative moves.

    A frame reaching past ±180° shows land from the other side of the antimeridian too: each
    ring is also tried a turn of the globe (360°) east and west.
    """
    parts = []
    # Frame.project, unrolled: the one step every point of every ring in the frame takes.
    x_scale = frame.width / (frame.east - frame.west)
    y_scale = frame.height / (frame.north - frame.south)
    for turn in (-360, 0, 360):
        left = frame.west - turn
        for (west, south, east, north), ring in rings:
            west, east = west + turn, east + turn
            if east < frame.west or west > frame.east or north < frame.south or south > frame.north:
                continue
            projected = [
                ((longitude - left) * x_scale, (frame.north - latitude) * y_scale)
                for longitude, latitude in ring
            ]
            inside = frame.west <= west and east <= frame.east
            if not (inside and frame.south <= south and north <= frame.north):
                projected = clip_ring(projected, frame.width, frame.height)
            parts.append(_ring_path(projected))
    return "".join(part for part in parts if part)


def _ring_path(points: list) -> str:
    """`M x y l dx dy …z` in whole units, dropping steps that round to nothing."""
    rounded = [(round(x), round(y)) for x, y in points]
    steps, last = [], None
    for point in rounded:
        if point != last:
            steps.append(point)
            last = point
    if len(steps) < 3:
        return ""
    (x, y), moves = steps[0], []
    for nx, ny in steps[1:]:
        moves.append(f"{nx - x} {ny - y}")
        x, y = nx, ny
    return f"M{steps[0][0]} {steps[0][1]}l" + " ".join(moves) + "z"
