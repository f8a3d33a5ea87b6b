"""Pelican plugin: maps of places that need no server, no tiles and no JavaScript.

The locations overview maps the places with documents; each location's page maps the place,
the places within it and the places sharing its parent that have documents. Points are
sized by their documents (area proportional to the count) and link to their pages; places
without coordinates are listed beside the map, never dropped. A map shows a bounded number
of places (MAPS["points"], MAPS["overview_points"]): the overview those with the most
documents, a place's page the places within it that have the most documents, then its
nearest neighbours. Otherwise 1,000 sibling places would draw 1,000 points on each of their
1,000 pages; the map says how many it leaves out and where every place is listed. The base map is
Natural Earth's 1:50m country outlines, bundled in data/ (public domain, see
data/NOTICE.md) and decoded from TopoJSON here (topojson.py), projected and clipped to the
frame (drawing.py). A place's map frames its country's outline with its points, so a map
of a country's towns shows the whole country. Points are named where their names fit clear
of every other mark, and listed under the map otherwise (labels.py). Maps are drawn about as
wide in map units as a phone's screen is in pixels: their text and points keep their size
there (12 px and more, targets of 24 px). A map is data (frame, land path, points); the partial
theme/templates/partials/map.html draws it. The base map is read once before the pages are
rendered; each page's map is computed when its page is rendered, in the rendering workers.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from pelican import signals

from archive.site.plan import PagePlan, Shows

from .drawing import Frame, bounded_rings, frame_of, land_path
from .labels import FONT_SIZE, place_labels
from .topojson import features, polygons

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Width of a map in its own units (the SVG scales to the page: about 1:1 on a phone, so
    # text and points keep their size there); its height follows the frame's shape, between
    # these bounds.
    "width": 360,
    "min_height": 240,
    "max_height": 460,
    # Room around the places, as a share of their extent on each side.
    "margin": 0.15,
    # The least span shown, in degrees (one place alone is shown with its surroundings).
    "min_span": 3.0,
    # Radius of the smallest and largest points, in map units: the smallest is a 26-unit
    # target, some 25 px on a phone (WCAG 2.5.8 asks for 24).
    "radius": (13, 20),
    # How many places a place's map shows (itself included), and the overview map.
    "points": 50,
    "overview_points": 250,
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`MAPS = {...}`) over its defaults, checked."""
    options = {**DEFAULTS, **settings.get("MAPS", {})}
    for bound in ("points", "overview_points"):
        if not isinstance(options[bound], int) or options[bound] < 1:
            logger.error("maps: MAPS[%r] must be a whole number of places, 1 or more", bound)
            options[bound] = DEFAULTS[bound]
    if not 0 < options["min_height"] <= options["max_height"]:
        logger.error("maps: MAPS['min_height'] must be positive and at most max_height")
        options["min_height"], options["max_height"] = (
            DEFAULTS["min_height"],
            DEFAULTS["max_height"],
        )
    return options


#: The levels of detail of the base map, in degrees: a point closer than that to the last
#: one kept is left out. A map uses the coarsest finer than two of its units (a map is 360
#: units wide and drawn at most some 480 pixels wide: under three pixels), so it looks the same,
#: and a map of a continent projects and carries a fraction of the world's points.
DETAIL = (0.0, 0.02, 0.1, 0.3)
#: How many map units a level of detail may drop between two points kept.
UNITS_DROPPED = 2


@cache
def land(tolerance: float = 0.0) -> list:
    """The base map's rings with their bounds at one level of detail, once per process."""
    return bounded_rings(polygons(), tolerance)


#: How far, in degrees, a part of a country may lie from its largest part and be framed with
#: it: Corsica is framed with France, French Guiana and Réunion are not.
REACH = 5.0


