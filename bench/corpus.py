"""A synthetic archive with a real vocabulary, for the benchmark (deterministic per seed).

Speed figures depend on the words a text holds: the search index grows with the distinct
words, and Pagefind's and our engine's chunks are shaped by them. So the text is drawn the
way real text is, not from a few dozen words:

- **words** are drawn by their real frequencies in each language (wordfreq's English,
  Spanish and French lists, the 60,000 most frequent words of each, pinned with wordfreq in
  bench/requirements.lock), so a few words are everywhere and most are rare, as in news text;
- about one sentence in five is a **real sentence** of the shipped archive (`content/`: the
  46 pages of Equipo Nizkor's that the archive is built from), in the document's language,
  and every paragraph names one of the document's actors or places;
- the **registries** hold every real actor and place of the shipped archive (with their
  aliases, names in other languages and coordinates), filled up to 200 actors and 300 places
  with made-up ones; made-up places are spread over a three-level gazetteer, some without
  coordinates, most in the region of the real archive and some anywhere in the world;
- documents are in English, Spanish and French **in the shares of the shipped archive**, in
  its collections in their shares, with the publishers and places of its sources in each
  language, 300–900 words each, dated over 15 years.

The same documents are also written in stock Pelican's metadata format, with actors and
locations as tags, so both builds render identical Markdown. `generate` returns the corpus'
figures, distinct words included, and a broad search query drawn from it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

#: The shipped archive: its registries, texts and sources are the real material mixed in.
REAL = Path(__file__).resolve().parent.parent / "content"
#: How many of each language's most frequent words the text is drawn from.
VOCABULARY = 60_000
#: The share of sentences taken from the real archive's texts.
REAL_SENTENCES = 0.2
#: Registry sizes: the real entries, filled up with made-up ones.
ACTORS, LOCATIONS = 200, 300
#: Made-up governorates, the gazetteer's middle level under the real countries.
GOVERNORATES = 30
#: Made-up places: the share without coordinates, and of those with, the share anywhere in
#: the world rather than in the region of the real archive (boxes: south, north, west, east).
UNLOCATED, WORLDWIDE = 0.35, 0.2
REGION = (12.0, 52.0, -18.0, 62.0)  # the Middle East, North Africa, Ukraine
WORLD = (-50.0, 65.0, -170.0, 175.0)
#: Words a language writes alone although wordfreq lists them as one-letter tokens; other
#: one-letter tokens are pieces of words (French elisions, English possessives).
SINGLE_LETTERS = {"en": {"a", "i"}, "es": {"a", "y", "o", "e", "u"}, "fr": {"a", "à", "y"}}
#: Broad search queries leave out this many of a language's most frequent words.
FUNCTION_WORDS = 500
#: One word, for counting distinct words (the figure `make bench` prints).
WORD = re.compile(r"\w+")
#: Made-up names are strings of these.
SYLLABLES = "al ar ba da el fa ha ja ka la ma na qa ra sa ta wa za bu di ki mu ri su tu yi".split()
ACTOR_TYPES = ("armed group", "state body", "armed forces", "person", "international organisation")
PLACE_TYPES = ("city", "town", "village", "border crossing")


@dataclass(frozen=True)
class RealArchive:
    """What the shipped archive lends the synthetic one."""

    actors: dict
    locations: dict
    collections: dict
    rights: str
    publishers: str
    #: language -> sentences of its documents, in file order.
    sentences: dict[str, list[str]]
    #: language -> (publisher, place) of its documents' sources.
    sources: dict[str, list[tuple[str, str]]]
    #: language -> documents, and collection key -> documents.
    languages: Counter
    collection_shares: Counter


#: A sentence ends at . ! or ? (or a closing quote after one), before the next one's capital.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"»”]?\s+(?=[\"«“¿¡]?[A-ZÁÉÍÓÚÑÀÂÇÈÊÎÔ0-9])")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _front_matter(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def _sentences(body: str) -> list[str]:
    """The plain sentences of a document's Markdown (no headings, tables, quotes or links)."""
    sentences = []
    for paragraph in body.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if not paragraph or paragraph[0] in "#|>-*[!" or "{" in paragraph:
            continue
        paragraph = MARKDOWN_LINK.sub(r"\1", paragraph)
        sentences += [s for s in SENTENCE_END.split(paragraph) if len(s.split()) >= 4]
    return sentences


@cache
def real_archive(content: Path = REAL) -> RealArchive:
    """Read the shipped archive's registries, sentences, sources and shares."""
    registry = content / "registry"
    load = lambda name: yaml.safe_load((registry / name).read_text(encoding="utf-8"))  # noqa: E731
    sentences, sources = {}, {}
    languages, collections = Counter(), Counter()
    for path in sorted((content / "articles").rglob("*.md")):
        front, body = _front_matter(path)
        language = front.get("language", "en")
        languages[language] += 1
        collections[front["collection"]] += 1
        sentences.setdefault(language, []).extend(_sentences(body))
        source = front["source"]
        sources.setdefault(language, []).append((source["publisher"], source.get("place", "")))
    return RealArchive(
        actors=load("actors.yml"),
        locations=load("locations.yml"),
        collections=load("collections.yml"),
        rights=(registry / "rights.yml").read_text(encoding="utf-8"),
        publishers=(registry / "publishers.yml").read_text(encoding="utf-8"),
        sentences=sentences,
        sources=sources,
        languages=languages,
        collection_shares=collections,
    )


