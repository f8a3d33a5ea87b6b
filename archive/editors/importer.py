"""Turn a scraped page into a draft document: structured front matter and Markdown text.

A scraped page holds site chrome, the report, a source line, a publication line and a
rights notice.

Pages of this kind vary: the source line comes in the page's language (`[Source: Itar Tass,
Moscow, 09Jun17]`, `[Fuente: Sputnik News, Moscú, 25ene16]`, `[Source: Ria Novosti, Moscou,
22fév13]`) and may name an author (`By Leith Fadel, Al-Masdar News, …`), no place, or a place
with a comma; the chrome around the report is English, Spanish or French whatever the
report's language, some pages have no header at all, some extractions keep table pipes or
lose blank lines. So the importer recognises each part by its own shape, not by its position
in one known page, and says what it could not determine instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from babel import Locale, localedata

from archive.model.folding import DASHES, match_key
from archive.model.registries import Registries
from archive.model.sourcefile import INVISIBLE
from archive.model.terms import TermRegistry

MONTHS = {
    # English
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    # Spanish (where it differs from English)
    "ene": 1,
    "abr": 4,
    "ago": 8,
    "set": 9,
    "dic": 12,
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    # French, without accents: month names are compared by `match_key` ("fév" -> "fev")
    "janv": 1,
    "fev": 2,
    "fevr": 2,
    "mars": 3,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juil": 7,
    "aou": 8,
    "aout": 8,
    "janvier": 1,
    "fevrier": 2,
    "avril": 4,
    "juillet": 7,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
SHORT_DATE = re.compile(r"^(\d{1,2})\s*([^\W\d_]{3,10})\.?\s*(\d{2}|\d{4})$")
SOURCE_LINE = re.compile(r"^\[\s*(?:source|fuente|fonte|quelle)\s*:\s*(.*?)\s*\]$", re.I)
#: "By Leith Fadel" (and its Spanish and French forms) before the publisher in a source line.
AUTHOR = re.compile(r"^(?:by|por|par)\s+(.+)$", re.I)
PUBLISHED_LINE = re.compile(
    r"(?:has been published on|ha sido publicado el|a été publié le|publicado el|publié le)"
    r"\s+(\d{1,2}\s*[^\W\d_]{3,10}\.?\s*\d{2,4})",
    re.I,
)
#: The start of the intermediary's notice sentence, before its "published on" words.
NOTICE_START = re.compile(r"(?:this document|este documento|ce document)\s+$", re.I)
#: Words and phrases of the archive site's own navigation, header and footer (English,
#: Spanish, French), compared without case or accents. A line made only of these is chrome.
CHROME_PHRASES = (
    "equipo nizkor",
    "team nizkor",
    "radio nizkor",
    "derechos human rights",
    "derechos",
    "nizkor",
    "small logo",
    "bookshop",
    "tienda de libros",
    "tienda",
    "librairie",
    "on-line donations",
    "online donations",
    "donaciones online",
    "donaciones",
    "donations",
    "donate",
    "information",
    "informations",
    "informacion",
    "home",
    "inicio",
    "accueil",
    "back",
    "volver",
    "retour",
    # Spanish's other name, which a Spanish page's link to its Spanish version may print, and
    # which CLDR (language_names) does not give.
    "castellano",
)
CHROME = re.compile(
    r"^(?:(?:" + "|".join(re.escape(p) for p in CHROME_PHRASES) + r")(?:\s*[|·/:-]\s*|\s+|$))+$"
)
#: CLDR's names for what is no language: "Unknown language", "No linguistic content"…
NOT_LANGUAGES = {"und", "zxx", "mul", "mis"}
#: What separates the names of a menu of languages ("English | Español", "[Русский]"), or
#: joins the words of one ("Karachay-Balkar").
MENU_MARKS = re.compile(r"[|·•/:,()\[\]-]+")
#: Words that tell the three languages of the archive apart. Words the languages share
#: ("la", "de", "que", "en") are left out: they say nothing about which one a text is in.
STOPWORDS = {
    "en": {
        "the",
        "and",
        "of",
        "to",
        "is",
        "that",
        "with",
        "for",
        "was",
        "said",
        "by",
        "on",
        "from",
        "has",
        "have",
        "were",
        "are",
        "it",
        "at",
        "which",
    },
    "es": {
        "el",
        "los",
        "las",
        "del",
        "y",
        "por",
        "con",
        "una",
        "dijo",
        "para",
        "su",
        "sus",
        "al",
        "como",
        "fue",
        "este",
        "esta",
        "según",
        "más",
        "informó",
    },
    "fr": {
        "le",
        "les",
        "des",
        "et",
        "du",
        "dans",
        "une",
        "pour",
        "avec",
        "est",
        "au",
        "aux",
        "sur",
        "ont",
        "qui",
        "été",
        "selon",
        "pas",
        "par",
        "son",
    },
}
#: Words that begin a sentence or join a name but are not names themselves.
FUNCTION_WORDS = set().union(*STOPWORDS.values()) | {
    "a",
    "an",
    "in",
    "but",
    "however",
    "after",
    "as",
    "this",
    "these",
    "those",
    "there",
    "they",
    "he",
    "she",
    "we",
    "it",
    "la",
    "de",
    "en",
    "que",
    "un",
    "se",
    "ce",
    "il",
    "elle",
    "ils",
    "lo",
}
#: Lowercase words that may stand inside a name: "Islamic State of Iraq", "Talal al Barazi".
NAME_JOINERS = {
    "of",
    "al",
    "el",
    "ad",
    "as",
    "az",
    "ez",
    "bin",
    "ibn",
    "de",
    "del",
    "du",
    "von",
    "van",
}
WEEKDAYS_AND_MONTHS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    *(name for name in MONTHS if len(name) > 3),
    "may",
}
NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
#: Sentence-ending punctuation: a line that ends without it and is followed by a line that
#: starts in lower case was wrapped by the extraction, not a paragraph of its own.
SENTENCE_END = re.compile(r"[.!?:;\"”»)\]…]$")
PROSE_WORDS = 8
#: How a sentence of text ends, and a headline does not: a full stop, maybe inside quotes or
#: brackets, but no ellipsis.
FULL_STOP = re.compile(r"(?<!\.)\.[\"'”’»)\]]*$")
#: What an HTML file starts with, or an HTML tag in a would-be headline.
HTML_START = re.compile(r"\A\s*<(?:!doctype\s|html[\s>]|head[\s>]|body[\s>]|\?xml\s)", re.I)
HTML_TAG = re.compile(r"<(?:!doctype\s|!--|/?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>)", re.I)
HTML_PROBLEM = "this looks like an HTML file, not an extracted text page"
HTML_FIX = (
    "import the page's text (the scraper's text output, or the browser's 'Save as… Text'), "
    "not its HTML"
)
#: The end of a page the rights notice is looked for in: it closes the page, and comparing
#: a notice with a whole page would take time that grows with the page's length squared.
RIGHTS_WINDOW = 10_000
#: Longest line of the site's menus looked at (the real ones are under 50 characters): a long
#: line is text, and would stay in the cache of compared names.
LONGEST_CHROME = 500
#: Fewest words of a title the importer is sure of: a shorter line is more often a label, a
#: section's or a site's name, or a link the importer does not know than a report's headline.
TITLE_MIN_WORDS = 3
#: Longest run of capitalised words taken as one name: longer runs (a title-case headline,
#: a list of names) are read in pieces of this length, so that the work stays linear.
LONGEST_NAME = 12


@dataclass
class Draft:
    """What the importer made of a page, and what it could not determine."""

    title: str = ""
    #: Why the title may not be the page's headline ("a single word"), or "" if it reads as one.
    title_doubt: str = ""
    paragraphs: list[str] = field(default_factory=list)  # "## " marks a section heading
    publisher: str = ""
    place: str = ""
    author: str = ""
    source_date: dt.date | None = None
    #: The intermediary that published the page (a registry key), the date it published it
    #: and its notice, word for word: the page's "published on … by …" paragraph.
    via: str = ""
    via_date: dt.date | None = None
    via_rights: str = ""
    collection_line: str = ""  # the collection as the page prints it
    collection: str = ""  # a registry key
    language: str = ""
    rights: str = ""  # a registry key
    actors: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    #: Capitalised names in the text that match no actor or location, with their counts.
    unmatched_names: Counter = field(default_factory=Counter)
    unknown: list[str] = field(default_factory=list)
    #: Whether the page carries the archive site's marks (chrome, source line, notice).
    site_page: bool = False
    #: Neither a source line nor a publication notice: the page was probably cut short.
    cut_off: bool = False

    @property
    def title_unsure(self) -> bool:
        """Whether an editor must check the title, or write it: doubtful, or none found."""
        return bool(self.title_doubt) or not self.title

    @property
    def is_document(self) -> bool:
        """A page is a document if it has text and comes from the site.

        Its headline may be missing (the text starts at once): the draft then says so, for an
        editor to write the title, rather than make one of the text's first sentence.
        """
        return not self.refusal

    @property
    def refusal(self) -> str:
        """Why this page is not an article (one line), or "" if it is one."""
        if not self.title and not self.paragraphs:
            return "not an article: no headline found (only site navigation or nothing at all)"
        if HTML_TAG.search(self.title):
            return f"{HTML_PROBLEM}. Fix: {HTML_FIX}"
        if not any(
            not p.startswith("## ") and len(p.split()) >= PROSE_WORDS for p in self.paragraphs
        ):
            return "not an article: no paragraph of text (only headings, links or short lines)"
        if not self.site_page:
            return (
                "not an article page: no source line, publication notice or site header "
                "(is this a scraped page?)"
            )
        return ""


def parse_short_date(text: str) -> dt.date | None:
    """'09Jun17', '25ene16', '22fév13', '31juil13', '3 Mar 2014' -> a date, or None."""
    match = SHORT_DATE.match(text.strip())
    if not match:
        return None
    day, month, year = match.groups()
    month_number = MONTHS.get(match_key(month))
    if not month_number:
        return None
    year_number = (
        int(year) if len(year) == 4 else 2000 + int(year) if int(year) < 70 else 1900 + int(year)
    )
    try:
        return dt.date(year_number, month_number, int(day))
    except ValueError:
        return None


def looks_like_html(raw: str) -> bool:
    """Whether a page is an HTML file (`<!doctype html>`, `<html>`…), not an extracted text."""
    return bool(HTML_START.match(raw[:1000]))


def clean_lines(raw: str) -> list[str]:
    """Lines of text without table pipes, control characters and surrounding white space.

    Blank lines are kept.
    """
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(line.split())  # also the no-break spaces that pad the site's header
        line = INVISIBLE.sub("", line)  # controls an extraction leaves: the build refuses them
        while line[:1] == "|" or line[-1:] == "|":  # "| text ||" from table extraction
            line = line.strip("|").strip()
        lines.append(re.sub(r"\s*\|\|\s*", " ", line))
    return lines


def is_chrome(line: str) -> bool:
    """A line of the site's navigation, header or footer, in any of its languages.

    Links to the page in other languages are chrome too: a name such as "Русский" is never
    a title, nor a paragraph of the text.
    """
    menu = len(line) <= LONGEST_CHROME and bool(CHROME.match(match_key(line)))
    return menu or is_language_links(line) or (bool(line) and set(line) <= set("|-_=*·. "))


def is_language_links(line: str) -> bool:
    """A line made only of names of languages: links to the same page in other languages.

    The names may stand alone or in a row, separated by spaces or menu marks ("English |
    Español", "Русский English"); a name of several words ("español de México") counts as one.
    """
    if len(line) > LONGEST_CHROME:
        return False
    words = _menu_words(line)
    names, longest = language_names()
    # ends[i]: the first i words are a row of names. Each name is at most `longest` words.
    ends = [True] + [False] * len(words)
    for end in range(1, len(words) + 1):
        ends[end] = any(
            ends[start] and " ".join(words[start:end]) in names
            for start in range(max(0, end - longest), end)
        )
    return bool(words) and ends[-1]


def _menu_words(text: str) -> list[str]:
    """The words of a name or a menu line, as names of languages are compared."""
    return MENU_MARKS.sub(" ", match_key(text)).split()


@functools.cache
def language_names() -> tuple[frozenset[str], int]:
    """Every language's own name and its English name, folded; and the most words of one.

    Pages link their versions in other languages by these names ("Русский", "Español",
    "中文", "Türkçe", "Russian"). A typed list would miss most languages and scripts; the
    CLDR data that Babel ships names them all, with their regional variants ("繁体中文").
    """
    english = Locale("en").languages
    names = {name for code, name in english.items() if code not in NOT_LANGUAGES}
    for code in localedata.locale_identifiers():
        if "_" in code:
            continue  # a regional locale names its language as its language's locale does
        locale = Locale.parse(code)
        names.update(
            name
            for variant, name in locale.languages.items()
            if variant.split("_")[0] == locale.language
        )
    folded = {" ".join(_menu_words(name)) for name in names} - {""}
    return frozenset(folded), max(len(name.split()) for name in folded)


def parse_page(raw: str, registries: Registries) -> Draft:
    """Recognise the parts of a scraped page; see the module docstring."""
    draft = Draft()
    lines = clean_lines(raw)
    source_index = next(
        (i for i in reversed(range(len(lines))) if SOURCE_LINE.match(lines[i])), None
    )
    notice_index = next(
        (i for i in reversed(range(len(lines))) if PUBLISHED_LINE.search(lines[i])), None
    )
    if source_index is not None:
        _read_source(SOURCE_LINE.match(lines[source_index]).group(1), draft)
        body_end = source_index
    else:
        body_end = notice_index if notice_index is not None else len(lines)
    footer = lines[body_end + 1 :]

    if notice_index is not None:
        draft.via_rights = _notice(lines[notice_index])
        draft.via_date = parse_short_date(PUBLISHED_LINE.search(draft.via_rights).group(1))
        draft.via = _intermediary(draft.via_rights, registries)
        draft.collection_line = _collection_line(lines[body_end + 1 : notice_index])
    entry = registries.collection(draft.collection_line) if draft.collection_line else None
    draft.collection = entry.key if entry else ""
    draft.rights = _rights(" ".join(footer), registries)

    header, title, body = _split_header(lines[:body_end])
    draft.title = title
    draft.title_doubt = title_doubt(title)
    draft.paragraphs = paragraphs_of(body)
    draft.cut_off = source_index is None and notice_index is None
    draft.site_page = (
        source_index is not None
        or notice_index is not None
        or any(is_chrome(line) for line in header + footer if line)
    )
    text = "\n\n".join([draft.title] + [p.removeprefix("## ") for p in draft.paragraphs])
    draft.language = detect_language(text)
    draft.actors = propose(registries.actors, text)
    draft.locations = propose(registries.locations, text)
    draft.unmatched_names = unmatched_names(text, registries)

    for name, value in (
        ("title", draft.title),
        ("source publisher", draft.publisher),
        ("source date", draft.source_date),
        ("intermediary", draft.via),
        ("intermediary's date", draft.via_date),
        ("collection", draft.collection),
        ("rights notice", draft.rights),
        ("language", draft.language),
    ):
        if not value:
            draft.unknown.append(name)
    return draft


def _read_source(inner: str, draft: Draft) -> None:
    """'By A. Writer, Itar Tass, The United Nations, NY, 09Jun17' -> author, publisher, place, date.

    The date is the last part and the publisher the first (after an optional "By …" part);
    whatever stands between is the place, which may itself hold commas.
    """
    parts = [part.strip() for part in inner.split(",") if part.strip()]
    if parts and parse_short_date(parts[-1]):
        draft.source_date = parse_short_date(parts.pop())
    if parts and (author := AUTHOR.match(parts[0])) and len(parts) > 1:
        draft.author = author.group(1).strip()
        parts.pop(0)
    if parts:
        draft.publisher = parts[0]
        draft.place = ", ".join(parts[1:])


def _notice(line: str) -> str:
    """The intermediary's notice in its line, from its first word to its last.

    "This document has been published on … purposes.", without the logo text an extraction
    glues before it.
    """
    start = PUBLISHED_LINE.search(line).start()
    lead = NOTICE_START.search(line[:start])
    return line[lead.start() if lead else start :].strip()


def _intermediary(notice: str, registries: Registries) -> str:
    """The registry key of the publisher the notice names first ("by the Equipo Nizkor")."""
    after = notice[PUBLISHED_LINE.search(notice).end() :]
    found = propose(registries.publishers, after)
    return registries.publishers.resolve(found[0]).slug if found else ""


def _collection_line(between: list[str]) -> str:
    """The last line above the publication notice that is not the site's chrome.

    The footer reads: source line, chrome line, collection line, notice; pages without a
    collection (table extractions) go straight from the source line to the notice.
    """
    filled = [line.removesuffix("small logo").strip() for line in between]
    filled = [line for line in filled if line and not is_chrome(line)]
    if not filled or len(filled[-1].split()) > 8:
        return ""
    return filled[-1]


def _split_header(lines: list[str]) -> tuple[list[str], str, list[str]]:
    """(header lines, title, body lines): the title is the first line that is not chrome.

    Before the title stand the site's label ("Information"), name and menu lines, a date line
    ("09Sep15", "18fév13") and language links; a menu line is any line of short items
    separated by "|". A line followed by the site's chrome is part of the header too (a
    section label the importer does not know), as no title is; a line followed by language
    links is not, as these may follow the title. A sentence of text is no title: a page
    whose text starts at once has no headline, and its title is "".
    """
    filled = [index for index, line in enumerate(lines) if line]
    for position, index in enumerate(filled):
        line = lines[index]
        if is_chrome(line) or _is_header_line(line):
            continue
        if _is_sentence(line):
            return lines[:index], "", lines[index:]
        following = filled[position + 1] if position + 1 < len(filled) else None
        if (
            following is not None
            and is_chrome(lines[following])
            and not is_language_links(lines[following])
        ):
            continue
        return lines[:index], line, lines[index + 1 :]
    return lines, "", []


def title_doubt(title: str) -> str:
    """Why `title` may not be the page's headline ("a single word"), or "" if it reads as one.

    A title is taken from the first line that is not known chrome; a line of the site's
    that the importer does not know (a label, a link in a language or script it cannot
    name) would be taken too, and such lines are short. Saying so lets an editor check the
    few short titles instead of trusting every title, or reading every page again.
    """
    words = len(title.split())
    if not title or words >= TITLE_MIN_WORDS:
        return ""
    return "a single word" if words == 1 else f"only {words} words"


def _is_sentence(line: str) -> bool:
    """A line of text, not a headline: as long as a paragraph, and ended by a full stop."""
    return len(line.split()) >= PROSE_WORDS and bool(FULL_STOP.search(line))


def _is_header_line(line: str) -> bool:
    if parse_short_date(line) or re.fullmatch(r"[\d\s./-]+", line):
        return True
    items = [item.strip() for item in re.split(r"\s[|·]\s", line)]
    return len(items) > 1 and all(len(item.split()) <= 3 for item in items)


def paragraphs_of(lines: list[str]) -> list[str]:
    """Body lines -> paragraphs, without chrome; a wrapped line is joined to the one before."""
    paragraphs: list[str] = []
    joinable = False
    for line in lines:
        if not line:
            joinable = False
            continue
        if is_chrome(line):
            continue
        if joinable and not SENTENCE_END.search(paragraphs[-1]) and line[0].islower():
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        joinable = True
    return [
        "## " + text if _is_heading(text) and index < len(paragraphs) - 1 else text
        for index, text in enumerate(paragraphs)
    ]


def _is_heading(line: str) -> bool:
    """A short line without closing punctuation, between paragraphs, is a section heading."""
    return (
        len(line) <= 100
        and len(line.split()) >= 2
        and line[0].isupper()
        and not SENTENCE_END.search(line)
        and not line.endswith(",")
    )


def _rights(text: str, registries: Registries) -> str:
    """The registry notice closest to the page's rights paragraph, if it is close at all."""
    if not text:
        return ""
    best, score = "", 0.0
    folded = match_key(text[-RIGHTS_WINDOW:])
    for key, rights in registries.rights.items():
        notice = match_key(rights.text)
        matcher = difflib.SequenceMatcher(None, notice, folded, autojunk=False)
        match = matcher.find_longest_match(0, len(notice), 0, len(folded))
        ratio = match.size / max(len(notice), 1)
        if ratio > score:
            best, score = key, ratio
    if score >= 0.5:
        return best
    if re.search(r"(?:title|titulo|titre)\s+17", folded) and "fair-use-us" in registries.rights:
        return "fair-use-us"  # the same notice, translated
    return ""


