"""Translations of a document: the same report in other languages, joined by a shared key.

An archive often holds one statement in English, Spanish and French. Each version is a
document of its own (its own page, citation and search entry), and each says
`translation: <key>` with the same key. Lists show one entry per report: the report's
*listed* version (the one in the site's default language, else the first published, then by
file), which a page in another interface language shows in its own language where the
report has it (`version_in`). A document page links the other versions ("Also in").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from archive.model.documents import Document, Page
from archive.model.problems import Problem


class TranslationClaim(NamedTuple):
    """A document's `translation:` key, as the checks need it (small enough to pass around)."""

    path: str
    key: str
    language: str
    line: int

    @classmethod
    def of(cls, document: Document) -> TranslationClaim:
        """The claim of a document that has a `translation:` key."""
        return cls(
            document.path, document.translation, document.language, document.translation_line
        )


def translation_problems(claims: Iterable[TranslationClaim]) -> list[Problem]:
    """A key no other document shares (it points nowhere), or two versions in one language."""
    by_key: dict[str, list[TranslationClaim]] = defaultdict(list)
    for claim in claims:
        by_key[claim.key].append(claim)
    problems = []
    for key, versions in sorted(by_key.items()):
        versions.sort()
        if len(versions) == 1:
            only = versions[0]
            problems.append(
                Problem(
                    only.path,
                    only.line or None,
                    f"'translation: {key}' points nowhere: no other document has this key",
                    "write the same key in the translation's front matter, or remove the line",
                )
            )
            continue
        first_in: dict[str, TranslationClaim] = {}
        for version in versions:
            same = first_in.setdefault(version.language, version)
            if same is not version:
                problems.append(
                    Problem(
                        version.path,
                        version.line or None,
                        f"'translation: {key}' is also the key of {same.path}, in the same "
                        f"language ({version.language})",
                        "a translation is in another language: correct 'language' or the key",
                    )
                )
    return problems


def link_translations(articles: list, default_language: str) -> list:
    """Give each article `translations` (its other versions); return the listed ones.

    `articles` are published Pelican articles with a `document`, newest first; the result
    keeps that order and holds one article per report.
    """
    by_key: dict[str, list] = defaultdict(list)
    for article in articles:
        if article.document.translation:
            by_key[article.document.translation].append(article)
    hidden = set()
    for versions in by_key.values():
        listed = listed_version(versions, default_language)
        for article in versions:
            article.translations = sorted(
                (other for other in versions if other is not article),
                key=lambda other: other.document.language,
            )
            if article is not listed:
                hidden.add(id(article))
    return [article for article in articles if id(article) not in hidden]


def listed_version(versions: list, default_language: str):
    """The version lists show: in the default language, else the first published."""
    in_default = [a for a in versions if a.document.language == default_language]
    return min(
        in_default or versions,
        key=lambda a: (a.document.published, a.document.path),
    )


def version_in(article, language: str):
    """The version of `article`'s report in `language`, else `article` itself."""
    if getattr(article, "lang", None) == language:
        return article
    for other in getattr(article, "translations", ()):
        if other.lang == language:
            return other
    return article


def page_versions(
    pages: Iterable[Page], slug_of, languages: list[str]
) -> tuple[dict[str, dict[str, Page]], list[Problem]]:
    """The archive's pages in other interface languages, by the page they translate.

    Returns ({slug of a page: {language: its version}}, problems). `slug_of(page)` is the
    slug a page is published under; `languages` the interface languages after the first
    (the pages' own language). A version must translate a page that exists, into one of
    those languages, once.
    """
    pages = list(pages)
    slugs = {slug_of(page) for page in pages if not page.translation_of}
    versions: dict[str, dict[str, Page]] = defaultdict(dict)
    problems = []
    for page in pages:
        if not page.translation_of:
            continue
        same = versions[page.translation_of].get(page.language)
        if page.translation_of not in slugs:
            problems.append(
                Problem(
                    page.path,
                    None,
                    f"'translation_of: {page.translation_of}' names no page",
                    "write the slug of the page it translates: " + ", ".join(sorted(slugs)),
                )
            )
        elif page.language not in languages:
            problems.append(
                Problem(
                    page.path,
                    None,
                    f"'language: {page.language}' is not one of the site's other interface "
                    "languages",
                    "use one of: " + ", ".join(languages),
                )
            )
        elif same is not None:
            problems.append(
                Problem(
                    page.path,
                    None,
                    f"{same.path} already translates {page.translation_of!r} into "
                    f"{page.language!r}",
                    "keep one of them",
                )
            )
        else:
            versions[page.translation_of][page.language] = page
    return {slug: dict(found) for slug, found in versions.items() if found}, problems
