"""The archive's search index: the writer's half of docs/search-index.md.

theme/static/js/search-engine.js reads what this module writes: plain scripts that call
`ArchiveSearch.load(name, data)`, which browsers load with <script src> from disk as well as
over HTTP, so a query gives the same documents in the same order both ways. The format (its
files, encodings, the word rule, the BM25 impacts, the entity cards) is specified once, in
docs/search-index.md, with its version, FORMAT; tests/test_search_index.py holds this writer
to a golden index and compares the constants both halves hold (K1, IMPACTS, what a word is).

The index keeps each word as written, in lower case with its accents, because the Snowball
stemmers (theme/static/js/stemmers.js and stemmers-ar.js: English, Spanish, French, Arabic)
need them: "déclarée" stems to "déclar", "declaree" to "declare". Chunks are named by the
words' folded forms (no accents, Arabic written plainly: `fold()`), so a query typed without
accents finds them; the engine stems both the query and the words it loads, so stemming has
one home.
"""

from __future__ import annotations

import base64
import functools
import html
import itertools
import json
import os
import re
import unicodedata
from collections import Counter, defaultdict

from archive.model.folding import strip_accents
from archive.site.interface import language_direction

TAGS = re.compile(r"<[^>]+>")
#: A run of letters and digits: where a spelling's words start (`_endings`).
_WORD_STARTS = re.compile(r"[^\W_]+")
#: The version of the format (docs/search-index.md) written into meta.js; the engine
#: (search-engine.js::FORMAT) refuses an index of another.
FORMAT = 2
#: Pagefind's default BM25 parameters (RankingWeights: term_saturation, page_length) and the
#: weight of a title word (Pagefind weighs an <h1> seven times a word of the body).
K1, B, TITLE_WEIGHT = 1.4, 0.75, 7
#: A chunk of words bigger than this is split by the words' next letter.
CHUNK_BYTES = 40_000
#: Impacts are stored as one character of this alphabet: 64 steps of BM25's TF up to K1 + 1.
IMPACTS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@functools.cache
def _word_pattern() -> re.Pattern:
    """A word: a letter or digit, then letters, digits and marks (highlight.js::WORD).

    Marks are kept inside a word so that an accent written apart ("e" + U+0301) or an Arabic
    vowel sign does not cut it in two.
    """
    marks: list[list[int]] = []
    # Unicode assigns marks in planes 0, 1 and 14 only (14: variation selectors).
    for code in itertools.chain(range(0x20000), range(0xE0000, 0xF0000)):
        if unicodedata.category(chr(code)).startswith("M"):
            if marks and marks[-1][1] == code - 1:
                marks[-1][1] = code
            else:
                marks.append([code, code])
    ranges = "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in marks)
    # Letters and digits, then any run of marks and the letters and digits after it. Runs
    # taken whole (possessive), and the long class of marks tried only past U+02FF, where
    # marks begin: the same words, found twice as fast (an archive is megabytes of text).
    return re.compile(rf"[^\W_]++(?:(?=[^\x00-\u02ff])[{ranges}]++[^\W_]*+)*+")


def words(text: str) -> list[str]:
    """Words as written, in lower case with their accents: what the index keeps."""
    return _word_pattern().findall(unicodedata.normalize("NFC", text).lower())


def fold(word: str) -> str:
    """A word without its accents (highlight.js::fold): how chunks are named."""
    return strip_accents(word).lower()


def tokens(text: str) -> list[str]:
    """Words folded, as both indexer and browser compare names: lower case, no accents.

    None that folds to nothing (a lone tatweel, "ـ", a letter Arabic stretches lines with).
    """
    return [folded for word in words(text) if (folded := fold(word))]


def chunk_name(term: str) -> str:
    """File name of the terms chunk holding `term`: hex of its first two characters' UTF-8."""
    return term[:2].encode("utf-8").hex()


def encode_ids(ids: list[int]) -> str:
    """Ascending document numbers as base-36 gaps: compact and quick to decode in JS."""
    out, previous = [], 0
    small = _SMALL_BASE36
    for number in ids:
        gap = number - previous
        out.append(small[gap] if gap < len(small) else _base36(gap))
        previous = number
    return ",".join(out)


