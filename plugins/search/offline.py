"""The offline search index, for the search page opened from disk.

It is what theme/static/js/search.js loads when the site is opened from disk, where browsers
refuse the fetch() and module imports Pagefind relies on.

It is a set of plain scripts, each calling `ArchiveSearch.load(name, data)`, so a page opened
from file:// can load them with <script src>. Per language: `meta.js` (document count, the
filter values with their documents), `terms/<prefix>.js` (postings of the words that start
with that prefix) and `docs/<n>.js` (titles, URLs and summaries of 200 documents). A query
loads meta.js, one terms file per word and the docs files of the results it shows.
`version.js`, beside the language folders, names the version of the records both this index
and Pagefind's hold; the search page compares it with its own to tell an index being rebuilt.

Documents are numbered newest first, so "sort by date" is "sort by number". Tokens are
lower-cased, stripped of accents and split on anything that is not a letter or a digit:
search.js tokenizes queries the same way.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import Counter, defaultdict

from archive.folding import strip_accents

DOCS_PER_CHUNK = 200
SUMMARY_WORDS = 40
TAGS = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Words as both indexer and browser see them: lower case, no accents."""
    return WORD.findall(strip_accents(text.lower()))


def chunk_name(term: str) -> str:
    """File name of the terms chunk holding `term`: hex of its first two characters' UTF-8."""
    return term[:2].encode("utf-8").hex()


def encode_ids(ids: list[int]) -> str:
    """Ascending document numbers as base-36 gaps: compact and quick to decode in JS."""
    out, previous = [], 0
    for number in ids:
        out.append(_base36(number - previous))
        previous = number
    return ",".join(out)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def plain_text(content_html: str) -> str:
    """The text of rendered HTML, white space collapsed."""
    return " ".join(html.unescape(TAGS.sub(" ", content_html)).split())


def _script(name: str, data) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"ArchiveSearch.load({json.dumps(name)},{payload});\n"


def write_version(folder: str, version: str) -> None:
    """Write `version.js`: which records the indexes in `folder` (and Pagefind's) hold."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "version.js"), "w", encoding="utf-8") as handle:
        handle.write(_script("version", version))


def write_index(folder: str, language: str, documents: list[dict]) -> int:
    """Write one language's index and return the bytes written.

    `documents` (url, title, text, date, source, filters) come newest first.
    """
    base = os.path.join(folder, language)
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    filters: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = []
    for number, doc in enumerate(documents):
        text = doc["text"]
        counts = Counter(tokens(text))
        counts.update({word: 3 for word in tokens(doc["title"])})  # a title word weighs more
        for word, count in counts.items():
            postings[word].append((number, min(count, 9)))
        for key, values in doc["filters"].items():
            for value in values:
                filters[key][value].append(number)
        summary = text.split()
        summary = " ".join(summary[:SUMMARY_WORDS]) + (" …" if len(summary) > SUMMARY_WORDS else "")
        rows.append([doc["url"], doc["title"], doc["date"], doc["source"], summary])

    files: dict[str, str] = {}
    chunks: dict[str, dict] = defaultdict(dict)
    for word in sorted(postings):
        entries = postings[word]
        chunks[chunk_name(word)][word] = (
            encode_ids([n for n, _ in entries]) + "|" + "".join(str(count) for _, count in entries)
        )
    for name, terms in chunks.items():
        files[f"terms/{name}.js"] = _script(f"{language}/terms/{name}", terms)
    for start in range(0, len(rows), DOCS_PER_CHUNK):
        number = start // DOCS_PER_CHUNK
        files[f"docs/{number}.js"] = _script(
            f"{language}/docs/{number}", rows[start : start + DOCS_PER_CHUNK]
        )
    files["meta.js"] = _script(
        f"{language}/meta",
        {
            "count": len(rows),
            "chunk": DOCS_PER_CHUNK,
            "prefixes": sorted(chunks),
            "filters": {
                key: {value: encode_ids(ids) for value, ids in values.items()}
                for key, values in filters.items()
            },
        },
    )
    written = 0
    for relative, text in files.items():
        path = os.path.join(base, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text.encode("utf-8")
        with open(path, "wb") as handle:
            written += handle.write(data)
    return written