class Vocabulary:
    """A language's most frequent words, drawn by their real frequencies."""

    def __init__(self, language: str, size: int = VOCABULARY):
        import wordfreq  # the bench's own requirement (bench/requirements.lock)

        alone = SINGLE_LETTERS.get(language, set())
        listed = wordfreq.top_n_list(language, size, wordlist="large")
        self.words = [w for w in listed if w.isalpha() and (len(w) > 1 or w in alone)]
        frequencies = [wordfreq.word_frequency(w, language, wordlist="large") for w in self.words]
        self.cumulative = list(itertools.accumulate(frequencies))
        self.function_words = set(self.words[:FUNCTION_WORDS])

    def draw(self, rng: random.Random, count: int) -> list[str]:
        """`count` words, each drawn by its frequency in the language."""
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def _name(rng: random.Random, parts: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(parts)
    )


def _made_up(rng: random.Random, entries: dict, count: int, spelled: set, parts: int, fields):
    """Add made-up entries to `entries` until it has `count`, each named unlike any other.

    `fields(rng)` gives each entry's type, parent and coordinates; names of `parts` words.
    """
    while len(entries) < count:
        name = _name(rng, parts)
        slug = name.lower().replace(" ", "-")
        if name.casefold() in spelled or slug in entries:
            continue
        spelled.add(name.casefold())
        aliases = []
        for _ in range(rng.randint(0, 3)):
            alias = (
                name.upper().replace(" ", "")[:6]
                if rng.random() < 0.5
                else _name(rng, 1) + " " + name
            )
            if alias.casefold() not in spelled:
                aliases.append(alias)
                spelled.add(alias.casefold())
        entries[slug] = {"name": name, **fields(rng), "aliases": aliases}


def _spellings(entry: dict) -> list[str]:
    return [entry["name"], *entry.get("aliases", ()), *(entry.get("names") or {}).values()]


def _coordinates(rng: random.Random) -> dict:
    """A made-up place's coordinates, in the real archive's region or anywhere, or none."""
    if rng.random() < UNLOCATED:
        return {}
    south, north, west, east = WORLD if rng.random() < WORLDWIDE else REGION
    return {"coordinates": [round(rng.uniform(south, north), 4), round(rng.uniform(west, east), 4)]}


def registries(rng: random.Random, real: RealArchive | None = None) -> tuple[dict, dict]:
    """Actors and locations: every real entry, then made-up ones up to ACTORS and LOCATIONS.

    Made-up places form the gazetteer's lower levels: governorates of the real countries,
    then towns, villages and border crossings in any governorate or region, real or not.
    """
    real = real or real_archive()
    actors = {slug: dict(entry) for slug, entry in real.actors.items()}
    locations = {slug: dict(entry) for slug, entry in real.locations.items()}
    spelled = {s.casefold() for e in [*actors.values(), *locations.values()] for s in _spellings(e)}
    _made_up(rng, actors, ACTORS, spelled, 2, lambda rng: {"type": rng.choice(ACTOR_TYPES)})
    countries = sorted(s for s, e in locations.items() if e["type"] == "country")
    _made_up(
        rng,
        locations,
        len(locations) + GOVERNORATES,
        spelled,
        1,
        lambda rng: {"type": "governorate", "parent": rng.choice(countries), **_coordinates(rng)},
    )
    regions = sorted(s for s, e in locations.items() if e["type"] in ("governorate", "region"))
    _made_up(
        rng,
        locations,
        LOCATIONS,
        spelled,
        1,
        lambda rng: {
            "type": rng.choice(PLACE_TYPES),
            "parent": rng.choice(regions),
            **_coordinates(rng),
        },
    )
    return actors, locations


def _spelling(rng: random.Random, entry: dict, language: str) -> str:
    """A document names a term by its name in its language, or by its name or any alias."""
    own = (entry.get("names") or {}).get(language)
    if own and rng.random() < 0.7:
        return own
    return rng.choice([entry["name"], *entry.get("aliases", ())])


def drawn(rng: random.Random, vocabulary: Vocabulary) -> str:
    """A sentence of 8–24 words drawn by their frequencies."""
    words = vocabulary.draw(rng, rng.randint(8, 24))
    return " ".join(words).capitalize() + "."


def _paragraphs(
    rng: random.Random, language: str, vocabulary: Vocabulary, names: list[str], total: int
) -> list[str]:
    """Paragraphs of about `total` words: drawn sentences, real ones, and a term's name each."""
    real = real_archive().sentences.get(language, [])
    paragraphs, written = [], 0
    while written < total:
        sentences = [
            rng.choice(real) if real and rng.random() < REAL_SENTENCES else drawn(rng, vocabulary)
            for _ in range(rng.randint(2, 6))
        ]
        named = rng.randrange(len(sentences))
        sentences[named] = sentences[named][:-1] + f" {rng.choice(names)}."
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        written += len(paragraph.split())
    return paragraphs


