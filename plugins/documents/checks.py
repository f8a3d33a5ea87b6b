"""What the build refuses once everything is read and before anything is written.

A failed build leaves the previous output untouched, and no document is dropped in silence:
a file that failed to read, two documents claiming one page, a capture that changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from archive.model.captures import capture_problems, unclaimed_captures
from archive.model.inventory import inventory_problems, linked_folders
from archive.model.links import copied_file_problems
from archive.model.problems import ArchiveError, Problem
from archive.model.registries import load_registries
from archive.model.translations import TranslationClaim, translation_problems
from archive.site.articles import claim_problems, former_addresses, site_addresses
from archive.site.build import build_warnings
from archive.site.pelican_internals import CONTENT_LISTS, failed_sources


def refuse_failed_sources(generators):
    """Stop the build if any source file failed to read, or two documents share an output file.

    Runs after every generator has read its content and before anything is written, so a
    failed build leaves the previous output untouched.
    """
    problems: list[Problem] = []
    reported = set()
    for generator in generators:
        readers = getattr(generator, "readers", None)
        for reader in readers.readers.values() if readers else ():
            for path, error in getattr(reader, "errors", {}).items():
                if path not in reported:
                    reported.add(path)
                    problems.extend(error.problems)
    for path in failed_sources(generators[0].context):
        if path not in reported:
            problems.append(
                Problem(
                    path,
                    None,
                    "Pelican could not read this file",
                    "run 'archive build --debug' to see why",
                )
            )
    problems.extend(_address_problems(generators))
    problems.extend(_copied_file_problems(generators))
    problems.extend(_capture_problems(generators[0].context))
    if not problems:  # a document that failed to read names its capture in vain
        problems.extend(_unclaimed_captures(generators[0].context))
    problems.extend(_translation_problems(generators[0].context))
    settings = generators[0].settings
    problems.extend(inventory_problems(Path(settings["PATH"]), settings))
    if problems:
        # A broken registry is reported by every document that needs it: say it once. The
        # warnings go with the errors: the failed build's report is the only one there is.
        raise ArchiveError(list(dict.fromkeys(problems)) + build_warnings(generators))


def _address_problems(generators) -> list[Problem]:
    """Two sources on one page, a source on a site page's address, an impossible address."""
    claims = defaultdict(list)
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                claims[content.save_as].append(content.relative_source_path)
    context, settings = generators[0].context, generators[0].settings
    documents = [
        (article.document.moved, article.save_as, article.relative_source_path)
        for key in ("published_documents", "unpublished_documents", "withdrawn_documents")
        for article in context[key]
    ]
    taken = site_addresses(settings, load_registries(settings["PATH"]))
    return claim_problems(claims, taken | former_addresses(documents))


def _translation_problems(context: dict) -> list[Problem]:
    """A translation key must join versions of one report in different languages."""
    documents = context["published_documents"] + context["unpublished_documents"]
    return translation_problems(
        TranslationClaim.of(a.document) for a in documents if a.document.translation
    )


def _capture_problems(context: dict) -> list[Problem]:
    """Every document's capture must be there, unchanged: its page links to it as evidence."""
    content = Path(context["PATH"])  # Pelican's context starts as a copy of the settings
    documents = context["published_documents"] + context["unpublished_documents"]
    return [
        problem
        for article in documents
        if article.document.capture
        for problem in capture_problems(
            article.document.path, asdict(article.document.capture), content
        )
    ]


def _copied_file_problems(generators) -> list[Problem]:
    """Files outside the content folder that Pelican would copy for a text's links."""
    content = Path(generators[0].settings["PATH"])
    return [
        problem
        for generator in generators
        for name in CONTENT_LISTS
        for item in getattr(generator, name, ())
        for problem in copied_file_problems(
            content, item.get_static_links(), item.relative_source_path
        )
    ]


def _unclaimed_captures(context: dict) -> list[Problem]:
    """Captures no document names: each would be published on its own."""
    documents = context["published_documents"] + context["unpublished_documents"]
    named = {a.document.capture.file for a in documents if a.document.capture}
    return unclaimed_captures(Path(context["PATH"]), named)


def refuse_linked_folders(pelican) -> None:
    """Before Pelican walks the content folder: links to folders may loop or lead out of it."""
    problems = linked_folders(Path(pelican.settings["PATH"]))
    if problems:
        raise ArchiveError(problems)
