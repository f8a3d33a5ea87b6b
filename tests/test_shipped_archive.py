"""The shipped archive: the seed and the 45 Nizkor documents, curated, captured and linked.

These facts are the curation of issue 14 written down: if a document is dropped, filed in
another collection, loses its capture or its subjects, a test here says which.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SEED_ARTICLE
from sitecheck import soup

from archive.model.captures import capture_problems
from archive.model.documents import parse_document
from archive.model.registries import load_registries
from archive.model.sourcefile import split_front_matter

CONTENT = ROOT / "content"
CORPUS = FIXTURES / "corpus"
SEED_SOURCE = "articles/syria-war/2017/us-led-coalition-colluding-with-is.md"


@pytest.fixture(scope="module")
def registries():
    return load_registries(CONTENT)


@pytest.fixture(scope="module")
def documents(registries):
    """Every document of content/articles, validated: {path under content/: Document}."""
    parsed = {}
    for path in sorted((CONTENT / "articles").rglob("*.md")):
        relative = path.relative_to(CONTENT).as_posix()
        parsed[relative], _ = parse_document(relative, path.read_bytes(), registries)
    return parsed


def front_matter(relative: str) -> dict:
    """A document's front matter as the editor typed it (names not yet resolved)."""
    path = CONTENT / relative
    front, _, _ = split_front_matter(relative, path.read_text(encoding="utf-8"))
    return front.value


def page_of(document) -> str:
    """The address of a document's page in the built site."""
    slug = document.slug or Path(document.path).stem
    return f"documents/{document.collection.key}/{document.date.year}/{slug}.html"


def test_46_documents_published_per_language_and_collection(documents, shipped_site):
    assert len(documents) == 46
    assert {d.status for d in documents.values()} == {"published"}
    assert Counter(d.language for d in documents.values()) == {"en": 25, "es": 14, "fr": 7}
    assert Counter(d.collection.key for d in documents.values()) == {
        "syria-war": 24,
        "ukraine-unrest": 11,
        "libya-war": 8,
        "iraq-war": 2,
        "russian-affairs": 1,
    }
    assert Counter((d.collection.key, d.language) for d in documents.values()) == {
        ("syria-war", "en"): 8,
        ("syria-war", "es"): 9,
        ("syria-war", "fr"): 7,
        ("ukraine-unrest", "en"): 6,
        ("ukraine-unrest", "es"): 5,
        ("libya-war", "en"): 8,
        ("iraq-war", "en"): 2,
        ("russian-affairs", "en"): 1,
    }
    assert Counter(d.date.year for d in documents.values()) == {
        2011: 6,
        2012: 1,
        2013: 7,
        2014: 14,
        2015: 3,
        2016: 8,
        2017: 3,
        2018: 3,
        2022: 1,
    }
    # Every one is a page of the built site, and the site lists no draft.
    for document in documents.values():
        assert (shipped_site / page_of(document)).is_file(), document.path
    assert len(list((shipped_site / "documents").rglob("*.html"))) == 46
    assert not list(shipped_site.glob("drafts/**/*.html"))


def test_collection_spellings_of_the_pages_are_aliases(registries, documents):
    for spelling, key in [
        ("Syria War", "syria-war"),
        ("War in Syria", "syria-war"),
        ("War in Iraq", "iraq-war"),
        ("War in Afghanistan & Iraq", "iraq-war"),
        ("Ukraine Unrest", "ukraine-unrest"),
        ("Libya War", "libya-war"),
        ("Russian Affairs", "russian-affairs"),
    ]:
        assert registries.collection(spelling).key == key, spelling
    for key, collection in registries.collections.items():
        assert collection.description.strip(), key
    # The 2018 Syria page printed "War in Syria": it is filed with the other Syria documents.
    evacuation = documents[
        "articles/syria-war/2018/terroristas-impiden-la-evacuacion-de-mas-de-300-civiles.md"
    ]
    assert evacuation.collection.key == "syria-war"


def test_every_imported_document_keeps_its_capture_with_a_valid_checksum(documents, shipped_site):
    """46 captures, each the corpus page of its address byte for byte (the seed's, the raw
    seed page, whose address was not recorded)."""
    with (CORPUS / "manifest.csv").open(encoding="utf-8") as handle:
        pages_at = {}
        for row in csv.DictReader(handle):
            if row["file"].startswith("truncated/"):
                continue  # cut pages, layout samples only
            pages_at.setdefault(row["url"], []).append((CORPUS / row["file"]).read_bytes())
    assert len(pages_at) == 45  # 46 pages, syr9780 extracted twice

    captured = {}
    for path, document in documents.items():
        if path == SEED_SOURCE:
            seed = (ROOT / "tests/fixtures/seeds/000_874ab42d718d5189.txt").read_bytes()
            assert (CONTENT / document.capture.file).read_bytes() == seed
            assert document.capture.url == "" and document.capture.captured is None
            assert document.capture.committed is not None  # what is known instead
            continue
        capture = document.capture
        assert capture is not None, path
        record = {"file": capture.file, "sha256": capture.sha256}
        assert capture_problems(path, record, CONTENT) == [], path
        data = (CONTENT / capture.file).read_bytes()
        assert data in pages_at[capture.url], path
        assert (shipped_site / capture.file).read_bytes() == data  # offered to readers too
        captured[capture.url] = path
    assert set(captured) == set(pages_at)