def _weighted(rng: random.Random, shares: Counter):
    keys = sorted(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


def generate(folder: Path, count: int, seed: int = 1) -> dict:
    """Write `ours/content` and `stock/content` under folder; return the corpus' figures."""
    rng = random.Random(seed)
    real = real_archive()
    actors, locations = registries(rng, real)
    ours, stock = folder / "ours" / "content", folder / "stock" / "content"
    registry = ours / "registry"
    registry.mkdir(parents=True)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (registry / "actors.yml").write_text(dump(actors), encoding="utf-8")
    (registry / "locations.yml").write_text(dump(locations), encoding="utf-8")
    (registry / "collections.yml").write_text(dump(real.collections), encoding="utf-8")
    (registry / "rights.yml").write_text(real.rights, encoding="utf-8")
    (registry / "publishers.yml").write_text(real.publishers, encoding="utf-8")
    vocabularies = {language: Vocabulary(language) for language in sorted(real.languages)}

    start = dt.date(2011, 1, 1)
    words_total, distinct = 0, set()
    languages = Counter()
    # language -> documents carrying each word (for the broad query)
    carried = {language: Counter() for language in vocabularies}
    for number in range(count):
        language = _weighted(rng, real.languages)
        languages[language] += 1
        chosen_actors = rng.sample(sorted(actors), rng.randint(2, 6))
        chosen_locations = rng.sample(sorted(locations), rng.randint(1, 5))
        actor_names = [_spelling(rng, actors[s], language) for s in chosen_actors]
        location_names = [_spelling(rng, locations[s], language) for s in chosen_locations]
        date = start + dt.timedelta(days=rng.randrange(15 * 365))
        published = date + dt.timedelta(days=rng.randint(0, 10))
        collection = _weighted(rng, real.collection_shares)
        vocabulary = vocabularies[language]
        paragraphs = _paragraphs(
            rng, language, vocabulary, actor_names + location_names, rng.randint(300, 900)
        )
        heading = " ".join(vocabulary.draw(rng, 5)).capitalize()
        paragraphs.insert(len(paragraphs) // 2, "## " + heading)
        title = " ".join(vocabulary.draw(rng, rng.randint(4, 10))).capitalize()
        title += " " + rng.choice(actor_names + location_names)
        body = "\n\n".join(paragraphs) + "\n"
        words = WORD.findall((title + " " + body).casefold())
        words_total += len(words)
        distinct.update(words)
        carried[language].update(set(words))
        publisher, place = rng.choice(real.sources[language])
        slug = f"doc-{number:06d}"
        front = {
            "title": title,
            "published": published,
            "collection": collection,
            "language": language,
            "source": {"publisher": publisher, **({"place": place} if place else {}), "date": date},
            "actors": actor_names,
            "locations": location_names,
        }
        path = ours / "articles" / collection / str(date.year) / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + dump(front) + "---\n\n" + body, encoding="utf-8")
        tags = [actors[s]["name"] for s in chosen_actors] + [
            locations[s]["name"] for s in chosen_locations
        ]
        category = real.collections[collection]["name"]
        header = (
            f"Title: {title}\nDate: {date.isoformat()}\nCategory: {category}\n"
            f"Tags: {', '.join(tags)}\nLang: {language}\nSlug: {slug}\n"
        )
        stock_path = stock / collection / str(date.year) / f"{slug}.md"
        stock_path.parent.mkdir(parents=True, exist_ok=True)
        stock_path.write_text(header + "\n" + body, encoding="utf-8")
    return {
        "documents": count,
        "languages": dict(sorted(languages.items())),
        "words": words_total,
        "distinct_words": len(distinct),
        "actors": len(actors),
        "locations": len(locations),
        "located": sum("coordinates" in entry for entry in locations.values()),
        "broad_query": broad_query(carried.get("en", Counter()), vocabularies.get("en"), real),
    }


def broad_query(carried: Counter, vocabulary: Vocabulary | None, real: RealArchive) -> str:
    """Two words of the real English texts that the most English documents carry.

    What a reader of a war archive types ("military forces"), not a function word: the
    language's FUNCTION_WORDS most frequent words are left out, and so is a second word
    that starts as the first does (one stem).
    """
    if vocabulary is None or not carried:
        return "military forces"
    topical = {
        word
        for sentence in real.sentences.get("en", ())
        for word in WORD.findall(sentence.casefold())
        if word.isalpha() and len(word) > 3 and word not in vocabulary.function_words
    }
    chosen = []
    for word in sorted(topical, key=lambda word: (-carried[word], word)):
        if all(word[:5] != other[:5] for other in chosen):  # not "russia" after "russian"
            chosen.append(word)
    return " ".join(chosen[:2])