@cache
def country_rings(name: str) -> list:
    """The outer rings of the country of the base map called `name` that frame it.

    Its largest part (by the area of its box) and the parts within REACH of it; none when
    the base map has no country of that name.
    """
    shapes = features().get(name, ())
    rings = [(_bounds(polygon[0]), polygon[0]) for polygon in shapes]
    if not rings:
        return []
    (west, south, east, north), _ = max(
        rings, key=lambda ring: (ring[0][2] - ring[0][0]) * (ring[0][3] - ring[0][1])
    )
    return [
        ring
        for (w, s, e, n), ring in rings
        if w <= east + REACH and west - REACH <= e and s <= north + REACH and south - REACH <= n
    ]


def _bounds(ring: list) -> tuple[float, float, float, float]:
    longitudes = [x for x, _ in ring]
    latitudes = [y for _, y in ring]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def country_bounds(name: str) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the country called `name` (country_rings), or None."""
    bounds = [_bounds(ring) for ring in country_rings(name)]
    if not bounds:
        return None
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )


def region_of(entry) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the country a place is in, from the base map.

    The first of the place's top ancestor, then each place down to itself, whose name or an
    alias is a country's name on the base map (Syria for Raqqa); None when none is.
    """
    chain = []
    while entry is not None:
        chain.append(entry)
        entry = entry.parent
    for place in reversed(chain):
        for name in (place.term.name, *place.term.aliases):
            bounds = country_bounds(name)
            if bounds:
                return bounds
    return None


@lru_cache(maxsize=256)
def land_within(frame: Frame) -> str:
    """The base map clipped to `frame`, once per distinct frame.

    The places around a place are often the same for all its neighbours (siblings under one
    parent share one map's frame): clipping the world's outlines again for each of hundreds
    of pages took most of such a build.
    """
    unit = (frame.east - frame.west) / frame.width  # degrees of longitude per map unit
    level = max(level for level in DETAIL if level <= UNITS_DROPPED * unit)
    return land_path(land(level), frame)


@dataclass(frozen=True)
class Point:
    """A place on a map: its page, where it is drawn, how big."""

    entry: object  # the taxonomies plugin's Location page
    x: float
    y: float
    radius: float
    count: int
    current: bool = False


class PlaceMap:
    """The places of one map: drawn (framed, projected, clipped) when first asked."""

    def __init__(self, entries: list, options: dict, current=None, left_out: int = 0, region=None):
        self.options = options
        self.current = current
        #: (west, south, east, north) of the area the map is about, framed with its places.
        self.region = region
        #: How many places belong on this map but were left out by its bound.
        self.left_out = left_out
        placed = [e for e in entries if e.term.coordinates]
        #: Places shown that have no coordinates: listed under the map.
        self.unplaced = [e for e in entries if not e.term.coordinates]
        self.entries = placed

    def __bool__(self) -> bool:
        return bool(self.entries or self.unplaced)

    @cached_property
    def frame(self) -> Frame | None:
        """What the map shows, or None when no place has coordinates.

        The country is framed when one of the places is in or near it (within REACH of its
        box): a registry may file a far-off place under it (a town placed in Brazil under
        Syria), and its map, of its nearest places, would have spanned half the world.
        """
        if not self.entries:
            return None
        pad = self.options["radius"][1] + 2  # the largest point and its stroke
        coordinates = [e.term.coordinates for e in self.entries]
        region = self.region
        if region and not any(
            region[1] - REACH <= latitude <= region[3] + REACH
            and region[0] - REACH <= longitude <= region[2] + REACH
            for latitude, longitude in coordinates
        ):
            region = None
        return frame_of(coordinates, self.options, region, pad)

    @cached_property
    def land(self) -> str:
        """The base map within the frame, as SVG path data."""
        return land_within(self.frame) if self.frame else ""

    @cached_property
    def points(self) -> list[Point]:
        """The places, biggest first so that smaller points are drawn over them."""
        if not self.frame:
            return []
        smallest, largest = self.options["radius"]
        most = max(len(e.articles) for e in self.entries) or 1
        points = []
        for entry in self.entries:
            latitude, longitude = entry.term.coordinates
            x, y = self.frame.project(self.frame.around(longitude), latitude)
            count = len(entry.articles)
            points.append(
                Point(
                    entry=entry,
                    x=round(x, 1),
                    y=round(y, 1),
                    radius=round(smallest + (largest - smallest) * math.sqrt(count / most), 1),
                    count=count,
                    current=entry is self.current,
                )
            )
        return sorted(points, key=lambda p: (-p.radius, p.entry.slug))

    def labels_in(self, language: str) -> tuple[list, list]:
        """The names of the points in `language`: ([(point, name, label)], [(point, name)]).

        Those placed clear of every other mark, and those that did not fit, for the list
        under the map. The page's own place is named first, then the most documented.
        Placed for each language (names differ in width from one language to another), once
        for all of them where the names are the same (labels.py).
        """
        order = sorted(self.points, key=lambda p: (not p.current, -p.count, p.entry.slug))
        names = [p.entry.term.name_in(language) for p in order]
        labels = place_labels(
            tuple((name, p.x, p.y, p.radius) for name, p in zip(names, order, strict=True)),
            self.frame.width,
            self.frame.height,
        )
        placed, unplaced = [], []
        for point, name, label in zip(order, names, labels, strict=True):
            if label:
                placed.append((point, name, label))
            else:
                unplaced.append((point, name))
        return placed, sorted(unplaced, key=lambda pair: pair[1].casefold())

    #: The labels' font size in map units, for the template.
    font_size = FONT_SIZE


