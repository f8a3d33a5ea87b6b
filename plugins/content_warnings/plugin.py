"""Pelican plugin: documents marked graphic or distressing are opened only by choice.

A document's `content_warning:` (archive/documents.py) is shown before its text, which the
page keeps closed in a <details> element (no JavaScript: it works from disk and in every
browser); lists and related documents show the warning (the templates read
`document.content_warning`). What the templates cannot reach is here: the search records
(plugins/search/records.py takes `article.search_text` instead of the text, so no excerpt
shows the hidden words) and the Atom feeds (each warned entry carries the warning instead
of the text). The wording of both lives in this plugin's settings, to be translated with
the interface.
"""

from __future__ import annotations

import html

from pelican import signals

DEFAULTS = {
    # What search shows as a warned document's excerpt (and indexes instead of its text).
    "search_text": "Content warning: {warning}. Open the document to read its text.",
    # What a feed entry of a warned document holds instead of the text.
    "feed_text": "Content warning: {warning}. The text is on the document's page, behind "
    "the warning.",
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`CONTENT_WARNINGS = {...}`) over its defaults."""
    return {**DEFAULTS, **settings.get("CONTENT_WARNINGS", {})}


#: The context's key for warned documents' URLs -> their feed text, in this build.
FEED_TEXTS = "content_warning_feed_texts"


def mark_warned_documents(generators):
    """Give every warned document the text search holds for it; remember its feed text."""
    context, settings = generators[0].context, generators[0].settings
    options = settings_of(settings)
    feed_texts = context[FEED_TEXTS] = {}
    for article in context.get("published_documents", []) + context.get(
        "unpublished_documents", []
    ):
        warning = article.document.content_warning
        if warning:
            article.search_text = options["search_text"].format(warning=warning)
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
