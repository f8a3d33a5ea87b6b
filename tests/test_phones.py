"""Maps, charts and the header as readers in field offices see them: on a phone, 390×844.

Readers found map and chart labels at 6–7 px (the SVG scaled down to the phone), points
10 px wide, labels over each other and over other places' points, the Syria map cutting
off the north of the country and a header taking a quarter of the screen. What is measured
here is what the browser lays out (Debian's Chromium from disk), not what the HTML says.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SEED_ARTICLE, collect_errors

from plugins.maps.topojson import COUNTRIES, decode_arcs, ring

PHONE = {"width": 390, "height": 844}
LANGUAGES = ["", "es/", "fr/"]
#: The least text size (CSS px) and target size (WCAG 2.5.8) on a phone.
SMALLEST_TEXT = 12
SMALLEST_TARGET = 24
#: Screenshots for a person to look at (ignored by git); the test prints where.
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

#: Every label, text, point and frame of every map and chart on the page, in CSS px.
MEASURE = """() => {
    const box = (element) => {
        const r = element.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                width: r.width, height: r.height};
    };
    // The font size as drawn: the text's own times its scale on screen (rotated or not).
    const rendered = (text) => {
        const m = text.getScreenCTM();
        return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
    };
    const maps = [...document.querySelectorAll('.map svg')].map((svg) => ({
        frame: box(svg),
        scale: svg.getScreenCTM().a,
        labels: [...svg.querySelectorAll('.map__label')].map((text) => ({
            name: text.textContent, box: box(text), size: rendered(text),
            estimate: parseFloat(text.dataset.width),
        })),
        points: [...svg.querySelectorAll('a circle')].map((circle) => ({
            name: circle.parentElement.getAttribute('aria-label'), box: box(circle),
        })),
    }));
    const charts = [...document.querySelectorAll('.timeline svg')].map((svg) => ({
        texts: [...svg.querySelectorAll('text')].map((text) => ({
            name: text.textContent, size: rendered(text), box: box(text),
            period: text.classList.contains('timeline__period'),
        })),
    }));
    return {maps, charts};
}"""


def overlap(a: dict, b: dict) -> bool:
    """Whether two boxes share more than a hair (half a pixel of rounding either way)."""
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


def busiest_place_maps(site: Path, count: int = 6) -> list[str]:
    """The place pages whose maps have the most points, and Syria's."""
    points = {}
    for path in (site / "locations").glob("*.html"):
        html = path.read_text(encoding="utf-8")
        if path.name != "index.html":
            points[path.name] = len(re.findall(r"<circle ", html))
    busiest = sorted(points, key=lambda name: (-points[name], name))[:count]
    return sorted({*busiest, "syria.html"})


def pages_with_maps_and_charts(site: Path) -> list[str]:
    """Every kind of page with a map or chart, the overview and the busiest maps."""
    places = [f"locations/{name}" for name in busiest_place_maps(site)]
    kinds = ["locations/index.html", "archive/index.html", "collections/syria-war.html"]
    kinds += ["actors/islamic-state.html"]
    return [language + page for language in LANGUAGES for page in kinds + places]


def chart_problems(measured: dict) -> list[str]:
    """What is wrong with the charts of one page, in words."""
    problems = []
    for chart in measured["charts"]:
        texts = chart["texts"]
        problems += [
            f"chart text {t['name']!r} at {t['size']:.1f} px"
            for t in texts
            if t["size"] < SMALLEST_TEXT
        ]
        periods = [t for t in texts if t["period"]]
        problems += [
            f"chart labels {a['name']!r} and {b['name']!r} overlap"
            for i, a in enumerate(periods)
            for b in periods[i + 1 :]
            if overlap(a["box"], b["box"])
        ]
    return problems


def map_problems(measured: dict) -> list[str]:
    """What is wrong with the maps of one page, in words."""
    problems = []
    for drawn in measured["maps"]:
        frame, labels, points = drawn["frame"], drawn["labels"], drawn["points"]
        for label in labels:
            if label["size"] < SMALLEST_TEXT:
                problems.append(f"label {label['name']!r} at {label['size']:.1f} px")
            if label["box"]["width"] > label["estimate"] * drawn["scale"] + 0.5:
                problems.append(f"label {label['name']!r} wider than its estimate")
            for point in points:
                if overlap(label["box"], point["box"]):
                    problems.append(f"label {label['name']!r} over the point {point['name']!r}")
        problems += [
            f"labels {a['name']!r} and {b['name']!r} overlap"
            for i, a in enumerate(labels)
            for b in labels[i + 1 :]
            if overlap(a["box"], b["box"])
        ]
        for point in points:
            box = point["box"]
            if min(box["width"], box["height"]) < SMALLEST_TARGET - 0.01:
                problems.append(f"point {point['name']!r} {box['width']:.1f} px wide")
            if not (
                frame["left"] <= box["left"]
                and box["right"] <= frame["right"]
                and frame["top"] <= box["top"]
                and box["bottom"] <= frame["bottom"]
            ):
                problems.append(f"point {point['name']!r} outside the frame")
    return problems


