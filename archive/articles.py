"""How a document becomes a Pelican article: its metadata, its collection and its address.

The reader gives Pelican these metadata, and `archive check` predicts each document's address
from the very same metadata and Pelican's own URL code, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt

from pelican.contents import Article
from pelican.urlwrappers import Category

from .documents import Document


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
    if document.updated:
        metadata["modified"] = dt.datetime.combine(document.updated, dt.time())
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