def detect_language(text: str) -> str:
    """The language (en, es, fr) whose characteristic small words the text uses most.

    Only the article's own words count: the site's chrome is often in another language.
    """
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {code: sum(word in stop for word in words) for code, stop in STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else ""


@functools.lru_cache(maxsize=16384)
def _spelling_pattern(spelling: str) -> tuple[re.Pattern, bool]:
    """A whole-word pattern for a name, and whether to match it case-sensitively (acronyms).

    The name comes first and the check of the character before it last (a look-behind
    over the name's length), so that the search skips through the text looking for the name
    itself: a leading look-behind would be tried at every character of the page.
    """
    short = len(spelling) <= 4
    key = spelling.translate(DASHES) if short else match_key(spelling)
    return re.compile(re.escape(key) + rf"(?![\w-])(?<![\w-].{{{len(key)}}})", re.S), short


def propose(registry: TermRegistry, text: str) -> list[str]:
    """Canonical names of the terms whose name or alias appears in the text, in text order.

    Names match whole words in any language, ignoring case, accents and dash variants
    ("Estado Islamico" finds "Estado Islámico"); short aliases (acronyms such as IS or SDF)
    must also match case, so that "is" is not the Islamic State.
    """
    found: dict[str, int] = {}
    exact = text.translate(DASHES)  # "Syria-Jordan border" finds "Syria–Jordan border"
    folded = match_key.__wrapped__(text)  # uncached: a whole page would stay in the cache
    for term in registry.terms.values():
        translated = [name for _, name in term.names]  # names in other languages match too
        for spelling in (term.name, *term.aliases, *translated):
            pattern, short = _spelling_pattern(spelling)
            match = pattern.search(exact if short else folded)
            if match:
                found[term.name] = min(found.get(term.name, match.start()), match.start())
    return sorted(found, key=found.get)


def unmatched_names(text: str, registries: Registries) -> Counter:
    """Capitalised names in the text that no actor or location is called: for the registries.

    A name is a run of capitalised words, possibly joined by particles ("Talal al Barazi",
    "Islamic State of Iraq"); a part that the registries know is left out of it. Single words
    that only start a sentence ("Earlier", "Locals") and nationality adjectives are not names.
    """
    known = {**registries.actors.index, **registries.locations.index}
    names: Counter = Counter()
    for paragraph in text.split("\n\n"):
        for run, sentence_start in _capitalised_runs(paragraph):
            for name in _unknown_parts(run, known):
                single = len(name.split()) == 1
                if len(name) < 2 or (
                    single and (sentence_start and name == run[0] or _is_adjective(name))
                ):
                    continue
                names[name] += 1
    return names


def _capitalised_runs(paragraph: str):
    """Runs of capitalised words, each with whether it opens a sentence."""
    run: list[str] = []
    start = False
    previous_end = 0
    for match in NAME_TOKEN.finditer(paragraph):
        token = match.group().rstrip("'’-")
        word = token.removesuffix("'s").removesuffix("’s")
        gap_start = previous_end
        gap = paragraph[gap_start : match.start()]
        previous_end = match.end()
        capitalised = word[:1].isupper() and match_key(word) not in WEEKDAYS_AND_MONTHS
        if run and (gap.strip() or not (capitalised or word in NAME_JOINERS)):
            yield _trimmed(run), start
            run = []
        if len(run) >= LONGEST_NAME:
            yield _trimmed(run), False
            run = []
        if not run and capitalised:
            # The character before the word, past quotes and spaces; only the gap since the
            # previous word is looked at, so that a long paragraph is read in linear time.
            before = gap.rstrip(" \"'«“‘(")[-1:] or paragraph[max(gap_start - 1, 0) : gap_start]
            start = not before or before in ".!?:;"
            if match_key(word) in FUNCTION_WORDS:
                continue  # "The" of "The Libyan Red Crescent"
            run = [word]
        elif run:
            run.append(word)
        if run and word != token:  # "Russia's Foreign Ministry": the possessor ends a name
            yield _trimmed(run), start
            run = []
    if run:
        yield _trimmed(run), start


def _trimmed(run: list[str]) -> list[str]:
    while run and run[-1] in NAME_JOINERS:
        run = run[:-1]
    return run


def _unknown_parts(run: list[str], known: dict) -> list[str]:
    """The parts of a run of words left after taking out every name the registries know."""
    if not run:
        return []
    for size in range(len(run), 0, -1):
        for start in range(len(run) - size + 1):
            if match_key(" ".join(run[start : start + size])) in known:
                return _unknown_parts(_trimmed(run[:start]), known) + _unknown_parts(
                    _trimmed(_leading_trimmed(run[start + size :])), known
                )
    return [" ".join(run)]


def _leading_trimmed(run: list[str]) -> list[str]:
    while run and run[0] in NAME_JOINERS:
        run = run[1:]
    return run


def _is_adjective(word: str) -> bool:
    """Russian, Libyan, European, Turkish, Chinese: adjectives of nationality, not names."""
    return word.endswith(("ian", "ean", "yan", "ish", "ese"))