def _descendants(entry) -> list:
    found = []
    for child in entry.children:
        found.append(child)
        found.extend(_descendants(child))
    return found


def _most_documented(entries: list) -> list:
    return sorted(entries, key=lambda e: (-len(e.articles), e.slug))


def _distance(here: tuple[float, float], there: tuple[float, float]) -> float:
    """The angle between two (latitude, longitude) points seen from the Earth's centre."""
    (lat1, lon1), (lat2, lon2) = (map(math.radians, point) for point in (here, there))
    cosine = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
        lon2 - lon1
    )
    return math.acos(max(-1.0, min(1.0, cosine)))


def _nearest(entries: list, here) -> list:
    """Places with coordinates nearest first, then those without, most documented first."""
    if not here:
        return _most_documented(entries)
    placed = [e for e in entries if e.term.coordinates]
    placed.sort(key=lambda e: (_distance(here, e.term.coordinates), e.slug))
    return placed + _most_documented([e for e in entries if not e.term.coordinates])


def places_around(entry, limit: int) -> tuple[list, int]:
    """A place's map, and how many places it leaves out.

    Itself, the places within it, and its siblings that have documents, at most `limit` of
    them: the places within first, most documented first, then the siblings nearest to it.
    """
    siblings = entry.parent.children if entry.parent else []
    candidates = [entry]
    candidates += _most_documented([e for e in _descendants(entry) if e.articles])
    around = [e for e in siblings if e is not entry and e.articles]
    candidates += _nearest(around, entry.term.coordinates)
    return candidates[:limit], max(0, len(candidates) - limit)


def attach_maps(generators):
    """Give the locations overview and every location page its map (drawn when rendered)."""
    context, settings = generators[0].context, generators[0].settings
    locations = context.get("locations")
    if locations is None:
        return
    options = settings_of(settings)
    for level in DETAIL:
        land(level)  # decoded here, once, and shared with the rendering workers
    overview = _most_documented([e for e in locations.entries.values() if e.articles])
    limit = options["overview_points"]
    left_out = max(0, len(overview) - limit)
    context["locations_map"] = PlaceMap(overview[:limit], options, left_out=left_out)
    plan = PagePlan.of(context)
    for entry in locations.entries.values():
        shown, left_out = places_around(entry, options["points"])
        entry.map = PlaceMap(
            shown, options, current=entry, left_out=left_out, region=region_of(entry)
        )
        # The map is on the first page of the place's list (theme/templates/term.html): it
        # shows how many documents each of its places has.
        mapped = [*entry.map.entries, *entry.map.unplaced]
        plan.add(entry, Shows(first_page=Shows(counted=mapped)))


def register():
    """Connect to Pelican: once the taxonomies have indexed the documents, before writing."""
    signals.all_generators_finalized.connect(attach_maps)
