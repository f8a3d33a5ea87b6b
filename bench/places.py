"""Maps at scale: N places spread over the world against the same N places inside one country.

Each place is a town under one parent place, with coordinates, named by one document, so
every place page shows a map of all its siblings: spread over the world, every map's frame
is the whole world (the hostile-inputs review's case D16: 300 such places took 103 s, 1,000
did not finish in ten minutes). Both archives are built with the shipped settings in fresh
processes, one after the other, and the time and peak memory of each are printed with their
ratio. Run it as `python -m bench.places 1000`.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from bench.run import ROOT, measure

#: A country box (south, north, west, east) around Syria, and the inhabited world.
COUNTRY = (32.5, 37.0, 35.8, 42.0)
WORLD = (-50.0, 65.0, -179.0, 179.0)


def archive(folder: Path, count: int, box: tuple, seed: int = 1) -> Path:
    """The shipped registries plus `count` towns in `box` under Syria, one document each."""
    rng = random.Random(seed)
    content = folder / "content"
    registry = content / "registry"
    registry.mkdir(parents=True)
    for name in ("actors.yml", "collections.yml", "rights.yml", "publishers.yml"):
        (registry / name).write_bytes((ROOT / "content" / "registry" / name).read_bytes())
    places = yaml.safe_load((ROOT / "content" / "registry" / "locations.yml").read_text("utf-8"))
    south, north, west, east = box
    for number in range(count):
        places[f"town-{number}"] = {
            "name": f"Town {number}",
            "type": "town",
            "parent": "syria",
            "coordinates": [
                round(rng.uniform(south, north), 4),
                round(rng.uniform(west, east), 4),
            ],
        }
        article = content / "articles" / "syria-war" / "2016" / f"town-{number}.md"
        article.parent.mkdir(parents=True, exist_ok=True)
        article.write_text(
            f"---\ntitle: A report from Town {number}\npublished: 2016-05-01\n"
            f"collection: syria-war\nsource:\n  publisher: Reuters\n"
            f"locations: [Town {number}]\n---\n\nWhat happened in Town {number}.\n",
            encoding="utf-8",
        )
    dump = yaml.safe_dump(places, allow_unicode=True, sort_keys=False)
    (registry / "locations.yml").write_text(dump, encoding="utf-8")
    return content


def settings(folder: Path, content: Path) -> Path:
    """The shipped settings pointed at `content`."""
    path = folder / "placesconf.py"
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PATH = {str(content)!r}\n",
        encoding="utf-8",
    )
    return path


def main(count: int) -> None:
    """Build both archives of `count` places and print their time, memory and ratios."""
    work = Path(tempfile.mkdtemp(prefix="archive-places-"))
    results = {}
    try:
        for label, box in (("inside one country", COUNTRY), ("spread over the world", WORLD)):
            folder = work / label.split()[0]
            content = archive(folder, count, box)
            results[label] = measure("ours", settings(folder, content), folder / "output")
            figures = results[label]
            print(
                f"{count} places {label}: {figures['wall']:.1f} s, "
                f"{figures['peak_total_mb']:.0f} MB peak, {figures['output_mb']:.1f} MB output"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    inside, world = results.values()
    print(
        f"world / one country: {world['wall'] / inside['wall']:.2f}x time, "
        f"{world['peak_total_mb'] / inside['peak_total_mb']:.2f}x memory (target <= 1.5x)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