def test_many_actor_and_location_pages_list_several_documents(shipped_site):
    """Curated subjects bring documents together: measured 21 actors and 20 places with ≥ 3."""
    several = {}
    for kind in ("actors", "locations"):
        pages = [p for p in (shipped_site / kind).glob("*.html") if p.name != "index.html"]
        listed = {p.stem: len(soup(p).select(".document-list > li")) for p in pages}
        several[kind] = {slug for slug, count in listed.items() if count >= 3}
    assert len(several["actors"]) >= 21
    assert len(several["locations"]) >= 20
    assert {"islamic-state", "nato", "russian-emergencies-ministry", "ban-ki-moon"} <= several[
        "actors"
    ]
    assert {"damascus", "geneva", "donetsk-oblast", "russia-ukraine-border"} <= several["locations"]
    # An actor's page gathers documents in the three languages of the archive.
    islamic_state = soup(shipped_site / "actors/islamic-state.html")
    links = islamic_state.select(".document-list > li > a")
    assert len(links) == 9
    assert {a.get("lang", "en") for a in links} == {"en", "es", "fr"}
    # A place includes the places within it: Douma (Eastern Ghouta, Rif Dimashq) is in Syria.
    syria = soup(shipped_site / "locations/syria.html")
    hrefs = [a["href"] for a in syria.select(".document-list > li > a")]
    assert len(hrefs) == 23
    assert (
        "../documents/syria-war/2018/terroristas-impiden-la-evacuacion-de-mas-de-300-civiles.html"
        in hrefs
    )


def test_real_co_occurrences_on_term_pages(shipped_site):
    def related(page: str) -> dict[str, int]:
        section = soup(shipped_site / page).select_one(".related")
        return {
            li.a.get_text(strip=True): int(li.select_one(".count").contents[0].strip())
            for li in section.select(".term-list > li")
        }

    assert related("locations/palmyra.html")["Islamic State"] == 3
    assert related("actors/nato.html")["Gaddafi government"] == 4
    assert related("locations/geneva.html")["Ban Ki-moon"] == 2


def test_spanish_and_french_documents_carry_their_language(documents, shipped_site):
    languages = Counter()
    for document in documents.values():
        page = soup(shipped_site / page_of(document))
        # The page's chrome is in the interface language; the document in its own.
        assert page.html["lang"] == "en", document.path
        language = page.select_one(".document__body").get("lang", "en")
        assert page.h1.get("lang", "en") == language == document.language, document.path
        languages[language] += 1
    assert languages == {"en": 25, "es": 14, "fr": 7}
    # Lists in the English interface mark the title of a document in another language.
    collection = soup(shipped_site / "collections/ukraine-unrest.html")
    marked = Counter(a.get("lang", "en") for a in collection.select(".document-list > li > a"))
    assert marked == {"en": 6, "es": 5}


@pytest.mark.parametrize(
    ("source", "field", "spelling", "page"),
    [
        (
            "articles/syria-war/2016/zapadores-sirios-desactivan-36-minas-cerca-de-palmira.md",
            "locations",
            "Palmira",
            "locations/palmyra.html",
        ),
        (
            "articles/syria-war/2018/terroristas-impiden-la-evacuacion-de-mas-de-300-civiles.md",
            "locations",
            "Guta Oriental",
            "locations/eastern-ghouta.html",
        ),
        (
            "articles/syria-war/2014/les-islamistes-radicaux-lancent-un-ultimatum.md",
            "locations",
            "Alep",
            "locations/aleppo.html",
        ),
        (
            "articles/syria-war/2014/les-islamistes-radicaux-lancent-un-ultimatum.md",
            "actors",
            "État islamique",
            "actors/islamic-state.html",
        ),
        (
            "articles/ukraine-unrest/2014/en-rusia-se-encuentran-mas-de-200000-refugiados-ucranianos.md",
            "locations",
            "provincia de Lugansk",
            "locations/luhansk-oblast.html",
        ),
    ],
)
def test_a_name_in_the_documents_language_leads_to_the_canonical_page(
    documents, registries, shipped_site, source, field, spelling, page
):
    assert spelling in front_matter(source)[field]  # the editor wrote the local name
    registry = registries.actors if field == "actors" else registries.locations
    term = registry.resolve(spelling)
    assert term.name != spelling and term.name_in(documents[source].language) == spelling
    built = soup(shipped_site / page_of(documents[source]))
    links = {a.get_text(strip=True): a["href"] for a in built.select(".document__subjects a")}
    assert links[term.name] == f"../../../{page}"
    assert (shipped_site / page).is_file()
    # The canonical page lists the document under that name.
    listed = [a["href"] for a in soup(shipped_site / page).select(".document-list > li > a")]
    assert f"../{page_of(documents[source])}" in listed


def test_every_registry_entry_is_used_and_every_name_resolves(documents, registries):
    """No entry for nothing, and each document names its subjects by registry names."""
    used = {"actors": set(), "locations": set()}
    for path, document in documents.items():
        assert not document.unresolved, path
        assert document.actors and document.locations, path
        used["actors"] |= {t.slug for t in document.actors}
        used["locations"] |= {t.slug for t in document.locations}
    ancestors = {
        parent.slug for slug in used["locations"] for parent in registries.locations.ancestors(slug)
    }
    assert used["actors"] == set(registries.actors.terms)
    unused_places = set(registries.locations.terms) - used["locations"] - ancestors
    assert unused_places == {"jordan"}  # kept for the Syria–Jordan border of the seed
    assert len(registries.actors.terms) == 96 and len(registries.locations.terms) == 75


def test_the_seed_is_unchanged_and_not_imported_twice(documents):
    seed = documents[SEED_SOURCE]
    assert seed.title.startswith("US-led coalition colluding with IS")
    assert len(seed.actors) == 9 and len(seed.locations) == 9
    titles = Counter(d.title for d in documents.values())
    assert titles.most_common(1)[0][1] == 1  # syr9780's second extraction is not a document
    assert page_of(seed) == SEED_ARTICLE