def test_maps_and_charts_are_readable_and_their_points_reachable_on_a_phone(browser, shipped_site):
    """Labels ≥ 12 px apart from each other and every point, points ≥ 24 px inside the frame,
    the labels' real widths within the widths their placement assumed; in every language."""
    page = browser.new_page(viewport=PHONE)
    errors = collect_errors(page)
    found, labels, points = {}, 0, 0
    for path in pages_with_maps_and_charts(shipped_site):
        page.goto((shipped_site / path).as_uri())
        measured = page.evaluate(MEASURE)
        assert measured["maps"] or measured["charts"], path
        labels += sum(len(m["labels"]) for m in measured["maps"])
        points += sum(len(m["points"]) for m in measured["maps"])
        if problems := chart_problems(measured) + map_problems(measured):
            found[path] = problems
    assert found == {}
    assert labels > 50 and points > 100  # the maps were measured, not missed
    assert errors == []


def test_the_syria_map_shows_all_of_syria(shipped_site):
    """The frame holds the country's outline, not only its places (it cut off the north)."""
    html = (shipped_site / "locations/syria.html").read_text(encoding="utf-8")
    west, south, east, north = map(float, re.search(r'data-frame="([^"]+)"', html)[1].split())
    topology = json.loads(COUNTRIES.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    (syria,) = [
        g
        for g in topology["objects"]["countries"]["geometries"]
        if g["properties"]["name"] == "Syria"
    ]
    shapes = syria["arcs"] if syria["type"] == "MultiPolygon" else [syria["arcs"]]
    rings = [ring(indexes, arcs) for shape in shapes for indexes in shape]
    longitudes = [x for outline in rings for x, _ in outline]
    latitudes = [y for outline in rings for _, y in outline]
    assert west < min(longitudes) and max(longitudes) < east
    assert south < min(latitudes) and max(latitudes) < north


@pytest.mark.parametrize("language", LANGUAGES, ids=["en", "es", "fr"])
def test_the_header_is_compact_on_a_phone_and_its_menu_opens_from_the_keyboard(
    browser, shipped_site, language
):
    page = browser.new_page(viewport=PHONE)
    page.goto((shipped_site / language / SEED_ARTICLE).as_uri())
    assert page.evaluate("document.querySelector('.site-header').offsetHeight") <= 120
    # Skip link, the site's name, then the menu: Enter opens it, its sections a tab away.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.site-nav') !== null")
    assert page.is_visible(".site-nav a >> nth=-1")
    wide = browser.new_page(viewport={"width": 1280, "height": 900})
    wide.goto((shipped_site / language / SEED_ARTICLE).as_uri())
    assert wide.is_visible(".site-nav a >> nth=-1")  # no menu to open on a wide screen
    assert not wide.is_visible(".site-menu > summary")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_document_page_lines_up_with_its_header_and_footer(browser, shipped_site, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((shipped_site / SEED_ARTICLE).as_uri())
    # The edges of their content: inside the header's and main's padding.
    edges = page.evaluate("""() => Object.fromEntries(
        ['.site-header__inner', 'main', '.site-footer > *'].map((selector) => {
            const element = document.querySelector(selector);
            const r = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            return [selector, [Math.round(r.left + parseFloat(style.paddingLeft)),
                               Math.round(r.right - parseFloat(style.paddingRight))]];
        }))""")
    assert len(set(map(tuple, edges.values()))) == 1, edges


def test_screenshots_of_phone_pages_for_a_person_to_look_at(browser, shipped_site):
    """Home, document, actor, place and search pages in Spanish and French at 390 px."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=PHONE)
    pages = {
        "home": "index.html",
        "document": SEED_ARTICLE,
        "actor": "actors/islamic-state.html",
        "location": "locations/syria.html",
        "locations": "locations/index.html",
        "search": "search.html",
    }
    for language in ("es", "fr"):
        for name, path in pages.items():
            query = "?q=Raqqa" if name == "search" else ""
            url = (shipped_site / language / path).as_uri() + query
            page.goto(url)
            if name == "search":
                page.wait_for_selector(".search__result")
            shot = ARTIFACTS / f"{language}-{name}-390.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
    print(f"\nScreenshots at 390 px: {ARTIFACTS}")
