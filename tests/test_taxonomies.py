"""Actors and locations: registries, alias resolution, and the pages built from them."""

from __future__ import annotations

import json

import pytest
from conftest import SEED_ARTICLE, build, fixture_content, site_settings
from sitecheck import broken_links, soup

from archive.model.problems import ArchiveError
from archive.model.sourcefile import load_yaml
from archive.model.terms import (
    ACTORS,
    LOCATIONS,
    collation_key,
    collation_key_in,
    heading_in,
    load_terms,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("taxonomies")
    return build(fixture_content("taxonomies", tmp), tmp / "output")


def titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".document-list > li > a")]


def related(page, heading: str) -> dict[str, int]:
    section = page.select_one(".related")
    block = section.find("h3", string=heading).find_next_sibling("ul")
    return {
        li.a.get_text(strip=True): int(li.select_one(".count").contents[0])
        for li in block.find_all("li")
    }


def test_aliases_resolve_to_one_page_in_date_order_by_year(site):
    page = soup(site / "actors/islamic-state.html")
    assert page.h1.get_text(strip=True) == "Islamic State"
    assert titles(page) == ["Report a3", "Report a2", "Report a1"]
    years = [h.get_text(strip=True) for h in page.select("section h3[id^=year-]")]
    assert years == ["2020", "2019"]
    assert "ISIL" in page.select_one(".facts").get_text()
    assert page.select_one("a[href='https://www.wikidata.org/wiki/Q2429253']")


def test_no_alias_is_an_entry_of_its_own(site):
    overview = soup(site / "actors/index.html")
    names = {a.get_text(strip=True) for a in overview.select(".term a")}
    assert {"Islamic State", "Example Army", "Unused Group"} <= names
    assert not names & {"ISIL", "Daesh", "EA", "IS"}
    assert not (site / "actors/isil.html").exists()


def test_actors_grouped_by_type_with_counts_and_a_to_z(site):
    overview = soup(site / "actors/index.html")
    groups = {
        h.contents[0].strip(): [
            a.get_text(strip=True) for a in h.find_parent("section").select(".term a")
        ]
        for h in overview.select("section h2[id^=type-]")
    }
    assert groups["Armed group"] == ["Islamic State", "Unused Group"]
    assert groups["Armed forces"] == ["Example Army"]
    jump = [a["href"] for a in overview.select(".jump-links[aria-label='A to Z'] a")]
    assert jump == ["#letter-E", "#letter-I", "#letter-U"]
    empty = overview.select_one(".term--empty")
    assert empty.a.get_text(strip=True) == "Unused Group"
    assert "no documents yet" in empty.get_text()
    assert (
        "No document in the archive names Unused Group yet"
        in soup(site / "actors/unused-group.html").get_text()
    )


def test_place_pages_include_places_within(site):
    governorate = soup(site / "locations/raqqa-governorate.html")
    assert titles(governorate) == ["Report a2", "Report a1"]
    assert "all about places within it" in governorate.select_one(".facts").get_text()
    assert [a.get_text() for a in governorate.select(".breadcrumb a")] == ["Locations", "Syria"]
    within = [
        a.get_text()
        for a in governorate.find("dt", string="Places within").find_next("dd").select("a")
    ]
    assert within == ["al-Hamam", "Raqqa", "Tadia"]
    syria = soup(site / "locations/syria.html")
    assert titles(syria) == ["Report a3", "Report a2", "Report a1"]
    tadia = soup(site / "locations/tadia.html")
    assert [a.get_text() for a in tadia.select(".breadcrumb a")] == [
        "Locations",
        "Syria",
        "Raqqa Governorate",
    ]


def test_location_hierarchy_overview(site):
    overview = soup(site / "locations/index.html")
    tree = overview.select_one(".term-tree")
    syria = tree.find("a", string="Syria").find_parent("li")
    governorate = syria.find("a", string="Raqqa Governorate").find_parent("li")
    assert [a.get_text() for a in governorate.find("ul", class_="term-tree").select("a")] == [
        "al-Hamam",
        "Raqqa",
        "Tadia",
    ]
    assert "2 documents" in governorate.select_one(".count").get_text()


