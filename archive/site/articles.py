"""How a document becomes a Pelican article: its metadata, its collection and its address.

The reader gives Pelican these metadata, and `archive check` predicts each document's address
from the very same metadata and Pelican's own URL code, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from pelican.contents import Article, Page
from pelican.urlwrappers import Category

from archive.model.documents import Document
from archive.model.problems import Problem
from archive.model.terms import windows_reserved

#: A withdrawn document is a Pelican article of this status (written, never listed) and
#: rendered with this template: the notice at its address (theme/templates/withdrawn.html).
WITHDRAWN_STATUS = "hidden"
WITHDRAWN_TEMPLATE = "withdrawn"


def collection_category(document: Document, settings: dict) -> Category:
    """The Pelican Category of a document's collection, addressed by the collection's key.

    Its page is `CATEGORY_SAVE_AS` with `{slug}` = the key, which never changes, so renaming
    a collection (its `name:`) keeps its page where links and bookmarks expect it.
    """
    category = Category(document.collection.name, settings)
    category.slug = document.collection.key
    return category


def article_metadata(document: Document, category: Category, summary_html: str = "") -> dict:
    """Pelican's own fields from the document, plus the document itself for templates."""
    metadata = {
        "title": document.title,
        "date": dt.datetime.combine(document.date, dt.time()),
        "category": category,
        "collection": document.collection.key,
        "lang": document.language,
        "status": document.status,
        "document": document,
    }
    if document.slug:
        metadata["slug"] = document.slug
    if summary_html:
        metadata["summary"] = summary_html
        # Pelican resolves the summary's links once, for a page at the site's root; a list
        # resolves them again for the page it is on (archive/site/interface.py::list_summary).
        metadata["summary_unresolved"] = summary_html
    if document.updated:
        metadata["modified"] = dt.datetime.combine(document.updated, dt.time())
    if document.withdrawn:
        # In none of Pelican's lists, still written at its address: with the notice alone.
        metadata["status"] = WITHDRAWN_STATUS
        metadata["template"] = WITHDRAWN_TEMPLATE
    return metadata


def document_address(document: Document, source_path: str, settings: dict) -> str:
    """The output file Pelican will write the document to (its `save_as`)."""
    article = Article(
        "",
        metadata=article_metadata(document, collection_category(document, settings)),
        settings=settings,
        source_path=source_path,
    )
    return article.save_as


def copied_by(html: str, document: Document, source_path: str, settings: dict) -> set[str]:
    """The files Pelican would copy into the site for the links of a document's text.

    Paths relative to the content folder, found in the rendered text as Pelican finds them
    when it builds.
    """
    article = Article(
        html,
        metadata=article_metadata(document, collection_category(document, settings)),
        settings=settings,
        source_path=source_path,
    )
    return article.get_static_links()


def page_address(page, source_path: str, settings: dict) -> str:
    """The output file Pelican will write a page (about, how to cite) to."""
    metadata = {"title": page.title, **({"slug": page.slug} if page.slug else {})}
    return Page("", metadata=metadata, settings=settings, source_path=source_path).save_as


#: Names Windows cannot give a file, whatever the extension: a copy of the site on a USB
#: stick made on Windows would fail on them.


def address_problems(address: str, display: str) -> list[Problem]:
    """An address a document or page cannot have: no name at all, or one Windows refuses."""
    name = PurePosixPath(address).name
    stem = name.split(".")[0]
    hint = "rename the file, or set 'slug:' to lowercase letters, digits and hyphens"
    if not stem:
        return [
            Problem(
                display,
                None,
                f"its file name gives no address ({address}): no letter or digit a web "
                "address can use",
                hint,
            )
        ]
    if windows_reserved(stem):
        return [
            Problem(
                display,
                None,
                f"its address {address} uses the name {stem!r}, which Windows cannot store "
                "(a copy of the site on a USB stick would fail)",
                hint,
            )
        ]
    return []


def site_addresses(settings: dict, registries) -> dict[str, str]:
    """The addresses the site's own pages take: address -> what it is (for error messages).

    A document or page written there would replace it without a word.
    """
    taken = {
        settings.get("SEARCH_SAVE_AS", "search.html"): "the search page",
        settings.get("CORRECTIONS_SAVE_AS", "corrections.html"): "the corrections log",
    }
    for name in settings.get("DIRECT_TEMPLATES", ()):
        taken[settings.get(f"{name.upper()}_SAVE_AS") or f"{name}.html"] = f"the {name} page"
    for setting, what in (
        ("CATEGORIES_SAVE_AS", "the collections overview"),
        ("ACTORS_SAVE_AS", "the actors overview"),
        ("LOCATIONS_SAVE_AS", "the locations overview"),
    ):
        if settings.get(setting):
            taken[settings[setting]] = what
    for key in registries.collections:
        taken[settings["CATEGORY_SAVE_AS"].format(slug=key)] = f"the page of collection {key!r}"
    for setting, registry in (
        ("ACTOR_SAVE_AS", registries.actors),
        ("LOCATION_SAVE_AS", registries.locations),
    ):
        if settings.get(setting):
            for slug in registry.terms:
                taken[settings[setting].format(slug=slug)] = (
                    f"the page of {registry.kind.name} {slug!r}"
                )
    return {address: what for address, what in taken.items() if address}


def former_addresses(documents) -> dict[str, str]:
    """The addresses renamed documents had, which now lead to them: address -> what it is.

    `documents` are (its `moved:` records, its address now, its file as shown). A document
    renamed back to an old name holds that address again: it is its own, not a former one.
    """
    return {
        move.address: f"a document renamed since ({display}), whose old address leads to it"
        for moves, address, display in documents
        for move in moves
        if move.address != address
    }


def taken_by_site(address: str, taken: dict[str, str]) -> str:
    """What site page `address` would replace (its paginated pages included), or ''."""
    if address in taken:
        return taken[address]
    paginated = re.match(r"^(?P<base>.+)-\d+\.html$", address)
    if paginated and paginated["base"] + ".html" in taken:
        return "a page of " + taken[paginated["base"] + ".html"]
    return ""


def claim_problems(claims: dict[str, list[str]], taken: dict[str, str]) -> list[Problem]:
    """Problems with the addresses sources claim (address -> the files claiming it).

    Two files claiming one address, a file claiming a site page's address, an address
    that cannot be a file name: each would make a page vanish or fail to copy.
    """
    problems = []
    for address, paths in sorted(claims.items()):
        paths = sorted(paths)
        if len(paths) > 1:
            problems.append(
                Problem(
                    paths[1],
                    None,
                    f"would be published at the same address ({address}) as "
                    + ", ".join(paths[:1] + paths[2:]),
                    "give one of them another 'slug:'",
                )
            )
        what = taken_by_site(address, taken)
        if what:
            problems.append(
                Problem(
                    paths[0],
                    None,
                    f"would be published at {address}, the address of {what}, and replace it",
                    "rename the file, or give it another 'slug:'",
                )
            )
        for path in paths:
            problems.extend(address_problems(address, path))
    return problems
