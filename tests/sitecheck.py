"""Read a built site the way a browser opening it from disk (file://) would."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

#: Attributes that hold an address.
LINK_ATTRIBUTES = ("href", "src", "action", "poster", "data")


@lru_cache(maxsize=4096)
def _parse(path: Path, mtime: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def soup(path: Path) -> BeautifulSoup:
    """Parsed HTML of a page (cached while the file is unchanged)."""
    return _parse(path, path.stat().st_mtime_ns)


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def references(output: Path):
    """Yield (page, element, url) for every URL-valued attribute in every page."""
    for page in html_files(output):
        for element in soup(page).find_all(True):
            for attribute in LINK_ATTRIBUTES:
                value = element.get(attribute)
                if value:
                    yield page, element, value.strip()


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme)


def broken_links(output: Path) -> list[str]:
    """Every internal reference that does not resolve to a file (and fragment) from disk."""
    output = output.resolve()  # a relative folder would make same-page fragments look outside
    problems = []
    for page, element, url in references(output):
        parts = urlsplit(url)
        where = f"{page.relative_to(output)}: <{element.name}> {url!r}"
        if parts.scheme or url.startswith("//"):
            continue
        if url.startswith("/"):
            problems.append(f"{where} is root-absolute (breaks from disk)")
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.is_relative_to(output.resolve()):
            problems.append(f"{where} leaves the site")
        elif not target.is_file():
            kind = "a folder" if target.is_dir() else "missing"
            problems.append(f"{where} points to {kind}, not a file")
        elif parts.fragment and target.suffix == ".html":
            ids = {tag.get("id") for tag in soup(target).find_all(id=True)}
            ids |= {tag.get("name") for tag in soup(target).find_all("a", attrs={"name": True})}
            if unquote(parts.fragment) not in ids:
                problems.append(f"{where} names a fragment the target lacks")
    return problems