def encode_set(ids: list[int], count: int) -> str:
    """Ascending document numbers as gaps, or as a bitmap ('=' + base64) when that is shorter.

    A word found in most documents costs one bit per document instead of two or three bytes.
    The bitmap's length is known beforehand: it is made only for a word whose gaps are
    longer (a real vocabulary's rare words, most of its words, never need one).
    """
    gaps = encode_ids(ids)
    if len(gaps) <= 1 + 4 * -(-((count + 7) // 8) // 3):  # '=' + base64 of the bitmap's bytes
        return gaps
    bitmap = bytearray((count + 7) // 8)
    for number in ids:
        bitmap[number >> 3] |= 1 << (number & 7)
    packed = "=" + base64.b64encode(bytes(bitmap)).decode("ascii")
    return packed if len(packed) < len(gaps) else gaps


def impact(frequency: int, length: int, average: float) -> str:
    """BM25's TF part of a word seen `frequency` times (weighted) in a document, as one char."""
    tf = (K1 + 1) * frequency / (K1 * (1 - B + B * length / average) + frequency)
    return IMPACTS[max(1, min(63, round(tf / (K1 + 1) * 63)))]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


#: The base-36 text of every gap under 36² (most gaps of a posting list), made once.
_SMALL_BASE36 = tuple(_base36(number) for number in range(36 * 36))


def plain_text(content_html: str) -> str:
    """The text of rendered HTML, white space collapsed."""
    return " ".join(html.unescape(TAGS.sub(" ", content_html)).split())


def _script(name: str, data) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"ArchiveSearch.load({json.dumps(name)},{payload});\n"


def write_version(folder: str, version: str) -> None:
    """Write `version.js`: which records the index in `folder` holds."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "version.js"), "w", encoding="utf-8") as handle:
        handle.write(_script("version", version))


def newest_first(records: list[dict]) -> list[dict]:
    """The documents in the index's order: newest first, then by address."""
    by_address = sorted(records, key=lambda record: record["url"])
    return sorted(by_address, key=lambda record: record["date"], reverse=True)


def write_index(folder: str, records: list[dict], catalogue: dict | None = None) -> int:
    """Write the index of `records` (any order) into `folder`; return the bytes written.

    `catalogue` describes the actors and locations (`entities`: facet, name, names by
    language, url, type and spellings of each) and the place hierarchy (`parents`: place
    name -> parent's name).
    """
    catalogue = catalogue or {}
    documents = newest_first(records)
    # Each document's words as written: its text, and its title and byline, which weigh as
    # BM25F's title field does.
    read = [(words(doc["text"]), words(doc["title"]) + words(doc["byline"])) for doc in documents]
    weigh = _Weigher([len(body) + len(title) for body, title in read])
    files: dict[str, str] = {}
    files.update(_terms(documents, read, weigh))
    filters = _filters(documents)
    files.update(_filter_files(filters, catalogue, len(documents)))
    entity_files = _entity_files(filters, catalogue.get("entities", []))
    files.update(entity_files)
    files.update(_mention_files(filters, catalogue.get("entities", []), read, weigh))
    for number, doc in enumerate(documents):
        row = [doc["url"], doc["title"], doc["date"], doc["source"], doc["language"], doc["text"]]
        if doc.get("warned"):
            row.append(1)
        files[f"docs/{number}.js"] = _script(f"docs/{number}", row)
    languages = {}
    for language in sorted({doc["language"] for doc in documents}):
        ids = [n for n, doc in enumerate(documents) if doc["language"] == language]
        # The chunks' prefixes as text, one space apart: half the bytes of their file names,
        # and meta.js is loaded before every search (37 kB of names at 10,000 documents).
        prefixes = " ".join(
            sorted(
                bytes.fromhex(name.split("/")[-1][: -len(".js")]).decode("utf-8")
                for name in files
                if name.startswith(f"{language}/terms/")
            )
        )
        languages[language] = {
            "count": len(ids),
            "dir": language_direction(language),
            "docs": encode_set(ids, len(documents)),
            "prefixes": prefixes,
        }
    files["meta.js"] = _script(
        "meta",
        {
            "format": FORMAT,
            "count": len(documents),
            "languages": languages,
            "facets": sorted(filters),
            "entities": sorted(
                name[len("entities/") : -len(".js")]
                for name in entity_files
                if name != "entities/names.js"
            ),
            # The most words in a spelling: how long a run of query words may name an entity.
            "longest": max(
                (len(tokens(s)) for e in catalogue.get("entities", []) for s in e["spellings"]),
                default=0,
            ),
        },
    )
    written = 0
    for relative, text in sorted(files.items()):
        path = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            written += handle.write(text.encode("utf-8"))
    return written


class _Weigher:
    """A word's impact in a document (`impact`), knowing every document's length in words."""

    def __init__(self, lengths: list[int]):
        self.lengths = lengths
        self.average = sum(lengths) / max(1, len(lengths))
        self.known: dict[tuple[int, int], str] = {}  # documents share few (frequency, length)

    def __call__(self, number: int, frequency: int) -> str:
        key = (frequency, self.lengths[number])
        weight = self.known.get(key)
        if weight is None:
            weight = self.known[key] = impact(frequency, key[1], self.average)
        return weight


def _terms(documents: list[dict], read: list[tuple], weigh: _Weigher) -> dict[str, str]:
    """Each language's term chunks, by folded prefix: word as written -> documents, impacts."""
    postings: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for number, (doc, (body, title)) in enumerate(zip(documents, read, strict=True)):
        counts = Counter(body)
        for word in title:
            counts[word] += TITLE_WEIGHT
        in_language = postings[doc["language"]]
        for word, frequency in counts.items():
            in_language[word].append((number, weigh(number, frequency)))
    files = {}
    for language, written in postings.items():
        chunks: dict[str, dict] = defaultdict(dict)
        for word in sorted(written):
            if not fold(word):
                continue  # a lone tatweel: nothing a query could find
            entries = written[word]
            ids = encode_set([n for n, _ in entries], len(documents))
            chunks[fold(word)[:2]][word] = ids + "|" + "".join(i for _, i in entries)
        for prefix, terms in _split(chunks):
            name = prefix.encode("utf-8").hex()
            files[f"{language}/terms/{name}.js"] = _script(f"{language}/terms/{name}", terms)
    return files


def _split(chunks: dict[str, dict]):
    """(prefix, terms) per chunk file; a chunk over CHUNK_BYTES splits by one more letter.

    Prefixes are of the words' folded forms. Its words of two letters keep the two-letter
    file. The engine loads every chunk whose prefix starts like the word it looks for, so a
    split costs a query nothing it needs.
    """
    pending = sorted(chunks.items())
    while pending:
        prefix, terms = pending.pop(0)
        size = sum(len(word) + len(posting) for word, posting in terms.items())
        longer = [word for word in terms if len(fold(word)) > len(prefix)]
        if size <= CHUNK_BYTES or not longer:
            yield prefix, terms
            continue
        parts: dict[str, dict] = defaultdict(dict)
        for word, posting in terms.items():
            parts[fold(word)[: len(prefix) + 1]][word] = posting
        pending = sorted(parts.items()) + pending


def _filters(documents: list[dict]) -> dict[str, dict[str, list[int]]]:
    """The documents of each facet value: facet -> value -> ascending numbers."""
    filters: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for number, doc in enumerate(documents):
        for key, values in doc["filters"].items():
            for value in values:
                filters[key][value].append(number)
    return {key: dict(values) for key, values in filters.items()}


def _filter_files(filters: dict, catalogue: dict, count: int) -> dict[str, str]:
    """Each facet's values, their documents, their names in other languages, their spellings.

    The catalogue's `labels` (facet -> value -> {language: name}) becomes the file's
    `labels`: language -> the name of each value in that language, or null where it is the
    value itself; its `spellings` (facet -> value -> spellings) the file's `spellings`, one
    list per value, by which an address may name it (`?collection=syria-war`).
    """
    parents, labels = catalogue.get("parents", {}), catalogue.get("labels", {})
    files = {}
    for key, values in filters.items():
        names = sorted(values)
        position = {name: i for i, name in enumerate(names)}
        data = {"values": names, "ids": [encode_set(values[name], count) for name in names]}
        if key == "location":
            data["parents"] = [position.get(parents.get(name, ""), -1) for name in names]
        known = labels.get(key, {})
        languages = sorted({code for name in names for code in known.get(name, {})})
        if languages:
            data["labels"] = {
                code: [known.get(name, {}).get(code) for name in names] for code in languages
            }
        spelt = catalogue.get("spellings", {}).get(key, {})
        if spelt:
            data["spellings"] = [spelt.get(name, []) for name in names]
        files[f"filters/{key}.js"] = _script(f"filters/{key}", data)
        for i, ids in enumerate(data["ids"]):
            files[f"filters/{key}/{i}.js"] = _script(f"filters/{key}/{i}", ids)
    return files


def _entity_files(filters: dict, entities: list[dict]) -> dict[str, str]:
    """Entity cards by the prefix of each spelling's first word, and every spelling.

    A card: facet, filter value's position, name, page, number of documents, type, spellings
    and names by language code (where they differ from the name). A card is also found by
    an ending of a spelling that starts with a hyphenated word and names nothing else
    (`_endings`): "al-Assad" names Bashar al-Assad.
    """
    chunks: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    names = []
    written = []  # (a spelling as the registry writes it, its card)
    # Each value's position in its facet's file (_filter_files sorts the values so).
    positions = {
        facet: {v: i for i, v in enumerate(sorted(values))} for facet, values in filters.items()
    }
    for entity in entities:
        values = filters.get(entity["facet"], {})
        if entity["name"] not in values:
            continue  # no published document names it
        index = positions[entity["facet"]][entity["name"]]
        spellings = sorted({" ".join(tokens(s)) for s in entity["spellings"]} - {""})
        translated = {
            code: name
            for code, name in sorted(entity.get("names", {}).items())
            if name != entity["name"]
        }
        card = [
            entity["facet"],
            index,
            entity["name"],
            entity["url"],
            len(values[entity["name"]]),
            entity["type"],
            spellings,
            translated,
        ]
        for spelling in spellings:
            chunks[chunk_name(spelling)][spelling].append(card)
        names.append([entity["name"], translated, *spellings])
        written.extend((spelling, card) for spelling in entity["spellings"])
    spelt = {spelling for spellings in chunks.values() for spelling in spellings}
    for ending, card in _endings(written, spelt).items():
        chunks[chunk_name(ending)][ending].append(card)
    files = {
        f"entities/{name}.js": _script(f"entities/{name}", spellings)
        for name, spellings in chunks.items()
    }
    # By name, then spellings (never comparing the names by language, which are dicts).
    names.sort(key=lambda row: (row[0], row[2:]))
    files["entities/names.js"] = _script("entities/names", names)
    return files


def _mention_files(
    filters: dict, entities: list[dict], read: list[tuple], weigh: _Weigher
) -> dict[str, str]:
    """Each entity's mentions: the documents whose title, byline or text has a spelling of it.

    `mentions/<facet>/<i>.js` holds them as a word's posting (documents and impacts).
    A spelling is matched whole, word after word, folded (so "al-Assad" is matched, never "al"
    alone), in any language's text: English reports said "Kiev" long after Ukraine asked for
    "Kyiv". A spelling of one word of one or two letters ("IS") is never looked for: in lower
    case it is a common word. A position mentions an entity once, however many of its
    spellings start there ("Islamic State" and "Islamic State group").
    """
    positions = {
        facet: {v: i for i, v in enumerate(sorted(values))} for facet, values in filters.items()
    }
    spellings = _Spellings()
    keys = []
    for entity in entities:
        if entity["name"] not in filters.get(entity["facet"], {}):
            continue  # no card: no published document is tagged with it
        key = (entity["facet"], positions[entity["facet"]][entity["name"]])
        keys.append(key)
        for spelling in entity["spellings"]:
            spellings.add(tuple(tokens(spelling)), key)
    folded: dict[str, str] = {}
    found: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for number, (body, title) in enumerate(read):
        for part, weight in ((body, 1), (title, TITLE_WEIGHT)):
            seq = [folded.get(w) or folded.setdefault(w, fold(w)) for w in part]
            for key in spellings.found_in(seq):
                found[key][number] += weight
    files = {}
    for facet, index in keys:
        counts = found[(facet, index)]
        ids = sorted(counts)
        posting = encode_set(ids, len(read)) + "|" + "".join(weigh(n, counts[n]) for n in ids)
        name = f"mentions/{facet}/{index}"
        files[f"{name}.js"] = _script(name, posting)
    return files


class _Spellings:
    """Entities' spellings (folded words), to find in texts at speed.

    A word that names an entity alone is looked up directly, longer spellings by their first
    two words: most words start no spelling, and most that start one are not followed by its
    second word.
    """

    def __init__(self):
        self.alone: dict[str, set] = defaultdict(set)
        self.longer: dict[tuple[str, str], list] = defaultdict(list)
        self.starts: set[str] = set()

    def add(self, spelling: tuple[str, ...], key) -> None:
        """File `spelling` as naming `key`, unless it is one word of one or two letters."""
        if len(spelling) > 1:
            self.longer[spelling[:2]].append((spelling, key))
        elif spelling and len(spelling[0]) > 2:
            self.alone[spelling[0]].add(key)
        else:
            return
        self.starts.add(spelling[0])

    def found_in(self, seq: list[str]):
        """The key of each mention in `seq`, once per mention.

        A mention is the longest spelling of an entity at a position, and no other spelling
        of it starts before that one ends: "Bashar al-Assad" is one mention, not a second one
        of "Assad".
        """
        until: dict = {}  # key -> where its last mention ended
        for at, word in enumerate(seq):
            if word not in self.starts:
                continue
            here = dict.fromkeys(self.alone.get(word, ()), 1)
            pair = (word, seq[at + 1]) if at + 1 < len(seq) else None
            for spelling, key in self.longer.get(pair, ()):
                if tuple(seq[at : at + len(spelling)]) == spelling:
                    here[key] = max(here.get(key, 0), len(spelling))
            for key, length in here.items():
                if at >= until.get(key, 0):
                    until[key] = at + length
                    yield key


def _endings(written: list[tuple[str, list]], spelt: set[str]) -> dict[str, list]:
    """The card of each ending, from a hyphenated word on, that names one entity only.

    "al-Assad" of "Bashar al-Assad", "ez-Zor Governorate" of "Deir ez-Zor Governorate".
    `written`: (spelling as the registry writes it, card); `spelt`: every spelling, folded.
    Only a hyphen makes a name of an ending, as an Arabic article makes one of "al-Assad":
    most endings of names are common phrases ("human rights", "in Syria"). An ending that is
    itself a spelling, or ends two entities' spellings, names nothing.
    """
    owners: dict[str, dict[tuple, list]] = defaultdict(dict)
    for spelling, card in written:
        for word in list(_WORD_STARTS.finditer(spelling))[1:]:
            if spelling[word.end() : word.end() + 1] == "-":
                ending = " ".join(tokens(spelling[word.start() :]))
                owners[ending][(card[0], card[1])] = card
    return {
        ending: next(iter(cards.values()))
        for ending, cards in sorted(owners.items())
        if len(cards) == 1 and ending not in spelt
    }
    owners: dict[str, dict[tuple, list]] = defaultdict(dict)
    for spelling, cards in spelt.items():
        words = spelling.split(" ")
        for start in range(1, len(words) - 1):
            for card in cards:
                owners[" ".join(words[start:])][(card[0], card[1])] = card
    return {
        ending: next(iter(cards.values()))
        for ending, cards in sorted(owners.items())
        if len(cards) == 1 and ending not in spelt
    }
