"""Name a map's points where their names fit: beside the point, clear of every other mark.

Readers on phones found names printed over each other and under other places' points
("Geneva" under Montreux's point). A name is placed at build time, most documented place
first (the page's own place before all), in the first of eight spots around its point whose
box stays inside the frame and clear of every point and every name already placed; a name
with no such spot is left to the list under the map (theme/templates/partials/map.html).
Boxes are estimated never smaller than the browser draws them (archive/site/text_width.py),
so what is clear here is clear on the page, and the same input places the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from archive.site.text_width import text_width

#: A name's font size in map units. A map is 360 units wide and drawn about as wide on a
#: phone (some 356 px at 390 px): 15 units are 14.8 px there, 12 at the narrowest (290 px).
FONT_SIZE = 15
#: How far a line of text reaches above and below its baseline, in em: Noto Sans's line box,
#: the tallest of the theme's fallback fonts (DejaVu Sans draws 0.93 and 0.24).
ASCENT, DESCENT = 1.07, 0.3
#: Room between a point and its name, and around a point's mark (its stroke), in map units.
GAP, STROKE = 2, 1


class Box(NamedTuple):
    """A rectangle in map units (y downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """Whether the boxes share some area (touching edges do not)."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def within(self, width: float, height: float) -> bool:
        """Whether the box lies inside a frame `width` by `height` units."""
        return 0 <= self.left and self.right <= width and 0 <= self.top and self.bottom <= height


@dataclass(frozen=True)
class Label:
    """Where a point's name is drawn: the SVG text's x, baseline y and anchor, and its width."""

    x: float
    y: float
    anchor: str  # "start", "middle" or "end", as SVG's text-anchor
    width: float

    @property
    def box(self) -> Box:
        """The box the text takes: its estimated width, the fonts' tallest line."""
        left = {"start": self.x, "middle": self.x - self.width / 2, "end": self.x - self.width}
        return Box(
            left[self.anchor],
            self.y - ASCENT * FONT_SIZE,
            left[self.anchor] + self.width,
            self.y + DESCENT * FONT_SIZE,
        )


def mark(x: float, y: float, radius: float) -> Box:
    """The box a point's circle covers, its stroke included."""
    reach = radius + STROKE
    return Box(x - reach, y - reach, x + reach, y + reach)


def spots(x: float, y: float, radius: float, width: float):
    """The labels a point may have, best first: right, left, above, below, then diagonals."""
    middle = y + (ASCENT - DESCENT) / 2 * FONT_SIZE  # the baseline centring the name on y
    side = radius + STROKE + GAP
    above = y - side - DESCENT * FONT_SIZE
    below = y + side + ASCENT * FONT_SIZE
    for anchor, at_x, at_y in (
        ("start", x + side, middle),
        ("end", x - side, middle),
        ("middle", x, above),
        ("middle", x, below),
        ("start", x + side, above),
        ("end", x - side, above),
        ("start", x + side, below),
        ("end", x - side, below),
    ):
        yield Label(round(at_x, 1), round(at_y, 1), anchor, round(width, 1))


@lru_cache(maxsize=64)
def place_labels(points: tuple[tuple[str, float, float, float], ...], width: int, height: int):
    """A label or None for each (name, x, y, radius) point, in the order given (its priority).

    Rounded positions keep a name off a neighbour by at least GAP less a tenth of a unit.
    Each point's spots are tried only against the marks and names near it (those meeting
    the box around all its spots): a place's map of 50 points, placed again for each of
    1,000 sibling pages in each language, would otherwise check every pair of boxes. Kept
    for the map's other languages: most places have one name in all of them.
    """
    marks = [mark(x, y, radius) for _, x, y, radius in points]
    placed: list[Box] = []
    labels = []
    for name, x, y, radius in points:
        found = None
        width_of_name = text_width(name, FONT_SIZE)
        candidates = [(label, label.box) for label in spots(x, y, radius, width_of_name)]
        around = Box(
            min(box.left for _, box in candidates),
            min(box.top for _, box in candidates),
            max(box.right for _, box in candidates),
            max(box.bottom for _, box in candidates),
        )
        near = [other for other in (*marks, *placed) if around.overlaps(other)]
        for label, box in candidates:
            if box.within(width, height) and not any(box.overlaps(other) for other in near):
                found = label
                # Names GAP apart, as names are from points: touching lines read as one.
                placed.append(Box(box.left - GAP, box.top - GAP, box.right + GAP, box.bottom + GAP))
                break
        labels.append(found)
    return tuple(labels)
