"""A synthetic archive shaped like the real one, for the benchmark (deterministic per seed).

Documents of 300–900 words naming 2–6 actors and 1–5 locations (by name or alias) from
registries of ~200 actors and ~300 locations, dated over 15 years, in a few collections,
10% in Spanish. The same documents are also written in stock Pelican's metadata format, with
actors and locations as tags, so both builds render identical Markdown.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

SYLLABLES = (
    "al",
    "ar",
    "ba",
    "da",
    "el",
    "fa",
    "ha",
    "ja",
    "ka",
    "la",
    "ma",
    "na",
    "qa",
    "ra",
    "sa",
    "ta",
    "wa",
    "za",
    "bu",
    "di",
    "ki",
    "mu",
    "ri",
    "su",
    "tu",
    "yi",
)
ENGLISH = (
    "the forces said that militants were seen near the city after the attack on "
    "government positions and civilians fled as the coalition reported new strikes "
    "against targets in the province while the ministry denied any role in the "
    "shelling of the market which killed several people according to local sources "
    "who asked not to be named because of fears for their safety during the offensive"
).split()
SPANISH = (
    "las fuerzas dijeron que los milicianos fueron vistos cerca de la ciudad tras el "
    "ataque contra posiciones del gobierno y los civiles huyeron mientras la coalición "
    "informó de nuevos bombardeos contra objetivos en la provincia y el ministerio negó "
    "cualquier papel en el ataque al mercado según fuentes locales"
).split()
ACTOR_TYPES = ("armed group", "state body", "armed forces", "person", "international organisation")
COLLECTIONS = {
    "syria-war": "Syria War",
    "iraq-war": "Iraq War",
    "yemen-war": "Yemen War",
    "libya-war": "Libya War",
}
PUBLISHERS = (
    "Itar Tass",
    "Reuters",
    "Agence France-Presse",
    "Sputnik News",
    "EFE",
    "Associated Press",
    "SANA",
    "Al Jazeera",
)
PLACES = ("Moscow", "Damascus", "Beirut", "Geneva", "New York", "Madrid", "Paris")


def _name(rng: random.Random, parts: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(parts)
    )


def _registry(rng: random.Random, count: int, kind: str) -> dict:
    entries, used = {}, set()
    countries, governorates = [], []
    while len(entries) < count:
        name = _name(rng, 2 if kind == "actor" else 1)
        if name.casefold() in used:
            continue
        aliases = []
        for _ in range(rng.randint(0, 3)):
            alias = (
                name.upper().replace(" ", "")[:6]
                if rng.random() < 0.5
                else _name(rng, 1) + " " + name
            )
            if alias.casefold() not in used:
                aliases.append(alias)
                used.add(alias.casefold())
        used.add(name.casefold())
        slug = name.lower().replace(" ", "-")
        if slug in entries:
            continue
        entry = {"name": name, "aliases": aliases}
        if kind == "actor":
            entry["type"] = rng.choice(ACTOR_TYPES)
        elif len(countries) < 6:  # a gazetteer three levels deep, like the seed's
            entry["type"] = "country"
            countries.append(slug)
        elif len(governorates) < 40:
            entry["type"] = "governorate"
            entry["parent"] = rng.choice(countries)
            governorates.append(slug)
        else:
            entry["type"] = rng.choice(("city", "town", "village", "border crossing"))
            entry["parent"] = rng.choice(governorates)
        entries[slug] = entry
    return entries


def _spelling(rng: random.Random, entry: dict) -> str:
    """A document names a term by its name or by any alias, as real sources do."""
    return rng.choice([entry["name"], *entry["aliases"]])


def _paragraphs(rng: random.Random, words: list[str], names: list[str], total: int) -> list[str]:
    paragraphs, written = [], 0
    while written < total:
        size = rng.randint(40, 120)
        text = [rng.choice(words) for _ in range(size)]
        text[rng.randrange(size)] = rng.choice(names)
        paragraphs.append(" ".join(text).capitalize() + ".")
        written += size
    return paragraphs


def generate(folder: Path, count: int, seed: int = 1) -> dict:
    """Write `ours/content` and `stock/content` under folder; return the corpus' figures."""
    rng = random.Random(seed)
    actors = _registry(rng, 200, "actor")
    locations = _registry(rng, 300, "location")
    ours, stock = folder / "ours" / "content", folder / "stock" / "content"
    registry = ours / "registry"
    registry.mkdir(parents=True)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (registry / "actors.yml").write_text(dump(actors), encoding="utf-8")
    (registry / "locations.yml").write_text(dump(locations), encoding="utf-8")
    (registry / "collections.yml").write_text(
        dump({key: {"name": name} for key, name in COLLECTIONS.items()}), encoding="utf-8"
    )
    rights = Path(__file__).resolve().parent.parent / "content" / "registry" / "rights.yml"
    (registry / "rights.yml").write_text(rights.read_text(encoding="utf-8"), encoding="utf-8")

    start = dt.date(2011, 1, 1)
    words_total = 0
    for number in range(count):
        spanish = rng.random() < 0.1
        chosen_actors = rng.sample(sorted(actors), rng.randint(2, 6))
        chosen_locations = rng.sample(sorted(locations), rng.randint(1, 5))
        actor_names = [_spelling(rng, actors[s]) for s in chosen_actors]
        location_names = [_spelling(rng, locations[s]) for s in chosen_locations]
        date = start + dt.timedelta(days=rng.randrange(15 * 365))
        published = date + dt.timedelta(days=rng.randint(0, 10))
        collection = rng.choice(sorted(COLLECTIONS))
        total = rng.randint(300, 900)
        words_total += total
        words = SPANISH if spanish else ENGLISH
        paragraphs = _paragraphs(rng, words, actor_names + location_names, total)
        paragraphs.insert(
            len(paragraphs) // 2, "## " + " ".join(rng.choice(words) for _ in range(5)).capitalize()
        )
        title = " ".join(rng.choice(words) for _ in range(rng.randint(5, 11))).capitalize()
        slug = f"doc-{number:06d}"
        body = "\n\n".join(paragraphs) + "\n"
        front = {
            "title": title,
            "published": published,
            "collection": collection,
            "language": "es" if spanish else "en",
            "source": {
                "publisher": rng.choice(PUBLISHERS),
                "place": rng.choice(PLACES),
                "date": date,
            },
            "actors": actor_names,
            "locations": location_names,
        }
        path = ours / "articles" / collection / str(date.year) / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + dump(front) + "---\n\n" + body, encoding="utf-8")
        tags = [actors[s]["name"] for s in chosen_actors] + [
            locations[s]["name"] for s in chosen_locations
        ]
        header = (
            f"Title: {title}\nDate: {date.isoformat()}\nCategory: {COLLECTIONS[collection]}\n"
            f"Tags: {', '.join(tags)}\nLang: {'es' if spanish else 'en'}\nSlug: {slug}\n"
        )
        stock_path = stock / collection / str(date.year) / f"{slug}.md"
        stock_path.parent.mkdir(parents=True, exist_ok=True)
        stock_path.write_text(header + "\n" + body, encoding="utf-8")
    return {
        "documents": count,
        "words": words_total,
        "actors": len(actors),
        "locations": len(locations),
    }
