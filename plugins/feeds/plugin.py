"""Pelican plugin: an Atom feed per actor and per location, beside Pelican's per collection.

A reader following a group or a place subscribes to its feed. Feeds need absolute
addresses, which an offline copy cannot have, so like Pelican's own feeds they are written
only when the settings name them: publishconf.py sets `FEEDS = {"actor": …, "location": …}`
(patterns with `{slug}`) and Pelican's `CATEGORY_FEED_ATOM` for collections. Each term page
with documents gets `entry.feed`, the feed's path, which term.html links in its head and
in its text; Pelican's writer writes the feeds, so they look like its own.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Output paths of the feeds, with {slug}; empty: no feed (local, offline builds).
    "actor": "",
    "location": "",
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`FEEDS = {...}`) over its defaults, checked."""
    options = {**DEFAULTS, **settings.get("FEEDS", {})}
    for kind in DEFAULTS:
        if options[kind] and "{slug}" not in options[kind]:
            logger.error("feeds: FEEDS[%r] must contain {slug}: %r", kind, options[kind])
            options[kind] = ""
    return options


class FeedsGenerator(Generator):
    """Name each term's feed before pages are rendered, then write the feeds."""

    def generate_context(self):
        """Give every actor and location with documents the path of its feed."""
        options = settings_of(self.settings)
        self.feeds = []
        for kind, taxonomy in (("actor", "actors"), ("location", "locations")):
            if not options[kind] or taxonomy not in self.context:
                continue
            for entry in self.context[taxonomy].entries.values():
                entry.feed = options[kind].format(slug=entry.slug) if entry.articles else ""
                if entry.feed:
                    self.feeds.append(entry)

    def generate_output(self, writer):
        """Write one Atom feed per term with documents, newest first."""
        for entry in self.feeds:
            writer.write_feed(entry.articles, self.context, entry.feed, feed_title=entry.name)


def add_generator(pelican):
    """Pelican asks plugins for extra generators; ours runs after the taxonomies'."""
    return FeedsGenerator


def register():
    """Connect to Pelican: our generator."""
    signals.get_generators.connect(add_generator)
