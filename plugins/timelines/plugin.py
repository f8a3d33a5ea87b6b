"""Pelican plugin: how many documents per year (per month when the span is short).

A timeline is data: one bar per period with its count, its geometry in the chart's
coordinates and the page it leads to (the year's page on the archive page; elsewhere the
search page filtered to the subject and the year). theme/templates/partials/timeline.html
draws it as SVG with a title, labelled axes and a table of the figures for screen readers:
no JavaScript, so it works from disk and prints. A chart is drawn about as many units wide
as a phone is pixels, its text FONT_SIZE units: 12 px or more on a phone (it was 6.7 px when
the chart was drawn 640 units wide); the time axis names as many periods as fit there, the
count axis is as wide as its longest figure. Timelines are computed once, before any
page is written, for the archive (`context["archive_timeline"]`), every collection
(`category.timeline`) and every actor and location page (`entry.timeline`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from babel.dates import format_date
from pelican import signals

from archive.site.interface import interface_languages
from archive.site.text_width import text_width

logger = logging.getLogger(__name__)

DEFAULTS = {
    # At most this many months between the first and last document: one bar per month.
    "months_up_to": 24,
    # The chart's size in its own units (the SVG scales to the page's width: about 1:1 on
    # a phone).
    "width": 360,
    "height": 220,
}
#: The size of the chart's text, in chart units (set on the SVG by the template).
FONT_SIZE = 15
#: Room for the rotated "Documents" left of the count axis's figures, and between those
#: figures and the plot, in chart units.
AXIS_TITLE, TICK_GAP = 24, 6
#: Room around the plot for the axes' labels: right, top, bottom (the left is as wide as
#: the count axis's figures): under the time axis a period, its year, and "Year".
RIGHT, TOP, BOTTOM = 8, 12, 64
#: The least room between two periods named under the time axis, in chart units.
LABEL_GAP = 8
#: The widest a bar is drawn, in chart units.
BAR_WIDTH = 40


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`TIMELINES = {...}`) over its defaults, checked."""
    options = {**DEFAULTS, **settings.get("TIMELINES", {})}
    for key in DEFAULTS:
        if not isinstance(options[key], int) or options[key] < 1:
            logger.error("timelines: TIMELINES[%r] must be a positive integer", key)
            options[key] = DEFAULTS[key]
    return options


@dataclass(frozen=True)
class Bar:
    """One period: its first day, how many documents, where it is drawn, where it leads."""

    start: dt.date
    count: int
    x: float
    y: float
    width: float
    height: float
    href: str = ""
    labelled: bool = True  # whether the axis names this period (not every month fits)
    names_year: bool = False  # a month whose label also gives the year (the first of each)

    @property
    def middle(self) -> float:
        """The x of the bar's centre, where its label goes."""
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Tick:
    """A value on the count axis and its height in the chart."""

    value: int
    y: float


@dataclass
class Timeline:
    """Documents per period over the whole span (empty periods included)."""

    unit: str  # "year" or "month"
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    total: int
    plot: tuple = (0, RIGHT, TOP, BOTTOM)  # left, right, top, bottom margins
    font_size: int = FONT_SIZE

    @property
    def bottom(self) -> int:
        """The y of the time axis."""
        return self.height - self.plot[3]

    @property
    def right(self) -> int:
        """The x where the plot ends."""
        return self.width - self.plot[1]


