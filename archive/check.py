"""Check documents and registries without building the site (`archive check`).

The same validation the build runs (archive.documents), plus what the build only discovers
late or not at all: two documents that would share an address, internal links to files that
do not exist, and files in the articles folder that Pelican would silently skip.
"""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from .articles import document_address
from .captures import capture_problems
from .documents import parse_document, parse_page
from .links import link_problems
from .problems import ArchiveError, Problem
from .registries import load_registries
from .render import make_markdown
from .sourcefile import MAX_BYTES, read_source

DOCUMENT_SUFFIXES = (".md", ".markdown")
WORKERS = max(1, os.cpu_count() or 1)


def unread_files(content: Path, folders: list[str]) -> list[Problem]:
    """Files under the document folders that are not documents: Pelican would skip them."""
    problems = []
    for folder in folders:
        for path in sorted((content / folder).rglob("*")):
            if (
                path.is_file()
                and path.suffix.lower() not in DOCUMENT_SUFFIXES
                and not path.name.startswith(".")
            ):
                problems.append(
                    Problem(
                        path.relative_to(content).as_posix(),
                        None,
                        "this file is not a document and would not be published",
                        "documents must end in .md; move other files elsewhere",
                    )
                )
    return problems


def check(content: Path, settings: dict, only: list[Path] | None = None) -> list[Problem]:
    """Every problem in the content folder (or, with `only`, in those files and folders).

    Documents are parsed on every core: an archive of 10,000 documents checks in seconds.
    """
    content = content.resolve()
    try:
        load_registries(content)
    except ArchiveError as err:
        return err.problems  # documents cannot be checked against broken registries
    wanted = [p.resolve() for p in only] if only else None

    def selected(path: Path) -> bool:
        return wanted is None or any(path == w or w in path.parents for w in wanted)

    page_folders = list(settings.get("PAGE_PATHS", ["pages"]))
    files = [
        path
        for folder in settings.get("ARTICLE_PATHS", ["articles"]) + page_folders
        for path in sorted((content / folder).rglob("*"))
        if path.suffix.lower() in DOCUMENT_SUFFIXES and path.is_file()
    ]
    jobs = [
        (content, settings, files[start::WORKERS], [selected(p) for p in files[start::WORKERS]])
        for start in range(WORKERS)
    ]
    if len(files) < 500:
        results = [_check_files(*job) for job in jobs]
    else:
        with ProcessPoolExecutor(WORKERS) as pool:
            results = list(pool.map(_check_files, *zip(*jobs, strict=True)))

    problems: list[Problem] = []
    addresses: dict[str, list[str]] = defaultdict(list)
    for found, claimed in results:
        problems.extend(found)
        for address, display in claimed:
            addresses[address].append(display)
    for address, paths in sorted(addresses.items()):
        paths.sort()
        if len(paths) > 1 and any(selected(content / p) for p in paths):
            problems.append(
                Problem(
                    paths[1],
                    None,
                    f"would be published at the same address ({address}) as "
                    + ", ".join(paths[:1] + paths[2:]),
                    "give one of them another 'slug:'",
                )
            )
    problems.extend(
        p
        for p in unread_files(content, settings.get("ARTICLE_PATHS", ["articles"]))
        if selected(content / p.path)
    )
    return sorted(problems, key=lambda p: (p.path, p.line or 0))


def _check_files(content: Path, settings: dict, files: list[Path], report: list[bool]):
    """Parse some documents: their problems (where reported) and the addresses they claim."""
    registries = load_registries(content)
    documents = settings.get("DOCUMENTS") or {}
    defaults = {
        "rights": documents.get("default_rights", "fair-use-us"),
        "language": settings.get("DEFAULT_LANG") or "en",
        "unknown_terms": documents.get("unknown_terms", "error"),
    }
    page_prefixes = tuple(f + "/" for f in settings.get("PAGE_PATHS", ["pages"]))
    max_bytes = documents.get("max_bytes", MAX_BYTES)
    md = make_markdown()
    problems, claimed = [], []
    for path, wanted in zip(files, report, strict=True):
        display = path.relative_to(content).as_posix()
        try:
            data = read_source(path, content, display, max_bytes)
            if display.startswith(page_prefixes):
                _, body = parse_page(display, data)
                body_line = 1
            else:
                document, body = parse_document(display, data, registries, defaults)
                body_line = document.body_line
                claimed.append((document_address(document, str(path), settings), display))
                if wanted and document.capture:
                    problems.extend(_capture_problems(content, display, document, data))
        except ArchiveError as err:
            if wanted:
                problems.extend(err.problems)
            continue
        if wanted:
            problems.extend(link_problems(md, content, path, display, body, body_line))
    return problems, claimed


def _capture_problems(content: Path, display: str, document, data: bytes) -> list[Problem]:
    """The fixity check of a document's capture, pointing at its 'capture:' line."""
    lines = data.decode("utf-8", "replace").splitlines()
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("capture:")), None)
    return capture_problems(display, asdict(document.capture), content, line)
