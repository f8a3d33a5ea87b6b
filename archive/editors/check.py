"""Check documents and registries without building the site (`archive check`).

The same validation the build runs (archive.model.documents), plus what the build only discovers
late or not at all: two documents that would share an address, internal links to files that
do not exist, and files in the articles folder that Pelican would silently skip.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from archive.model.captures import NAMED_CAPTURE, capture_problems, unclaimed_captures
from archive.model.corrections import uncorrected_change_warnings
from archive.model.documents import document_settings, parse_document, parse_page, site_defaults
from archive.model.inventory import inventory_problems, is_document_file, linked_folders
from archive.model.links import (
    COPY_HINT,
    copied_file_problems,
    link_problems,
    summary_link_problems,
)
from archive.model.problems import ArchiveError, Problem
from archive.model.registries import load_registries, untranslated_texts
from archive.model.render import make_markdown
from archive.model.sourcefile import front_matter_line, read_source
from archive.model.translations import TranslationClaim, page_versions, translation_problems
from archive.site.articles import (
    claim_problems,
    copied_by,
    document_address,
    former_addresses,
    page_address,
    site_addresses,
)
from archive.site.workers import start_pool

WORKERS = max(1, os.cpu_count() or 1)


def check(content: Path, settings: dict, only: list[Path] | None = None) -> list[Problem]:
    """Every problem in the content folder (or, with `only`, in those files and folders).

    Warnings among them (Problem.severity) are said but fail nothing.

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

    linked = linked_folders(content)  # never walked: they may loop or lead out
    page_folders = list(settings.get("PAGE_PATHS", ["pages"]))
    files = [
        path
        for folder in settings.get("ARTICLE_PATHS", ["articles"]) + page_folders
        for path in _files_under(content / folder)
        if is_document_file(path)
    ]
    files = list(dict.fromkeys(files))  # Pelican reads a page folder inside the articles' once
    jobs = [
        (content, settings, files[start::WORKERS], [selected(p) for p in files[start::WORKERS]])
        for start in range(WORKERS)
    ]
    if len(files) < 500:
        results = [_check_files(*job) for job in jobs]
    else:
        with start_pool(WORKERS) as pool:
            results = pool.starmap(_check_files, jobs)

    problems = uncorrected_change_warnings(
        content, [path for path in files if selected(path)], settings
    )
    addresses: dict[str, list[str]] = defaultdict(list)
    translations: list[TranslationClaim] = []
    named: set[str] = set()
    renamed = []
    for found, claimed, translated, captures, moved in results:
        problems.extend(found)
        translations.extend(translated)
        named.update(captures)
        renamed.extend(moved)
        for address, display in claimed:
            addresses[address].append(display)
    problems.extend(p for p in unclaimed_captures(content, named) if selected(content / p.path))
    problems.extend(p for p in translation_problems(translations) if selected(content / p.path))
    problems.extend(
        p for p in _page_version_problems(content, settings, files) if selected(content / p.path)
    )
    languages = settings["LANGUAGES"]["interface"][1:]
    untranslated = untranslated_texts(load_registries(content), languages)
    problems.extend(p for p in untranslated if selected(content / p.path))
    taken = site_addresses(settings, load_registries(content)) | former_addresses(renamed)
    problems.extend(
        p
        for p in claim_problems(addresses, taken)
        if any(selected(content / path) for path in addresses_of(p, addresses))
    )
    problems.extend(
        p for p in linked + inventory_problems(content, settings) if selected(content / p.path)
    )
    return sorted(problems, key=lambda p: (p.path, p.line or 0))


def _page_claims(page, path: Path, settings: dict, display: str) -> list[tuple[str, str]]:
    """The address a page claims (none for a version in another language).

    A version is shown at the address of the page it translates.
    """
    if page.translation_of:
        return []
    return [(page_address(page, str(path), settings), display)]


def _page_version_problems(content: Path, settings: dict, files: list[Path]) -> list[Problem]:
    """Pages in other languages that translate no page, or one already translated.

    The pages are a handful: read again here rather than passed back from the workers.
    """
    prefixes = tuple(f + "/" for f in settings.get("PAGE_PATHS", ["pages"]))
    pages, slugs = [], {}
    for path in files:
        display = path.relative_to(content).as_posix()
        if not display.startswith(prefixes):
            continue
        try:
            page, _ = parse_page(display, read_source(path, content, display))
        except ArchiveError:
            continue  # reported with the file's other problems
        pages.append(page)
        slugs[display] = page.slug or path.stem
    languages = settings["LANGUAGES"]["interface"][1:]
    return page_versions(pages, lambda page: slugs[page.path], languages)[1]


def _files_under(folder: Path) -> list[Path]:
    """Files under `folder` (links to files included, links to folders not followed)."""
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not os.path.islink(os.path.join(parent, f)))
        found += [Path(parent) / name for name in sorted(files)]
    return found


def _check_files(content: Path, settings: dict, files: list[Path], report: list[bool]):
    """Parse some documents: their problems, the addresses and translation keys they claim.

    Problems are kept only for the files `report` marks (those `archive check` was given).
    Also returns the captures they name, the unreadable ones included (by the paths their
    text gives): a capture is then not reported as named by nobody on top of the file's
    own problem; and every document's moves, address and file: no other may take its former
    addresses.
    """
    registries = load_registries(content)
    defaults = site_defaults(settings)
    page_prefixes = tuple(f + "/" for f in settings.get("PAGE_PATHS", ["pages"]))
    max_bytes = document_settings(settings)["max_bytes"]
    md = make_markdown()
    problems, claimed, translated, captures, moved = [], [], [], set(), []
    for path, wanted in zip(files, report, strict=True):
        display = path.relative_to(content).as_posix()
        try:
            data = read_source(path, content, display, max_bytes)
            captures.update(NAMED_CAPTURE.findall(data.decode("utf-8", errors="replace")))
            document = None
            if display.startswith(page_prefixes):
                page, body = parse_page(display, data)
                body_line = 1
                claimed.extend(_page_claims(page, path, settings, display))
            else:
                document, body = parse_document(display, data, registries, defaults)
                body_line = document.body_line
                if wanted:
                    problems.extend(document.warnings)
                    problems.extend(
                        summary_link_problems(md, content, path, display, document, data)
                    )
                address = document_address(document, str(path), settings)
                claimed.append((address, display))
                moved.append((document.moved, address, display))
                if document.translation:
                    translated.append(TranslationClaim.of(document))
                if wanted and document.capture:
                    problems.extend(_capture_problems(content, display, document, data))
        except ArchiveError as err:
            if wanted:
                problems.extend(err.problems)
            continue
        if wanted:
            problems.extend(link_problems(md, content, path, display, body, body_line))
            if document is not None and COPY_HINT.search(body):
                copied = copied_by(md.render(body), document, str(path), settings)
                problems.extend(copied_file_problems(content, copied, display))
    return problems, claimed, translated, captures, moved


def _capture_problems(content: Path, display: str, document, data: bytes) -> list[Problem]:
    """The fixity check of a document's capture, pointing at its 'capture:' line."""
    line = front_matter_line(data, "capture")
    return capture_problems(display, asdict(document.capture), content, line)


def addresses_of(problem: Problem, addresses: dict[str, list[str]]) -> list[str]:
    """The files a claim problem is about: its own, and those sharing its address."""
    return next((paths for paths in addresses.values() if problem.path in paths), [problem.path])