def test_names_sort_as_a_reader_expects(site):
    overview = soup(site / "locations/index.html")
    a_to_z = [a.get_text() for a in overview.select(".a-to-z a")]
    assert a_to_z.index("al-Hamam") < a_to_z.index("Ålesund") < a_to_z.index("Zabadani")
    names = ["Zabadani", "Ålesund", "al-Hamam", "Raqqa", "Abu Kamal"]
    assert sorted(names, key=collation_key) == [
        "Abu Kamal",
        "al-Hamam",
        "Ålesund",
        "Raqqa",
        "Zabadani",
    ]


def a_to_z(page) -> dict[str, list[str]]:
    """The A–Z section of an overview page: each heading's names, in the page's order."""
    return {
        h3.get_text(strip=True): [a.get_text(strip=True) for a in h3.find_next_sibling("ul")("a")]
        for h3 in page.select(".a-to-z h3")
    }


def test_a_to_z_follows_the_names_in_the_interface_language(shipped_site):
    """Spanish pages list "Estado Islámico" (Islamic State) under E, French pages "État
    islamique" under E too (accents do not split a letter), each in its language's order."""
    english = a_to_z(soup(shipped_site / "actors/index.html"))
    assert "Islamic State" in english["I"]
    for code, name, heading in (("es", "Estado Islámico", "E"), ("fr", "État islamique", "E")):
        page = soup(shipped_site / code / "actors/index.html")
        groups = a_to_z(page)
        assert name in groups[heading], code
        assert not any(name in names for letter, names in groups.items() if letter != heading)
        assert "Islamic State" not in sum(groups.values(), [])
        assert list(groups) == sorted(groups, key=lambda h: collation_key_in(h, code))
        for letter, names in groups.items():
            assert names == sorted(names, key=lambda n: collation_key_in(n, code)), letter
            assert {heading_in(n, code) for n in names} == {letter}
        jump = [a["href"] for a in page.select(".jump-links[aria-label] a[href^='#letter-']")]
        assert jump == [f"#letter-{letter}" for letter in groups]
    spanish = a_to_z(soup(shipped_site / "es/actors/index.html"))
    assert spanish["E"][:3] == [
        "Ejército Libre Sirio",
        "Ejército Nacional Libio",
        "Estado Islámico",
    ]
    assert "Gobierno de EEUU" in spanish["G"]  # the US government, under U in English


def test_types_and_the_place_tree_are_in_the_interface_languages_order(shipped_site):
    page = soup(shipped_site / "es/actors/index.html")
    for heading in page.select("section h2[id^=type-]"):
        names = [a.get_text(strip=True) for a in heading.find_parent("section").select(".term a")]
        assert names == sorted(names, key=lambda n: collation_key_in(n, "es")), heading["id"]
    armed_groups = page.select_one("#type-armed-group").find_parent("section")
    names = [a.get_text(strip=True) for a in armed_groups.select(".term a")]
    assert names.index("Al Qaeda") < names.index("Estado Islámico") < names.index("Frente al Nusra")
    tree = soup(shipped_site / "es/locations/index.html").select_one(".term-tree")
    for level in [tree, *tree.select("ul")]:
        names = [li.a.get_text(strip=True) for li in level.find_all("li", recursive=False)]
        assert names == sorted(names, key=lambda n: collation_key_in(n, "es")), names


def test_spanish_sorts_and_lists_n_with_tilde_as_a_letter_of_its_own():
    """Ñ comes after N in Spanish (CLDR), under its own heading; elsewhere it is an accented N."""
    names = ["Oruro", "Ñuñoa", "Nunez", "Núñez", "nzeta", "Nablus", "Éibar", "Ezra"]
    assert sorted(names, key=lambda n: collation_key_in(n, "es")) == [
        "Éibar",
        "Ezra",
        "Nablus",
        "Nunez",
        "Núñez",
        "nzeta",
        "Ñuñoa",
        "Oruro",
    ]
    assert sorted(names, key=lambda n: collation_key_in(n, "fr")) == [
        "Éibar",
        "Ezra",
        "Nablus",
        "Nunez",
        "Núñez",
        "Ñuñoa",  # n with an accent: "Ñuñoa" is "Nunoa" first, "nzeta" comes after
        "nzeta",
        "Oruro",
    ]
    assert [heading_in(n, "es") for n in ("Ñuñoa", "ñu", "Núñez", "Éibar")] == ["Ñ", "Ñ", "N", "E"]
    assert [heading_in(n, "fr") for n in ("Ñuñoa", "Éibar", "al-Hamam")] == ["N", "E", "A"]
    assert collation_key_in("Zabadani", "en") == collation_key("Zabadani")