def _periods(dates: list[dt.date], months_up_to: int) -> tuple[str, list[dt.date]]:
    """The unit and every period from the first date's to the last's, oldest first."""
    first, last = min(dates), max(dates)
    months = (last.year - first.year) * 12 + last.month - first.month
    if months < months_up_to:
        periods, year, month = [], first.year, first.month
        for _ in range(months + 1):
            periods.append(dt.date(year, month, 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return "month", periods
    return "year", [dt.date(year, 1, 1) for year in range(first.year, last.year + 1)]


def _ticks(highest: int) -> list[int]:
    """Round values for the count axis (steps of 1, 2, 5, 10, 20, 50…), at most 6 of them."""
    step = next(
        m * 10**e for e in range(12) for m in (1, 2, 5) if math.ceil(highest / (m * 10**e)) <= 5
    )
    top = max(1, math.ceil(highest / step)) * step
    return list(range(0, top + 1, step))


@cache
def widest_period(locales: tuple[str, ...]) -> float:
    """The widest name of a period under the time axis in any of the interface locales.

    A year ("2000", figures are equally wide) or a month as the template abbreviates it
    ("Sep", "sept.", "févr.").
    """
    months = [dt.date(2000, month, 1) for month in range(1, 13)]
    names = ["2000"] + [format_date(m, "LLL", locale=loc) for m in months for loc in locales]
    return max(text_width(name, FONT_SIZE) for name in names)


def timeline_of(
    dates: list[dt.date], options: dict, link=None, locales: tuple[str, ...] = ("en",)
) -> Timeline | None:
    """The timeline of documents dated `dates`; `link(unit, start)` gives a bar's page.

    `locales` are those its periods are named in, for the room their names take.
    """
    if not dates:
        return None
    unit, periods = _periods(dates, options["months_up_to"])
    counts: dict[dt.date, int] = {}
    for date in dates:
        start = dt.date(date.year, date.month if unit == "month" else 1, 1)
        counts[start] = counts.get(start, 0) + 1
    width, height = options["width"], options["height"]
    values = _ticks(max(counts.values()))
    # Figures of the count axis, grouped ("1,000", "1 000"): each a figure's width at most.
    widest_tick = text_width("0" * len(f"{values[-1]:,}"), FONT_SIZE)
    left, right, top, bottom = math.ceil(AXIS_TITLE + widest_tick + TICK_GAP), RIGHT, TOP, BOTTOM
    plot_height = height - top - bottom
    scale = plot_height / values[-1]
    band = (width - left - right) / len(periods)
    # Every how many periods one is named, so that the names keep LABEL_GAP apart.
    every = max(1, math.ceil((widest_period(locales) + LABEL_GAP) / band))
    thickness = min(band * 0.8, BAR_WIDTH)  # a lone year is a bar, not a wall
    bars = []
    for number, start in enumerate(periods):
        count = counts.get(start, 0)
        bars.append(
            Bar(
                start=start,
                count=count,
                x=round(left + (number + 0.5) * band - thickness / 2, 2),
                y=round(height - bottom - count * scale, 2),
                width=round(thickness, 2),
                height=round(count * scale, 2),
                href=link(unit, start) if link and count else "",
                labelled=(len(periods) - 1 - number) % every == 0,
            )
        )
    if unit == "month":  # under the first labelled month of each year, its year
        years = set()
        for at, bar in enumerate(bars):
            if bar.labelled and bar.start.year not in years:
                years.add(bar.start.year)
                bars[at] = dataclasses.replace(bar, names_year=True)
    ticks = [Tick(value, round(height - bottom - value * scale, 2)) for value in values]
    return Timeline(unit, bars, ticks, width, height, len(dates), (left, right, top, bottom))


def search_link(settings: dict, filter_name: str, value: str):
    """Bars leading to the search page filtered to one subject and the bar's year."""
    search = settings.get("SEARCH_URL")
    if not search:
        return None

    def link(unit: str, start: dt.date) -> str:
        return f"{search}?{urlencode({filter_name: value, 'year': start.year})}"

    return link


def year_page_link(settings: dict):
    """Bars leading to the year's page of the archive."""
    pattern = settings.get("YEAR_ARCHIVE_URL")
    if not pattern:
        return None
    return lambda unit, start: pattern.format(date=start)


def attach_timelines(generators):
    """Give the archive, every collection and every actor and location page its timeline."""
    context, settings = generators[0].context, generators[0].settings
    options = settings_of(settings)
    locales = tuple(language.locale for language in interface_languages(settings))
    documents = context.get("listed_documents", [])  # as the lists count: one per report
    # Each document's date once: a document is counted on a dozen timelines.
    dates = {id(article): article.document.date for article in documents}
    context["archive_timeline"] = timeline_of(
        list(dates.values()), options, year_page_link(settings), locales
    )
    for category, articles in context.get("categories", ()):
        members = [dates[id(a)] for a in articles if id(a) in dates]
        link = search_link(settings, "collection", category.name)
        category.timeline = timeline_of(members, options, link, locales)
    for filter_name, taxonomy in (("actor", "actors"), ("location", "locations")):
        if taxonomy not in context:
            continue
        for entry in context[taxonomy].entries.values():
            link = search_link(settings, filter_name, entry.name)
            entry.timeline = timeline_of(
                [dates[id(a)] for a in entry.articles], options, link, locales
            )


def register():
    """Connect to Pelican: once every document is read and indexed, before writing."""
    signals.all_generators_finalized.connect(attach_timelines)
