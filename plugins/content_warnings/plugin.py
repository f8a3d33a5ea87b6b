"""Pelican plugin: documents marked graphic or distressing are opened only by choice.

A document's `content_warning:` (archive/model/documents.py) is shown before its text, which the
page keeps closed in a <details> element (no JavaScript: it works from disk and in every
browser); lists and related documents show the warning (the templates read
`document.content_warning`). What the templates cannot reach is here: the search records
(plugins/search/records.py indexes `article.search_warning`, the warning, instead of the
text, so no excerpt shows the hidden words; the search page words it in the reader's
language, from the catalogs) and the Atom feeds (each warned entry carries the warning
instead of the text, worded by this plugin's settings).
"""

from __future__ import annotations

import html
import logging

from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {
    # What a feed entry of a warned document holds instead of the text.
    "feed_text": "Content warning: {warning}. The text is on the document's page, behind "
    "the warning.",
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`CONTENT_WARNINGS = {...}`) over its defaults."""
    given = settings.get("CONTENT_WARNINGS", {})
    for name in sorted(set(given) - set(DEFAULTS)):
        if name == "search_text":
            hint = "search words the warning in the reader's language: see theme/translations/"
        else:
            hint = "known: " + ", ".join(sorted(DEFAULTS))
        logger.warning("content_warnings: CONTENT_WARNINGS[%r] is not used (%s)", name, hint)
    return {**DEFAULTS, **given}


#: The context's key for warned documents' URLs -> their feed text, in this build.
FEED_TEXTS = "content_warning_feed_texts"


def mark_warned_documents(generators):
    """Give search every warned document's warning instead of its text; remember its feed text."""
    context, settings = generators[0].context, generators[0].settings
    options = settings_of(settings)
    feed_texts = context[FEED_TEXTS] = {}
    for article in context.get("published_documents", []) + context.get(
        "unpublished_documents", []
    ):
        warning = article.document.content_warning
        if warning:
            article.search_warning = warning
            feed_texts[article.url] = options["feed_text"].format(warning=warning)


def hide_warned_text_in_feed(context, feed):
    """Before a feed is written: a warned entry's summary is its warning, with no text."""
    feed_texts = context.get(FEED_TEXTS, {})
    for item in feed.items:
        link = item["link"].split("?")[0]
        for url, text in feed_texts.items():
            if link.endswith("/" + url) or link == url:
                item["description"] = html.escape(text)
                item["content"] = None


def register():
    """Connect to Pelican: mark documents before writing, then every feed as it is made."""
    signals.all_generators_finalized.connect(mark_warned_documents)
    signals.feed_generated.connect(hide_warned_text_in_feed)