def test_co_occurrence_counts(site):
    state = soup(site / "actors/islamic-state.html")
    assert related(state, "Actors") == {"Example Army": 1, "Example Ministry of Defence": 1}
    assert related(state, "Locations") == {"al-Hamam": 1, "Raqqa": 1, "Tadia": 1, "Zabadani": 1}
    syria = soup(site / "locations/syria.html")
    assert related(syria, "Actors") == {
        "Islamic State": 3,
        "Example Army": 1,
        "Example Ministry of Defence": 1,
    }


def test_article_and_term_pages_link_both_ways(site):
    article = soup(site / "documents/test/2019/a1.html")
    links = {a.get_text(strip=True): a["href"] for a in article.select(".document__subjects a")}
    assert links == {
        "Islamic State": "../../../actors/islamic-state.html",
        "Example Army": "../../../actors/example-army.html",
        "Tadia": "../../../locations/tadia.html",
    }
    back = soup(site / "locations/tadia.html").select_one(".document-list > li > a")
    assert back["href"] == "../documents/test/2019/a1.html"
    assert broken_links(site) == []


def test_json_export_lists_article_urls(site):
    actors = {entry["slug"]: entry for entry in json.loads((site / "actors.json").read_text())}
    assert actors["islamic-state"]["count"] == 3
    assert actors["islamic-state"]["aliases"] == ["ISIL", "IS", "Daesh"]
    assert actors["islamic-state"]["articles"] == [
        "documents/test/2020/a3.html",
        "documents/test/2020/a2.html",
        "documents/test/2019/a1.html",
    ]
    assert actors["unused-group"]["articles"] == []
    for entry in actors.values():
        assert (site / entry["url"]).is_file()
    locations = {e["slug"]: e for e in json.loads((site / "locations.json").read_text())}
    assert locations["raqqa"]["parent"] == "raqqa-governorate"
    assert locations["raqqa"]["coordinates"] == [35.95, 39.01]
    assert locations["syria"]["count"] == 3


def test_big_term_pages_are_split_and_still_offline_safe(tmp_path):
    output = build(
        fixture_content("taxonomies", tmp_path),
        tmp_path / "output",
        TAXONOMIES={"per_page": 2},
        PAGINATED_TEMPLATES={"index": None, "category": None, "period_archives": None, "term": 2},
    )
    first, second = (
        soup(output / "actors/islamic-state.html"),
        soup(output / "actors/islamic-state-2.html"),
    )
    assert titles(first) == ["Report a3", "Report a2"]
    assert titles(second) == ["Report a1"]
    pages = [a.get_text(" ", strip=True) for a in first.select(".pagination a")]
    assert "2 (2019)" in pages
    assert broken_links(output) == []


def test_unknown_names_fail_with_file_and_suggestions(tmp_path):
    with pytest.raises(ArchiveError) as caught:
        build(fixture_content("unknown-names", tmp_path), tmp_path / "output")
    text = str(caught.value)
    assert (
        "articles/typo.md:8: unknown actor 'Islamic Stat' (not a name or alias in "
        "registry/actors.yml). Fix: did you mean 'Islamic State'?"
    ) in text
    assert "articles/typo.md:11: unknown location 'Raqqqa'" in text and "'Raqqa'" in text


def test_unknown_names_can_be_set_to_warn(tmp_path):
    from archive.site.build import build_warnings
    from archive.site.rendering import ArchiveBuild

    settings = site_settings(
        fixture_content("unknown-names", tmp_path),
        tmp_path / "output",
        DOCUMENTS={"default_rights": "fair-use-us", "unknown_terms": "warn"},
    )
    built = ArchiveBuild(settings)
    built.run()
    page = soup(tmp_path / "output/documents/test/2020/typo.html")
    assert [a.get_text() for a in page.select(".document__subjects a")] == ["Example Army"]
    assert "Islamic Stat" in page.select_one(".document__subjects").get_text()
    warned = [str(problem) for problem in build_warnings(built.generators)]
    assert (
        "articles/typo.md:8: warning: unknown actor 'Islamic Stat', shown unlinked (not a name "
        "or alias in registry/actors.yml). Fix: add it to registry/actors.yml, or correct its "
        "spelling (archive check --fix-names)."
    ) in warned


def test_shipped_site_actors_and_locations(shipped_site):
    home = soup(shipped_site / "index.html")
    nav = {a.get_text(strip=True): a["href"] for a in home.select(".site-nav a")}
    assert nav["Actors"] == "./actors/index.html" and nav["Locations"] == "./locations/index.html"
    for overview, counts in [
        ("actors/index.html", {"Sergey Surovikin": 1, "Islamic State": 9}),
        ("locations/index.html", {"Raqqa": 2, "Palmyra": 3, "Al-Tanf": 1}),
    ]:
        page = soup(shipped_site / overview)
        entries = {a.get_text(strip=True): a["href"] for a in page.select(".term a")}
        assert not {"ISIL", "Ar-Raqqah", "Daesh"} & set(entries)
        for name, count in counts.items():
            term_page = soup(shipped_site / overview.replace("index.html", "") / entries[name])
            listed = [a["href"] for a in term_page.select(".document-list > li > a")]
            assert len(listed) == count and f"../{SEED_ARTICLE}" in listed, name
    article = soup(shipped_site / SEED_ARTICLE)
    linked = {a.get_text(strip=True) for a in article.select(".document__subjects a")}
    assert len(linked) == 18
    assert {"Syrian Democratic Forces", "As-Suwayda Governorate", "Syria–Jordan border"} <= linked


def registry(kind, text):
    return load_terms(kind, load_yaml("registry/x.yml", text), "registry/x.yml")


def test_registry_alias_claimed_twice_is_an_error():
    _, problems = registry(
        ACTORS,
        "a:\n  name: A\n  type: person\n  aliases: [Abu]\n"
        "b:\n  name: B\n  type: person\n  aliases: [abu]\n",
    )
    assert [str(p) for p in problems] == [
        "registry/x.yml:8: 'abu' of entry 'b' is already claimed by entry 'a' (as 'Abu'). "
        "Fix: a name or alias may belong to one entry only."
    ]


def test_registry_slug_given_twice_is_an_error():
    with pytest.raises(ArchiveError, match=r"x.yml:3: 'a' appears twice \(also on line 1\)"):
        registry(ACTORS, "a:\n  name: A\na:\n  name: B\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a:\n  name: A\n  type: town\n  parent: b\n", "names parent 'b', which is not an entry"),
        (
            "a:\n  name: A\n  type: town\n  parent: b\nb:\n  name: B\n  type: town\n  parent: a\n",
            "the places a → b → a contain each other in a loop",
        ),
        ("a:\n  name: A\n  type: twon\n", "type 'twon', which is not a known location type"),
        ("Raqqa City:\n  name: A\n  type: town\n", "slug 'Raqqa City' is not a valid address"),
        ("a:\n  name: A\n  type: town\n  coordinates: [95, 10]\n", "must be [latitude, longitude]"),
        ("a:\n  name: A\n  type: town\n  aliases: Abu\n", "'aliases' of entry 'a' must be a list"),
    ],
)
def test_registry_problems(text, message):
    _, problems = registry(LOCATIONS, text)
    assert any(message in str(p) for p in problems), problems


def test_the_registries_open_data_joins_the_documents(shipped_site):
    """actors.json / locations.json, extended for the data package: names per language,
    direct and inclusive counts, the chain of places, documents by the address documents.json
    also gives."""
    import json

    actors = {a["slug"]: a for a in json.loads((shipped_site / "actors.json").read_text())}
    places = {p["slug"]: p for p in json.loads((shipped_site / "locations.json").read_text())}
    documents = json.loads((shipped_site / "documents.json").read_text())
    urls = {document["url"] for document in documents}
    islamic_state = actors["islamic-state"]
    assert islamic_state["names"]["es"] == "Estado Islámico"
    assert islamic_state["count"] == islamic_state["direct_count"] == 9
    assert set(islamic_state["articles"]) <= urls
    tadia = places["tadia"]
    assert tadia["ancestors"][-1] == "syria" and tadia["parent"] == tadia["ancestors"][0]
    assert places["syria"]["count"] > places["syria"]["direct_count"]
